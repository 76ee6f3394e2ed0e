package nl.veiligpraten.routing.conversation;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Optional coded tags a counselor adds to a closed chat (brief §5, e.g. earlier victimisation), at
 * most {@link #MAX_PER_CHAT}; stored in {@code conversation.tags} and counted by the statistics,
 * never free text.
 */
public enum OutcomeTag {
  EARLIER_VICTIMISATION("earlier_victimisation"),
  SUICIDE_RISK("suicide_risk"),
  SAFETY_PLAN("safety_plan"),
  POLICE_REPORT_CONSIDERED("police_report_considered"),
  MEDICAL_HELP_ADVISED("medical_help_advised"),
  RETURNING_VISITOR("returning_visitor"),
  PERPETRATOR_SUPPORT("perpetrator_support"),
  BYSTANDER_ADVICE("bystander_advice");

  /** At most this many tags on one chat. */
  public static final int MAX_PER_CHAT = 5;

  private final String code;

  OutcomeTag(String code) {
    this.code = code;
  }

  /** The code in the database and on the wire. */
  public String code() {
    return code;
  }

  /** The tag of a code from outside (a console frame), or empty when it is none. */
  public static Optional<OutcomeTag> find(String code) {
    return Arrays.stream(values()).filter(t -> t.code.equals(code)).findFirst();
  }

  /** Every tag's code, in the order the console shows them. */
  public static List<String> codes() {
    return Arrays.stream(values()).map(OutcomeTag::code).toList();
  }
}
