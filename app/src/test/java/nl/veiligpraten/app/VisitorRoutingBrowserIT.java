package nl.veiligpraten.app;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
 * The routing as a visitor meets it (issue 16), in headless Chromium, at a fixed clock: Tuesday 8
 * December 2026, 23:30 in the Netherlands, when the office-hours help points (Sense, CVSN, Mores)
 * and De Kindertelefoon are closed and only the 24/7 lines are open. One persona per role walks the
 * intake; the test records the questions it is shown, checks the suggestions and the "Ook mogelijk"
 * list, and that every screen after the suggestions offers a phone, chat or queue that is open at
 * that clock. A second test answers "Ja, ik ben in gevaar", goes offline and taps "Ik wil nu
 * chatten": "Bel 112" stays.
 */
@DisplayName(
    "Visitor routing in Chromium: one persona per role at a fixed clock; 112 stays, also offline")
class VisitorRoutingBrowserIT {

  static final ZoneId NL = ZoneId.of("Europe/Amsterdam");

  /** A Tuesday, 23:30 local time. */
  static final Instant NOW = ZonedDateTime.of(2026, 12, 8, 23, 30, 0, 0, NL).toInstant();

  @TempDir static Path dataDir;
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

  /**
   * A visitor: answers by question id (a code, or a list for multiple-answer questions; questions
   * not listed are skipped), the help points the suggestions must contain, the also-offers the "Ook
   * mogelijk" list must contain, help points that must not be offered at all, and question texts
   * this role must never be shown.
   */
  record Persona(
      String name,
      Map<String, Object> answers,
      List<String> mustSee,
      List<String> mustNotSee,
      List<String> suggested,
      List<String> also,
      List<String> notOffered,
      List<String> neverAsked) {}

