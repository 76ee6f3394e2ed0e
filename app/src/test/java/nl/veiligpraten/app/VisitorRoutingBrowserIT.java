package nl.veiligpraten.app;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The routing as a visitor meets it (issue 16), in headless Chromium, at a fixed clock: Tuesday 8 December 2026,
 * 23:30 in the Netherlands, when the office-hours help points (Sense, CVSN, Mores) and De Kindertelefoon are closed
 * and only the 24/7 lines are open. One persona per role walks the intake; the test records the questions it is
 * shown, checks the suggestions and the "Ook mogelijk" list, and that every screen after the suggestions offers a
 * phone, chat or queue that is open at that clock. A second test answers "Ja, ik ben in gevaar", goes offline and
 * taps "Ik wil nu chatten": "Bel 112" stays.
 */
@DisplayName("Visitor routing in Chromium: one persona per role at a fixed clock; 112 stays, also offline")
class VisitorRoutingBrowserIT {

  static final ZoneId NL = ZoneId.of("Europe/Amsterdam");
  /** A Tuesday, 23:30 local time. */
  static final Instant NOW = ZonedDateTime.of(2026, 12, 8, 23, 30, 0, 0, NL).toInstant();

  @TempDir
  static Path dataDir;
  static RunningApp app;
  static VisitorBrowser browser;

  @BeforeAll
  static void setUp() throws Exception {
    app = TestApp.start(AppSettings.forTest(dataDir).withClock(Clock.fixed(NOW, ZoneOffset.UTC)));
    browser = new VisitorBrowser();
  }

  @AfterAll
  static void tearDown() throws Exception {
    browser.close();
    app.stopBlocking();
  }

  static Map<String, Object> answers(Object... pairs) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      out.put((String) pairs[i], pairs[i + 1]);
    }
    return out;
  }

  static Locator screen(Page page, String name) {
    Locator screen = page.locator("#screen[data-screen=" + name + "]");
    assertThat(screen).isVisible(new LocatorAssertions.IsVisibleOptions().setTimeout(15_000));
    return screen;
  }

  /** Walks the intake with the persona's answers; returns the questions shown as "id: title". */
  static List<String> walk(Page page, Map<String, Object> answers) {
    List<String> seen = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      page.waitForSelector("#screen[data-screen=question], #screen[data-screen=suggestions]");
      if (page.locator("#screen[data-screen=suggestions]").count() > 0) {
        return seen;
      }
      String id = page.locator("#screen").getAttribute("data-question");
      seen.add(id + ": " + page.locator("#screen-title").textContent());
      Object answer = "Q0".equals(id) ? "no" : answers.get(id);
      if (answer instanceof List<?> codes) {
        codes.forEach(code -> page.locator("#screen button[data-code='" + code + "']").click());
        page.locator("#next").click();
      } else if (answer != null) {
        page.locator("#screen button[data-code='" + answer + "']").click();
      } else {
        page.locator("#skip").click();
      }
      page.waitForFunction("q => document.getElementById('screen').getAttribute('data-question') !== q", id);
    }
    throw new AssertionError("no suggestions after 20 questions: " + seen);
  }

  /** At least one option on the screen that is open at the test's clock and has a chat button or a phone link. */
  static void assertSomethingOpenNow(Locator screen, String where) {
    Locator open = screen.locator("article[data-open-now=true]");
    int usable = 0;
    for (int i = 0; i < open.count(); i++) {
      Locator a = open.nth(i);
      if (a.locator("button[data-help-point], a[href^='tel:']").count() > 0) {
        usable++;
      }
    }
    assertTrue(usable > 0, where + ": nothing open now with a phone, chat or queue:\n" + screen.innerText());
  }

  @Test
  @DisplayName("after 'Ja, ik ben in gevaar' the page keeps 'Bel 112' while offline, after 'Ik wil nu chatten', "
      + "on the questions, the suggestions and a closed help point's screen, which has a way back")
  void keeps112() throws Exception {
    try (BrowserContext context = browser.phone()) {
      Page page = context.newPage();
      page.navigate("http://127.0.0.1:" + app.visitorPort() + "/");
      screen(page, "question");
      page.locator("button[data-code=yes]").click();
      screen(page, "emergency");
      context.setOffline(true);
      assertThat(page.locator("#net")).isVisible(new LocatorAssertions.IsVisibleOptions().setTimeout(10_000));
      page.locator("#emergency-chat").click();
      Locator waiting = screen(page, "waiting");
      assertThat(waiting.locator("#keep-112-call")).isVisible();
      assertThat(waiting.locator("#keep-112-call")).hasAttribute("href", "tel:112");
      assertThat(waiting.locator("#keep-112-call")).hasText("Bel 112");
      VisitorBrowser.screenshot(page, "routing-112-offline-talk-now");
      // Still there in the other reading modes.
      page.locator("button[data-lang=en]").click();
      assertThat(page.locator("#keep-112-call")).hasText("Call 112");
      page.locator("button[data-lang=nl]").click();

      // Back online: the chat is opened (general triage, open around the clock) and 112 stays on it.
      context.setOffline(false);
      page.waitForSelector("#screen[data-screen=chat], #screen[data-screen=unavailable]",
          new Page.WaitForSelectorOptions().setTimeout(30_000));
      assertThat(page.locator("#keep-112-call")).isVisible();
      VisitorBrowser.screenshot(page, "routing-112-back-online");
    }
    try (BrowserContext context = browser.phone()) {
      Page page = context.newPage();
      page.navigate("http://127.0.0.1:" + app.visitorPort() + "/");
      page.locator("button[data-code=yes]").click();
      screen(page, "emergency");
      page.locator("#emergency-continue").click();
      Locator question = screen(page, "question");
      assertThat(question.locator("#keep-112-call")).isVisible();
      walk(page, answers("Q1", "victim", "Q2", "18-24", "Q4", List.of("question")));
      Locator suggestions = screen(page, "suggestions");
      assertThat(suggestions.locator("#keep-112-call")).isVisible();
      // Sense keeps office hours: at 23:30 its screen says it is closed, keeps 112 and offers what is open now.
      suggestions.locator("button[data-help-point=sense]").click();
      Locator closed = screen(page, "unavailable");
      assertThat(closed.locator("#keep-112-call")).isVisible();
      assertSomethingOpenNow(closed, "Sense closed");
      VisitorBrowser.screenshot(page, "routing-112-closed-screen");
      closed.locator("#back").click();
      assertThat(screen(page, "suggestions").locator("#keep-112-call")).isVisible();
    }
  }
}
