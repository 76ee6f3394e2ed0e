package nl.veiligpraten.console;

import java.util.UUID;

/**
 * A console frame {@link ConsoleFrameDecoder} refuses: a stable code, a human explanation, and the
 * chat (and the message's client id) it named when those could be read, so the page can show the
 * error on that chat and mark exactly that message as not sent.
 */
final class ConsoleFrameException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String code;
  private final UUID conversationId;
  private final String clientId;

  ConsoleFrameException(String code, String message, UUID conversationId, String clientId) {
    // No stack trace: this is an answer to bad input, not a failure.
    super(message, null, false, false);
    this.code = code;
    this.conversationId = conversationId;
    this.clientId = clientId;
  }

  ConsoleFrameException(String code, String message, UUID conversationId) {
    this(code, message, conversationId, null);
  }

  String code() {
    return code;
  }

  /**
   * The chat the refused frame named, or null when it named none or the id was itself the problem.
   */
  UUID conversationId() {
    return conversationId;
  }

  /** The refused message's client id when it was valid, else null. */
  String clientId() {
    return clientId;
  }
}
