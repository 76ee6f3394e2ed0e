package nl.veiligpraten.console;

import java.util.List;

/** Closure codes and optional coded tags a counselor can choose; statistics count these, never free text. */
public final class Outcomes {

  public static final List<String> CODES =
      List.of("listened", "advice", "referred", "emergency_112", "police_info", "visitor_left", "other");

  /** Optional coded tags on a closed chat (brief §5: e.g. earlier victimisation), at most {@link #MAX_TAGS}. */
  public static final List<String> TAGS = List.of("earlier_victimisation", "suicide_risk", "safety_plan",
      "police_report_considered", "medical_help_advised", "returning_visitor", "perpetrator_support",
      "bystander_advice");

  public static final int MAX_TAGS = 5;

  private Outcomes() {
  }

  public static boolean valid(String code) {
    return code != null && CODES.contains(code);
  }

  public static boolean validTag(String tag) {
    return tag != null && TAGS.contains(tag);
  }
}
