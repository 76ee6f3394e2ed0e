package nl.veiligpraten.app;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static nl.veiligpraten.app.ConsoleFixtures.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.SelectOption;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import nl.veiligpraten.staff.StaffUser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

@DisplayName(
    "Counselor console in headless Chromium: TOTP login, chat, close, warm transfer, referral with consent")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserIT {

  private static final Path SHOTS = Paths.get("target", "screenshots");

  @TempDir static Path dataDir;
  static Vertx client;
  static WebClient web;
  static RunningApp app;
  static Playwright playwright;
  static Browser browser;
  static Page csgPage;
  static Page vtPage;
  static byte[] csgSecret;
  static StaffUser colleague;
  static StaffUser night;
  static Page nightPage;

  @BeforeAll
  static void setUp() throws Exception {
    client = Vertx.vertx();
    web = WebClient.create(client);
    app = TestApp.start(dataDir);
    colleague =
        ConsoleFixtures.createStaff(
            app, "csg", "csg-colleague", "counselor", "colleague-password", 3);
    ConsoleFixtures.createStaff(app, "csg", "csg-super", "supervisor", "super-password", 3);
    night = ConsoleFixtures.createStaff(app, "csg", "csg-night", "counselor", "night-password", 3);
    ConsoleFixtures.createStaff(app, "csg", "csg-axe", "counselor", "axe-password", 3);
    ConsoleFixtures.createStaff(app, "csg", "csg-admin", "org_admin", "admin-password", 3);
    ConsoleFixtures.Login first = ConsoleFixtures.loginDemo(web, app, "csg");
    csgSecret = ConsoleFixtures.enrolTotp(web, app, first);
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
    app.stopBlocking();
    client.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** Console errors of every page (a CSP violation or a script error shows up here). */
  static final List<String> consoleErrors = new java.util.concurrent.CopyOnWriteArrayList<>();

  static Page newPage() {
    BrowserContext context = browser.newContext();
    Page page = context.newPage();
    page.setDefaultTimeout(15_000);
    page.onConsoleMessage(
        m -> {
          // 401 on /api/me before login is expected; anything else that is an error is not.
          // The outage and expiry tests cause network errors on purpose.
          if ("error".equals(m.type())
              && !m.text().contains("401")
              && !m.text().contains("ERR_INTERNET_DISCONNECTED")
              && !m.text().contains("HTTP Authentication failed")) {
            consoleErrors.add(m.text());
          }
        });
    page.onPageError(e -> consoleErrors.add("page error: " + e));
    return page;
  }

  static void shot(Page page, String name) {
    page.screenshot(
        new Page.ScreenshotOptions().setPath(SHOTS.resolve(name + ".png")).setFullPage(true));
  }

  static Locator chat(Page page, UUID id) {
    return page.locator(".chat[data-conversation-id='" + id + "']");
  }

  static Locator queued(Page page, UUID id) {
    return page.locator("#queue li[data-conversation-id='" + id + "']");
  }

  /** Takes a queued chat in the browser and waits for its panel. */
  static Locator take(Page page, UUID id) {
    queued(page, id).locator(".take-btn").click();
    Locator panel = chat(page, id);
    assertThat(panel).isVisible();
    return panel;
  }

  static void openActions(Locator panel) {
    if (panel.locator("details.actions").getAttribute("open") == null) {
      panel.locator("details.actions summary").click();
    }
  }

  @Test
  @Order(1)
  @DisplayName(
      "log in with password and TOTP, preview and take a chat, exchange messages with a visitor, see "
          + "typing, close with an outcome and a coded tag")
  void loginTakeChatClose() throws Exception {
    csgPage = newPage();
    csgPage.navigate(app.consoleUrl());
    csgPage.fill("#login-user", "csg-demo");
    csgPage.fill("#login-pass", TestApp.demoPassword(app, "csg"));
    csgPage.click("#login-submit");
    assertThat(csgPage.locator("#totp-row")).isVisible();
    csgPage.fill("#login-totp", ConsoleFixtures.nextCode(csgSecret));
    csgPage.click("#login-submit");
    assertThat(csgPage.locator("#app")).isVisible();
    assertThat(csgPage.locator("#conn")).hasText("verbonden");

    ConsoleFixtures.Visitor visitor =
        ConsoleFixtures.queuedVisitor(
            client,
            app,
            "csg",
            new JsonObject().put("Q3", "today").put("Q4", new JsonArray().add("physical")));
    assertThat(queued(csgPage, visitor.conversationId())).isVisible();
    queued(csgPage, visitor.conversationId()).locator(".preview-btn").click();
    assertThat(csgPage.locator("#preview")).containsText("P1");
    // Readable: the questionnaire's words, not the codes.
    assertThat(csgPage.locator("#preview")).containsText("Vandaag");
    assertThat(csgPage.locator("#preview")).not().containsText("physical");
    Locator panel = take(csgPage, visitor.conversationId());
    assertThat(panel.locator(".intake")).containsText("P1");
    visitor.probe().awaitType("assigned");

    visitor.probe().send(new JsonObject().put("type", "typing"));
    assertThat(panel.locator(".typing")).isVisible();
    visitor
        .probe()
        .send(
            new JsonObject()
                .put("type", "message")
                .put("clientId", "v-1")
                .put("body", "Hallo, er is iets gebeurd."));
    assertThat(panel.locator(".messages li.visitor .body")).hasText("Hallo, er is iets gebeurd.");

    panel.locator(".text").fill("Fijn dat je er bent. Ik luister.");
    panel.locator(".send").click();
    JsonObject reply =
        visitor
            .probe()
            .await(
                f ->
                    "message".equals(f.getString("type"))
                        && "counselor".equals(f.getString("from")),
                Duration.ofSeconds(10));
    assertEquals("Fijn dat je er bent. Ik luister.", reply.getString("body"));
    shot(csgPage, "console-chat");

    openActions(panel);
    panel.locator(".outcome").selectOption("advice");
    panel.locator(".tags input[value='safety_plan']").check();
    panel.locator(".close").click();
    assertEquals("advice", visitor.probe().awaitType("closed").getString("outcome"));
    assertThat(panel.locator(".messages li.system")).containsText("gesloten");
    Row row =
        await(
                app.pool()
                    .preparedQuery("SELECT status, outcome, tags FROM conversation WHERE id = $1")
                    .execute(Tuple.of(visitor.conversationId())))
            .iterator()
            .next();
    assertEquals("closed", row.getString("status"));
    assertEquals("advice", row.getString("outcome"));
    assertEquals(List.of("safety_plan"), List.of(row.getArrayOfStrings("tags")));
    visitor.probe().close();
    assertTrue(consoleErrors.isEmpty(), "no script or CSP errors in the page: " + consoleErrors);
  }

  @Test
  @Order(2)
  @DisplayName(
      "warm transfer to a colleague with a note: the colleague is offered the chat with the note and "
          + "accepts; then they get the chat, its history and the note; the visitor is told who took over")
  void warmTransfer() throws Exception {
    ConsoleFixtures.Login colleagueLogin =
        ConsoleFixtures.login(web, app, "csg-colleague", "colleague-password", null);
    WsProbe colleagueSocket =
        WsProbe.connect(
            client, app.consolePort(), "/ws", ConsoleFixtures.origin(app), colleagueLogin.cookie());
    colleagueSocket.awaitType("hello");
    ConsoleFixtures.Visitor visitor = ConsoleFixtures.queuedVisitor(client, app, "csg", null);
    Locator panel = take(csgPage, visitor.conversationId());
    visitor.probe().awaitType("assigned");
    visitor
        .probe()
        .send(
            new JsonObject()
                .put("type", "message")
                .put("clientId", "v-1")
                .put("body", "Ik wil het liever met iemand anders bespreken."));
    assertThat(panel.locator(".messages li.visitor")).isVisible();

    openActions(panel);
    panel.locator(".transfer-to").selectOption(String.valueOf(colleague.id()));
    panel.locator(".transfer-note").fill("Wil niet gebeld worden.");
    panel.locator(".transfer").click();

    // Warm: the colleague is offered the chat with its intake card and the note, and accepts it.
    String id = visitor.conversationId().toString();
    JsonObject offer =
        colleagueSocket.await(
            f ->
                "transfer-offer".equals(f.getString("type"))
                    && id.equals(f.getString("conversationId")),
            Duration.ofSeconds(10));
    assertEquals("Wil niet gebeld worden.", offer.getString("note"));
    assertEquals("csg", offer.getString("helpPoint"));
    assertThat(panel.locator(".transfer-state")).containsText("wacht op akkoord");
    colleagueSocket.send(
        new JsonObject()
            .put("type", "transfer-answer")
            .put("offerId", offer.getString("offerId"))
            .put("accept", true));
    colleagueSocket.await(
        f -> "assigned".equals(f.getString("type")) && id.equals(f.getString("conversationId")),
        Duration.ofSeconds(10));
    JsonObject history =
        colleagueSocket.await(
            f -> "message".equals(f.getString("type")) && id.equals(f.getString("conversationId")),
            Duration.ofSeconds(10));
    assertEquals("Ik wil het liever met iemand anders bespreken.", history.getString("body"));
    JsonObject note =
        colleagueSocket.await(f -> "note".equals(f.getString("type")), Duration.ofSeconds(10));
    assertEquals("transfer", note.getString("kind"));
    assertEquals("Wil niet gebeld worden.", note.getString("body"));
    assertThat(panel.locator(".messages li.system")).containsText("Overgedragen");
    assertEquals(
        "Medewerker csg-colleague",
        visitor
            .probe()
            .await(
                f ->
                    "assigned".equals(f.getString("type"))
                        && "Medewerker csg-colleague".equals(f.getString("counselor")),
                Duration.ofSeconds(10))
            .getString("counselor"));
    Row row =
        await(
                app.pool()
                    .preparedQuery(
                        "SELECT counselor_id, transfer_count, "
                            + "(SELECT count(*) FROM assignment a WHERE a.conversation_id = c.id) AS n FROM conversation c WHERE id = $1")
                    .execute(Tuple.of(visitor.conversationId())))
            .iterator()
            .next();
    assertEquals(colleague.id(), row.getLong("counselor_id"));
    assertEquals(1, row.getInteger("transfer_count"));
    assertEquals(2L, row.getLong("n"));
    // The note never reaches the visitor: the colleague's first reply is a later frame on the
    // visitor's socket, and
    // no frame before it carries the note's text.
    colleagueSocket.send(
        new JsonObject()
            .put("type", "message")
            .put("conversationId", id)
            .put("clientId", "col-1")
            .put("body", "Ik ben er nu voor je."));
    List<JsonObject> beforeReply =
        visitor
            .probe()
            .before(
                f ->
                    "message".equals(f.getString("type"))
                        && "Ik ben er nu voor je.".equals(f.getString("body")),
                Duration.ofSeconds(10));
    assertTrue(
        beforeReply.stream().noneMatch(f -> f.encode().contains("gebeld")),
        "note at the visitor: " + beforeReply);
    shot(csgPage, "console-transfer");
    colleagueSocket.close();
    visitor.probe().close();
  }

  @Test
  @Order(3)
  @DisplayName(
      "referral with consent: the visitor says yes, the other organisation's counselor sees the history, "
          + "and both sides see the referral picked up")
  void referralAccepted() throws Exception {
    vtPage = newPage();
    vtPage.navigate(app.consoleUrl());
    vtPage.fill("#login-user", "veilig-thuis-demo");
    vtPage.fill("#login-pass", TestApp.demoPassword(app, "veilig_thuis"));
    vtPage.click("#login-submit");
    assertThat(vtPage.locator("#app")).isVisible();

    ConsoleFixtures.Visitor visitor = ConsoleFixtures.queuedVisitor(client, app, "csg", null);
    Locator panel = take(csgPage, visitor.conversationId());
    visitor.probe().awaitType("assigned");
    visitor
        .probe()
        .send(
            new JsonObject()
                .put("type", "message")
                .put("clientId", "v-1")
                .put("body", "Het gebeurt thuis, al heel lang."));
    assertThat(panel.locator(".messages li.visitor")).isVisible();

    openActions(panel);
    panel.locator(".refer-to").selectOption(new SelectOption().setValue("veilig_thuis"));
    panel.locator(".refer-note").fill("Thuis niet veilig om te bellen; liever via chat verder.");
    panel.locator(".refer").click();
    JsonObject question = visitor.probe().awaitType("referral");
    assertTrue(
        question.getString("question").startsWith("Mag ik dit gesprek doorsturen naar"),
        question.getString("question"));
    assertThat(panel.locator(".referral-state")).containsText("Toestemming gevraagd");
    visitor
        .probe()
        .send(
            new JsonObject()
                .put("type", "consent")
                .put("referralId", question.getString("referralId"))
                .put("accept", true));
    visitor.probe().awaitType("referral-accepted");
    assertThat(panel.locator(".messages li.system")).containsText("Doorverwezen");

    Locator vtPanel = take(vtPage, visitor.conversationId());
    assertThat(vtPanel.locator(".messages li.visitor .body"))
        .hasText("Het gebeurt thuis, al heel lang.");
    // The handover note, sealed for the receiver and readable now that the visitor consented.
    assertThat(vtPanel.locator(".messages li.note")).containsText("Doorverwezen door Hulpverlener");
    assertThat(vtPanel.locator(".messages li.note .body"))
        .hasText("Thuis niet veilig om te bellen; liever via chat verder.");
    visitor
        .probe()
        .await(
            f ->
                "assigned".equals(f.getString("type"))
                    && "Hulpverlener Veilig Thuis".equals(f.getString("counselor")),
            Duration.ofSeconds(10));
    visitor
        .probe()
        .send(
            new JsonObject().put("type", "message").put("clientId", "v-2").put("body", "Dank je."));
    assertThat(vtPanel.locator(".messages li.visitor .body").last()).hasText("Dank je.");

    String referralId = question.getString("referralId");
    assertThat(vtPage.locator("#referrals li[data-referral-id='" + referralId + "']"))
        .hasAttribute(
            "data-state",
            "picked_up",
            new com.microsoft.playwright.assertions.LocatorAssertions.HasAttributeOptions()
                .setTimeout(15_000));
    assertThat(csgPage.locator("#referrals li[data-referral-id='" + referralId + "']"))
        .hasAttribute(
            "data-state",
            "picked_up",
            new com.microsoft.playwright.assertions.LocatorAssertions.HasAttributeOptions()
                .setTimeout(15_000));
    shot(vtPage, "console-referral-received");

    openActions(vtPanel);
    vtPanel.locator(".outcome").selectOption("listened");
    vtPanel.locator(".close").click();
    visitor.probe().awaitType("closed");
    String state =
        await(
                app.pool()
                    .preparedQuery("SELECT state FROM referral WHERE id = $1")
                    .execute(Tuple.of(UUID.fromString(referralId))))
            .iterator()
            .next()
            .getString(0);
    assertEquals("closed", state);
    // Statistics see the referral as codes: offered, accepted and picked up towards veilig_thuis.
    io.vertx.sqlclient.RowSet<io.vertx.sqlclient.Row> events =
        await(
            app.pool()
                .preparedQuery(
                    "SELECT e.kind, e.to_org FROM stat_event e JOIN stat_case_link l ON l.case_ref = e.case_ref "
                        + "WHERE l.conversation_id = $1 AND e.kind LIKE 'referral_%' ORDER BY e.id")
                .execute(Tuple.of(visitor.conversationId())));
    java.util.List<String> kinds = new java.util.ArrayList<>();
    events.forEach(
        r -> {
          kinds.add(r.getString("kind"));
          assertEquals("veilig_thuis", r.getString("to_org"));
        });
    assertEquals(
        java.util.List.of("referral_offered", "referral_accepted", "referral_picked_up"), kinds);
    visitor.probe().close();
  }

  @Test
  @Order(4)
  @DisplayName(
      "referral declined: the visitor gets the info card and the other organisation sees nothing")
  void referralDeclined() throws Exception {
    ConsoleFixtures.Visitor visitor = ConsoleFixtures.queuedVisitor(client, app, "csg", null);
    Locator panel = take(csgPage, visitor.conversationId());
    visitor.probe().awaitType("assigned");
    visitor
        .probe()
        .send(
            new JsonObject()
                .put("type", "message")
                .put("clientId", "v-1")
                .put("body", "Dit wil ik alleen hier vertellen."));
    assertThat(panel.locator(".messages li.visitor")).isVisible();
    openActions(panel);
    panel.locator(".refer-to").selectOption("veilig_thuis");
    panel.locator(".refer").click();
    JsonObject question = visitor.probe().awaitType("referral");
    visitor
        .probe()
        .send(
            new JsonObject()
                .put("type", "consent")
                .put("referralId", question.getString("referralId"))
                .put("accept", false));
    assertEquals("veilig_thuis", visitor.probe().awaitType("card").getString("helpPoint"));
    assertThat(panel.locator(".referral-state")).containsText("niet doorverwezen");

    ConsoleFixtures.Login vt = ConsoleFixtures.loginDemo(web, app, "veilig_thuis");
    assertEquals(
        404,
        ConsoleFixtures.get(web, app, vt, "/api/conversations/" + visitor.conversationId())
            .statusCode());
    // Veilig Thuis's console is live and shows its queue: a chat queued there after the decline
    // appears in it, and by
    // then the declined chat would have appeared too had it been handed over.
    ConsoleFixtures.Visitor later =
        ConsoleFixtures.queuedVisitor(client, app, "veilig_thuis", null);
    assertThat(queued(vtPage, later.conversationId())).isVisible();
    assertEquals(0, queued(vtPage, visitor.conversationId()).count());
    assertEquals(0, chat(vtPage, visitor.conversationId()).count());
    later.probe().send(new JsonObject().put("type", "bye"));
    later.probe().awaitType("closed");
    later.probe().close();
    long keys =
        await(
                app.pool()
                    .preparedQuery(
                        "SELECT count(*) FROM conversation_key WHERE conversation_id = $1 "
                            + "AND org_id = 'veilig_thuis'")
                    .execute(Tuple.of(visitor.conversationId())))
            .iterator()
            .next()
            .getLong(0);
    assertEquals(0L, keys);
    Row conv =
        await(
                app.pool()
                    .preparedQuery("SELECT org_id, status FROM conversation WHERE id = $1")
                    .execute(Tuple.of(visitor.conversationId())))
            .iterator()
            .next();
    assertEquals("csg", conv.getString("org_id"));
    assertEquals("assigned", conv.getString("status"));
    assertThrows(
        Exception.class,
        () -> await(app.transcripts().read(visitor.conversationId(), "veilig_thuis", 0, 10)));
    // The chat goes on with the same counselor.
    panel.locator(".text").fill("Dat is goed, we praten hier verder.");
    panel.locator(".send").click();
    visitor
        .probe()
        .await(
            f -> "message".equals(f.getString("type")) && "counselor".equals(f.getString("from")),
            Duration.ofSeconds(10));
    shot(csgPage, "console-referral-declined");
    visitor.probe().close();
    assertTrue(consoleErrors.isEmpty(), "no script or CSP errors in the pages: " + consoleErrors);
  }

  @Test
  @Order(5)
  @DisplayName(
      "supervisor: the board alerts on a P1 chat waiting past its target; silent join and a whisper the "
          + "counselor sees and the visitor never does")
  void supervisorBoardJoinWhisper() throws Exception {
    ConsoleFixtures.Visitor visitor =
        ConsoleFixtures.queuedVisitor(
            client,
            app,
            "csg",
            new JsonObject().put("Q3", "today").put("Q4", new JsonArray().add("physical")));
    await(
        app.pool()
            .preparedQuery(
                "UPDATE conversation SET queued_at = now() - interval '5 minutes' WHERE id = $1")
            .execute(Tuple.of(visitor.conversationId())));
    Page sup = newPage();
    sup.onDialog(d -> d.accept("kwaliteitscontrole"));
    sup.navigate(app.consoleUrl());
    sup.fill("#login-user", "csg-super");
    sup.fill("#login-pass", "super-password");
    sup.click("#login-submit");
    assertThat(sup.locator("#board")).isVisible();
    assertThat(sup.locator("#board-alerts li")).containsText("P1");
    shot(sup, "console-board-alert");

    take(csgPage, visitor.conversationId());
    visitor.probe().awaitType("assigned");
    Locator join =
        sup.locator(
            "#board-active li[data-conversation-id='" + visitor.conversationId() + "'] .join-btn");
    join.click();
    Locator watched = chat(sup, visitor.conversationId());
    assertThat(watched).isVisible();
    assertThat(watched.locator(".observer-flag")).isVisible();
    assertThat(watched.locator(".compose")).isHidden();
    watched.locator(".whisper-text").fill("Vraag of ze nu veilig is.");
    watched.locator(".whisper-send").click();
    assertThat(chat(csgPage, visitor.conversationId()).locator(".messages li.note"))
        .containsText("Vraag of ze nu veilig is.");
    // The counselor's next message is a later frame on the visitor's socket; no frame before it
    // carries the whisper.
    Locator counselorPanel = chat(csgPage, visitor.conversationId());
    counselorPanel.locator(".text").fill("Hoe gaat het nu met je?");
    counselorPanel.locator(".send").click();
    List<JsonObject> beforeReply =
        visitor
            .probe()
            .before(
                f ->
                    "message".equals(f.getString("type"))
                        && "Hoe gaat het nu met je?".equals(f.getString("body")),
                Duration.ofSeconds(10));
    // The whisper's own words (a help point's easy-read description also says "veilig is"), and no
    // note frame.
    assertTrue(
        beforeReply.stream()
            .noneMatch(
                f ->
                    f.encode().contains("Vraag of ze nu veilig")
                        || "note".equals(f.getString("type"))),
        "the visitor never receives a whisper: " + beforeReply);
    shot(csgPage, "console-whisper");
    visitor.probe().close();
    assertTrue(consoleErrors.isEmpty(), "no script or CSP errors in the pages: " + consoleErrors);
  }

  static void signIn(Page page, String user, String password) {
    page.fill("#login-user", user);
    page.fill("#login-pass", password);
    page.click("#login-submit");
    assertThat(page.locator("#app")).isVisible();
  }

  @Test
  @Order(6)
  @DisplayName(
      "nothing lost: a message typed while the server cannot be reached shows 'verzenden…', is resent with "
          + "its clientId after the reconnect and reaches the visitor exactly once")
  void outboxSurvivesAnOutage() throws Exception {
    nightPage = newPage();
    nightPage.setViewportSize(1280, 720);
    nightPage.onWebSocket(
        ws ->
            ws.onFrameReceived(
                frame -> {
                  if (frame.text() != null && frame.text().contains("\"type\":\"queue\"")) {
                    nightQueueFrames.incrementAndGet();
                  }
                }));
    nightPage.navigate(app.consoleUrl());
    signIn(nightPage, "csg-night", "night-password");
    assertThat(nightPage.locator("#conn")).hasText("verbonden");
    ConsoleFixtures.Visitor visitor = ConsoleFixtures.queuedVisitor(client, app, "csg", null);
    Locator panel = take(nightPage, visitor.conversationId());
    visitor.probe().awaitType("assigned");

    nightPage.context().setOffline(true);
    assertThat(nightPage.locator("#conn")).containsText("Geen verbinding, we proberen het opnieuw");
    panel.locator(".text").fill("Ben je er nog? Ik ben even weg geweest.");
    panel.locator(".send").click();
    Locator mine = panel.locator(".messages li.counselor").last();
    assertThat(mine.locator(".meta")).hasText("verzenden…");
    assertThat(nightPage.locator("#conn")).containsText("1 bericht");
    shot(nightPage, "console-outbox-offline");

    nightPage.context().setOffline(false);
    JsonObject delivered =
        visitor
            .probe()
            .await(
                f ->
                    "message".equals(f.getString("type"))
                        && "counselor".equals(f.getString("from")),
                Duration.ofSeconds(20));
    assertEquals("Ben je er nog? Ik ben even weg geweest.", delivered.getString("body"));
    assertThat(mine.locator(".meta")).containsText("verzonden");
    assertThat(nightPage.locator("#conn")).hasText("verbonden");
    // A later message is the marker: once it has arrived, a duplicate of the first would have
    // arrived before it.
    panel.locator(".text").fill("Ik ben er weer.");
    panel.locator(".send").click();
    java.util.concurrent.atomic.AtomicInteger again =
        new java.util.concurrent.atomic.AtomicInteger();
    visitor
        .probe()
        .await(
            f -> {
              if ("message".equals(f.getString("type"))
                  && "Ben je er nog? Ik ben even weg geweest.".equals(f.getString("body"))) {
                again.incrementAndGet();
              }
              return "message".equals(f.getString("type"))
                  && "Ik ben er weer.".equals(f.getString("body"));
            },
            Duration.ofSeconds(10));
    assertEquals(0, again.get(), "the resent message reached the visitor once, not twice");
    long stored =
        await(
                app.pool()
                    .preparedQuery(
                        "SELECT count(*) FROM message WHERE conversation_id = $1 "
                            + "AND sender = 'counselor'")
                    .execute(Tuple.of(visitor.conversationId())))
            .iterator()
            .next()
            .getLong(0);
    assertEquals(2L, stored);
    assertEquals(2, panel.locator(".messages li.counselor").count());
    // Waiting assertion: the visitor can receive the marker a moment before the console has handled
    // its ack
    // (both follow the same commit), so the marker may still show 'verzenden…' for that moment (CI
    // saw it once).
    assertThat(panel.locator(".messages li.pending, .messages li.failed")).hasCount(0);
    nightVisitor = visitor;
  }

  static ConsoleFixtures.Visitor nightVisitor;
  static final java.util.concurrent.atomic.AtomicInteger nightQueueFrames =
      new java.util.concurrent.atomic.AtomicInteger();

  @Test
  @Order(7)
  @DisplayName(
      "sessions that end: an expired session shows the sign-in screen instead of 'niet verbonden', and the "
          + "draft is still there after signing in again")
  void expiredSessionShowsSignIn() throws Exception {
    Locator panel = chat(nightPage, nightVisitor.conversationId());
    panel.locator(".text").fill("Een concept dat niet verloren mag gaan.");
    await(
        app.pool()
            .preparedQuery(
                "UPDATE staff_session SET last_seen_at = now() - interval '2 days' "
                    + "WHERE user_id = $1")
            .execute(Tuple.of(night.id())));
    // The connection drops (a network blip); the reconnect meets the expired session.
    nightPage.context().setOffline(true);
    nightPage.context().setOffline(false);
    assertThat(nightPage.locator("#login")).isVisible();
    assertThat(nightPage.locator("#app")).isHidden();
    assertThat(nightPage.locator("#login-notice")).containsText("sessie");
    shot(nightPage, "console-session-ended");
    nightPage.fill("#login-pass", "night-password");
    nightPage.click("#login-submit");
    assertThat(nightPage.locator("#app")).isVisible();
    assertThat(nightPage.locator("#conn")).hasText("verbonden");
    assertThat(panel.locator(".text")).hasValue("Een concept dat niet verloren mag gaan.");
    panel.locator(".send").click();
    nightVisitor
        .probe()
        .await(
            f ->
                "message".equals(f.getString("type"))
                    && "Een concept dat niet verloren mag gaan.".equals(f.getString("body")),
            Duration.ofSeconds(10));
  }

  @Test
  @Order(8)
  @DisplayName(
      "the visitor deletes the chat: its messages leave the console at once and the composer closes")
  void deletedChatCloses() throws Exception {
    Locator panel = chat(nightPage, nightVisitor.conversationId());
    nightVisitor
        .probe()
        .send(
            new JsonObject()
                .put("type", "message")
                .put("clientId", "v-del")
                .put("body", "Dit wil ik toch niet."));
    assertThat(panel.locator(".messages li.visitor .body").last()).hasText("Dit wil ik toch niet.");
    nightVisitor.probe().send(new JsonObject().put("type", "delete"));
    nightVisitor.probe().awaitType("deleted");
    assertThat(panel.locator(".messages li.system"))
        .containsText("De bezoeker heeft het gesprek gewist.");
    assertThat(panel.locator(".messages li.visitor")).hasCount(0);
    assertThat(panel.locator(".messages li.counselor")).hasCount(0);
    assertThat(panel.locator(".compose")).isHidden();
    shot(nightPage, "console-deleted");
    nightVisitor.probe().close();
    assertTrue(consoleErrors.isEmpty(), "no script or CSP errors in the pages: " + consoleErrors);
  }

  @Test
  @Order(9)
  @DisplayName(
      "three chats at 1280x720: no horizontal scrolling, each told apart in the list; a message in a "
          + "background chat shows an unread marker and the title count; Alt+arrow moves between chats; closing needs an "
          + "outcome")
  void threeChatsUnreadAndOutcome() throws Exception {
    chat(nightPage, nightVisitor.conversationId()).locator(".dismiss").click();
    List<ConsoleFixtures.Visitor> visitors = new java.util.ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ConsoleFixtures.Visitor v =
          ConsoleFixtures.queuedVisitor(
              client,
              app,
              "csg",
              i == 0
                  ? new JsonObject()
                      .put("Q1", "victim")
                      .put("Q3", "today")
                      .put("Q4", new JsonArray().add("physical"))
                  : null,
              i == 0 ? "en" : null);
      take(nightPage, v.conversationId());
      v.probe().awaitType("assigned");
      visitors.add(v);
    }
    Locator items = nightPage.locator("#chat-list li");
    assertThat(items).hasCount(3);
    Locator first =
        nightPage.locator(
            "#chat-list li[data-conversation-id='" + visitors.get(0).conversationId() + "']");
    assertThat(first)
        .containsText(
            "Gesprek " + visitors.get(0).conversationId().toString().substring(0, 4).toUpperCase());
    assertThat(first).containsText("P1");
    assertThat(first).containsText("Centrum Seksueel Geweld");
    // The last one taken is open; a message in the first (background) chat is marked and counted in
    // the title.
    assertThat(chat(nightPage, visitors.get(2).conversationId())).isVisible();
    visitors
        .get(0)
        .probe()
        .send(
            new JsonObject()
                .put("type", "message")
                .put("clientId", "v-bg")
                .put("body", "Ben je daar?"));
    assertThat(first.locator(".unread")).hasText("1 ongelezen");
    assertThat(nightPage).hasTitle(java.util.regex.Pattern.compile("^\\(1\\) Veilig Praten"));
    assertThat(first.locator(".timer")).containsText("wacht op antwoord");
    // Readable intake: words from the questionnaire, not codes.
    Locator intake = chat(nightPage, visitors.get(0).conversationId()).locator(".intake");
    assertThat(intake).containsText("Er is iets met mij gebeurd");
    assertThat(intake).containsText("Waarom");
    // The page's reading mode reached the card, and statistics count it as English.
    assertThat(intake.locator(".mode")).hasText("Engels");
    assertThat(first).containsText("Engels");
    String lang =
        await(
                app.pool()
                    .preparedQuery(
                        "SELECT e.lang FROM stat_event e JOIN stat_case_link l "
                            + "ON l.case_ref = e.case_ref WHERE l.conversation_id = $1 AND e.kind = 'queued'")
                    .execute(Tuple.of(visitors.get(0).conversationId())))
            .iterator()
            .next()
            .getString(0);
    assertEquals("en", lang);
    shot(nightPage, "console-three-chats-1280");
    Number scroll =
        (Number)
            nightPage.evaluate(
                "() => document.documentElement.scrollWidth - "
                    + "document.documentElement.clientWidth");
    assertEquals(0, scroll.intValue(), "no horizontal scrolling at 1280x720");
    for (int i = 0; i < 3; i++) {
      assertThat(items.nth(i)).isInViewport();
    }
    Locator open = chat(nightPage, visitors.get(2).conversationId());
    assertThat(open.locator(".send")).isInViewport();
    assertThat(open.locator(".text")).isInViewport();

    // Alt+ArrowDown from the last chat wraps to the first: it opens, and its marker and the title
    // count go.
    nightPage.keyboard().press("Alt+ArrowDown");
    Locator bg = chat(nightPage, visitors.get(0).conversationId());
    assertThat(bg).isVisible();
    assertThat(bg.locator(".messages li.visitor .body")).hasText("Ben je daar?");
    // A right-to-left override in visitor text stays inside its own message: isolated, so it cannot
    // reverse the
    // time or anything the page puts after it.
    visitors
        .get(0)
        .probe()
        .send(
            new JsonObject()
                .put("type", "message")
                .put("clientId", "v-rlo")
                .put("body", "\u202Eevil"));
    Locator rlo = bg.locator(".messages li.visitor .body").last();
    assertThat(rlo).hasText("\u202Eevil");
    assertEquals("BDI", rlo.evaluate("e => e.tagName"));
    assertEquals("isolate", rlo.evaluate("e => getComputedStyle(e).unicodeBidi"));
    assertThat(first.locator(".unread")).isHidden();
    assertThat(nightPage).hasTitle(java.util.regex.Pattern.compile("^Veilig Praten"));
    // Enter sends from the focused composer.
    bg.locator(".text").fill("Ja, ik ben er.");
    bg.locator(".text").press("Enter");
    visitors
        .get(0)
        .probe()
        .await(f -> "Ja, ik ben er.".equals(f.getString("body")), Duration.ofSeconds(10));

    // No outcome chosen: nothing is closed.
    nightPage.keyboard().press("Alt+KeyW");
    assertThat(bg.locator(".outcome")).isFocused();
    assertThat(bg.locator(".outcome")).hasValue("");
    bg.locator(".close").click();
    assertThat(bg.locator(".close-error")).containsText("uitkomst");
    String status =
        await(
                app.pool()
                    .preparedQuery("SELECT status FROM conversation WHERE id = $1")
                    .execute(Tuple.of(visitors.get(0).conversationId())))
            .iterator()
            .next()
            .getString(0);
    assertEquals("assigned", status);
    bg.locator(".outcome").selectOption("listened");
    bg.locator(".close").click();
    assertEquals("listened", visitors.get(0).probe().awaitType("closed").getString("outcome"));
    for (ConsoleFixtures.Visitor v : visitors) {
      v.probe().close();
    }
    assertTrue(consoleErrors.isEmpty(), "no script or CSP errors in the pages: " + consoleErrors);
  }

  @Test
  @Order(10)
  @DisplayName(
      "wait timers keep ticking in the page with no frame from the server, and turn to 'te lang' at the "
          + "help point's target")
  void timersTickWithoutFrames() throws Exception {
    ConsoleFixtures.Visitor waiting =
        ConsoleFixtures.queuedVisitor(
            client,
            app,
            "csg",
            new JsonObject().put("Q3", "today").put("Q4", new JsonArray().add("physical")));
    int target =
        Integer.parseInt(
            queued(nightPage, waiting.conversationId())
                .locator(".timer")
                .getAttribute("data-target"));
    await(
        app.pool()
            .preparedQuery(
                "UPDATE conversation SET queued_at = now() - make_interval(secs => $2) "
                    + "WHERE id = $1")
            .execute(Tuple.of(waiting.conversationId(), (double) (target - 6))));
    // A second visitor makes the server push the queue once more, now 6 s short of the target.
    ConsoleFixtures.Visitor other = ConsoleFixtures.queuedVisitor(client, app, "csg", null);
    Locator timer = queued(nightPage, waiting.conversationId()).locator(".timer");
    assertThat(timer).hasClass(java.util.regex.Pattern.compile("t-warn"));
    int frames = nightQueueFrames.get();
    assertThat(timer)
        .hasClass(
            java.util.regex.Pattern.compile("t-over"),
            new com.microsoft.playwright.assertions.LocatorAssertions.HasClassOptions()
                .setTimeout(15_000));
    assertThat(timer).containsText("te lang");
    assertThat(queued(nightPage, waiting.conversationId()))
        .hasClass(java.util.regex.Pattern.compile("overdue"));
    assertEquals(
        frames, nightQueueFrames.get(), "the timer moved on with no queue frame from the server");
    waiting.probe().close();
    other.probe().close();
  }

  /**
   * Runs axe-core (from the npm package, injected by Playwright: no third-party host) and asserts 0
   * violations.
   */
  static void assertNoAxeViolations(Page page, String screen) throws Exception {
    // Evaluated through the DevTools protocol: the page's strict CSP (no inline script) stays as it
    // is.
    page.evaluate(AxeCore.source());
    String json =
        (String)
            page.evaluate(
                "async () => JSON.stringify((await axe.run(document)).violations"
                    + ".map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)})))");
    JsonArray violations = new JsonArray(json);
    assertEquals(
        0,
        violations.size(),
        "axe violations on the " + screen + " screen: " + violations.encodePrettily());
  }

  @Test
  @Order(11)
  @DisplayName(
      "axe-core reports 0 violations on every console screen (sign-in, enrolment, queue, chat, board, "
          + "admin, statistics); the enrolment QR code decodes to the enrolment URI")
  void accessibilityAndEnrolmentQr() throws Exception {
    Page p = newPage();
    p.setViewportSize(1280, 720);
    p.navigate(app.consoleUrl());
    assertThat(p.locator("#login")).isVisible();
    assertNoAxeViolations(p, "sign-in");
    signIn(p, "csg-axe", "axe-password");
    assertThat(p.locator("#conn")).hasText("verbonden");

    // Enrolment: a QR code drawn on the server, and the key for typing in.
    p.click("#enrol-btn");
    assertThat(p.locator("#enrol-qr")).isVisible();
    String src = p.locator("#enrol-qr").getAttribute("src");
    assertTrue(src.startsWith("data:image/png;base64,"), src);
    java.awt.image.BufferedImage img =
        javax.imageio.ImageIO.read(
            new java.io.ByteArrayInputStream(
                java.util.Base64.getDecoder().decode(src.substring(src.indexOf(',') + 1))));
    int[] rgb = img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
    com.google.zxing.Result decoded =
        new com.google.zxing.qrcode.QRCodeReader()
            .decode(
                new com.google.zxing.BinaryBitmap(
                    new com.google.zxing.common.HybridBinarizer(
                        new com.google.zxing.RGBLuminanceSource(
                            img.getWidth(), img.getHeight(), rgb))));
    String uri = p.locator("#enrol-uri").textContent();
    assertTrue(uri.startsWith("otpauth://totp/"), uri);
    assertEquals(uri, decoded.getText());
    assertThat(p.locator("#enrol-secret")).not().isEmpty();
    assertNoAxeViolations(p, "enrolment");

    ConsoleFixtures.Visitor visitor =
        ConsoleFixtures.queuedVisitor(
            client,
            app,
            "csg",
            new JsonObject().put("Q3", "today").put("Q4", new JsonArray().add("physical")),
            "nl_easy");
    assertThat(queued(p, visitor.conversationId())).isVisible();
    queued(p, visitor.conversationId()).locator(".preview-btn").click();
    assertThat(p.locator("#preview")).containsText("makkelijke taal");
    assertNoAxeViolations(p, "queue");

    Locator panel = take(p, visitor.conversationId());
    visitor.probe().awaitType("assigned");
    visitor
        .probe()
        .send(new JsonObject().put("type", "message").put("clientId", "v-a").put("body", "Hoi."));
    assertThat(panel.locator(".messages li.visitor")).hasCount(1);
    panel.locator(".text").fill("Hallo, fijn dat je er bent.");
    panel.locator(".send").click();
    assertThat(panel.locator(".messages li.counselor .meta")).containsText("verzonden");
    assertThat(panel.locator(".intake .mode")).hasText("makkelijke taal");
    openActions(panel);
    assertNoAxeViolations(p, "chat");
    shot(p, "console-axe-chat");

    Page sup = newPage();
    sup.navigate(app.consoleUrl());
    signIn(sup, "csg-super", "super-password");
    assertThat(sup.locator("#board")).isVisible();
    assertThat(sup.locator("#board-active li")).not().hasCount(0);
    assertNoAxeViolations(sup, "board");

    Page admin = newPage();
    admin.navigate(app.consoleUrl());
    signIn(admin, "csg-admin", "admin-password");
    assertThat(admin.locator("#canned-admin")).isVisible();
    assertNoAxeViolations(admin, "admin");
    admin.navigate(app.consoleUrl() + "stats/");
    assertThat(admin.locator("#filters")).isVisible();
    assertNoAxeViolations(admin, "statistics");
    visitor.probe().close();
    assertTrue(consoleErrors.isEmpty(), "no script or CSP errors in the pages: " + consoleErrors);
  }
}
