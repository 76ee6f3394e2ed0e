package nl.veiligpraten.infra.crypto;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Builds canonical associated data: a sequence of fields, each encoded as a 4-byte big-endian
 * length followed by that many bytes.
 *
 * <p>Why length prefixes everywhere (even for fixed-size fields): with plain concatenation {@code
 * ("ab","c")} and {@code ("a","bc")} would authenticate identically, letting an attacker shift
 * bytes between adjacent fields (e.g. between sender and another string). Length-prefixing makes
 * the encoding injective, so distinct tuples always give distinct AAD. Every AAD starts with a
 * domain label (e.g. {@code "vp.transcript.msg"}) so an AAD built for one purpose can never be
 * valid for another.
 */
final class CanonicalAad {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream(96);

  private CanonicalAad(String domain) {
    string(domain);
  }

  /** Starts an AAD with the given domain-separation label. */
  static CanonicalAad domain(String domain) {
    return new CanonicalAad(domain);
  }

  CanonicalAad bytes(byte[] value) {
    out.write(ByteBuffer.allocate(4).putInt(value.length).array(), 0, 4);
    out.write(value, 0, value.length);
    return this;
  }

  /**
   * Strict UTF-8: {@link String#getBytes} would silently replace unpaired surrogates with {@code
   * '?'}, so a lone U+D800 and {@code "?"} would produce the same AAD. Rejecting them keeps the
   * encoding injective.
   *
   * @throws IllegalArgumentException if {@code value} is not well-formed UTF-16 (unpaired
   *     surrogate)
   */
  CanonicalAad string(String value) {
    return bytes(strictUtf8(value));
  }

  static byte[] strictUtf8(String value) {
    try {
      ByteBuffer encoded =
          StandardCharsets.UTF_8
              .newEncoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .encode(CharBuffer.wrap(value));
      byte[] out = new byte[encoded.remaining()];
      encoded.get(out);
      return out;
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException(
          "string is not well-formed Unicode (unpaired surrogate)", e);
    }
  }

  CanonicalAad uuid(UUID value) {
    return bytes(
        ByteBuffer.allocate(16)
            .putLong(value.getMostSignificantBits())
            .putLong(value.getLeastSignificantBits())
            .array());
  }

  CanonicalAad int64(long value) {
    return bytes(ByteBuffer.allocate(8).putLong(value).array());
  }

  CanonicalAad uint8(int value) {
    return bytes(new byte[] {(byte) value});
  }

  byte[] toByteArray() {
    return out.toByteArray();
  }
}
