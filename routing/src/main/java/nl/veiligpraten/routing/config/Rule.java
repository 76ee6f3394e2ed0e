package nl.veiligpraten.routing.config;

import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import nl.veiligpraten.routing.Priority;

/**
 * One row of the decision table (brief §4.2) as loaded from {@code routing-rules.yaml}.
 *
 * @param trigger {@link Trigger#INTAKE} rules are matched against answers; {@link
 *     Trigger#COUNSELOR} rules (U1) are only applied by a counselor
 * @param condition when the rule fires; {@code null} for counselor rules
 * @param target help point id, possibly depending on the answers; {@code null} for flag-only rules
 *     (R17, R18)
 * @param priority priority, possibly depending on the answers; {@code null} for flag-only rules
 * @param alsoOffer extra help points offered next to the target (see README: separate list, not a
 *     suggestion)
 * @param flags hints for the counselor, e.g. {@code bystander_advice}
 * @param addOn the target is never offered as the only option (R15 police card)
 * @param fallback the general-triage rule (R20): fires when nothing else routes, or for talk-now
 * @param why visitor text, possibly depending on the answers (role and age of the reader)
 * @param rankBefore at equal priority this rule's route is shown before that rule's (R6 Halt before
 *     R5 Stop it Now for a minor); {@code null} = table order
 */
public record Rule(
    String id,
    Trigger trigger,
    Condition condition,
    Choice<String> target,
    Choice<Priority> priority,
    Choice<LocalizedText> why,
    String source,
    List<AlsoOffer> alsoOffer,
    Set<String> flags,
    boolean addOn,
    boolean fallback,
    String rankBefore) {

  /** Who applies the rule. */
  public enum Trigger {
    INTAKE,
    COUNSELOR
  }

  /** An extra help point, optionally only when {@code when} matches. */
  public record AlsoOffer(String helpPoint, Condition when, Choice<LocalizedText> why) {}

  static final Pattern ID = Pattern.compile("([UR])(\\d+)");

  /** Table order: all U rules before R rules, then by number (so R2 before R10). */
  public static final Comparator<String> ID_ORDER =
      Comparator.comparing((String id) -> idMatcher(id).group(1).equals("U") ? 0 : 1)
          .thenComparingInt(id -> Integer.parseInt(idMatcher(id).group(2)));

  public Rule {
    alsoOffer = List.copyOf(alsoOffer);
    flags = Set.copyOf(flags);
  }

  private static Matcher idMatcher(String id) {
    Matcher m = ID.matcher(id);
    if (!m.matches()) {
      throw new IllegalArgumentException("rule ids look like U0 or R12, got " + id);
    }
    return m;
  }
}
