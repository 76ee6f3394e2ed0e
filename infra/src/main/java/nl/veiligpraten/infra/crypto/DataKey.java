package nl.veiligpraten.infra.crypto;

import java.util.Arrays;
import java.util.Objects;
import java.util.UUID;
import javax.security.auth.Destroyable;

/**
 * A conversation's 256-bit AES data key (DEK). Every conversation gets its own random data key; the
 * transcript's messages are sealed with it by {@link TranscriptCipher}, and it is persisted only in
 * wrapped form ({@link WrappedKey}) produced by {@link DataKeyWrapper}.
 *
 * <p>The key is bound to its conversation id: wrapping binds that id into the wrap's associated
 * data, and {@link TranscriptCipher#seal} refuses to seal a message for a different conversation.
 *
 * <p>Handling rules enforced here:
 *
 * <ul>
 *   <li>{@link #toString()} never shows key material (it ends up in logs via string concatenation);
 *   <li>there is no public accessor for the raw bytes;
 *   <li>{@link #destroy()} zeroes the bytes as soon as a caller is done (e.g. when a conversation
 *       closes); using a destroyed key throws {@link IllegalStateException}.
 * </ul>
 *
 * Zeroing is best effort – the JVM may have copied the array during GC – but it narrows the window
 * in which a heap dump exposes the key. Equality is identity on purpose (no content comparison of
 * secrets).
 */
public final class DataKey implements Destroyable {

  /** Key length in bytes (AES-256). */
  public static final int LENGTH_BYTES = 32;

  private final UUID conversationId;
  private final byte[] material;
  private volatile boolean destroyed;

  private DataKey(UUID conversationId, byte[] material) {
    this.conversationId = Objects.requireNonNull(conversationId, "conversationId");
    if (material.length != LENGTH_BYTES) {
      throw new IllegalArgumentException("data key must be " + LENGTH_BYTES + " bytes");
    }
    this.material = material;
  }

  /**
   * Generates a fresh random data key for a conversation, from the shared {@link
   * java.security.SecureRandom}.
   */
  public static DataKey generate(UUID conversationId) {
    return new DataKey(conversationId, CryptoSupport.randomBytes(LENGTH_BYTES));
  }

  /** Package-private: takes ownership of {@code material} (no copy), used when unwrapping. */
  static DataKey ofOwned(UUID conversationId, byte[] material) {
    return new DataKey(conversationId, material);
  }

  /** The conversation this key belongs to. */
  public UUID conversationId() {
    return conversationId;
  }

  /**
   * Package-private live view of the key bytes (no defensive copy, to avoid littering the heap with
   * copies of the secret). Callers inside the package must not retain or modify it.
   */
  byte[] material() {
    if (destroyed) {
      throw new IllegalStateException(
          "data key for conversation " + conversationId + " has been destroyed");
    }
    return material;
  }

  /** Zeroes the key bytes; the key is unusable afterwards. Idempotent. */
  @Override
  public void destroy() {
    destroyed = true;
    Arrays.fill(material, (byte) 0);
  }

  @Override
  public boolean isDestroyed() {
    return destroyed;
  }

  /** Never contains key material. */
  @Override
  public String toString() {
    return "DataKey[conversation="
        + conversationId
        + ", material=<redacted>"
        + (destroyed ? ", destroyed" : "")
        + "]";
  }
}
