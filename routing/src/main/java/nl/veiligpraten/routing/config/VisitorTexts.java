package nl.veiligpraten.routing.config;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The visitor page's own texts (buttons, screens, notices) and the languages the page knows, from
 * {@code visitor-texts.yaml}: beside the questionnaire, help-point and rule texts, read by the same
 * loader with the same missing-text check ({@link LocalizedText#read}), so one file per kind of
 * text and one rule for all of them.
 *
 * @param languages every {@link Lang} once, in the order the language picker shows them
 * @param texts text key (as the page uses it) to its text in every language
 */
public record VisitorTexts(List<Language> languages, Map<String, LocalizedText> texts) {

  public VisitorTexts {
    languages = List.copyOf(languages);
    texts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(texts));
  }

  /**
   * One language of the page.
   *
   * @param label what the picker shows: its name in its own script (العربية, Türkçe, ...)
   * @param locale BCP 47 tag for times and the document's {@code lang}
   * @param reviewed a native speaker of the organisation checked every text of this language; a
   *     production start offers only reviewed languages, a demo start offers all
   */
  public record Language(Lang lang, String label, String locale, boolean reviewed) {
    /** Text direction of the page in this language. */
    public String dir() {
      return lang.rtl() ? "rtl" : "ltr";
    }
  }

  /**
   * The languages a start offers: reviewed ones in production, all in a demo. Dutch is always
   * offered.
   */
  public List<Language> offered(boolean demo) {
    return languages.stream().filter(l -> demo || l.reviewed() || l.lang() == Lang.NL).toList();
  }

  /** The language's entry. */
  public Language language(Lang lang) {
    return languages.stream().filter(l -> l.lang() == lang).findFirst().orElseThrow();
  }

  static VisitorTexts read(YamlNode root) {
    root.allowOnly("languages", "texts");
    YamlNode langs = root.require("languages").asMap();
    Map<Lang, Language> byLang = new EnumMap<>(Lang.class);
    List<Language> languages = new ArrayList<>();
    for (Map.Entry<String, YamlNode> e : langs.entries().entrySet()) {
      Lang lang =
          Lang.of(e.getKey())
              .orElseThrow(() -> e.getValue().error("unknown language '" + e.getKey() + "'"));
      YamlNode n = e.getValue().asMap().allowOnly("label", "locale", "reviewed");
      YamlNode reviewed = n.require("reviewed");
      Language language =
          new Language(
              lang,
              n.require("label").asNonBlank(),
              n.require("locale").asNonBlank(),
              reviewed.asBool());
      byLang.put(lang, language);
      languages.add(language);
    }
    for (Lang l : Lang.values()) {
      if (!byLang.containsKey(l)) {
        throw langs.error("missing language '" + l.key() + "'");
      }
    }
    if (!byLang.get(Lang.NL).reviewed()) {
      throw langs
          .require("nl")
          .error(
              "Dutch is the language every text is written in first: reviewed must be " + "true");
    }
    Map<String, LocalizedText> texts = new LinkedHashMap<>();
    for (Map.Entry<String, YamlNode> e : root.require("texts").asMap().entries().entrySet()) {
      texts.put(e.getKey(), LocalizedText.read(e.getValue()));
    }
    return new VisitorTexts(languages, texts);
  }
}
