package nl.veiligpraten.console;

import java.util.List;

/** Closure codes a counselor can choose; statistics count these, never free text. */
public final class Outcomes {

  public static final List<String> CODES =
      List.of("listened", "advice", "referred", "emergency_112", "police_info", "visitor_left", "other");

  private Outcomes() {
  }

  public static boolean valid(String code) {
    return code != null && CODES.contains(code);
  }
}
