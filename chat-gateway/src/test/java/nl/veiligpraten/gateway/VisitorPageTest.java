package nl.veiligpraten.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName(
    "The visitor page as served: rendered first question, data block, hashes, compacted script")
class VisitorPageTest {

  private static final EngineIntakeRouting ROUTING = EngineIntakeRouting.load(null);

  private static VisitorPage page() {
    return VisitorPage.render(
        ROUTING.publicConfig(),
        "https://www.buienradar.nl/",
        new JsonObject().put("pingSeconds", 15).put("pongTimeoutSeconds", 10),
        ROUTING.pageTexts());
  }

  private static String sha256(String s) throws Exception {
    return Base64.getEncoder()
        .encodeToString(
            MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  @DisplayName(
      "compacting drops comment lines, block comments, blank lines and indentation and keeps every code line")
  void compact() {
    String js =
        "/**\n * doc\n */\nfunction a() {\n  // why\n  var u = 'http://x/y'; // keep\n\n  return u;\n}\n"
            + "  /* one line */\n  b();\n";
    assertEquals(
        "function a() {\nvar u = 'http://x/y'; // keep\nreturn u;\n}\nb();\n",
        VisitorPage.compact(js));
  }

  @Test
  @DisplayName(
      "Q0 and its answers are in the HTML, escaped; the inline style and boot are allowed by exactly their "
          + "hashes; the data block holds the questionnaire and cannot end early")
  void rendered() throws Exception {
    VisitorPage page = page();
    String html = page.html();
    assertTrue(
        html.contains(
            "<h1 id=\"screen-title\" tabindex=\"-1\">Ben jij of is iemand anders nu in gevaar?</h1>"),
        html);
    assertTrue(
        html.contains(
            "<button type=\"button\" class=\"btn\" data-code=\"yes\">Ja, er is nu gevaar</button>"));
    assertTrue(html.contains("href=\"tel:112\""));
    assertFalse(html.contains("{{"));
    assertFalse(html.contains("<!--"));
    Matcher inline = Pattern.compile("(?s)<(script|style)>(.*?)</\\1>").matcher(html);
    int n = 0;
    while (inline.find()) {
      n++;
      assertTrue(
          page.csp()
              .contains(inline.group(1) + "-src 'self' 'sha256-" + sha256(inline.group(2)) + "'"),
          page.csp());
    }
    assertEquals(2, n);
    assertFalse(page.csp().contains("unsafe"));
    Matcher data =
        Pattern.compile("(?s)<script type=\"application/json\" id=\"vp-page\">(.*?)</script>")
            .matcher(html);
    assertTrue(data.find());
    assertFalse(data.group(1).contains("<"), "a '<' in the data block could end it");
    JsonObject block = new JsonObject(data.group(1));
    JsonArray questions = block.getJsonArray("questions");
    assertEquals("Q0", questions.getJsonObject(0).getString("id"));
    assertEquals(ROUTING.publicConfig().getJsonArray("questions"), questions);
    assertEquals("https://www.buienradar.nl/", block.getString("neutralExitUrl"));
    // issue 23: the page's own texts and languages, in a production start only the reviewed ones
    assertEquals("Snel weg", block.getJsonObject("texts").getJsonObject("exit").getString("nl"));
    assertEquals(
        3, block.getJsonArray("languages").size(), block.getJsonArray("languages").encode());
    assertFalse(block.getJsonObject("texts").getJsonObject("exit").containsKey("ar"));
  }

  @Test
  @DisplayName(
      "a demo page inlines the texts of nl, nl_easy and en only and serves every offered language on its "
          + "own; a production page serves no unreviewed one")
  void inlinesOnlyDutchAndEnglish() {
    EngineIntakeRouting demo = EngineIntakeRouting.load(null, java.time.Clock.systemUTC(), true);
    VisitorPage page =
        VisitorPage.render(
            demo.publicConfig(),
            "https://www.buienradar.nl/",
            new JsonObject().put("pingSeconds", 15).put("pongTimeoutSeconds", 10),
            demo.pageTexts());
    Matcher data =
        Pattern.compile("(?s)<script type=\"application/json\" id=\"vp-page\">(.*?)</script>")
            .matcher(page.html());
    assertTrue(data.find());
    JsonObject block = new JsonObject(data.group(1));
    assertEquals(7, block.getJsonArray("languages").size());
    assertEquals(
        java.util.Set.of("nl", "nl_easy", "en"),
        block.getJsonObject("texts").getJsonObject("exit").fieldNames());
    assertEquals(
        java.util.Set.of("nl", "nl_easy", "en"),
        block.getJsonArray("questions").getJsonObject(0).getJsonObject("text").fieldNames());
    assertFalse(data.group(1).contains("\"ar\":\""), "no Arabic text inline");
    JsonObject ar = new JsonObject(page.language("ar").orElseThrow());
    assertEquals("ar", ar.getString("lang"));
    assertEquals(
        new JsonObject().put("ar", "خروج سريع"), ar.getJsonObject("texts").getJsonObject("exit"));
    assertEquals(
        java.util.Set.of("ar"),
        ar.getJsonArray("questions").getJsonObject(0).getJsonObject("text").fieldNames());
    assertTrue(page.language("xx").isEmpty());
    assertTrue(page().language("ar").isEmpty(), "production offers no unreviewed language");
    assertTrue(page().language("en").isPresent());
  }

  @Test
  @DisplayName(
      "the published questionnaire carries showIf and variants in the page's condition form, and no "
          + "question is left to the server with the bundled configuration")
  void pageConditions() {
    JsonArray questions = ROUTING.publicConfig().getJsonArray("questions");
    for (Object o : questions) {
      JsonObject q = (JsonObject) o;
      assertNull(q.getValue("server"), q.getString("id"));
    }
    JsonObject pw =
        questions.stream()
            .map(JsonObject.class::cast)
            .filter(q -> "PW".equals(q.getString("id")))
            .findFirst()
            .orElseThrow();
    assertEquals(
        new JsonObject().put("answer", "Q1").put("in", new JsonArray().add("perpetrator")),
        pw.getJsonObject("showIf"));
    JsonObject q3 =
        questions.stream()
            .map(JsonObject.class::cast)
            .filter(q -> "Q3".equals(q.getString("id")))
            .findFirst()
            .orElseThrow();
    assertEquals(
        new JsonObject()
            .put(
                "not",
                new JsonObject().put("answer", "Q1").put("in", new JsonArray().add("perpetrator"))),
        q3.getJsonObject("showIf"));
  }

  @Test
  @DisplayName(
      "a condition the page cannot evaluate (an age) makes no page form, so the question is the server's")
  void unknownConditionIsTheServers() {
    assertNull(
        EngineIntakeRouting.pageCondition(
            new nl.veiligpraten.routing.config.Condition.AgeIn(0, 11, "x")));
    assertNull(
        EngineIntakeRouting.pageCondition(
            new nl.veiligpraten.routing.config.Condition.Not(
                new nl.veiligpraten.routing.config.Condition.AgeIn(0, 11, "x"))));
  }
}
