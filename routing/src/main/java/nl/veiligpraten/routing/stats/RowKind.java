package nl.veiligpraten.routing.stats;

/** What the rows of a figure are. */
public enum RowKind {
  /** Time buckets of the requested granularity. */
  TIME("time"),
  /** Help points (for referrals: from → to pairs). */
  HELP_POINT("help_point");

  private final String code;

  RowKind(String code) {
    this.code = code;
  }

  public String code() {
    return code;
  }
}
