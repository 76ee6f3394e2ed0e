package nl.veiligpraten.infra.conversation;

/**
 * Outcome of storing a message: its server sequence number, and whether it was a resend of a message already
 * stored (same sender and client id), in which case nothing new was written.
 */
public record AppendResult(long seq, boolean duplicate) {
}
