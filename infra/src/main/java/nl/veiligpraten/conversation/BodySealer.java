package nl.veiligpraten.conversation;

/**
 * Seals a message body once its sequence number is known, because the sequence number is part of
 * the associated data of the encryption (a sealed row cannot be moved to another position).
 */
@FunctionalInterface
public interface BodySealer {
  byte[] seal(long seq);
}
