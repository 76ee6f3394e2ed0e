package nl.veiligpraten.conversation;

/** A message was sent to a conversation that is closed or does not exist. */
public final class ConversationClosedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ConversationClosedException(String message) {
    super(message, null, false, false);
  }
}
