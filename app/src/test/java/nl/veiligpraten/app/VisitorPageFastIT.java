package nl.veiligpraten.app;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Route;
import com.microsoft.playwright.assertions.LocatorAssertions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The visitor page on a poor connection (issue 23): the first question is in the static HTML and
 * can be tapped before app.js has arrived, and the next questions are decided on the page from the
 * published questionnaire, the same ones the server would send. Figures under throttling are in
 * {@code ./bench page}, not here.
 */
@DisplayName("Visitor page fast on a poor connection, in headless Chromium")
class VisitorPageFastIT {

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

  private static String url() {
    return "http://127.0.0.1:" + app.visitorPort() + "/";
  }

  /**
   * The screen's visible text and its buttons (code or id), as a visitor and a test can compare
   * them.
   */
  private static String screenShape(Page page) {
    return (String)
        page.evaluate(
            "() => { const s = document.getElementById('screen');"
                + " return s.innerText.trim() + '\\n' + [...s.querySelectorAll('button, a')].map(b => b.tagName + ':'"
                + " + (b.getAttribute('data-code') || b.id || b.getAttribute('href'))).join(','); }");
  }

  @Test
  @DisplayName(
      "without JavaScript the first question, its answers and the 112 line are on the screen, and app.js "
          + "draws exactly the same screen (text, buttons, links) when it takes over")
  void firstQuestionInStaticHtml() throws Exception {
    String staticShape;
    try (BrowserContext context =
        browser.browser.newContext(
            new Browser.NewContextOptions()
                .setViewportSize(390, 844)
                .setJavaScriptEnabled(false))) {
      Page page = context.newPage();
      page.navigate(url());
      assertThat(page.locator("#screen-title"))
          .hasText("Ben jij of is iemand anders nu in gevaar?");
      assertThat(page.locator("#screen button[data-code=yes]")).hasText("Ja, er is nu gevaar");
      assertThat(page.locator("#screen button[data-code=no]")).isVisible();
      assertThat(page.locator("#screen a[href='tel:112']")).isVisible();
      staticShape = screenShape(page);
    }
    try (BrowserContext context = browser.phone()) {
      Page page = context.newPage();
      List<String> requests = new CopyOnWriteArrayList<>();
      page.onRequest(r -> requests.add(r.url()));
      page.navigate(url());
      page.waitForFunction("() => window.VP_STARTED === true");
      assertEquals(staticShape, screenShape(page));
      // One document and app.js: style, first question, data and boot come inline; no /api/config
      // for the intake.
      assertEquals(
          List.of(url(), url() + "app.js"),
          requests.stream().filter(u -> !u.startsWith("data:")).toList());
    }
  }

  @Test
  @DisplayName(
      "a tap on the first question before app.js has arrived is kept and carried out when it arrives, and "
          + "Snel weg works before it")
  void tapBeforeTheScript() throws Exception {
    for (String code : List.of("no", "yes")) {
      try (BrowserContext context = browser.phone()) {
        Page page = context.newPage();
        List<Route> held = new CopyOnWriteArrayList<>();
        // The network holds app.js back, as a slow connection would; the page's code itself is
        // unchanged.
        page.route("**/app.js", route -> held.add(route));
        // DOMContentLoaded waits for the deferred app.js: wait for the boot script's mark instead.
        page.navigate(
            url(),
            new Page.NavigateOptions()
                .setWaitUntil(com.microsoft.playwright.options.WaitUntilState.COMMIT));
        page.waitForFunction("() => performance.getEntriesByName('vp-tappable').length === 1");
        page.locator("#screen button[data-code=" + code + "]").click();
        assertThat(page.locator("#screen button[data-code=" + code + "]"))
            .hasClass(java.util.regex.Pattern.compile("tapped"));
        assertFalse(
            (Boolean) page.evaluate("() => window.VP_STARTED === true"),
            "app.js ran before it was released");
        page.waitForCondition(() -> !held.isEmpty());
        held.forEach(Route::resume);
        if ("no".equals(code)) {
          assertThat(page.locator("#screen-title"))
              .hasText(
                  "Waarover wil je praten?",
                  new LocatorAssertions.HasTextOptions().setTimeout(10_000));
        } else {
          assertThat(page.locator("#screen[data-screen=emergency] #call-112"))
              .isVisible(new LocatorAssertions.IsVisibleOptions().setTimeout(10_000));
        }
      }
    }
    try (BrowserContext context = browser.phone()) {
      Page page = context.newPage();
      page.route(
          "**/app.js",
          route -> {
            /* never arrives */
          });
      // DOMContentLoaded waits for the deferred app.js: wait for the boot script's mark instead.
      page.navigate(
          url(),
          new Page.NavigateOptions()
              .setWaitUntil(com.microsoft.playwright.options.WaitUntilState.COMMIT));
      page.waitForFunction("() => performance.getEntriesByName('vp-tappable').length === 1");
      page.locator("#exit").click();
      page.waitForURL(u -> !u.startsWith(url()));
      assertFalse(page.url().startsWith(url()), page.url());
    }
  }

