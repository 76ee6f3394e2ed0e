package nl.veiligpraten.app;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static nl.veiligpraten.app.ConsoleFixtures.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.LocatorAssertions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import nl.veiligpraten.infra.db.EmbeddedDatabase;
import nl.veiligpraten.staff.StaffUser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Console v2 over a shift (issue 18), in headless Chromium on real sockets: the outcome of a chat
 * the visitor ended, the visitor page's reading mode in the intake card, and an outbox that
 * survives a real server restart. Kept apart from {@link ConsoleBrowserIT} so each class stays
 * short; this one has its own PostgreSQL so the service can restart.
 */
@DisplayName(
    "Counselor console over a shift: visitor-ended chats get an outcome, the page's reading mode reaches the "
        + "intake card, a message typed while the server is down arrives once")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleShiftBrowserIT {

  private static final Path SHOTS = Paths.get("target", "screenshots");

  @TempDir static Path dataDir;
  static Vertx client;
  static WebClient web;
  static EmbeddedDatabase database;
  static AppSettings settings;
  static RunningApp app;
  static Playwright playwright;
  static Browser browser;
  static StaffUser ender;
  static final List<String> consoleErrors = new CopyOnWriteArrayList<>();
  static final int OFFER_SECONDS = 10;
  static StaffUser sender;
  static StaffUser receiver;

  @BeforeAll
  static void setUp() throws Exception {
    client = Vertx.vertx();
    web = WebClient.create(client);
    database = EmbeddedDatabase.start(dataDir.resolve("pg"), 0);
    // A short offer time, so the warm-transfer test sees an unanswered offer run out.
    settings =
        AppSettings.forTest(dataDir)
            .withExternalDb(database.settings())
            .withTransferOfferSeconds(OFFER_SECONDS);
    app = TestApp.start(settings);
    ender = ConsoleFixtures.createStaff(app, "csg", "csg-ender", "counselor", "ender-password", 3);
    ConsoleFixtures.createStaff(app, "csg", "csg-other", "counselor", "other-password", 3);
    ConsoleFixtures.createStaff(app, "veilig_thuis", "vt-modes", "counselor", "modes-password", 3);
    ConsoleFixtures.createStaff(app, "csg", "csg-restart", "counselor", "restart-password", 3);
    sender =
        ConsoleFixtures.createStaff(app, "csg", "csg-sender", "counselor", "sender-password", 3);
    receiver =
        ConsoleFixtures.createStaff(
            app, "csg", "csg-receiver", "counselor", "receiver-password", 3);
    playwright = Playwright.create();
    browser =
        playwright
            .chromium()
            .launch(
                new BrowserType.LaunchOptions()
                    .setExecutablePath(Paths.get("/usr/bin/chromium"))
                    .setHeadless(true)
                    .setArgs(
                        List.of(
                            "--no-sandbox", "--disable-gpu", "--disable-background-networking")));
  }

  @AfterAll
  static void tearDown() throws Exception {
    if (browser != null) {
      browser.close();
    }
    if (playwright != null) {
      playwright.close();
    }
    if (app != null) {
      app.stopBlocking();
    }
    client.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    database.close();
  }

  static Page console(String user, String password) {
    BrowserContext context =
        browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 720));
    Page page = context.newPage();
    page.setDefaultTimeout(15_000);
    page.onConsoleMessage(
        m -> {
          // 401 before login, and the network errors of the restart test, are expected.
          if ("error".equals(m.type())
              && !m.text().contains("401")
              && !m.text().contains("ERR_CONNECTION_REFUSED")
              && !m.text().contains("ERR_CONNECTION_RESET")
              && !m.text().contains("WebSocket")) {
            consoleErrors.add(m.text());
          }
        });
    page.onPageError(e -> consoleErrors.add("page error: " + e));
    page.navigate(app.consoleUrl());
    page.fill("#login-user", user);
    page.fill("#login-pass", password);
    page.click("#login-submit");
    assertThat(page.locator("#app")).isVisible();
    assertThat(page.locator("#conn")).hasText("verbonden");
    return page;
  }

  static Locator chat(Page page, UUID id) {
    return page.locator(".chat[data-conversation-id='" + id + "']");
  }

  static Locator listItem(Page page, UUID id) {
    return page.locator("#chat-list li[data-conversation-id='" + id + "']");
  }

  static Locator take(Page page, UUID id) {
    page.locator("#queue li[data-conversation-id='" + id + "'] .take-btn").click();
    Locator panel = chat(page, id);
    assertThat(panel).isVisible();
    return panel;
  }

  static Row conversation(UUID id) throws Exception {
    return await(
            app.pool()
                .preparedQuery(
                    "SELECT status, outcome, tags, outcome_pending, counselor_id "
                        + "FROM conversation WHERE id = $1")
                .execute(Tuple.of(id)))
        .iterator()
        .next();
  }

  @Test
  @Order(1)
  @DisplayName(
      "the visitor ends the chat: it stays in the list as 'bezoeker is weg' (also after a reload) and "
          + "cannot be dismissed before an outcome; the outcome is accepted once, only from the counselor who held it, "
          + "and statistics count it like a chat the counselor closed while still knowing the visitor left")
  void visitorEndedChatGetsAnOutcome() throws Exception {
    Page page = console("csg-ender", "ender-password");
    ConsoleFixtures.Visitor visitor = ConsoleFixtures.queuedVisitor(client, app, "csg", null);
    Locator panel = take(page, visitor.conversationId());
    visitor.probe().awaitType("assigned");
    visitor
        .probe()
        .send(new JsonObject().put("type", "message").put("clientId", "v-1").put("body", "Hoi."));
    assertThat(panel.locator(".messages li.visitor")).hasCount(1);
    panel.locator(".text").fill("Hallo, ik ben er.");
    panel.locator(".send").click();
    assertThat(panel.locator(".messages li.counselor .meta")).containsText("verzonden");

    visitor.probe().send(new JsonObject().put("type", "bye").put("hurry", false));
    visitor.probe().awaitType("closed");
    Locator item = listItem(page, visitor.conversationId());
    assertThat(item).containsText("bezoeker is weg");
    assertThat(panel.locator(".messages li.system")).containsText("De bezoeker is weg");
    assertThat(panel.locator(".compose")).isHidden();
    assertThat(panel.locator(".dismiss")).hasCount(0);
    assertThat(panel.locator(".outcome")).isVisible();
    assertThat(panel.locator(".transfer")).isHidden();
    Row ended = conversation(visitor.conversationId());
    assertEquals("closed", ended.getString("status"));
    assertEquals("visitor_left", ended.getString("outcome"));
    assertTrue(ended.getBoolean("outcome_pending"));
    // No outcome chosen: nothing is recorded.
    panel.locator(".close").click();
    assertThat(panel.locator(".close-error")).containsText("uitkomst");
    shot(page, "console-visitor-ended");
    ConsoleBrowserIT.assertNoAxeViolations(page, "visitor-ended chat");

    // A colleague of the same organisation cannot record it.
    ConsoleFixtures.Login other =
        ConsoleFixtures.login(web, app, "csg-other", "other-password", null);
    WsProbe otherSocket =
        WsProbe.connect(
            client, app.consolePort(), "/ws", ConsoleFixtures.origin(app), other.cookie());
    otherSocket.awaitType("hello");
    otherSocket.send(
        new JsonObject()
            .put("type", "close")
            .put("conversationId", visitor.conversationId().toString())
            .put("outcome", "other"));
    assertEquals("not_yours", otherSocket.awaitType("error").getString("code"));
    assertTrue(conversation(visitor.conversationId()).getBoolean("outcome_pending"));
    otherSocket.close();

    // A reload (or a new shift's sign-in on this screen) brings it back, still waiting for the
    // outcome.
    page.reload();
    assertThat(page.locator("#app")).isVisible();
    panel = chat(page, visitor.conversationId());
    assertThat(listItem(page, visitor.conversationId())).containsText("bezoeker is weg");
    listItem(page, visitor.conversationId()).locator(".chat-link").click();
    assertThat(panel.locator(".dismiss")).hasCount(0);
    // With the conversation in view, to choose the outcome.
    assertThat(panel.locator(".messages li.visitor .body")).hasText("Hoi.");
    assertThat(panel.locator(".messages li.counselor .body")).hasText("Hallo, ik ben er.");
    panel.locator(".outcome").selectOption("advice");
    panel.locator(".tags input[value='safety_plan']").check();
    panel.locator(".close").click();
    assertThat(panel.locator(".messages li.system").last()).containsText("Uitkomst vastgelegd");
    assertThat(panel.locator(".dismiss")).isVisible();
    Row recorded = conversation(visitor.conversationId());
    assertEquals("advice", recorded.getString("outcome"));
    assertEquals(List.of("safety_plan"), List.of(recorded.getArrayOfStrings("tags")));
    assertFalse(recorded.getBoolean("outcome_pending"));
    assertEquals(ender.id(), recorded.getLong("counselor_id"));

    // Exactly once: the same counselor cannot change it afterwards.
    ConsoleFixtures.Login again =
        ConsoleFixtures.login(web, app, "csg-ender", "ender-password", null);
    WsProbe againSocket =
        WsProbe.connect(
            client, app.consolePort(), "/ws", ConsoleFixtures.origin(app), again.cookie());
    againSocket.awaitType("hello");
    againSocket.send(
        new JsonObject()
            .put("type", "close")
            .put("conversationId", visitor.conversationId().toString())
            .put("outcome", "listened"));
    assertEquals("not_yours", againSocket.awaitType("error").getString("code"));
    assertEquals("advice", conversation(visitor.conversationId()).getString("outcome"));
    againSocket.close();

    // Statistics: the visitor's close and then the counselor's outcome; the case counts as 'advice'
    // and as left
    // during the chat.
    List<String> events = new ArrayList<>();
    await(
            app.pool()
                .preparedQuery(
                    "SELECT e.kind || ':' || coalesce(e.outcome, '') FROM stat_event e "
                        + "JOIN stat_case_link l ON l.case_ref = e.case_ref WHERE l.conversation_id = $1 "
                        + "AND e.kind IN ('closed', 'outcome') ORDER BY e.id")
                .execute(Tuple.of(visitor.conversationId())))
        .forEach(r -> events.add(r.getString(0)));
    assertEquals(List.of("closed:visitor_left", "outcome:advice"), events);
    Row statCase =
        await(
                app.pool()
                    .preparedQuery(
                        "SELECT c.outcome, c.left_by_visitor FROM stat_case c "
                            + "JOIN stat_case_link l ON l.case_ref = c.case_ref WHERE l.conversation_id = $1")
                    .execute(Tuple.of(visitor.conversationId())))
            .iterator()
            .next();
    assertEquals("advice", statCase.getString("outcome"));
    assertTrue(statCase.getBoolean("left_by_visitor"));

    panel.locator(".dismiss").click();
    assertThat(listItem(page, visitor.conversationId())).hasCount(0);
    visitor.probe().close();
    page.context().close();
    assertTrue(consoleErrors.isEmpty(), "no script or CSP errors in the pages: " + consoleErrors);
  }

  /**
   * The visitor page on a phone: picks a reading mode, then "talk to someone now" (triage, Veilig
   * Thuis).
   */
  static Page visitorInMode(String lang) {
    BrowserContext context =
        browser.newContext(
            new Browser.NewContextOptions()
                .setViewportSize(390, 844)
                .setIsMobile(true)
                .setHasTouch(true)
                .setLocale("nl-NL"));
    Page page = context.newPage();
    page.setDefaultTimeout(15_000);
    page.navigate("http://127.0.0.1:" + app.visitorPort() + "/");
    assertThat(page.locator("#screen[data-screen=question]")).isVisible();
    page.locator("button[data-lang=" + lang + "]").click();
    assertThat(page.locator("button[data-lang=" + lang + "]")).hasAttribute("aria-pressed", "true");
    page.locator("#talk-now").click();
    assertThat(page.locator("#screen[data-screen=chat]"))
        .isVisible(
            new com.microsoft.playwright.assertions.LocatorAssertions.IsVisibleOptions()
                .setTimeout(15_000));
    return page;
  }

  /** The newest Veilig Thuis chat (the visitor page does not show its id). */
  static UUID newestTriageChat() throws Exception {
    return await(
            app.pool()
                .preparedQuery(
                    "SELECT id FROM conversation WHERE help_point = 'triage' "
                        + "ORDER BY created_at DESC LIMIT 1")
                .execute())
        .iterator()
        .next()
        .getUUID(0);
  }

  /**
   * The chat, handed to this (the only available) counselor by auto-assignment, opened in the
   * console.
   */
  static Locator held(Page console, UUID id) {
    Locator panel = chat(console, id);
    assertThat(panel).isAttached();
    listItem(console, id).locator(".chat-link").click();
    assertThat(panel).isVisible();
    return panel;
  }

  @Test
  @Order(2)
  @DisplayName(
      "the real visitor page in easy-read and in English mode: the console's intake card shows that mode, "
          + "and statistics count the language")
  void visitorPageModeInIntakeCard() throws Exception {
    Page console = console("vt-modes", "modes-password");
    console.selectOption("#status", "available");
    assertThat(console.locator("#status")).hasValue("available");

    Page easy = visitorInMode("easy");
    UUID easyId = newestTriageChat();
    Locator easyPanel = held(console, easyId);
    assertThat(easyPanel.locator(".intake .mode")).hasText("makkelijke taal");
    assertThat(listItem(console, easyId)).containsText("makkelijke taal");

    Page english = visitorInMode("en");
    UUID englishId = newestTriageChat();
    assertFalse(englishId.equals(easyId));
    Locator englishPanel = held(console, englishId);
    assertThat(englishPanel.locator(".intake .mode")).hasText("Engels");
    assertThat(listItem(console, englishId)).containsText("Engels");
    shot(console, "console-intake-mode-english");

    for (UUID id : List.of(easyId, englishId)) {
      String lang =
          await(
                  app.pool()
                      .preparedQuery(
                          "SELECT e.lang FROM stat_event e JOIN stat_case_link l "
                              + "ON l.case_ref = e.case_ref WHERE l.conversation_id = $1 AND e.kind = 'queued'")
                      .execute(Tuple.of(id)))
              .iterator()
              .next()
              .getString(0);
      assertEquals(id.equals(easyId) ? "nl_easy" : "en", lang);
    }
    easy.context().close();
    english.context().close();
    console.context().close();
    assertTrue(consoleErrors.isEmpty(), "no script or CSP errors in the pages: " + consoleErrors);
  }

  static void openActions(Locator panel) {
    if (panel.locator("details.actions").getAttribute("open") == null) {
      panel.locator("details.actions summary").click();
    }
  }

  static long holder(UUID id) throws Exception {
    return conversation(id).getLong("counselor_id");
  }

  @Test
  @Order(3)
  @DisplayName(
      "warm transfer: the list shows the colleague's live load; the colleague sees the offer with the intake "
          + "card and the note and declines, lets it run out, sees it withdrawn, then accepts; until then the chat stays "
          + "with the sender, who is told each time; on accept it moves with its history and the note")
  void warmTransferToAColleagueWhoAccepts() throws Exception {
    Page from = console("csg-sender", "sender-password");
    Page to = console("csg-receiver", "receiver-password");
    ConsoleFixtures.Visitor visitor =
        ConsoleFixtures.queuedVisitor(
            client,
            app,
            "csg",
            new JsonObject()
                .put("Q3", "today")
                .put("Q4", new io.vertx.core.json.JsonArray().add("physical")));
    Locator panel = take(from, visitor.conversationId());
    visitor.probe().awaitType("assigned");
    visitor
        .probe()
        .send(
            new JsonObject()
                .put("type", "message")
                .put("clientId", "v-1")
                .put("body", "Ik wil het liever met iemand anders bespreken."));
    assertThat(panel.locator(".messages li.visitor")).hasCount(1);

    // Live load: the colleague has no chat, then takes one; the list says so when the counselor
    // chooses.
    openActions(panel);
    Locator option = panel.locator(".transfer-to option[value='" + receiver.id() + "']");
    assertThat(option).containsText("0/3 gesprekken");
    ConsoleFixtures.Visitor other = ConsoleFixtures.queuedVisitor(client, app, "csg", null);
    take(to, other.conversationId());
    other.probe().awaitType("assigned");
    panel.locator(".transfer-to").focus();
    assertThat(option).containsText("1/3 gesprekken");
    panel.locator(".transfer-to").selectOption(String.valueOf(receiver.id()));

    // 1. Offered and declined: the chat stays, the sender is told.
    panel.locator(".transfer-note").fill("Wil niet gebeld worden.");
    panel.locator(".transfer").click();
    Locator offer =
        to.locator("#offers li[data-conversation-id='" + visitor.conversationId() + "']");
    assertThat(offer).isVisible();
    assertThat(offer).containsText("Wil niet gebeld worden.");
    assertThat(offer).containsText("Medewerker csg-sender");
    assertThat(offer.locator(".card")).containsText("Vandaag");
    assertThat(panel.locator(".transfer-state")).containsText("wacht op akkoord");
    shot(to, "console-transfer-offer");
    ConsoleBrowserIT.assertNoAxeViolations(to, "transfer offer");
    offer.locator(".decline-offer").click();
    assertThat(panel.locator(".transfer-state")).containsText("geweigerd");
    assertThat(offer).hasCount(0);
    assertEquals(sender.id(), holder(visitor.conversationId()));
    assertThat(panel.locator(".compose")).isVisible();

    // 2. Offered and not answered: after the offer time it stays with the sender, and the offer
    // goes.
    panel.locator(".transfer").click();
    assertThat(offer).isVisible();
    assertThat(panel.locator(".transfer-state"))
        .containsText(
            "niet op tijd",
            new LocatorAssertions.ContainsTextOptions().setTimeout((OFFER_SECONDS + 10) * 1000.0));
    assertThat(offer).hasCount(0);
    assertEquals(sender.id(), holder(visitor.conversationId()));

    // 3. Offered and withdrawn by the sender before an answer: the offer goes from the colleague's
    // screen.
    panel.locator(".transfer").click();
    assertThat(offer).isVisible();
    panel.locator(".transfer-state .transfer-cancel").click();
    assertThat(panel.locator(".transfer-state")).containsText("ingetrokken");
    assertThat(offer).hasCount(0);
    assertEquals(sender.id(), holder(visitor.conversationId()));

    // 4. Offered and accepted: the chat moves with its history and the note.
    panel.locator(".transfer").click();
    assertThat(offer).isVisible();
    offer.locator(".accept-offer").click();
    Locator moved = chat(to, visitor.conversationId());
    assertThat(moved).isVisible();
    assertThat(moved.locator(".messages li.visitor .body"))
        .hasText("Ik wil het liever met iemand anders bespreken.");
    assertThat(moved.locator(".messages li.note")).containsText("Wil niet gebeld worden.");
    assertThat(panel.locator(".messages li.system").last()).containsText("Overgedragen");
    assertEquals(receiver.id(), holder(visitor.conversationId()));
    visitor
        .probe()
        .await(
            f ->
                "assigned".equals(f.getString("type"))
                    && "Medewerker csg-receiver".equals(f.getString("counselor")),
            Duration.ofSeconds(10));
    long notes =
        await(
                app.pool()
                    .preparedQuery(
                        "SELECT count(*) FROM staff_note WHERE conversation_id = $1 "
                            + "AND kind = 'transfer'")
                    .execute(Tuple.of(visitor.conversationId())))
            .iterator()
            .next()
            .getLong(0);
    assertEquals(1L, notes, "only the accepted offer stored its note");
    shot(to, "console-transfer-accepted");

    // Cold transfer to the queue stays: at once, no acceptance, back at the head of the queue.
    openActions(moved);
    moved.locator(".transfer-to").selectOption("queue");
    moved.locator(".transfer").click();
    assertThat(moved.locator(".messages li.system").last()).containsText("Overgedragen");
    Row requeued =
        await(
                app.pool()
                    .preparedQuery(
                        "SELECT status, counselor_id, queue_head FROM conversation "
                            + "WHERE id = $1")
                    .execute(Tuple.of(visitor.conversationId())))
            .iterator()
            .next();
    assertEquals("queued", requeued.getString("status"));
    assertTrue(requeued.getBoolean("queue_head"));
    visitor.probe().close();
    other.probe().close();
    from.context().close();
    to.context().close();
    assertTrue(consoleErrors.isEmpty(), "no script or CSP errors in the pages: " + consoleErrors);
  }

  @Test
  @Order(99)
  @DisplayName(
      "a message typed while the server is down shows 'verzenden…', and after the restart it is stored "
          + "and reaches the visitor exactly once")
  void outboxSurvivesAServerRestart() throws Exception {
    Page page = console("csg-restart", "restart-password");
    WsProbe v =
        WsProbe.connect(
            client, app.visitorPort(), "/ws", "http://127.0.0.1:" + app.visitorPort(), null);
    v.send(new JsonObject().put("type", "hello").put("v", 1));
    String token = v.awaitType("welcome").getString("resumeToken");
    v.send(new JsonObject().put("type", "choose").put("helpPoint", "csg"));
    v.await(
        f -> List.of("queued", "assigned").contains(f.getString("type")), Duration.ofSeconds(20));
    UUID id =
        await(
                app.pool()
                    .preparedQuery("SELECT id FROM conversation WHERE resume_hash = $1")
                    .execute(
                        Tuple.of(
                            io.vertx.core.buffer.Buffer.buffer(
                                nl.veiligpraten.infra.web.Secrets.sha256(token)))))
            .iterator()
            .next()
            .getUUID("id");
    Locator panel = take(page, id);
    v.awaitType("assigned");
    v.close();

    app.stopBlocking();
    app = null;
    assertThat(page.locator("#conn"))
        .containsText(
            "Geen verbinding", new LocatorAssertions.ContainsTextOptions().setTimeout(20_000));
    panel.locator(".text").fill("Ik ben er nog, de verbinding was even weg.");
    panel.locator(".send").click();
    Locator mine = panel.locator(".messages li.counselor").last();
    assertThat(mine.locator(".meta")).hasText("verzenden…");
    assertThat(page.locator("#conn")).containsText("1 bericht");
    shot(page, "console-outbox-server-down");

    app = TestApp.start(settings);
    assertThat(mine.locator(".meta"))
        .containsText("verzonden", new LocatorAssertions.ContainsTextOptions().setTimeout(30_000));
    assertThat(page.locator("#conn")).hasText("verbonden");
    long stored =
        await(
                app.pool()
                    .preparedQuery(
                        "SELECT count(*) FROM message WHERE conversation_id = $1 "
                            + "AND sender = 'counselor'")
                    .execute(Tuple.of(id)))
            .iterator()
            .next()
            .getLong(0);
    assertEquals(1L, stored);
    assertEquals(1, panel.locator(".messages li.counselor").count());

    // The visitor comes back and gets the message once (history after seq 0).
    WsProbe back =
        WsProbe.connect(
            client, app.visitorPort(), "/ws", "http://127.0.0.1:" + app.visitorPort(), null);
    java.util.concurrent.atomic.AtomicInteger copies =
        new java.util.concurrent.atomic.AtomicInteger();
    java.util.function.Predicate<JsonObject> count =
        f -> {
          if ("message".equals(f.getString("type"))
              && "Ik ben er nog, de verbinding was even weg.".equals(f.getString("body"))) {
            copies.incrementAndGet();
          }
          return false;
        };
    back.send(
        new JsonObject().put("type", "hello").put("v", 1).put("resume", token).put("lastSeq", 0));
    back.await(f -> count.test(f) || "welcome".equals(f.getString("type")), Duration.ofSeconds(15));
    // The history comes after the welcome; then a marker of the visitor's own: a second copy would
    // come before its ack.
    if (copies.get() == 0) {
      back.await(
          f -> {
            count.test(f);
            return copies.get() > 0;
          },
          Duration.ofSeconds(15));
    }
    back.send(
        new JsonObject()
            .put("type", "message")
            .put("clientId", "v-marker")
            .put("body", "Ik ben terug."));
    back.await(
        f ->
            count.test(f)
                || ("ack".equals(f.getString("type"))
                    && "v-marker".equals(f.getString("clientId"))),
        Duration.ofSeconds(15));
    assertEquals(
        1, copies.get(), "the visitor got the message typed during the outage exactly once");
    assertThat(panel.locator(".messages li.visitor .body").last()).hasText("Ik ben terug.");
    back.close();
    page.context().close();
  }

  static void shot(Page page, String name) {
    page.screenshot(
        new Page.ScreenshotOptions().setPath(SHOTS.resolve(name + ".png")).setFullPage(true));
  }
}
