package nl.veiligpraten.infra.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("DataKeyWrapper")
class DataKeyWrapperTest {

  @TempDir static Path dir;
  static OrganisationKeyStore store;
  static DataKeyWrapper wrapper;

  private final TranscriptCipher cipher = new TranscriptCipher();
  private final UUID conversation = UUID.randomUUID();

  @BeforeAll
  static void openStore() {
    store =
        OrganisationKeyStore.openOrCreate(
            dir.resolve("keys.bcfks"), "test passphrase".toCharArray(), true);
    store.ensureOrganisation("orga");
    store.ensureOrganisation("orgb");
    wrapper = new DataKeyWrapper(store);
  }

  @AfterAll
  static void closeStore() {
    store.close();
  }

  @Test
  @DisplayName("a wrapped data key unwraps to a key that opens messages sealed with the original")
  void roundTrip() {
    DataKey key = DataKey.generate(conversation);
    MessageAad aad = new MessageAad(conversation, 0, "visitor");
    byte[] sealed = cipher.seal(key, aad, "hallo".getBytes(StandardCharsets.UTF_8));

    WrappedKey wrapped = wrapper.wrap(key, "orga");
    assertEquals(store.currentKeyId("orga").toString(), wrapped.keyId());
    assertEquals(DataKeyWrapper.WRAPPED_LENGTH, wrapped.bytes().length);
    assertEquals(0x01, wrapped.bytes()[0]);

    DataKey unwrapped = wrapper.unwrap(wrapped, "orga", conversation);
    assertEquals(conversation, unwrapped.conversationId());
    assertArrayEquals(key.material(), unwrapped.material());
    assertArrayEquals(
        "hallo".getBytes(StandardCharsets.UTF_8), cipher.open(unwrapped, aad, sealed));
  }

  @Test
  @DisplayName("a key wrapped for organisation B cannot be unwrapped by organisation A")
  void otherOrganisationCannotUnwrap() {
    WrappedKey forB = wrapper.wrap(DataKey.generate(conversation), "orgb");
    CryptoException e =
        assertThrows(CryptoException.class, () -> wrapper.unwrap(forB, "orga", conversation));
    assertTrue(e.getMessage().contains("does not belong to organisation orga"), e.getMessage());
  }

  @Test
  @DisplayName("relabelling B's wrapped key with A's key id still fails: A's KEK cannot decrypt it")
  void relabelledKeyIdFailsCryptographically() {
    WrappedKey forB = wrapper.wrap(DataKey.generate(conversation), "orgb");
    WrappedKey relabelled = new WrappedKey(store.currentKeyId("orga").toString(), forB.bytes());
    CryptoException e =
        assertThrows(CryptoException.class, () -> wrapper.unwrap(relabelled, "orga", conversation));
    assertTrue(e.getMessage().contains("authentication failed"), e.getMessage());
  }

  @Test
  @DisplayName("a wrapped key copied to another conversation does not unwrap there")
  void boundToConversation() {
    WrappedKey wrapped = wrapper.wrap(DataKey.generate(conversation), "orga");
    CryptoException e =
        assertThrows(
            CryptoException.class, () -> wrapper.unwrap(wrapped, "orga", UUID.randomUUID()));
    assertTrue(e.getMessage().contains("authentication failed"), e.getMessage());
  }

  @Test
  @DisplayName("wrapping the same data key twice gives different bytes (random nonce)")
  void wrapIsRandomised() {
    DataKey key = DataKey.generate(conversation);
    assertNotEquals(wrapper.wrap(key, "orga"), wrapper.wrap(key, "orga"));
  }

  @Test
  @DisplayName("wrapping for an organisation without a KEK fails with a clear error")
  void wrapForUnknownOrganisation() {
    CryptoException e =
        assertThrows(
            CryptoException.class, () -> wrapper.wrap(DataKey.generate(conversation), "nobody"));
    assertTrue(
        e.getMessage().contains("organisation nobody has no key-encryption key"), e.getMessage());
  }

