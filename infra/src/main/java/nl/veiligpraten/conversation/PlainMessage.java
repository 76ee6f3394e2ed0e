package nl.veiligpraten.conversation;

import java.time.OffsetDateTime;

/** A message after decryption, held only in memory on its way to a socket. */
public record PlainMessage(
    long seq, String sender, Long staffId, String clientId, String body, OffsetDateTime createdAt) {

  @Override
  public String toString() {
    // Never print the body: toString ends up in logs.
    return "PlainMessage[seq=" + seq + ", sender=" + sender + "]";
  }
}
