package nl.veiligpraten.conversation;

import java.time.OffsetDateTime;

/**
 * Outcome of storing a message: its server sequence number, and whether it was a resend of a
 * message already stored (same sender and client id), in which case nothing new was written. {@code
 * createdAt} is the stored timestamp of a new message (null for a resend).
 */
public record AppendResult(long seq, boolean duplicate, OffsetDateTime createdAt) {

  public AppendResult(long seq, boolean duplicate) {
    this(seq, duplicate, null);
  }
}
