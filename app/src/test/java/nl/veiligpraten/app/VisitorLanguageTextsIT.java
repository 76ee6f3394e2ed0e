package nl.veiligpraten.app;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 23, fast on a poor connection: the page's first HTML carries the texts of Dutch, easy-read
 * Dutch and English only (the picker's labels of every offered language); another language's texts
 * come from {@code GET /texts/<code>} when the visitor picks it; a language the start does not
 * offer is a 404 there (a production start offers only its reviewed languages: {@code
 * VisitorPageTest} checks that posture, as a production app cannot start in a test without a key
 * store passphrase in the environment). Real server, real headless Chromium.
 */
@DisplayName(
    "Visitor page languages: inlined Dutch and English, other languages fetched when picked")
class VisitorLanguageTextsIT {

  @TempDir static Path dataDir;
  static RunningApp app;
  static Vertx client;
  static VisitorBrowser browser;

  @BeforeAll
  static void setUp() throws Exception {
    app = TestApp.start(AppSettings.forTest(dataDir));
    client = Vertx.vertx();
    browser = new VisitorBrowser();
  }

  @AfterAll
  static void tearDown() throws Exception {
    browser.close();
    client.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    app.stopBlocking();
  }

  private static HttpResponse<Buffer> get(int port, String path) throws Exception {
    return WebClient.create(client)
        .get(port, "127.0.0.1", path)
        .send()
        .toCompletionStage()
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
  }

  private static JsonObject dataBlock(String html) {
    Matcher m =
        Pattern.compile("(?s)<script type=\"application/json\" id=\"vp-page\">(.*?)</script>")
            .matcher(html);
    assertTrue(m.find(), "the page has its data block");
    return new JsonObject(m.group(1));
  }

  @Test
  @DisplayName(
      "the first HTML of a demo start offers seven languages but carries the texts of nl, nl_easy and en only; "
          + "/texts/ar carries Arabic only, no-store; an unknown language is a 404")
  void firstHtmlCarriesOnlyInlinedLanguages() throws Exception {
    HttpResponse<Buffer> page = get(app.visitorPort(), "/");
    JsonObject block = dataBlock(page.bodyAsString());
    assertEquals(
        7, block.getJsonArray("languages").size(), "the picker offers every demo language");
    assertEquals(
        java.util.Set.of("nl", "nl_easy", "en"),
        block.getJsonObject("texts").getJsonObject("exit").fieldNames());
    assertEquals(
        java.util.Set.of("nl", "nl_easy", "en"),
        block.getJsonArray("questions").getJsonObject(0).getJsonObject("text").fieldNames());
    assertFalse(page.bodyAsString().contains("خروج سريع"), "no Arabic text in the first HTML");

    HttpResponse<Buffer> ar = get(app.visitorPort(), "/texts/ar");
    assertEquals(200, ar.statusCode());
    assertEquals("no-store", ar.getHeader("Cache-Control"));
    JsonObject texts = ar.bodyAsJsonObject();
    assertEquals("ar", texts.getString("lang"));
    assertEquals(
        new JsonObject().put("ar", "خروج سريع"),
        texts.getJsonObject("texts").getJsonObject("exit"));
    assertEquals(
        java.util.Set.of("ar"),
        texts.getJsonArray("questions").getJsonObject(0).getJsonObject("text").fieldNames());

    HttpResponse<Buffer> unknown = get(app.visitorPort(), "/texts/xx");
    assertEquals(404, unknown.statusCode());
    assertEquals("language_not_offered", unknown.bodyAsJsonObject().getString("error"));
  }

  @Test
  @DisplayName(
      "picking Arabic fetches /texts/ar once and shows the question in Arabic, right to left; back to NL "
          + "needs no request")
  void pickingALanguageFetchesIt() throws Exception {
    try (BrowserContext context = browser.phone()) {
      Page page = context.newPage();
      List<String> requests = new CopyOnWriteArrayList<>();
      page.onRequest(r -> requests.add(r.url().replaceFirst("^https?://[^/]+", "")));
      page.navigate("http://127.0.0.1:" + app.visitorPort() + "/");
      page.waitForFunction("() => window.VP_STARTED === true");
      page.locator("button[data-lang=en]").click();
      assertThat(page.locator("html")).hasAttribute("lang", "en");
      assertFalse(
          requests.stream().anyMatch(r -> r.startsWith("/texts/")),
          "English is inline: " + requests);
      page.locator("button[data-lang=ar]").click();
      assertThat(page.locator("html")).hasAttribute("dir", "rtl");
      assertThat(page.locator("button[data-lang=ar]")).hasAttribute("aria-pressed", "true");
      assertThat(page.locator("#screen-title")).hasText("هل أنت أو شخص آخر في خطر الآن؟");
      assertThat(page.locator("#lang-status")).hasCount(0);
      page.locator("button[data-lang=nl]").click();
      assertThat(page.locator("#screen-title"))
          .hasText("Ben jij of is iemand anders nu in gevaar?");
      page.locator("button[data-lang=ar]").click();
      assertThat(page.locator("html")).hasAttribute("dir", "rtl");
      assertEquals(
          List.of("/texts/ar"), requests.stream().filter(r -> r.startsWith("/texts/")).toList());
    }
  }

  @Test
  @DisplayName(
      "when a language cannot be loaded the page keeps its language, stays usable and says so")
  void failedLoadKeepsTheLanguage() throws Exception {
    try (BrowserContext context = browser.phone()) {
      Page page = context.newPage();
      page.route("**/texts/tr", route -> route.abort());
      page.navigate("http://127.0.0.1:" + app.visitorPort() + "/");
      page.waitForFunction("() => window.VP_STARTED === true");
      page.locator("button[data-lang=tr]").click();
      assertThat(page.locator("#lang-status"))
          .hasText(
              "Die taal kon niet geladen worden. De pagina blijft in deze "
                  + "taal. Probeer het later opnieuw.");
      assertThat(page.locator("button[data-lang=nl]")).hasAttribute("aria-pressed", "true");
      assertThat(page.locator("button[data-lang=tr]")).hasAttribute("aria-pressed", "false");
      assertThat(page.locator("html")).hasAttribute("lang", "nl");
      // still usable: the first question answers as before
      page.locator("button[data-code=no]").click();
      assertThat(page.locator("#screen-title"))
          .not()
          .hasText("Ben jij of is iemand anders nu in gevaar?");
    }
  }
}
