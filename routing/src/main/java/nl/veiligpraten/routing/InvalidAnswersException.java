package nl.veiligpraten.routing;

import java.util.List;

/**
 * Thrown by {@link Answers#parse} when an answers map does not follow the intake contract. {@link
 * #field()} names the offending key and {@link #allowed()} lists what would have been accepted, so
 * an HTTP layer can return a precise 400 without parsing the message.
 */
public final class InvalidAnswersException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String field;
  private final List<String> allowed;

  public InvalidAnswersException(String field, List<String> allowed, String message) {
    super(message);
    this.field = field;
    this.allowed = List.copyOf(allowed);
  }

  /** The key in the answers map that is wrong. */
  public String field() {
    return field;
  }

  /** The codes (or keys) that are allowed for {@link #field()}. */
  public List<String> allowed() {
    return allowed;
  }
}
