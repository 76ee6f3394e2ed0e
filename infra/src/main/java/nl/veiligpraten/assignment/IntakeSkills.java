package nl.veiligpraten.assignment;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Counselor skills a chat would profit from, derived from its intake codes: youth (under 18),
 * perpetrator (worried about own behaviour), easy_language, and the language the visitor used when
 * it is not Dutch (english, arabic, turkish, polish, ukrainian; issue 23). Used as a preference in
 * assignment, never as a hard requirement: a chat in a language nobody on shift speaks still goes
 * to a counselor, and the page says so.
 */
public final class IntakeSkills {

  /**
   * The skill of speaking each non-Dutch visitor language (every counselor reads and writes Dutch),
   * keyed by the page's language key ({@code intake.lang}).
   */
  public static final Map<String, String> LANGUAGE_SKILLS = languageSkills();

  /** Every skill code the console knows. */
  public static final List<String> ALL = all();

  private static Map<String, String> languageSkills() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("en", "english");
    m.put("ar", "arabic");
    m.put("tr", "turkish");
    m.put("pl", "polish");
    m.put("uk", "ukrainian");
    return java.util.Collections.unmodifiableMap(m);
  }

  private static List<String> all() {
    List<String> out = new ArrayList<>(List.of("youth", "perpetrator", "easy_language"));
    out.addAll(LANGUAGE_SKILLS.values());
    return List.copyOf(out);
  }

  private static final Set<String> MINOR_BANDS = Set.of("under12", "12-15", "16-17");

  private IntakeSkills() {}

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
    if (lang instanceof String l && LANGUAGE_SKILLS.containsKey(l)) {
      out.add(LANGUAGE_SKILLS.get(l));
    }
    return out;
  }

  /** The visitor's page language ({@code intake.lang}), or null when absent or unreadable. */
  public static String language(String intakeJson) {
    try {
      JsonObject intake = new JsonObject(intakeJson == null ? "{}" : intakeJson);
      Object lang = intake.getValue("lang");
      if (lang == null && intake.getValue("answers") instanceof JsonObject a) {
        lang = a.getValue("lang");
      }
      return lang instanceof String l ? l : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** The skill of speaking the visitor's language when it is not Dutch, else null. */
  public static String languageSkill(String intakeJson) {
    String lang = language(intakeJson);
    return lang == null ? null : LANGUAGE_SKILLS.get(lang);
  }

  /**
   * The language a counselor with these skills writes in to a visitor who reads {@code
   * visitorLang}: the visitor's own language when the counselor speaks it (Dutch always), else
   * English for a visitor who reads another language and a counselor who writes English, else
   * Dutch.
   */
  public static String writesIn(String visitorLang, java.util.Collection<String> counselorSkills) {
    if (visitorLang == null || "nl".equals(visitorLang) || "nl_easy".equals(visitorLang)) {
      return visitorLang == null ? "nl" : visitorLang;
    }
    String skill = LANGUAGE_SKILLS.get(visitorLang);
    if (skill != null && counselorSkills.contains(skill)) {
      return visitorLang;
    }
    return counselorSkills.contains("english") ? "en" : "nl";
  }

  /** True when the visitor asked for easy language. */
  public static boolean easyLanguage(String intakeJson) {
    return of(intakeJson).contains("easy_language");
  }
}
