package nl.veiligpraten.infra.assignment;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Counselor skills a chat would profit from, derived from its intake codes: youth (under 18), perpetrator (worried
 * about own behaviour), easy_language and english (the language the visitor used). Used as a preference in
 * assignment, never as a hard requirement.
 */
public final class IntakeSkills {

  /** Every skill code the console knows. */
  public static final List<String> ALL = List.of("youth", "perpetrator", "easy_language", "english");
  private static final Set<String> MINOR_BANDS = Set.of("under12", "12-15", "16-17");

  private IntakeSkills() {
  }

  public static List<String> of(String intakeJson) {
    List<String> out = new ArrayList<>();
    JsonObject answers;
    Object lang;
    try {
      JsonObject intake = new JsonObject(intakeJson == null ? "{}" : intakeJson);
      answers = intake.getValue("answers") instanceof JsonObject a ? a : new JsonObject();
      // The page's reading mode is stored at the top level of the intake (choose frame field lang).
      lang = intake.getValue("lang") != null ? intake.getValue("lang") : answers.getValue("lang");
    } catch (RuntimeException e) {
      return out;
    }
    if (MINOR_BANDS.contains(String.valueOf(answers.getValue("Q2")))) {
      out.add("youth");
    }
    if ("perpetrator".equals(answers.getValue("Q1"))) {
      out.add("perpetrator");
    }
    if ("nl_easy".equals(lang) || Boolean.TRUE.equals(answers.getValue("easy"))) {
      out.add("easy_language");
    }
    if ("en".equals(lang)) {
      out.add("english");
    }
    return out;
  }

  /** True when the visitor asked for easy language. */
  public static boolean easyLanguage(String intakeJson) {
    return of(intakeJson).contains("easy_language");
  }
}
