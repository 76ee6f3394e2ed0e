package nl.veiligpraten.infra.bus;

/**
 * A bus note that cannot be read: an unknown kind (a node of another version, or a programming
 * error) or a missing or malformed field. The message names the kind and the field, never a value
 * from a message.
 */
public final class BusNoteException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  public BusNoteException(String message) {
    super(message);
  }

  /**
   * A code from the wire, reduced so it can go into a log line: letters, digits, '_' and '-', at
   * most 40.
   */
  static String printable(String code) {
    if (code == null) {
      return "(none)";
    }
    String kept = code.replaceAll("[^A-Za-z0-9_-]", "?");
    return kept.length() > 40 ? kept.substring(0, 40) + "…" : kept;
  }
}
