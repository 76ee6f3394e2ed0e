package nl.veiligpraten.infra.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("TranscriptCipher")
class TranscriptCipherTest {

  private final TranscriptCipher cipher = new TranscriptCipher();
  private final UUID conversation = UUID.randomUUID();
  private final DataKey key = DataKey.generate(conversation);
  private final MessageAad aad = new MessageAad(conversation, 7, "visitor");
  private final byte[] message =
      "Ik durf dit aan niemand anders te vertellen.".getBytes(StandardCharsets.UTF_8);

  private void assertUndecryptable(DataKey k, MessageAad a, byte[] sealed) {
    CryptoException e = assertThrows(CryptoException.class, () -> cipher.open(k, a, sealed));
    assertEquals("transcript message could not be decrypted", e.getMessage());
  }

  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(ints = {0, 1, 15, 16, 17, 200, 4096, 100_000})
  @DisplayName("a sealed message opens to exactly the original plaintext, for any length")
  void roundTrip(int length) {
    byte[] plaintext = new byte[length];
    for (int i = 0; i < length; i++) {
      plaintext[i] = (byte) (i * 31 + 7);
    }
    byte[] sealed = cipher.seal(key, aad, plaintext);
    assertEquals(length + TranscriptCipher.OVERHEAD_BYTES, sealed.length);
    assertArrayEquals(plaintext, cipher.open(key, aad, sealed));
  }

  @Test
  @DisplayName(
      "the sealed format is version byte 0x01, then a 12-byte nonce, then ciphertext and a 16-byte tag")
  void sealedFormat() {
    byte[] sealed = cipher.seal(key, aad, message);
    assertEquals(0x01, sealed[0]);
    assertEquals(1 + 12 + message.length + 16, sealed.length);
    // The plaintext must not appear anywhere in the output.
    String asLatin1 = new String(sealed, StandardCharsets.ISO_8859_1);
    assertFalse(asLatin1.contains("vertellen"));
  }

  @Test
  @DisplayName(
      "messages sealed by the earlier Bouncy Castle GCM open, and new ones open with Bouncy Castle: the "
          + "stored format did not change with the switch to the JDK's AES-GCM")
  void sameFormatAsBouncyCastleGcm() throws Exception {
    byte[] plain = "Ik wil graag met iemand praten. 🙂".getBytes(StandardCharsets.UTF_8);
    byte[] nonce = new byte[TranscriptCipher.NONCE_BYTES];
    new java.security.SecureRandom().nextBytes(nonce);
    org.bouncycastle.crypto.modes.GCMModeCipher bc =
        org.bouncycastle.crypto.modes.GCMBlockCipher.newInstance(
            org.bouncycastle.crypto.engines.AESEngine.newInstance());
    bc.init(
        true,
        new org.bouncycastle.crypto.params.AEADParameters(
            new org.bouncycastle.crypto.params.KeyParameter(key.material()),
            128,
            nonce,
            aad.encode(TranscriptCipher.FORMAT_V1)));
    byte[] old = new byte[TranscriptCipher.OVERHEAD_BYTES + plain.length];
    old[0] = TranscriptCipher.FORMAT_V1;
    System.arraycopy(nonce, 0, old, 1, nonce.length);
    int n = bc.processBytes(plain, 0, plain.length, old, 1 + nonce.length);
    bc.doFinal(old, 1 + nonce.length + n);
    assertArrayEquals(plain, cipher.open(key, aad, old));

    byte[] sealed = cipher.seal(key, aad, plain);
    bc.init(
        false,
        new org.bouncycastle.crypto.params.AEADParameters(
            new org.bouncycastle.crypto.params.KeyParameter(key.material()),
            128,
            Arrays.copyOfRange(sealed, 1, 1 + TranscriptCipher.NONCE_BYTES),
            aad.encode(TranscriptCipher.FORMAT_V1)));
    byte[] opened = new byte[plain.length];
    int m =
        bc.processBytes(
            sealed,
            1 + TranscriptCipher.NONCE_BYTES,
            sealed.length - 1 - TranscriptCipher.NONCE_BYTES,
            opened,
            0);
    bc.doFinal(opened, m);
    assertArrayEquals(plain, opened);
  }

  @Test
  @DisplayName(
      "sealing the same message twice gives different ciphertexts because each gets a fresh random nonce")
  void freshNoncePerMessage() {
    byte[] a = cipher.seal(key, aad, message);
    byte[] b = cipher.seal(key, aad, message);
    assertFalse(Arrays.equals(a, b));
    assertFalse(Arrays.equals(Arrays.copyOfRange(a, 1, 13), Arrays.copyOfRange(b, 1, 13)));
  }

  @Test
  @DisplayName(
      "a message sealed with conversation X's data key cannot be opened with conversation Y's data key")
  void otherConversationsKeyCannotOpen() {
    byte[] sealed = cipher.seal(key, aad, message);
    DataKey otherConversationKey = DataKey.generate(UUID.randomUUID());
    assertUndecryptable(otherConversationKey, aad, sealed);
    // Even a second, independent key for the *same* conversation can't open it: it is the key bytes
    // that count.
    assertUndecryptable(DataKey.generate(conversation), aad, sealed);
  }

