package nl.veiligpraten.routing.stats;

/** Whose detail a table shows. */
public enum Scope {
  /** The viewer's own organisation: no suppression, times per hour allowed. */
  OWN,
  /**
   * All organisations together ("chain totals"): shown outside every organisation but one, so
   * suppressed.
   */
  CHAIN
}
