package nl.veiligpraten.app;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Easy-read that helps (issue 23): pictograms beside the answers and read-aloud with a voice that
 * runs on the phone. Headless Chromium may have no voices at all, so the browser's speech API is
 * replaced at its boundary (an init script: {@code speechSynthesis.getVoices} lists the voices a
 * phone would have, {@code speak} records what it was given); the page's own code runs unchanged.
 */
@DisplayName("Visitor page easy-read: pictograms and read-aloud with a local voice only")
class VisitorEasyReadIT {

  @TempDir static Path dataDir;
  static RunningApp app;
  static VisitorBrowser browser;

  private static final JsonObject LOCAL_NL =
      new JsonObject().put("name", "Lokale stem").put("lang", "nl-NL").put("localService", true);
  private static final JsonObject CLOUD_NL =
      new JsonObject().put("name", "Online stem").put("lang", "nl-NL").put("localService", false);
  private static final JsonObject LOCAL_EN =
      new JsonObject().put("name", "Local English").put("lang", "en-GB").put("localService", true);

  @BeforeAll
  static void setUp() throws Exception {
    app = TestApp.start(AppSettings.forTest(dataDir));
    browser = new VisitorBrowser();
  }

  @AfterAll
  static void tearDown() {
    browser.close();
    app.stopBlocking();
  }

  /**
   * The browser's speech synthesis as a phone with these voices has it (set before the page's
   * scripts run).
   */
  private static Page pageWithVoices(BrowserContext context, JsonArray voices) {
    context.addInitScript(
        "(() => {"
            + " let list = "
            + voices.encode()
            + ";"
            + " const events = new EventTarget();"
            + " window.__spoken = []; window.__cancelled = 0;"
            + " const synth = { getVoices: () => list,"
            + "   speak: u => window.__spoken.push({voice: u.voice ? u.voice.name : null, lang: u.lang, text: u.text}),"
            + "   cancel: () => { window.__cancelled++; }, speaking: false,"
            + "   addEventListener: (t, f) => events.addEventListener(t, f),"
            + "   removeEventListener: (t, f) => events.removeEventListener(t, f) };"
            + " window.__setVoices = v => { list = v; events.dispatchEvent(new Event('voiceschanged')); };"
            + " Object.defineProperty(window, 'speechSynthesis', {configurable: true, get: () => synth});"
            + " window.SpeechSynthesisUtterance = function (text) { this.text = text; };"
            + "})();");
    Page page = context.newPage();
    page.navigate("http://127.0.0.1:" + app.visitorPort() + "/");
    page.waitForFunction("() => window.VP_STARTED === true");
    return page;
  }

  private static void easy(Page page) {
    page.locator("button[data-lang=easy]").click();
    assertThat(page.locator("button[data-lang=easy]")).hasAttribute("aria-pressed", "true");
  }

  @Test
  @DisplayName(
      "in easy-read mode every answer of the first questions has a pictogram hidden from screen readers, "
          + "and the button's accessible name is its text alone; Dutch B1 and English show none")
  void pictograms() throws Exception {
    try (BrowserContext context = browser.phone()) {
      Page page = pageWithVoices(context, new JsonArray());
      assertThat(page.locator("#screen .choices svg")).hasCount(0);
      easy(page);
      for (String question : List.of("Q0", "Q1")) {
        Locator answers = page.locator("#screen .choices button");
        int n = answers.count();
        assertTrue(n >= 3, question);
        for (int i = 0; i < n; i++) {
          Locator b = answers.nth(i);
          assertThat(b.locator("svg.picto[aria-hidden=true]")).hasCount(1);
          String text = b.innerText().trim();
          assertThat(
                  page.getByRole(
                      AriaRole.BUTTON, new Page.GetByRoleOptions().setName(text).setExact(true)))
              .hasCount(1);
        }
        ConsoleBrowserIT.assertNoAxeViolations(page, "easy-read " + question + " with pictograms");
        if ("Q0".equals(question)) {
          assertThat(page.locator("button[data-code=yes]")).hasText("Ja, er is nu gevaar");
          page.locator("button[data-code=no]").click();
          assertThat(page.locator("#screen-title")).hasText("Waar wil je over praten?");
        }
      }
      page.locator("button[data-lang=en]").click();
      assertThat(page.locator("#screen .choices svg")).hasCount(0);
    }
  }

  @Test
  @DisplayName(
      "read-aloud uses the phone's own Dutch voice and never the online one, reads the question and every "
          + "answer, stops at the next screen, and is offered in easy-read mode only")
  void readAloudWithTheLocalVoiceOnly() throws Exception {
    try (BrowserContext context = browser.phone()) {
      // The online voice comes first, as on many phones: the page must still not take it.
      Page page =
          pageWithVoices(context, new JsonArray().add(CLOUD_NL).add(LOCAL_EN).add(LOCAL_NL));
      assertThat(page.locator("#read-aloud")).hasCount(0);
      easy(page);
      assertThat(page.locator("#read-aloud")).isVisible();
      assertThat(
              page.getByRole(
                  AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Lees voor").setExact(true)))
          .hasCount(1);
      ConsoleBrowserIT.assertNoAxeViolations(page, "easy-read Q0 with read-aloud");
      page.locator("#read-aloud").click();
      JsonArray spoken =
          new JsonArray((String) page.evaluate("() => JSON.stringify(window.__spoken)"));
      assertEquals(1, spoken.size(), spoken.encode());
      JsonObject said = spoken.getJsonObject(0);
      assertEquals("Lokale stem", said.getString("voice"));
      assertEquals("nl-NL", said.getString("lang"));
      assertTrue(
          said.getString("text").startsWith("Ben jij nu in gevaar? Of iemand anders?"),
          said.encode());
      assertTrue(said.getString("text").contains("Antwoord 1: Ja, er is nu gevaar"), said.encode());
      assertTrue(said.getString("text").contains("Antwoord 3: Weet ik niet"), said.encode());
      assertThat(page.locator("#read-aloud")).hasText("Stop met voorlezen");
      int cancelledBefore = ((Number) page.evaluate("() => window.__cancelled")).intValue();
      page.locator("button[data-code=no]").click();
      assertThat(page.locator("#screen-title")).hasText("Waar wil je over praten?");
      assertTrue(
          ((Number) page.evaluate("() => window.__cancelled")).intValue() > cancelledBefore,
          "reading goes on after the screen changed");
      assertThat(page.locator("#read-aloud")).hasText("Lees voor");
    }
  }

  @Test
  @DisplayName(
      "with only online voices the read-aloud button is not there, and it appears when a local Dutch voice "
          + "arrives later (voiceschanged)")
  void noLocalVoiceNoButton() throws Exception {
    try (BrowserContext context = browser.phone()) {
      Page page = pageWithVoices(context, new JsonArray().add(CLOUD_NL).add(LOCAL_EN));
      easy(page);
      assertThat(page.locator("#screen .choices svg.picto").first()).isVisible();
      assertThat(page.locator("#read-aloud")).hasCount(0);
      page.evaluate(
          "v => window.__setVoices(JSON.parse(v))",
          new JsonArray().add(CLOUD_NL).add(LOCAL_NL).encode());
      assertThat(page.locator("#read-aloud")).isVisible();
      page.evaluate(
          "v => window.__setVoices(JSON.parse(v))", new JsonArray().add(CLOUD_NL).encode());
      assertThat(page.locator("#read-aloud")).hasCount(0);
      JsonArray spoken =
          new JsonArray((String) page.evaluate("() => JSON.stringify(window.__spoken)"));
      assertEquals(0, spoken.size());
    }
  }
}
