package nl.veiligpraten.infra.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.GenerationMode;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.NumericChars;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Single-bit tampering anywhere – sealed message (nonce, ciphertext, tag), message AAD
 * (conversation id, seq, sender), wrapped key bytes, wrapped key id – must always end in {@link
 * CryptoException}.
 *
 * <p>Tries add up to 10,000: 2,000 + 1,500 + 2,500 + 2,000 + 2,000. {@code RANDOMIZED} generation
 * is forced because jqwik would otherwise switch to (much smaller) exhaustive generation for small
 * bit ranges; {@link #tearDown()} counts the tries actually executed so that can't silently
 * regress. Every try seals or wraps a freshly generated message/key, so tries aren't repeats.
 *
 * <p>jqwik uses {@code @Label}, not JUnit's {@code @DisplayName}: it skips {@code @Property}
 * methods that carry JUnit annotations.
 */
@Label("Tampering properties")
class TamperingPropertiesTest {

  private static Path dir;
  private static OrganisationKeyStore store;
  private static DataKeyWrapper wrapper;
  private static final TranscriptCipher CIPHER = new TranscriptCipher();
  private static final UUID CONVERSATION = UUID.randomUUID();
  private static final DataKey KEY = DataKey.generate(CONVERSATION);
  private static final Map<String, Integer> DECLARED_TRIES =
      Map.of(
          "ciphertextBitFlip",
          2000,
          "nonceBitFlip",
          1500,
          "aadBitFlip",
          2500,
          "wrappedKeyBitFlip",
          2000,
          "keyIdBitFlip",
          2000);
  private static final Map<String, AtomicInteger> EXECUTED = new ConcurrentHashMap<>();

  private static void count(String property) {
    EXECUTED.computeIfAbsent(property, p -> new AtomicInteger()).incrementAndGet();
  }

  @BeforeContainer
  static void setUp() throws IOException {
    dir = Files.createTempDirectory("vp-crypto-props");
    store =
        OrganisationKeyStore.openOrCreate(dir.resolve("keys.bcfks"), "props".toCharArray(), true);
    // Wraps happen under csg#v3. '3' ^ 1 = '2' and '3' ^ 2 = '1', and "csg"/"csf" differ in one bit
    // ('g' = 0x67, 'f' = 0x66), so some key-id flips land on a *real* KEK of the same organisation
    // (must
    // fail authentication) or name another existing organisation – not only on unparsable garbage.
    store.ensureOrganisation("csg");
    store.ensureOrganisation("csf");
    store.rotate("csg");
    store.rotate("csg");
    wrapper = new DataKeyWrapper(store);
  }

  @AfterContainer
  static void tearDown() throws IOException {
    // Every property that ran must have run all its tries (a changed generation mode would
    // otherwise
    // shrink the 10,000 silently); when the whole class ran, the total must be exactly 10,000.
    EXECUTED.forEach(
        (property, n) -> assertEquals(DECLARED_TRIES.get(property), n.get(), property + " tries"));
    if (EXECUTED.keySet().equals(DECLARED_TRIES.keySet())) {
      assertEquals(10_000, EXECUTED.values().stream().mapToInt(AtomicInteger::get).sum());
    }
    store.close();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private static byte[] flip(byte[] data, int bit) {
    byte[] copy = data.clone();
    copy[bit / 8] ^= (byte) (1 << (bit % 8));
    return copy;
  }

  private static void assertUndecryptable(MessageAad aad, byte[] sealed) {
    CryptoException e = assertThrows(CryptoException.class, () -> CIPHER.open(KEY, aad, sealed));
    assertEquals(TranscriptCipher.DECRYPTION_FAILED, e.getMessage());
  }

  @Property(tries = 2000, generation = GenerationMode.RANDOMIZED)
  @Label("flipping any bit of the ciphertext or tag makes the message undecryptable")
  void ciphertextBitFlip(
      @ForAll @Size(max = 300) byte[] plaintext,
      @ForAll @LongRange(min = 0) long seq,
      @ForAll @IntRange(min = 0) int selector) {
    count("ciphertextBitFlip");
    MessageAad aad = new MessageAad(CONVERSATION, seq, "visitor");
    byte[] sealed = CIPHER.seal(KEY, aad, plaintext);
    int firstBit = 13 * 8; // after version byte and nonce
    int bit = firstBit + selector % (sealed.length * 8 - firstBit);
    assertUndecryptable(aad, flip(sealed, bit));
  }

  @Property(tries = 1500, generation = GenerationMode.RANDOMIZED)
  @Label("flipping any bit of the nonce makes the message undecryptable")
  void nonceBitFlip(
      @ForAll @Size(max = 300) byte[] plaintext,
      @ForAll @IntRange(min = 8, max = 13 * 8 - 1) int bit) {
    count("nonceBitFlip");
    MessageAad aad = new MessageAad(CONVERSATION, 1, "counselor");
    byte[] sealed = CIPHER.seal(KEY, aad, plaintext);
    assertUndecryptable(aad, flip(sealed, bit));
  }

  @Property(tries = 2500, generation = GenerationMode.RANDOMIZED)
  @Label(
      "flipping any bit of the conversation id, seq or sender in the AAD makes the message undecryptable")
  void aadBitFlip(
      @ForAll @Size(max = 300) byte[] plaintext,
      @ForAll @LongRange(min = 0) long seq,
      @ForAll @AlphaChars @NumericChars @StringLength(min = 1, max = 40) String sender,
      @ForAll @IntRange(min = 0, max = 2) int field,
      @ForAll @IntRange(min = 0) int selector) {
    count("aadBitFlip");
    MessageAad aad = new MessageAad(CONVERSATION, seq, sender);
    byte[] sealed = CIPHER.seal(KEY, aad, plaintext);
    MessageAad tampered =
        switch (field) {
          case 0 -> {
            int bit = selector % 128;
            UUID id =
                bit < 64
                    ? new UUID(
                        CONVERSATION.getMostSignificantBits() ^ (1L << bit),
                        CONVERSATION.getLeastSignificantBits())
                    : new UUID(
                        CONVERSATION.getMostSignificantBits(),
                        CONVERSATION.getLeastSignificantBits() ^ (1L << (bit - 64)));
            yield new MessageAad(id, seq, sender);
          }
          // Bits 0..62 only: flipping the sign bit gives a negative seq, which MessageAad rejects
          // up front.
          case 1 -> new MessageAad(CONVERSATION, seq ^ (1L << (selector % 63)), sender);
          default -> {
            // Flip one of the 16 bits of one char. From ASCII this can't produce a surrogate, so
            // the
            // tampered sender is still a valid string and the rejection must come from
            // authentication.
            char[] chars = sender.toCharArray();
            int i = selector % chars.length;
            chars[i] ^= (char) (1 << ((selector / chars.length) % 16));
            yield new MessageAad(CONVERSATION, seq, new String(chars));
          }
        };
    assertUndecryptable(tampered, sealed);
  }

  @Property(tries = 2000, generation = GenerationMode.RANDOMIZED)
  @Label("flipping any bit of the wrapped key bytes makes unwrapping fail")
  void wrappedKeyBitFlip(
      @ForAll @IntRange(min = 0, max = DataKeyWrapper.WRAPPED_LENGTH * 8 - 1) int bit) {
    count("wrappedKeyBitFlip");
    UUID conversation = UUID.randomUUID();
    DataKey key = DataKey.generate(conversation);
    WrappedKey wrapped = wrapper.wrap(key, "csg");
    assertArrayEquals(key.material(), wrapper.unwrap(wrapped, "csg", conversation).material());
    WrappedKey tampered = new WrappedKey(wrapped.keyId(), flip(wrapped.bytes(), bit));
    assertThrows(CryptoException.class, () -> wrapper.unwrap(tampered, "csg", conversation));
  }

  @Property(tries = 2000, generation = GenerationMode.RANDOMIZED)
  @Label("flipping any bit of the wrapped key's key id makes unwrapping fail")
  void keyIdBitFlip(@ForAll @IntRange(min = 0) int selector) {
    count("keyIdBitFlip");
    UUID conversation = UUID.randomUUID();
    WrappedKey wrapped = wrapper.wrap(DataKey.generate(conversation), "csg");
    assertEquals("csg#v3", wrapped.keyId());
    char[] chars = wrapped.keyId().toCharArray();
    int i = selector % chars.length;
    chars[i] ^= (char) (1 << ((selector / chars.length) % 16));
    WrappedKey tampered = new WrappedKey(new String(chars), wrapped.bytes());
    assertThrows(CryptoException.class, () -> wrapper.unwrap(tampered, "csg", conversation));
  }
}
