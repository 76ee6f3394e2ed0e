package nl.veiligpraten.gateway;

/** A frame the gateway refuses, with a stable code and a human explanation. */
public final class FrameException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String code;

  public FrameException(String code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  public String code() {
    return code;
  }
}
