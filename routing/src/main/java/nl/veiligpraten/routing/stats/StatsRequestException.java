package nl.veiligpraten.routing.stats;

/**
 * A statistics request that is refused: HTTP status (400 or 403), a stable code and a reason for
 * people.
 */
public final class StatsRequestException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int status;
  private final String code;

  public StatsRequestException(int status, String code, String message) {
    super(message);
    this.status = status;
    this.code = code;
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }
}
