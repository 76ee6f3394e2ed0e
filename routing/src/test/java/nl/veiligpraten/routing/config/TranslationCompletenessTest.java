package nl.veiligpraten.routing.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 23: every visitor text Dutch has exists in every language, in all four sources (the page's
 * own texts, the questionnaire, the help points, the rules' why texts), and a missing one stops the
 * start naming the text and the language.
 */
@DisplayName("Every language has every text that Dutch has")
class TranslationCompletenessTest {

  private static final List<String> FILES =
      List.of(
          RoutingConfig.VISITOR_TEXTS_FILE,
          RoutingConfig.QUESTIONNAIRE_FILE,
          RoutingConfig.HELP_POINTS_FILE,
          RoutingConfig.RULES_FILE);

  @TempDir Path dir;

  @Test
  @DisplayName(
      "every visitor text of the bundled configuration is in every language, not blank, with Dutch's placeholders")
  void bundledIsComplete() {
    Map<String, LocalizedText> all = allTexts(RoutingConfig.load(null));
    // the page, Q0..Q9 with variants and answers, 20 help points and the rules: far more than a few
    assertTrue(all.size() > 250, "only " + all.size() + " texts found");
    List<String> missing = new ArrayList<>();
    Pattern ph = Pattern.compile("\\{[^}]*}");
    all.forEach(
        (where, text) -> {
          for (Lang l : Lang.values()) {
            String s = text.get(l);
            if (s == null || s.isBlank()) {
              missing.add(where + ": no '" + l.key() + "'");
            } else if (!placeholders(ph, s).equals(placeholders(ph, text.nl()))) {
              missing.add(where + ": '" + l.key() + "' has other placeholders than Dutch");
            }
          }
        });
    assertEquals(List.of(), missing);
  }

  @Test
  @DisplayName(
      "Arabic, Turkish, Polish and Ukrainian wait for review; Dutch, easy-read and English are reviewed")
  void reviewedFlags() {
    VisitorTexts texts = RoutingConfig.load(null).visitorTexts();
    for (VisitorTexts.Language l : texts.languages()) {
      boolean newLanguage = List.of(Lang.AR, Lang.TR, Lang.PL, Lang.UK).contains(l.lang());
      assertEquals(!newLanguage, l.reviewed(), l.lang().key());
    }
    assertEquals(
        List.of(Lang.NL, Lang.NL_EASY, Lang.EN),
        texts.offered(false).stream().map(VisitorTexts.Language::lang).toList(),
        "production offers");
    assertEquals(
        List.of(Lang.values()),
        texts.offered(true).stream().map(VisitorTexts.Language::lang).toList(),
        "a demo offers");
    assertEquals("rtl", texts.language(Lang.AR).dir());
    assertEquals("ltr", texts.language(Lang.TR).dir());
    assertEquals("العربية", texts.language(Lang.AR).label());
    assertEquals("Українська", texts.language(Lang.UK).label());
  }

  static Stream<Arguments> fileAndLanguage() {
    return FILES.stream()
        .flatMap(
            f -> Stream.of(Lang.values()).filter(l -> l != Lang.NL).map(l -> Arguments.of(f, l)));
  }

  @ParameterizedTest(name = "{0} without one ''{1}'' text")
  @MethodSource("fileAndLanguage")
  @DisplayName(
      "a text missing in one language stops the load, naming the file, the text and the language")
  void missingTranslationFails(String file, Lang lang) throws IOException {
    String original = bundled(file);
    // The first text of the file in this language: a line "<indent>ar: ..." (not the language's own
    // entry).
    Matcher m =
        Pattern.compile("(?m)^(\\s+)" + lang.key() + ": (?!\\{label).*\\n").matcher(original);
    assertTrue(m.find(), "no " + lang.key() + " text in " + file);
    Files.writeString(
        dir.resolve(file), original.substring(0, m.start()) + original.substring(m.end()));
    ConfigException e = assertThrows(ConfigException.class, () -> RoutingConfig.load(dir));
    assertTrue(e.getMessage().contains("missing translation '" + lang.key() + "'"), e.getMessage());
    assertTrue(e.getMessage().contains(file), e.getMessage());
    assertTrue(e.getMessage().contains(", at "), "names the text: " + e.getMessage());
  }

  @Test
  @DisplayName("a translation that drops a placeholder of the Dutch text stops the load")
  void placeholderMismatchFails() throws IOException {
    String original = bundled(RoutingConfig.VISITOR_TEXTS_FILE);
    String broken = original.replace("tr: \"{name} ile sohbet et\"", "tr: \"Sohbet et\"");
    assertFalse(broken.equals(original), "fixture text not found");
    Files.writeString(dir.resolve(RoutingConfig.VISITOR_TEXTS_FILE), broken);
    ConfigException e = assertThrows(ConfigException.class, () -> RoutingConfig.load(dir));
    assertTrue(e.getMessage().contains("texts.chatWith"), e.getMessage());
    assertTrue(
        e.getMessage()
            .contains("translation 'tr' has placeholders [] but the Dutch text has [{name}]"),
        e.getMessage());
  }

  @Test
  @DisplayName(
      "a language without its label, locale or reviewed flag, or a Dutch text not marked reviewed, stops the load")
  void languageEntryChecked() throws IOException {
    String original = bundled(RoutingConfig.VISITOR_TEXTS_FILE);
    Files.writeString(
        dir.resolve(RoutingConfig.VISITOR_TEXTS_FILE),
        original.replace("  pl: {label: Polski, locale: pl-PL, reviewed: false}\n", ""));
    assertTrue(
        assertThrows(ConfigException.class, () -> RoutingConfig.load(dir))
            .getMessage()
            .contains("missing language 'pl'"));
    Files.writeString(
        dir.resolve(RoutingConfig.VISITOR_TEXTS_FILE),
        original.replace(
            "nl: {label: NL, locale: nl-NL, reviewed: true}",
            "nl: {label: NL, locale: nl-NL, reviewed: false}"));
    assertTrue(
        assertThrows(ConfigException.class, () -> RoutingConfig.load(dir))
            .getMessage()
            .contains("reviewed must be true"));
  }

  /** Every LocalizedText of the configuration, by where it is. */
  static Map<String, LocalizedText> allTexts(RoutingConfig config) {
    Map<String, LocalizedText> out = new LinkedHashMap<>();
    config.visitorTexts().texts().forEach((k, t) -> out.put("visitor-texts: " + k, t));
    Questionnaire q = config.questionnaire();
    out.put("questionnaire: talkNow", q.talkNow());
    out.put("questionnaire: skip", q.skip());
    out.put("questionnaire: consent", q.consent());
    for (Questionnaire.Question question : q.questions()) {
      out.put("questionnaire: " + question.id(), question.text());
      question
          .answers()
          .forEach(a -> out.put("questionnaire: " + question.id() + "." + a.code(), a.text()));
      for (int i = 0; i < question.variants().size(); i++) {
        Questionnaire.Variant v = question.variants().get(i);
        String where = "questionnaire: " + question.id() + " variant " + i;
        out.put(where, v.text());
        v.answers().forEach((code, t) -> out.put(where + "." + code, t));
      }
    }
    config
        .helpPoints()
        .byId()
        .values()
        .forEach(h -> out.put("help-points: " + h.id(), h.description()));
    for (Rule r : config.rules().rules()) {
      if (r.why() != null) {
        List<LocalizedText> whys = r.why().values();
        for (int i = 0; i < whys.size(); i++) {
          out.put("routing-rules: " + r.id() + " why " + i, whys.get(i));
        }
      }
      for (Rule.AlsoOffer ao : r.alsoOffer()) {
        if (ao.why() != null) {
          List<LocalizedText> whys = ao.why().values();
          for (int i = 0; i < whys.size(); i++) {
            out.put(
                "routing-rules: " + r.id() + " also " + ao.helpPoint() + " why " + i, whys.get(i));
          }
        }
      }
    }
    if (config.rules().noDeadEnds() != null && config.rules().noDeadEnds().why() != null) {
      out.put("routing-rules: noDeadEnds", config.rules().noDeadEnds().why());
    }
    return out;
  }

  private static java.util.Set<String> placeholders(Pattern p, String s) {
    java.util.Set<String> out = new java.util.TreeSet<>();
    Matcher m = p.matcher(s);
    while (m.find()) {
      out.add(m.group());
    }
    return out;
  }

  private static String bundled(String name) throws IOException {
    try (InputStream in =
        TranslationCompletenessTest.class.getClassLoader().getResourceAsStream("config/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
