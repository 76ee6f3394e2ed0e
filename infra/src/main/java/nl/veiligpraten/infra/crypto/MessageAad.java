package nl.veiligpraten.infra.crypto;

import java.util.Objects;
import java.util.UUID;

/**
 * The context a transcript message is bound to: which conversation, which position, which sender.
 *
 * <p>These values are not secret (they live in plain columns next to the ciphertext) but they are
 * authenticated: {@link TranscriptCipher#open} only succeeds with exactly the values used at {@link
 * TranscriptCipher#seal} time. That stops an attacker with write access to the database from moving
 * a ciphertext to another conversation, reordering or replaying it at another sequence number, or
 * re-attributing a visitor's message to the counselor (or vice versa).
 *
 * <p>Canonical encoding (see {@link #encode(int)}): fields are length-prefixed (4-byte big-endian
 * length) in the order: domain label {@code "vp.transcript.msg"}, sealed-format version (1 byte),
 * conversation id (16 bytes, big-endian msb||lsb), seq (8 bytes, big-endian two's complement),
 * sender (UTF-8).
 *
 * @param conversationId the conversation the message belongs to
 * @param seq the message's position in the conversation (must be {@code >= 0})
 * @param sender who sent it, e.g. {@code "visitor"} or {@code "counselor"}; any well-formed string
 *     (unpaired surrogates are rejected because they'd make the encoding ambiguous)
 */
public record MessageAad(UUID conversationId, long seq, String sender) {

  static final String DOMAIN = "vp.transcript.msg";

  /** Validates the components. */
  public MessageAad {
    Objects.requireNonNull(conversationId, "conversationId");
    Objects.requireNonNull(sender, "sender");
    if (seq < 0) {
      throw new IllegalArgumentException("seq must be >= 0, was " + seq);
    }
    CanonicalAad.strictUtf8(
        sender); // fail at construction, not at seal/open, on unpaired surrogates
  }

  /**
   * Canonical associated-data bytes. The sealed-format version is included so that a ciphertext
   * can't be reinterpreted under a different format version by flipping the version byte.
   */
  byte[] encode(int formatVersion) {
    return CanonicalAad.domain(DOMAIN)
        .uint8(formatVersion)
        .uuid(conversationId)
        .int64(seq)
        .string(sender)
        .toByteArray();
  }
}