  @Test
  @DisplayName("a ciphertext moved to another conversation, position or sender no longer opens")
  void aadBindsConversationSeqAndSender() {
    byte[] sealed = cipher.seal(key, aad, message);
    assertUndecryptable(key, new MessageAad(UUID.randomUUID(), 7, "visitor"), sealed);
    assertUndecryptable(key, new MessageAad(conversation, 8, "visitor"), sealed);
    assertUndecryptable(key, new MessageAad(conversation, 7, "counselor"), sealed);
    assertUndecryptable(key, new MessageAad(conversation, 7, "visitor "), sealed);
  }

  @Test
  @DisplayName("replaying an earlier message at a later sequence number is rejected")
  void replayAtOtherPositionRejected() {
    byte[] first = cipher.seal(key, new MessageAad(conversation, 1, "visitor"), message);
    assertUndecryptable(key, new MessageAad(conversation, 2, "visitor"), first);
  }

  @ParameterizedTest(name = "bit {0}")
  @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6, 7})
  @DisplayName("flipping any bit of the version byte makes the message undecryptable")
  void versionByteTampering(int bit) {
    byte[] sealed = cipher.seal(key, aad, message);
    sealed[0] ^= (byte) (1 << bit);
    assertUndecryptable(key, aad, sealed);
  }

  @ParameterizedTest(name = "keep {0} bytes")
  @ValueSource(ints = {0, 1, 12, 13, 28, 29, 30, 40})
  @DisplayName("a truncated sealed message is rejected, never partially decrypted")
  void truncation(int keep) {
    byte[] sealed = cipher.seal(key, aad, message);
    assertUndecryptable(key, aad, Arrays.copyOf(sealed, Math.min(keep, sealed.length - 1)));
  }

  @Test
  @DisplayName("appending bytes to a sealed message is rejected")
  void extension() {
    byte[] sealed = cipher.seal(key, aad, message);
    assertUndecryptable(key, aad, Arrays.copyOf(sealed, sealed.length + 1));
  }

  @Test
  @DisplayName(
      "sealing with a data key that belongs to another conversation is refused as a programming error")
  void sealRejectsConversationMismatch() {
    MessageAad otherConversation = new MessageAad(UUID.randomUUID(), 0, "visitor");
    assertThrows(
        IllegalArgumentException.class, () -> cipher.seal(key, otherConversation, message));
  }

  @Test
  @DisplayName("a data key never shows its material in toString")
  void dataKeyToStringRedacts() throws Exception {
    String text = key.toString();
    assertTrue(text.contains("redacted"));
    assertTrue(text.contains(conversation.toString()));
    byte[] material = key.material();
    String hex = java.util.HexFormat.of().formatHex(material);
    String b64 = java.util.Base64.getEncoder().encodeToString(material);
    assertFalse(text.contains(hex) || text.contains(hex.toUpperCase()) || text.contains(b64));
    assertFalse(text.contains(Arrays.toString(material)));
  }

  @Test
  @DisplayName("destroying a data key zeroes its bytes and makes it unusable")
  void destroyZeroesKey() throws Exception {
    DataKey k = DataKey.generate(conversation);
    byte[] sealed = cipher.seal(k, aad, message);
    Field f = DataKey.class.getDeclaredField("material");
    f.setAccessible(true);
    byte[] inside = (byte[]) f.get(k);

    k.destroy();

    assertTrue(k.isDestroyed());
    assertArrayEquals(new byte[32], inside);
    assertThrows(IllegalStateException.class, () -> cipher.open(k, aad, sealed));
    assertThrows(IllegalStateException.class, () -> cipher.seal(k, aad, message));
    assertTrue(k.toString().contains("destroyed"));
    k.destroy(); // idempotent
  }

  @Test
  @DisplayName("message AAD rejects negative sequence numbers and senders with unpaired surrogates")
  void messageAadValidation() {
    assertThrows(IllegalArgumentException.class, () -> new MessageAad(conversation, -1, "visitor"));
    assertThrows(IllegalArgumentException.class, () -> new MessageAad(conversation, 0, "x\uD800"));
    assertThrows(NullPointerException.class, () -> new MessageAad(null, 0, "visitor"));
    assertThrows(NullPointerException.class, () -> new MessageAad(conversation, 0, null));
  }

  @Test
  @DisplayName("AAD encoding is length-prefixed, so shifting characters between fields changes it")
  void aadEncodingIsInjective() {
    byte[] a = CanonicalAad.domain("d").string("ab").string("c").toByteArray();
    byte[] b = CanonicalAad.domain("d").string("a").string("bc").toByteArray();
    assertFalse(Arrays.equals(a, b));
    assertNotEquals(
        Arrays.toString(new MessageAad(conversation, 1, "a").encode(1)),
        Arrays.toString(new MessageAad(conversation, 1, "a").encode(2)));
  }
}
