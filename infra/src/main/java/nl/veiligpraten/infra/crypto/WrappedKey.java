package nl.veiligpraten.infra.crypto;

import java.util.Arrays;
import java.util.Objects;

/**
 * A {@link DataKey} encrypted ("wrapped") under one version of an organisation's key-encryption
 * key. This is what gets persisted, e.g. as two columns {@code wrapped_key_id text, wrapped_key
 * bytea} on the conversation row.
 *
 * <p>Crypto-shredding: deleting (or overwriting) these bytes is what makes a conversation's
 * transcript permanently unreadable, because the data key exists nowhere else at rest.
 *
 * <p>{@code bytes} format (version 1, 61 bytes):
 *
 * <pre>
 *   0x01 (format version) || nonce (12 bytes) || AES-256-GCM-SIV(KEK, nonce, dataKey, aad) (32 bytes) || tag (16 bytes)
 * </pre>
 *
 * The associated data binds organisation id, key id and conversation id; see {@link
 * DataKeyWrapper}.
 *
 * <p>The byte array is defensively copied in and out, and equality is by content (records would
 * otherwise compare array identity).
 *
 * @param keyId canonical {@link KeyId} string of the KEK version used, e.g. {@code csg#v2}
 * @param bytes the wrapped key in the format above
 */
public record WrappedKey(String keyId, byte[] bytes) {

  /** Copies {@code bytes}; validates non-null. Content is validated only when unwrapping. */
  public WrappedKey {
    Objects.requireNonNull(keyId, "keyId");
    bytes = Objects.requireNonNull(bytes, "bytes").clone();
  }

  /** A copy of the wrapped bytes. */
  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WrappedKey other
        && keyId.equals(other.keyId)
        && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return 31 * keyId.hashCode() + Arrays.hashCode(bytes);
  }

  /**
   * Shows the key id and length only; the bytes are ciphertext but there's no reason to log them.
   */
  @Override
  public String toString() {
    return "WrappedKey[keyId=" + keyId + ", " + bytes.length + " bytes]";
  }
}
