package nl.veiligpraten.conversation;

import java.util.UUID;

/**
 * The envelope-encryption operations the transcript needs, implemented with Bouncy Castle in {@code
 * nl.veiligpraten.infra.crypto}. Kept as a narrow seam so the repository code reads as "seal /
 * open" and the crypto can be tested on its own.
 *
 * @param <K> the in-memory data key type (never stored, never logged)
 */
public interface ConversationCrypto<K> {

  /** A fresh data key for a conversation, with its wrapping for the owning organisation. */
  NewKey<K> newKey(UUID conversationId, String orgId);

  /**
   * Unwraps a stored data key for the organisation that reads it; fails when that organisation's
   * key cannot.
   */
  K unwrap(UUID conversationId, String orgId, String keyId, byte[] wrapped);

  /** Wraps an existing data key for another organisation (referral with consent). */
  ConversationRepository.WrappedKeyRow wrapFor(K key, UUID conversationId, String orgId);

  byte[] seal(K key, UUID conversationId, long seq, String sender, byte[] plaintext);

  byte[] open(K key, UUID conversationId, long seq, String sender, byte[] sealed);

  /** A new data key and its wrapped form. */
  record NewKey<K>(K key, String keyId, byte[] wrapped) {}
}
