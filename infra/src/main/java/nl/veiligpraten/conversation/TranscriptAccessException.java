package nl.veiligpraten.conversation;

/** A reader asked for a transcript its organisation holds no key for. */
public final class TranscriptAccessException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public TranscriptAccessException(String message) {
    super(message, null, false, false);
  }
}
