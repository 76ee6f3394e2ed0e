package nl.veiligpraten.routing.conversation;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * How a conversation ended: the code stored in {@code conversation.outcome} and counted by the
 * statistics (never free text). Counselors choose from {@link #counselorChoices()}; the other codes
 * are written by the visitor's page, the service's sweeps or a supervisor.
 */
public enum Outcome {

  /** The counselor listened. */
  LISTENED("listened"),
  /** The counselor gave advice. */
  ADVICE("advice"),
  /** The counselor referred the visitor to other help. */
  REFERRED("referred"),
  /** Emergency: the counselor pointed to 112. */
  EMERGENCY_112("emergency_112"),
  /** The counselor informed the visitor about reporting to the police. */
  POLICE_INFO("police_info"),
  /** The visitor left: chosen by a counselor, or written when the visitor ends the chat. */
  VISITOR_LEFT("visitor_left"),
  /** Something else (the counselor's choice). */
  OTHER("other"),
  /** The visitor left in a hurry (quick exit). */
  VISITOR_LEFT_HURRY("visitor_left_hurry"),
  /**
   * The visitor's line stayed away longer than the queue grace before a counselor took the chat.
   */
  ABANDONED("abandoned"),
  /** A left message had no new message for the inbox lifetime. */
  INBOX_EXPIRED("inbox_expired"),
  /**
   * A supervisor closed a burst of abusive chats ({@code "misbruik"}, the code the console has
   * always sent).
   */
  ABUSE("misbruik");

  private final String code;

  Outcome(String code) {
    this.code = code;
  }

  /** The code in the database and on the wire, e.g. {@code "listened"}. */
  public String code() {
    return code;
  }

  /**
   * The outcome of a stored code.
   *
   * @throws IllegalArgumentException for a code that is not an outcome (including {@code null})
   */
  public static Outcome fromCode(String code) {
    return find(code)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "unknown outcome '"
                        + code
                        + "', expected one of "
                        + Arrays.stream(values()).map(Outcome::code).toList()));
  }

  /** The outcome of a code from outside (a console frame), or empty when it is none. */
  public static Optional<Outcome> find(String code) {
    return Arrays.stream(values()).filter(o -> o.code.equals(code)).findFirst();
  }

  /**
   * Whether a counselor may choose this outcome when closing a chat or recording a pending outcome.
   */
  public boolean counselorMayChoose() {
    return switch (this) {
      case LISTENED, ADVICE, REFERRED, EMERGENCY_112, POLICE_INFO, VISITOR_LEFT, OTHER -> true;
      case VISITOR_LEFT_HURRY, ABANDONED, INBOX_EXPIRED, ABUSE -> false;
    };
  }

  /** The outcomes a counselor chooses from, in the order the console shows them. */
  public static List<Outcome> counselorChoices() {
    return Arrays.stream(values()).filter(Outcome::counselorMayChoose).toList();
  }

  /** The codes of {@link #counselorChoices()}, as the console's hello frame lists them. */
  public static List<String> counselorCodes() {
    return counselorChoices().stream().map(Outcome::code).toList();
  }

  /** The outcome a counselor sent, or empty when it is missing, unknown or not theirs to choose. */
  public static Optional<Outcome> counselorChoice(String code) {
    return find(code).filter(Outcome::counselorMayChoose);
  }
}
