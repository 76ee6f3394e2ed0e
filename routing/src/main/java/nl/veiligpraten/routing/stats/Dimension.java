package nl.veiligpraten.routing.stats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import nl.veiligpraten.routing.IntakeCodes;

/**
 * A split of a figure. Codes come from the intake contract ({@link IntakeCodes}) or the
 * queue/closure codes, never from free text. {@link #NONE} means "no split" (one column {@code n}).
 */
public enum Dimension {
  NONE("none", List.of("n")),
  ROLE("role", withUnknown(IntakeCodes.question("Q1").codes())),
  AGE_BAND("age_band", withUnknown(IntakeCodes.question("Q2").codes())),
  SETTING("setting", withUnknown(IntakeCodes.question("Q5").codes())),
  PRIORITY("priority", List.of("P0", "P1", "P2", "P3")),
  LANG("lang", List.of("nl", "nl_easy", "en", "unknown")),
  /** "Hoe ben je hier terechtgekomen?" (intake question QF, optional). */
  CAME_FROM(
      "came_from",
      List.of("gp", "school", "police", "friend_family", "search", "campaign", "other", "unknown")),
  /** Values come from the help points that occur (configuration owns the list). */
  HELP_POINT("help_point", List.of()),
  /** Closure codes that occur (the console owns the list). */
  OUTCOME("outcome", List.of()),
  /**
   * Issue 19: how the case came in, a chat in a queue or a message left by code. Every other split
   * counts chats only; this one puts messages beside them (inflow, time to first answer).
   */
  CHANNEL("channel", List.of("chat", "message"));

  /** Label of a case without an answer (skipped, or an old row without the field). */
  public static final String UNKNOWN = "unknown";

  private final String code;
  private final List<String> fixedValues;

  Dimension(String code, List<String> fixedValues) {
    this.code = code;
    this.fixedValues = fixedValues;
  }

  public String code() {
    return code;
  }

  /** Known values in display order; empty when the values come from the data. */
  public List<String> fixedValues() {
    return fixedValues;
  }

  public static Optional<Dimension> parse(String code) {
    return Arrays.stream(values()).filter(d -> d.code.equals(code)).findFirst();
  }

  public static List<String> codes() {
    return Arrays.stream(values()).map(Dimension::code).toList();
  }

  private static List<String> withUnknown(List<String> codes) {
    List<String> out = new ArrayList<>(codes);
    if (!out.contains(UNKNOWN)) {
      out.add(UNKNOWN);
    }
    return List.copyOf(out);
  }
}
