package nl.veiligpraten.app;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.WebSocketRoute;
import com.microsoft.playwright.assertions.LocatorAssertions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * WCAG 2.1 AA on the visitor page's info-card screen ({@code renderCard}, issue 23): axe-core, 320
 * px reflow and 44×44 px targets, in every language the page offers.
 *
 * <p>How the screen is reached: the page has no control that sends {@code choose} for a help point
 * without a chat route (every "Chat met …" button, the open-now options of the closed screen and
 * "Ik wil meteen met iemand praten" are for {@code kind: queue} help points only; card help points
 * show their phone and links on the suggestions). So the test drives the page's own socket:
 * Playwright's {@code page.routeWebSocket} passes every frame through between the page and the real
 * service, and rewrites only the page's own {@code choose} frame (sent by its "Chat met Centrum
 * Seksueel Geweld" button after a real intake) to name an info-card help point of the routing
 * configuration. The real gateway then answers with its real {@code card} frame (the card, the open
 * alternatives of this visitor's route) and the page renders it as it would for any server.
 */
@DisplayName("Visitor info-card screen accessibility (WCAG 2.1 AA) in headless Chromium")
class VisitorCardAccessibilityIT {

  @TempDir static Path dataDir;
  static RunningApp app;
  static VisitorBrowser browser;

  @BeforeAll
  static void setUp() throws Exception {
    // Tuesday 23:30 in the Netherlands, as in VisitorRoutingBrowserIT: the same screens whatever
    // the time of day the
    // test runs (the Kindertelefoon is closed then, so its card shows the closed note, its opening
    // time and the
    // alternatives that are open now).
    app =
        TestApp.start(
            AppSettings.forTest(dataDir)
                .withClock(
                    Clock.fixed(
                        ZonedDateTime.of(2026, 12, 8, 23, 30, 0, 0, ZoneId.of("Europe/Amsterdam"))
                            .toInstant(),
                        ZoneOffset.UTC)));
    browser = new VisitorBrowser();
  }

  @AfterAll
  static void tearDown() throws Exception {
    browser.close();
    app.stopBlocking();
  }

  /**
   * The card help points checked (from routing's config/help-points.yaml): police is open 24/7
   * (reachable, no alternatives), Slachtofferhulp has no opening hours (not known to be open: the
   * "open now" alternatives show), the Kindertelefoon has hours (closed at the test's clock) and a
   * chat link of its own.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"police", "slachtofferhulp", "kindertelefoon"})
  @DisplayName(
      "the info card of a help point without a chat route has 0 axe violations of any impact, reflows at "
          + "320 px without horizontal scrolling and has targets of at least 44×44 px, in every language the page offers")
  void cardScreen(String helpPoint) throws Exception {
    try (BrowserContext context = browser.phone()) {
      Page page = context.newPage();
      AtomicInteger rewritten = new AtomicInteger();
      page.routeWebSocket(
          "**/ws",
          ws -> {
            WebSocketRoute server = ws.connectToServer();
            // With a page-side handler nothing is forwarded by itself: every frame goes on, the
            // choose one rewritten.
            ws.onMessage(
                frame -> {
                  String text = frame.text();
                  if (text != null && text.contains("\"choose\"")) {
                    JsonObject f = new JsonObject(text);
                    if ("choose".equals(f.getString("type"))
                        && "csg".equals(f.getString("helpPoint"))) {
                      text = f.put("helpPoint", helpPoint).encode();
                      rewritten.incrementAndGet();
                    }
                  }
                  if (text != null) {
                    server.send(text);
                  } else {
                    server.send(frame.binary());
                  }
                });
          });
      page.navigate("http://127.0.0.1:" + app.visitorPort() + "/");
      VisitorAccessibilityIT.toCsgSuggestions(page).locator("button[data-help-point=csg]").click();
      Locator card = page.locator("#screen[data-screen=card]");
      assertThat(card).isVisible(new LocatorAssertions.IsVisibleOptions().setTimeout(10_000));
      assertEquals(1, rewritten.get(), "the page's choose frame went through the route once");
      // The real card of that help point: its phone line (tel: link) from the configuration.
      assertThat(card.locator("a[href^='tel:0']").first()).isVisible();
      assertThat(card.locator("#back")).isVisible();
      if ("kindertelefoon".equals(helpPoint)) {
        assertThat(card.locator(".closed-note")).isVisible();
        assertThat(card.locator("#open-now")).isVisible();
      }

      List<String> langs = languages(page);
      assertTrue(langs.containsAll(List.of("nl", "easy", "en")), "languages offered: " + langs);
      for (String lang : langs) {
        selectLanguage(page, lang);
        assertThat(card).isVisible();
        String what =
            "card "
                + helpPoint
                + " ("
                + lang
                + ", dir="
                + page.evaluate("document.documentElement.dir")
                + ")";
        ConsoleBrowserIT.assertNoAxeViolations(page, what);
        VisitorAccessibilityIT.assertTargets(page, what);
      }
      // WCAG 1.4.10: the same screen 320 CSS px wide, again in every language.
      page.setViewportSize(320, 640);
      for (String lang : langs) {
        selectLanguage(page, lang);
        assertThat(card).isVisible();
        VisitorAccessibilityIT.assertNoHorizontalScroll(
            page, "card " + helpPoint + " at 320 px (" + lang + ")");
      }
      selectLanguage(page, "nl");
      VisitorBrowser.screenshot(page, "visitor-a11y-card-" + helpPoint + "-320px");
    }
  }

  /**
   * The languages the page offers: its language buttons, so a language added to the page is checked
   * too.
   */
  private static List<String> languages(Page page) {
    List<String> out = new ArrayList<>();
    for (Locator b : page.locator("button[data-lang]").all()) {
      out.add(b.getAttribute("data-lang"));
    }
    return out;
  }

  private static void selectLanguage(Page page, String lang) {
    page.locator("button[data-lang=" + lang + "]").click();
    assertThat(page.locator("button[data-lang=" + lang + "]")).hasAttribute("aria-pressed", "true");
  }
}