  static Map<String, Object> answers(Object... pairs) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      out.put((String) pairs[i], pairs[i + 1]);
    }
    return out;
  }

  /**
   * First-person texts of the victim's path that a person worried about their own behaviour must
   * never see.
   */
  static final List<String> VICTIM_ONLY =
      List.of("Iemand deed seksuele dingen die ik niet wilde", "Ken je de persoon die het deed?");

  /**
   * First-person texts a visitor asking about someone else must not see (they would speak about the
   * asker).
   */
  static final List<String> FIRST_PERSON =
      List.of(
          "Iemand deed seksuele dingen die ik niet wilde",
          "over mijn grens",
          "Q2: Hoe oud ben je?");

  static final List<Persona> PERSONAS =
      List.of(
          new Persona(
              "victim, 16, raped today, wants to report to the police",
              answers(
                  "Q1",
                  "victim",
                  "Q2",
                  "16-17",
                  "Q3",
                  "today",
                  "Q4",
                  List.of("physical"),
                  "Q5",
                  "street",
                  "Q7",
                  List.of("police")),
              List.of("Q2", "Q3", "Q4", "Q5", "Q7"),
              List.of("QA", "PW", "P1", "B1_sector"),
              List.of("csg", "police"),
              List.of("slachtofferhulp"),
              List.of("street_harassment"),
              List.of()),
          new Persona(
              "parent of a child abused at home now",
              answers(
                  "Q1", "relative", "QA", "25plus", "Q2", "under12", "Q3", "ongoing", "Q5", "home"),
              List.of("QA", "Q2", "Q3", "Q4", "Q5"),
              List.of("PW", "P1", "B1_sector"),
              List.of("veilig_thuis"),
              List.of(),
              List.of("kindertelefoon"),
              FIRST_PERSON),
          new Persona(
              "14-year-old bystander of comments about a classmate at school",
              answers(
                  "Q1",
                  "bystander",
                  "QA",
                  "12-15",
                  "Q2",
                  "16-17",
                  "Q3",
                  "week",
                  "Q4",
                  List.of("verbal"),
                  "Q5",
                  "education"),
              List.of("QA", "Q2", "Q3", "Q4", "Q5"),
              List.of("PW", "P1", "B1_sector"),
              List.of("sense"),
              List.of("kindertelefoon"),
              List.of(),
              FIRST_PERSON),
          new Persona(
              "adult worried about feelings towards children",
              answers(
                  "Q1",
                  "perpetrator",
                  "PW",
                  "feelings",
                  "P1",
                  "yes",
                  "Q2",
                  "25plus",
                  "Q7",
                  List.of("advice")),
              List.of("PW", "P1", "Q2"),
              List.of("Q3", "Q4", "Q5", "Q6", "QA"),
              List.of("stop_it_now"),
              List.of(),
              List.of(),
              VICTIM_ONLY),
          new Persona(
              "teacher who suspects child abuse of a pupil",
              answers(
                  "Q1",
                  "professional",
                  "B1_sector",
                  "education",
                  "B1_suspicion",
                  "yes",
                  "Q2",
                  "12-15"),
              List.of("B1_sector", "B1_suspicion", "Q2"),
              List.of("QA", "PW", "P1"),
              List.of("veilig_thuis"),
              List.of("sense"),
              List.of(),
              List.of("Q2: Hoe oud ben je?")));

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
      seen.add(
          id
              + ": "
              + page.locator("#screen-title").textContent()
              + " ["
              + String.join(" | ", page.locator("#screen ul.choices button").allTextContents())
              + "]");
      Object answer = "Q0".equals(id) ? "no" : answers.get(id);
      if (answer instanceof List<?> codes) {
        codes.forEach(code -> page.locator("#screen button[data-code='" + code + "']").click());
        page.locator("#next").click();
      } else if (answer != null) {
        page.locator("#screen button[data-code='" + answer + "']").click();
      } else {
        page.locator("#skip").click();
      }
      page.waitForFunction(
          "q => document.getElementById('screen').getAttribute('data-question') !== q", id);
    }
    throw new AssertionError("no suggestions after 20 questions: " + seen);
  }

  /**
   * At least one option on the screen that is open at the test's clock and has a chat button or a
   * phone link.
   */
  static void assertSomethingOpenNow(Locator screen, String where) {
    Locator open = screen.locator("article[data-open-now=true]");
    int usable = 0;
    for (int i = 0; i < open.count(); i++) {
      Locator a = open.nth(i);
      if (a.locator("button[data-help-point], a[href^='tel:']").count() > 0) {
        usable++;
      }
    }
    assertTrue(
        usable > 0,
        where + ": nothing open now with a phone, chat or queue:\n" + screen.innerText());
  }

  @Test
  @DisplayName(
      "one persona per role sees questions that fit their role, suggestions and 'Ook mogelijk' that fit, "
          + "and after the suggestions always help that is open at 23:30 on a Tuesday")
  void personas() throws Exception {
    StringBuilder report = new StringBuilder();
    int n = 0;
    for (Persona p : PERSONAS) {
      n++;
      try (BrowserContext context = browser.phone()) {
        Page page = context.newPage();
        page.navigate("http://127.0.0.1:" + app.visitorPort() + "/");
        List<String> seen = walk(page, p.answers());
        report
            .append(p.name())
            .append(": ")
            .append(seen.stream().map(q -> q.substring(0, q.indexOf(" ["))).toList())
            .append('\n');
        List<String> ids = seen.stream().map(q -> q.substring(0, q.indexOf(':'))).toList();
        for (String id : p.mustSee()) {
          assertTrue(
              ids.contains(id), p.name() + " was not asked " + id + "; all questions: " + seen);
        }
        for (String id : p.mustNotSee()) {
          assertFalse(ids.contains(id), p.name() + " was asked " + id + "; all questions: " + seen);
        }
        for (String question : seen) {
          for (String banned : p.neverAsked()) {
            assertFalse(
                question.contains(banned), p.name() + " was shown '" + banned + "' in " + question);
          }
        }
        Locator suggestions = screen(page, "suggestions");
        for (String hp : p.suggested()) {
          assertThat(suggestions.locator(":scope > article[data-help-point=" + hp + "]"))
              .hasCount(1);
        }
        if (!p.also().isEmpty()) {
          Locator also = page.locator("#also-offer");
          assertThat(also.locator("h2")).hasText("Ook mogelijk");
          for (String hp : p.also()) {
            assertThat(also.locator("article[data-help-point=" + hp + "]")).hasCount(1);
          }
          // Easy-read and English have the list too.
          page.locator("button[data-lang=easy]").click();
          assertThat(also.locator("h2")).hasText("Dit kan ook");
          page.locator("button[data-lang=en]").click();
          assertThat(page.locator("#also-offer h2")).hasText("Also possible");
          page.locator("button[data-lang=nl]").click();
        }
        for (String hp : p.notOffered()) {
          assertThat(suggestions.locator("article[data-help-point=" + hp + "]")).hasCount(0);
        }
        // Every phone number says what calling costs; the paid 0900 lines say it costs money and
        // shows on the bill.
        Locator phones = page.locator("#screen article:has(a[href^='tel:'])");
        for (int i = 0; i < phones.count(); i++) {
          assertThat(phones.nth(i).locator(".cost")).hasCount(1);
        }
        Locator paid =
            page.locator(
                "#screen article[data-help-point=slachtofferhulp], "
                    + "#screen article[data-help-point=school_confidential]");
        for (int i = 0; i < paid.count(); i++) {
          assertThat(paid.nth(i).locator(".cost"))
              .hasText("Bellen kost geld en staat op je telefoonrekening.");
        }
        if (p.suggested().contains("csg")) {
          assertThat(page.locator("#screen > article[data-help-point=csg] .cost"))
              .hasText("Bellen is gratis.");
        }
        // Unknown hours (e.g. Stop it Now's line) are never shown as open now; closed lines say so.
        assertThat(suggestions.locator("article[data-help-point=stop_it_now][data-open-now=true]"))
            .hasCount(0);
        assertThat(
                suggestions.locator("article[data-help-point=kindertelefoon][data-open-now=true]"))
            .hasCount(0);
        assertSomethingOpenNow(suggestions, p.name() + " / suggestions");
        VisitorBrowser.screenshot(page, "routing-persona-" + n + "-suggestions");

        // Choose the first chat offered: either the queue (open) or a screen with what is open now
        // and a way back.
        Locator chat = suggestions.locator(":scope > article button[data-help-point]").first();
        assertTrue(chat.count() > 0, p.name() + ": no chat offered:\n" + suggestions.innerText());
        chat.click();
        page.waitForSelector(
            "#screen[data-screen=chat], #screen[data-screen=unavailable], #screen[data-screen=card]");
        String next = page.locator("#screen").getAttribute("data-screen");
        VisitorBrowser.screenshot(page, "routing-persona-" + n + "-" + next);
        if (!"chat".equals(next)) {
          assertSomethingOpenNow(page.locator("#screen"), p.name() + " / " + next);
          page.locator("#back").click();
          screen(page, "suggestions");
        }
      }
    }
    System.out.print("questions per persona at " + NOW + ":\n" + report);
  }

  @Test
  @DisplayName(
      "after 'Ja, ik ben in gevaar' the page keeps 'Bel 112' while offline, after 'Ik wil nu chatten', "
          + "on the questions, the suggestions and a closed help point's screen, which has a way back")
  void keeps112() throws Exception {
    try (BrowserContext context = browser.phone()) {
      Page page = context.newPage();
      page.navigate("http://127.0.0.1:" + app.visitorPort() + "/");
      screen(page, "question");
      page.locator("button[data-code=yes]").click();
      screen(page, "emergency");
      context.setOffline(true);
      assertThat(page.locator("#net"))
          .isVisible(new LocatorAssertions.IsVisibleOptions().setTimeout(10_000));
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

      // Back online: the chat is opened (general triage, open around the clock) and 112 stays on
      // it.
      context.setOffline(false);
      page.waitForSelector(
          "#screen[data-screen=chat], #screen[data-screen=unavailable]",
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
      // Sense keeps office hours: at 23:30 its screen says it is closed, keeps 112 and offers what
      // is open now.
      suggestions.locator("button[data-help-point=sense]").click();
      Locator closed = screen(page, "unavailable");
      assertThat(closed.locator("#keep-112-call")).isVisible();
      assertSomethingOpenNow(closed, "Sense closed");
      VisitorBrowser.screenshot(page, "routing-112-closed-screen");
      closed.locator("#back").click();
      assertThat(screen(page, "suggestions").locator("#keep-112-call")).isVisible();
    }
  }

  @Test
  @DisplayName(
      "a counselor marks suicide risk: the visitor's chat shows the 113 card with its phone, in all three "
          + "reading modes")
  void suicideRiskCard() throws Exception {
    io.vertx.core.Vertx client = io.vertx.core.Vertx.vertx();
    try (BrowserContext context = browser.phone()) {
      Page page = context.newPage();
      page.navigate("http://127.0.0.1:" + app.visitorPort() + "/");
      page.locator("button[data-code=no]").click();
      screen(page, "question");
      page.locator("#talk-now").click();
      screen(page, "chat");
      ConsoleFixtures.Login login =
          ConsoleFixtures.loginDemo(
              io.vertx.ext.web.client.WebClient.create(client), app, "veilig_thuis");
      try (WsProbe counselor =
          WsProbe.connect(
              client, app.consolePort(), "/ws", ConsoleFixtures.origin(app), login.cookie())) {
        counselor.awaitType("hello");
        // The newest queued triage chat is this visitor's (other tests of the class queue chats
        // too).
        String id =
            ConsoleFixtures.await(
                    app.pool()
                        .query(
                            "SELECT id FROM conversation WHERE help_point = 'triage' "
                                + "AND status = 'queued' ORDER BY created_at DESC LIMIT 1")
                        .execute())
                .iterator()
                .next()
                .getUUID("id")
                .toString();
        counselor.send(
            new io.vertx.core.json.JsonObject().put("type", "take").put("conversationId", id));
        counselor.await(
            f -> "assigned".equals(f.getString("type")) && id.equals(f.getString("conversationId")),
            java.time.Duration.ofSeconds(10));
        assertThat(page.locator("#status")).containsText("Je praat nu met");
        counselor.send(
            new io.vertx.core.json.JsonObject()
                .put("type", "suicide-risk")
                .put("conversationId", id));
        Locator card = page.locator("#urgent-card");
        assertThat(card).isVisible(new LocatorAssertions.IsVisibleOptions().setTimeout(10_000));
        assertThat(card).hasAttribute("data-rule", "U1");
        assertThat(card).containsText("113");
        assertThat(card.locator("a[href^='tel:']")).isVisible();
        assertThat(card.locator(".cost")).hasText("Bellen is gratis.");
        VisitorBrowser.screenshot(page, "routing-u1-113-card");
        page.locator("button[data-lang=en]").click();
        assertThat(page.locator("#urgent-card h2"))
            .hasText("You don't have to stay alone with this");
        page.locator("button[data-lang=easy]").click();
        assertThat(page.locator("#urgent-card h2")).hasText("Je staat er niet alleen voor");
        page.locator("button[data-lang=nl]").click();
      }
    } finally {
      client
          .close()
          .toCompletionStage()
          .toCompletableFuture()
          .get(10, java.util.concurrent.TimeUnit.SECONDS);
    }
  }
}
