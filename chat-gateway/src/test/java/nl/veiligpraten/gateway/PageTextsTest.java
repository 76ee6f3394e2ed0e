package nl.veiligpraten.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import nl.veiligpraten.routing.config.LocalizedText;
import nl.veiligpraten.routing.config.RoutingConfig;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Issue 23: the page's texts live in visitor-texts.yaml (where the loader checks every language);
 * this checks the page asks only for texts that are there, so no screen falls back to a key or to
 * Dutch in another language.
 */
@DisplayName("The visitor page's texts")
class PageTextsTest {

  private static final RoutingConfig CONFIG = RoutingConfig.load(null);

  @Test
  @DisplayName("every text key the page uses is in visitor-texts.yaml, in every language")
  void everyKeyIsConfigured() throws IOException {
    String js = resource("webroot/visitor/app.js");
    Set<String> used = new TreeSet<>();
    Matcher direct = Pattern.compile("[^A-Za-z.]t\\(\\s*'([A-Za-z0-9_]+)'\\s*[,)]").matcher(js);
    while (direct.find()) {
      used.add(direct.group(1));
    }
    Matcher either =
        Pattern.compile("[^A-Za-z.]t\\([^()']*\\?\\s*'([A-Za-z0-9_]+)'\\s*:\\s*'([A-Za-z0-9_]+)'")
            .matcher(js);
    while (either.find()) {
      used.add(either.group(1));
      used.add(either.group(2));
    }
    // Keys the page builds: t('line_' + channel), t('day_' + day), t(cost).
    for (String c : List.of("queue", "phone", "chat")) {
      used.add("line_" + c);
    }
    for (String d : List.of("mon", "tue", "wed", "thu", "fri", "sat", "sun")) {
      used.add("day_" + d);
    }
    used.add("free");
    used.add("paid");
    assertTrue(
        used.size() > 100,
        "only " + used.size() + " keys found: the pattern no longer matches the page");
    List<String> missing = new ArrayList<>();
    for (String key : used) {
      if (!CONFIG.visitorTexts().texts().containsKey(key)) {
        missing.add(key);
      }
    }
    assertEquals(List.of(), missing, "used by app.js but not in visitor-texts.yaml");
  }

  @Test
  @DisplayName(
      "the page's Dutch fallback for an unreadable data block says exactly what the configuration says")
  void fallbackMatchesConfiguration() throws IOException {
    String js = resource("webroot/visitor/app.js");
    int from = js.indexOf("var FALLBACK = {");
    String block = js.substring(from, js.indexOf("};", from));
    Matcher m = Pattern.compile("(\\w+): '([^']*)'").matcher(block);
    int n = 0;
    while (m.find()) {
      LocalizedText text = CONFIG.visitorTexts().texts().get(m.group(1));
      assertTrue(text != null, m.group(1));
      assertEquals(text.nl(), m.group(2), m.group(1));
      n++;
    }
    assertTrue(n >= 8, "fallback entries found: " + n);
  }

  @Test
  @DisplayName(
      "the page texts carry only the offered languages: reviewed ones in production, all in a demo")
  void offeredLanguagesOnly() {
    JsonObject production = new EngineIntakeRouting(CONFIG, Clock.systemUTC(), false).pageTexts();
    assertEquals(
        List.of("nl", "nl_easy", "en"),
        production.getJsonArray("languages").stream()
            .map(l -> ((JsonObject) l).getString("code"))
            .toList());
    assertEquals(
        Set.of("nl", "nl_easy", "en"),
        production.getJsonObject("texts").getJsonObject("exit").fieldNames());
    JsonObject demo = new EngineIntakeRouting(CONFIG, Clock.systemUTC(), true).pageTexts();
    assertEquals(
        List.of("nl", "nl_easy", "en", "ar", "tr", "pl", "uk"),
        demo.getJsonArray("languages").stream()
            .map(l -> ((JsonObject) l).getString("code"))
            .toList());
    JsonObject ar = demo.getJsonArray("languages").getJsonObject(3);
    assertEquals("rtl", ar.getString("dir"));
    assertEquals(false, ar.getBoolean("reviewed"));
    assertEquals("خروج سريع", demo.getJsonObject("texts").getJsonObject("exit").getString("ar"));
    // the questionnaire follows the same rule
    JsonObject q0Production =
        new EngineIntakeRouting(CONFIG, Clock.systemUTC(), false)
            .publicConfig()
            .getJsonArray("questions")
            .getJsonObject(0)
            .getJsonObject("text");
    assertEquals(Set.of("nl", "nl_easy", "en"), q0Production.fieldNames());
    JsonObject q0Demo =
        new EngineIntakeRouting(CONFIG, Clock.systemUTC(), true)
            .publicConfig()
            .getJsonArray("questions")
            .getJsonObject(0)
            .getJsonObject("text");
    assertEquals("Sen ya da başka biri şu anda tehlikede mi?", q0Demo.getString("tr"));
  }

  private static String resource(String path) throws IOException {
    try (InputStream in = PageTextsTest.class.getClassLoader().getResourceAsStream(path)) {
      assertTrue(in != null, path);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