  /**
   * The questions the server sends for these answers, one after the other (POST /api/intake, like
   * the socket).
   */
  private static List<String> serverPath(WebClient web, JsonObject answers, List<String> order)
      throws Exception {
    List<String> path = new ArrayList<>();
    String after = "Q0";
    JsonObject given = new JsonObject().put("Q0", "no");
    for (int i = 0; i < 20; i++) {
      JsonObject reply =
          web.post(app.visitorPort(), "127.0.0.1", "/api/intake")
              .putHeader("Origin", "http://127.0.0.1:" + app.visitorPort())
              .sendJsonObject(new JsonObject().put("answers", given.copy()).put("after", after))
              .toCompletionStage()
              .toCompletableFuture()
              .get(10, TimeUnit.SECONDS)
              .bodyAsJsonObject();
      if (!"question".equals(reply.getString("type"))) {
        path.add(reply.getString("type"));
        return path;
      }
      JsonObject q = reply.getJsonObject("question");
      path.add(
          q.getString("id")
              + " "
              + q.getInteger("index")
              + "/"
              + q.getInteger("total")
              + " "
              + q.getJsonObject("text").getString("nl")
              + " ["
              + q.getJsonArray("answers").stream()
                  .map(a -> ((JsonObject) a).getJsonObject("text").getString("nl"))
                  .reduce((a, b) -> a + "|" + b)
                  .orElse("")
              + "]");
      after = q.getString("id");
      if (answers.containsKey(after)) {
        given.put(after, answers.getValue(after));
      }
      order.add(after);
    }
    throw new AssertionError("no end after 20 questions: " + path);
  }

  @Test
  @DisplayName(
      "for every answer to 'Waarover wil je praten?' the page shows the same questions, texts, numbers and "
          + "answers as the server would send, sends no answers frame until the last one, and ends on the suggestions")
  void pageDecidesTheSameQuestionsAsTheServer() throws Exception {
    WebClient web = WebClient.create(client);
    for (String role :
        List.of("victim", "relative", "bystander", "perpetrator", "professional", "rather_not")) {
      JsonObject answers = new JsonObject().put("Q1", role);
      List<String> order = new ArrayList<>();
      List<String> expected = serverPath(web, answers, order);
      try (BrowserContext context = browser.phone()) {
        Page page = context.newPage();
        List<String> sent = new CopyOnWriteArrayList<>();
        page.onWebSocket(ws -> ws.onFrameSent(f -> sent.add(f.text())));
        page.navigate(url());
        page.locator("#screen button[data-code=no]").click();
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
          page.waitForSelector("#screen[data-screen=question], #screen[data-screen=suggestions]");
          if (page.locator("#screen[data-screen=suggestions]").count() > 0) {
            seen.add("suggestions");
            break;
          }
          String id = page.locator("#screen").getAttribute("data-question");
          String progress = page.locator("#screen .progress").textContent();
          seen.add(
              id
                  + " "
                  + progress.replace("Vraag ", "")
                  + " "
                  + page.locator("#screen-title").textContent()
                  + " ["
                  + String.join("|", page.locator("#screen .choices button").allTextContents())
                  + "]");
          if (answers.containsKey(id)) {
            page.locator("#screen button[data-code=" + answers.getString(id) + "]").click();
          } else {
            page.locator("#skip").click();
          }
          page.waitForFunction(
              "q => document.getElementById('screen').getAttribute('data-question') !== q", id);
        }
        // The page says "Vraag n" (not n/total); compare the number and the rest.
        List<String> expectedOnPage =
            expected.stream().map(s -> s.replaceFirst(" (\\d+)/\\d+ ", " $1 ")).toList();
        assertEquals(expectedOnPage, seen, role);
        long answerFrames = sent.stream().filter(s -> s.contains("\"type\":\"answers\"")).count();
        assertEquals(1, answerFrames, role + ": answers frames sent " + sent);
        JsonObject last =
            sent.stream()
                .filter(s -> s.contains("\"type\":\"answers\""))
                .map(JsonObject::new)
                .findFirst()
                .orElseThrow();
        assertEquals(order.get(order.size() - 1), last.getString("after"), role);
        assertEquals(
            new JsonObject().put("Q0", "no").mergeIn(answers), last.getJsonObject("answers"), role);
      }
    }
  }

  @Test
  @DisplayName(
      "the page's CSP allows its inline style and boot script by hash only, never unsafe-inline")
  void strictCspWithHashes() throws Exception {
    WebClient web = WebClient.create(client);
    for (String path : List.of("/", "/index.html")) {
      var reply =
          web.get(app.visitorPort(), "127.0.0.1", path)
              .send()
              .toCompletionStage()
              .toCompletableFuture()
              .get(10, TimeUnit.SECONDS);
      String csp = reply.getHeader("Content-Security-Policy");
      assertTrue(csp.matches(".*script-src 'self' 'sha256-[A-Za-z0-9+/=]+';.*"), csp);
      assertTrue(csp.matches(".*style-src 'self' 'sha256-[A-Za-z0-9+/=]+';.*"), csp);
      assertFalse(csp.contains("unsafe"), csp);
      assertTrue(reply.bodyAsString().contains("id=\"vp-page\""), path);
      assertEquals("no-store", reply.getHeader("Cache-Control"), path);
    }
    // and the browser runs the inline boot under it (no CSP violation, the tap is kept)
    try (BrowserContext context = browser.phone()) {
      Page page = context.newPage();
      List<String> errors = new CopyOnWriteArrayList<>();
      page.onConsoleMessage(
          m -> {
            if (m.text().contains("Content Security Policy")) {
              errors.add(m.text());
            }
          });
      page.navigate(url());
      page.waitForFunction(
          "() => window.VP_STARTED === true && performance.getEntriesByName('vp-tappable').length === 1");
      assertEquals(List.of(), errors);
    }
  }
}
