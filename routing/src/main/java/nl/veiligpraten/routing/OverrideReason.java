package nl.veiligpraten.routing;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Why a counselor overrode the suggested route (brief §6 "Routing quality": overrides by coded
 * reason). Codes only, so the {@code overrides} statistic never holds free text; the codes match
 * those of the statistics generator.
 */
public enum OverrideReason {
  /** The age the rules used does not fit (e.g. the visitor answered for someone else). */
  AGE_MISMATCH("age_mismatch"),
  /** The role the rules used does not fit (relative, bystander, professional, own behaviour). */
  ROLE_MISMATCH("role_mismatch"),
  /** The setting (home, school, sport, …) turned out different. */
  SETTING_MISMATCH("setting_mismatch"),
  /** More acute than the answers said (recent physical violence, ongoing abuse of a minor). */
  ACUTE("acute"),
  /** Safety: danger now or suicide risk. */
  SAFETY("safety"),
  /** The visitor asked for other help. */
  VISITOR_REQUEST("visitor_request"),
  /** The suggested help point has no capacity or is closed. */
  CAPACITY("capacity"),
  OTHER("other");

  private final String code;

  OverrideReason(String code) {
    this.code = code;
  }

  public String code() {
    return code;
  }

  public static Optional<OverrideReason> of(String code) {
    return Arrays.stream(values()).filter(r -> r.code.equals(code)).findFirst();
  }

  /** Every code, in declaration order (for the console's drop-down and error messages). */
  public static List<String> codes() {
    return Arrays.stream(values()).map(OverrideReason::code).toList();
  }
}
