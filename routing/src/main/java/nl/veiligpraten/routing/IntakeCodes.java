package nl.veiligpraten.routing;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fixed answer-code contract of the intake (brief §4.1).
 *
 * <p>The codes are a contract shared with statistics, the console and the client, so they live in
 * code. The questionnaire file supplies texts, visibility and age-band bounds and is validated
 * against this contract at load time: an organisation can reword a question but cannot silently
 * invent a code that no rule, report or client understands.
 */
public final class IntakeCodes {

  /** Whether a question takes one code or a list of codes. */
  public enum Type {
    SINGLE,
    MULTI
  }

  /** One question of the contract. */
  public record QuestionSpec(String id, Type type, List<String> codes) {
    public QuestionSpec {
      codes = List.copyOf(codes);
    }
  }

  /** Key of the "Ik wil meteen met iemand praten" flag in an answers map. */
  public static final String TALK_NOW = "talk_now";

  /** The question whose bands give the age of the person it happened to. */
  public static final String AGE_QUESTION = "Q2";

  /** The safety question; "yes" means emergency (U0). */
  public static final String DANGER_QUESTION = "Q0";

  /** Answer of {@link #DANGER_QUESTION} that triggers the emergency flag. */
  public static final String DANGER_YES = "yes";

  private static final Map<String, QuestionSpec> QUESTIONS = new LinkedHashMap<>();

  /**
   * The question with the asker's own age (relatives and bystanders), same bands as {@link
   * #AGE_QUESTION}.
   */
  public static final String ASKER_AGE_QUESTION = "QA";

  /** The role question. */
  public static final String ROLE_QUESTION = "Q1";

  /**
   * Optional last question "Hoe ben je hier terechtgekomen?"; read by statistics only, never by
   * rules.
   */
  public static final String FOUND_US_QUESTION = "QF";

  static {
    // Intake order. Existing ids and codes keep their meaning (stored decisions, statistics, API
    // clients);
    // new facts get new ids (v2: PW, QA, QF) or new codes (Q4 unknown).
    add("Q0", Type.SINGLE, "yes", "no", "unknown");
    add(
        "Q1",
        Type.SINGLE,
        "victim",
        "relative",
        "bystander",
        "perpetrator",
        "professional",
        "rather_not");
    // PW: what a person worried about their own behaviour is worried about (replaces Q3-Q6 on that
    // path)
    add("PW", Type.SINGLE, "feelings", "did_something", "online_images", "unknown");
    add("P1", Type.SINGLE, "yes", "no", "unknown");
    add("Q2", Type.SINGLE, "under12", "12-15", "16-17", "18-24", "25plus", "unknown", "rather_not");
    add("QA", Type.SINGLE, "under12", "12-15", "16-17", "18-24", "25plus", "unknown", "rather_not");
    add("Q3", Type.SINGLE, "today", "week", "older", "ongoing", "unknown");
    add(
        "Q4",
        Type.MULTI,
        "physical",
        "verbal",
        "online",
        "sextortion",
        "question",
        "unknown",
        "rather_not");
    add(
        "Q5",
        Type.SINGLE,
        "home",
        "partner",
        "education",
        "work",
        "sport",
        "culture_media",
        "religion",
        "care",
        "street",
        "online",
        "elsewhere",
        "rather_not");
    add("Q6", Type.SINGLE, "yes", "no", "unknown", "rather_not");
    add("Q7", Type.MULTI, "listen", "advice", "medical", "report", "police", "unknown");
    add("B1_sector", Type.SINGLE, "education", "care", "sport", "culture_media", "other");
    add("B1_suspicion", Type.SINGLE, "yes", "no", "unknown");
    add(
        "QF",
        Type.SINGLE,
        "gp",
        "school",
        "police",
        "friend_family",
        "search",
        "campaign",
        "other");
  }

  private IntakeCodes() {}

  private static void add(String id, Type type, String... codes) {
    QUESTIONS.put(id, new QuestionSpec(id, type, List.of(codes)));
  }

  /** All questions in intake order. */
  public static Map<String, QuestionSpec> questions() {
    return java.util.Collections.unmodifiableMap(QUESTIONS);
  }

  /** The spec of a question, or {@code null} when the id is not part of the intake. */
  public static QuestionSpec question(String id) {
    return QUESTIONS.get(id);
  }
}