  @Test
  @DisplayName(
      "unwrapping with a key id whose KEK version is not in the store fails with a clear error")
  void missingKekVersion() {
    WrappedKey wrapped = wrapper.wrap(DataKey.generate(conversation), "orga");
    WrappedKey future = new WrappedKey("orga#v99", wrapped.bytes());
    CryptoException e =
        assertThrows(CryptoException.class, () -> wrapper.unwrap(future, "orga", conversation));
    assertTrue(
        e.getMessage().contains("orga#v99 is not in the organisation key store"), e.getMessage());
  }

  @Test
  @DisplayName("an organisation whose KEK is missing entirely can't unwrap")
  void missingOrganisationKek() {
    // Wrapped by a store that knows org "gone"; unwrapped with a store that doesn't.
    OrganisationKeyStore other =
        OrganisationKeyStore.openOrCreate(dir.resolve("other.bcfks"), "pw".toCharArray(), true);
    other.ensureOrganisation("gone");
    WrappedKey wrapped = new DataKeyWrapper(other).wrap(DataKey.generate(conversation), "gone");
    other.close();
    assertThrows(CryptoException.class, () -> wrapper.unwrap(wrapped, "gone", conversation));
  }

  @Test
  @DisplayName("malformed key ids and wrong-length or wrong-version wrapped bytes are rejected")
  void malformedInput() {
    WrappedKey wrapped = wrapper.wrap(DataKey.generate(conversation), "orga");
    byte[] bytes = wrapped.bytes();
    assertThrows(
        CryptoException.class,
        () -> wrapper.unwrap(new WrappedKey("orga", bytes), "orga", conversation));
    assertThrows(
        CryptoException.class,
        () -> wrapper.unwrap(new WrappedKey("orga#v01", bytes), "orga", conversation));
    assertThrows(
        CryptoException.class,
        () -> wrapper.unwrap(new WrappedKey("", bytes), "orga", conversation));
    byte[] shorter = java.util.Arrays.copyOf(bytes, bytes.length - 1);
    assertThrows(
        CryptoException.class,
        () -> wrapper.unwrap(new WrappedKey(wrapped.keyId(), shorter), "orga", conversation));
    byte[] v2 = bytes.clone();
    v2[0] = 2;
    assertThrows(
        CryptoException.class,
        () -> wrapper.unwrap(new WrappedKey(wrapped.keyId(), v2), "orga", conversation));
    assertThrows(
        CryptoException.class,
        () -> wrapper.unwrap(new WrappedKey(wrapped.keyId(), new byte[0]), "orga", conversation));
  }

  @Test
  @DisplayName(
      "crypto-shredding: once the wrapped key is gone, a destroyed in-memory key leaves no way to open the transcript")
  void cryptoShredding() {
    DataKey key = DataKey.generate(conversation);
    MessageAad aad = new MessageAad(conversation, 0, "visitor");
    byte[] sealed = cipher.seal(key, aad, "geheim".getBytes(StandardCharsets.UTF_8));
    WrappedKey wrapped = wrapper.wrap(key, "orga");

    // "Shred": the only at-rest copy of the data key is the wrapped bytes; overwrite them, drop the
    // live key.
    byte[] stored = wrapped.bytes();
    java.util.Arrays.fill(stored, (byte) 0);
    key.destroy();

    WrappedKey shredded = new WrappedKey(wrapped.keyId(), stored);
    assertThrows(CryptoException.class, () -> wrapper.unwrap(shredded, "orga", conversation));
    // Any other data key (even one for the same conversation) can't open the ciphertext either.
    assertThrows(
        CryptoException.class, () -> cipher.open(DataKey.generate(conversation), aad, sealed));
  }

  @Test
  @DisplayName(
      "WrappedKey copies its bytes defensively, compares by content and doesn't print the bytes")
  void wrappedKeyValueSemantics() {
    byte[] raw = {1, 2, 3};
    WrappedKey w = new WrappedKey("orga#v1", raw);
    raw[0] = 9;
    assertEquals(1, w.bytes()[0]);
    w.bytes()[1] = 9;
    assertEquals(2, w.bytes()[1]);
    assertEquals(new WrappedKey("orga#v1", new byte[] {1, 2, 3}), w);
    assertEquals(new WrappedKey("orga#v1", new byte[] {1, 2, 3}).hashCode(), w.hashCode());
    assertEquals("WrappedKey[keyId=orga#v1, 3 bytes]", w.toString());
  }
}
