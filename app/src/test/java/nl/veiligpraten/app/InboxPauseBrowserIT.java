package nl.veiligpraten.app;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static nl.veiligpraten.app.ConsoleFixtures.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import nl.veiligpraten.infra.web.Secrets;
import nl.veiligpraten.presence.LivenessSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19 in real Chromium on a phone viewport: a message left at a closed help point, answered in
 * the console and read with its code on a fresh page; "ik kan nu even niet praten" with the page's
 * socket gone for longer than the drop grace; and no Shift hint on a touch-only phone. The drop
 * grace is 2 s and the pause grace 60 s, so "a pause of five minutes" is a pause several times
 * longer than the drop grace, and the control visitor proves the drop grace really ran out
 * meanwhile.
 */
@DisplayName("Visitor page (phone, Chromium): messages by code, pause, Shift hint")
class InboxPauseBrowserIT {

  static final int DROP_GRACE_SECONDS = 2;
  static final int PAUSE_GRACE_SECONDS = 60;

  @TempDir static Path dataDir;
  @TempDir static Path configDir;
  static RunningApp app;
  static Vertx client;
  static VisitorBrowser browser;

  @BeforeAll
  static void setUp() throws Exception {
    // Mores is closed all week here, so the closed screen shows at any time of day (as in
    // VisitorPageIT).
    String helpPoints;
    try (var in =
        InboxPauseBrowserIT.class.getClassLoader().getResourceAsStream("config/help-points.yaml")) {
      helpPoints = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    int mores = helpPoints.indexOf("- id: mores");
    int hours = helpPoints.indexOf("openingHours:", mores);
    int end = helpPoints.indexOf("retentionDays:", hours);
    String closed =
        "openingHours:\n"
            + "      mon: closed\n      tue: closed\n      wed: closed\n      thu: closed\n      fri: closed\n"
            + "      sat: closed\n      sun: closed\n    ";
    Files.writeString(
        configDir.resolve("help-points.yaml"),
        helpPoints.substring(0, hours) + closed + helpPoints.substring(end));
    LivenessSettings d = LivenessSettings.DEFAULTS;
    AppSettings settings =
        AppSettings.forTest(dataDir)
            .withConfigDir(configDir)
            .withQueueGraceSeconds(DROP_GRACE_SECONDS)
            .withLiveness(
                new LivenessSettings(
                    d.socketSilenceSeconds(),
                    d.clientPingSeconds(),
                    d.pongTimeoutSeconds(),
                    d.presenceLeaseSeconds(),
                    d.counselorGraceSeconds(),
                    PAUSE_GRACE_SECONDS,
                    d.nodeId()));
    app = TestApp.start(settings);
    client = Vertx.vertx();
    browser = new VisitorBrowser();
    ConsoleFixtures.createStaff(app, "mores", "mores-inbox", "counselor", "inbox-password", 3);
    ConsoleFixtures.createStaff(app, "veilig_thuis", "vt-pause", "counselor", "pause-password", 3);
  }

  @AfterAll
  static void tearDown() throws Exception {
    browser.close();
    client.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    app.stopBlocking();
  }

  static Locator screen(Page page, String name) {
    Locator screen = page.locator("#screen[data-screen=" + name + "]");
    assertThat(screen).isVisible(new LocatorAssertions.IsVisibleOptions().setTimeout(15_000));
    return screen;
  }

  static Page console(BrowserContext context, String user, String password) {
    Page page = context.newPage();
    page.setDefaultTimeout(15_000);
    page.navigate(app.consoleUrl());
    page.fill("#login-user", user);
    page.fill("#login-pass", password);
    page.click("#login-submit");
    assertThat(page.locator("#app")).isVisible();
    assertThat(page.locator("#conn")).hasText("verbonden");
    return page;
  }

  static Row row(String sql, Object... params) throws Exception {
    return await(app.pool().preparedQuery(sql).execute(Tuple.from(params))).iterator().next();
  }

  static void awaitTrue(
      String what, java.util.concurrent.Callable<Boolean> condition, Duration timeout)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.call()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for: " + what);
      }
      Thread.sleep(100);
    }
  }

  @Test
  @DisplayName(
      "a message left at a closed help point is answered in the console and read with the code on a fresh "
          + "page, where the visitor writes back; while the visitor is there, the counselor turns it into a live chat")
  void messageByCode() throws Exception {
    String code;
    String question =
        "Ik werk bij een theater en er gebeurde iets bij de repetitie. Mag ik dat hier vertellen?";
    try (BrowserContext phone = browser.phone()) {
      Page page = phone.newPage();
      page.navigate("http://127.0.0.1:" + app.visitorPort() + "/");
      page.locator("button[data-code=no]").click();
      for (int i = 0; i < 12; i++) {
        page.waitForSelector("#screen[data-screen=question], #screen[data-screen=suggestions]");
        if (page.locator("#screen[data-screen=suggestions]").count() > 0) {
          break;
        }
        String q = page.locator("#screen").getAttribute("data-question");
        if ("Q5".equals(q)) {
          page.locator("button[data-code=culture_media]").click();
        } else {
          page.locator("#skip").click();
        }
        page.waitForFunction(
            "q => document.getElementById('screen').getAttribute('data-question') !== q", q);
      }
      Locator mores = screen(page, "suggestions").locator("article[data-help-point=mores]");
      // Leaving a message is always a choice on a queue card, also before knowing it is closed.
      assertThat(mores.locator("button[data-leave=mores]")).isVisible();
      mores.locator("button[data-help-point=mores]").click();
      screen(page, "unavailable");
      assertThat(page.locator("#leave-offer")).containsText("Liever een bericht sturen?");
      page.locator("#leave-offer button[data-leave=mores]").click();
      screen(page, "leave");
      assertThat(page.locator("#screen-title")).hasText("Bericht voor Mores");
      assertThat(page.locator("#screen")).containsText("geen naam, telefoonnummer of e-mailadres");
      // Empty: nothing is sent.
      page.locator("#leave-send").click();
      assertThat(page.locator("#screen[data-screen=leave]")).isVisible();
      page.locator("#leave-body").fill(question);
      page.locator("#leave-send").click();
      screen(page, "inbox");
      assertThat(page.locator("#screen-title")).hasText("Je bericht is bewaard");
      code = page.locator("#message-code").textContent().replace(" ", "");
      assertTrue(code.matches("[A-Z2-9]{16}"), code);
      assertThat(page.locator("#log")).containsText(question);
      assertThat(page.locator("#inbox-status"))
          .hasText("Nog geen antwoord. Kom later terug met je code.");
      VisitorBrowser.screenshot(page, "visitor-19-message-left");
      // One tap wipes the screen: nothing of the message or the code stays, and the page has no
      // storage.
      page.locator("#wipe").click();
      screen(page, "question");
      assertThat(page.locator("body")).not().containsText(question);
      assertEquals(
          0, ((Number) page.evaluate("localStorage.length + sessionStorage.length")).intValue());
    }
    UUID id =
        await(
                app.pool()
                    .preparedQuery(
                        "SELECT id FROM conversation WHERE status = 'inbox' "
                            + "AND help_point = 'mores'")
                    .execute())
            .iterator()
            .next()
            .getUUID(0);

    try (BrowserContext desk =
            browser.browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 900));
        BrowserContext fresh = browser.phone()) {
      Page console = console(desk, "mores-inbox", "inbox-password");
      Locator item = console.locator("#inbox li[data-conversation-id='" + id + "']");
      assertThat(item).containsText("Wacht op antwoord");
      item.locator(".inbox-open-btn").click();
      Locator thread = console.locator("#inbox-thread");
      assertThat(thread.locator(".messages li.visitor .body")).hasText(question);
      // The intake card is readable: the questionnaire's words.
      assertThat(thread).containsText("Mores");
      String answer = "Ja, dat mag. Wat fijn dat je schrijft. Wil je vertellen wat er gebeurde?";
      thread.locator(".inbox-text").fill(answer);
      thread.locator(".inbox-send").click();
      assertThat(thread.locator(".messages li.counselor .body")).hasText(answer);
      assertThat(item).containsText("Beantwoord");
      VisitorBrowser.screenshot(console, "console-19-inbox-answered");
      // Issue 18: every console screen has 0 axe-core violations, the inbox too.
      ConsoleBrowserIT.assertNoAxeViolations(console, "inbox");

      // A fresh page, with the code only.
      Page page = fresh.newPage();
      page.navigate("http://127.0.0.1:" + app.visitorPort() + "/");
      page.locator("#have-code").click();
      screen(page, "resume");
      page.locator("#resume-code")
          .fill(code.substring(0, 4) + " " + code.substring(4, 8) + " " + code.substring(8));
      page.locator("#resume-form button[type=submit]").click();
      screen(page, "inbox");
      assertThat(page.locator("#screen-title")).hasText("Je berichten");
      assertThat(page.locator("#log li.them")).containsText(answer);
      assertThat(page.locator("#log li.me")).containsText(question);
      // The code is not shown again on a page opened with it.
      assertEquals(0, page.locator("#message-code").count());
      VisitorBrowser.screenshot(page, "visitor-19-answer-read");
      page.locator("#message").fill("Dank je. Het was tijdens de generale repetitie.");
      page.locator("#send").click();
      assertThat(page.locator("#log li.me").last()).containsText("verstuurd");
      assertThat(thread.locator(".messages li.visitor .body").last())
          .hasText("Dank je. Het was tijdens de generale repetitie.");
      // The visitor is on the page now: the counselor can turn the thread into a live chat.
      assertThat(item).containsText("Bezoeker is er nu");
      thread.locator(".inbox-take").click();
      Locator panel = console.locator(".chat[data-conversation-id='" + id + "']");
      assertThat(panel).isVisible();
      screen(page, "chat");
      assertThat(page.locator("#status")).containsText("Je praat nu met");
      panel.locator(".text").fill("Ik ben er nu, we kunnen chatten.");
      panel.locator(".send").click();
      assertThat(page.locator("#log li.them").last())
          .containsText("Ik ben er nu, we kunnen chatten.");
      assertEquals(
          "assigned", row("SELECT status FROM conversation WHERE id = $1", id).getString(0));
    }
  }

  @Test
  @DisplayName(
      "pause hides the chat behind a neutral screen, the console shows the pause, and the queue place "
          + "survives a socket drop far longer than the drop grace, while a visitor who did not pause loses theirs")
  void pause() throws Exception {
    try (BrowserContext phone = browser.phone();
        BrowserContext desk =
            browser.browser.newContext(
                new Browser.NewContextOptions().setViewportSize(1280, 900))) {
      Page page = phone.newPage();
      page.navigate("http://127.0.0.1:" + app.visitorPort() + "/");
      page.locator("#talk-now").click();
      screen(page, "chat");
      assertThat(page.locator("#screen-title")).hasText("Je bent in de wachtrij");
      UUID id =
          await(
                  app.pool()
                      .preparedQuery(
                          "SELECT id FROM conversation WHERE status = 'queued' "
                              + "AND help_point = 'triage' ORDER BY queued_at DESC LIMIT 1")
                      .execute())
              .iterator()
              .next()
              .getUUID(0);

      // Control: a visitor who drops without pausing.
      WsProbe control =
          WsProbe.connect(
              client, app.visitorPort(), "/ws", "http://127.0.0.1:" + app.visitorPort(), null);
      control.send(new JsonObject().put("type", "hello").put("v", 1));
      String controlToken = control.awaitType("welcome").getString("resumeToken");
      control.send(new JsonObject().put("type", "choose").put("helpPoint", "triage"));
      control.await(
          f -> List.of("queued", "assigned").contains(f.getString("type")), Duration.ofSeconds(20));
      UUID controlId =
          await(
                  app.pool()
                      .preparedQuery("SELECT id FROM conversation WHERE resume_hash = $1")
                      .execute(Tuple.of(Buffer.buffer(Secrets.sha256(controlToken)))))
              .iterator()
              .next()
              .getUUID(0);

      page.locator("#pause").click();
      screen(page, "paused");
      assertThat(page.locator("#screen-title")).hasText("Weer");
      assertEquals(0, page.locator("#log").count(), "no message log on the neutral screen");
      assertThat(page.locator("#exit")).isHidden();
      assertThat(page.locator("#talk-now")).isHidden();
      assertThat(page.locator("body")).not().containsText("wachtrij");
      VisitorBrowser.screenshot(page, "visitor-19-paused");
      awaitTrue(
          "pause stored",
          () -> row("SELECT visitor_paused FROM conversation WHERE id = $1", id).getBoolean(0),
          Duration.ofSeconds(10));

      // The phone goes in a pocket: the page's socket is gone (the page drops it when the network
      // goes away).
      phone.setOffline(true);
      awaitTrue(
          "paused visitor counted as gone",
          () ->
              row("SELECT visitor_left_at IS NOT NULL FROM conversation " + "WHERE id = $1", id)
                  .getBoolean(0),
          Duration.ofSeconds(15));
      // The control drops after the paused visitor did. The sweep that closes it (once its drop
      // grace is over) is
      // the marker: that sweep saw the paused chat gone for longer than the drop grace too, and
      // left it queued.
      control.close();
      awaitTrue(
          "control visitor abandoned after the drop grace",
          () ->
              "closed"
                  .equals(
                      row("SELECT status FROM conversation WHERE id = $1", controlId).getString(0)),
          Duration.ofSeconds(30));
      assertEquals(
          "abandoned",
          row("SELECT outcome FROM conversation WHERE id = $1", controlId).getString(0));
      Row paused =
          row(
              "SELECT status, extract(epoch FROM now() - visitor_left_at) FROM conversation WHERE id = $1",
              id);
      assertEquals("queued", paused.getString(0));
      assertTrue(paused.getDouble(1) > DROP_GRACE_SECONDS, "away " + paused.getDouble(1) + " s");

      // Back: the page reconnects by itself, still on the neutral screen, and pauses again on the
      // server.
      phone.setOffline(false);
      awaitTrue(
          "visitor back",
          () ->
              row(
                      "SELECT visitor_left_at IS NULL AND visitor_paused FROM conversation "
                          + "WHERE id = $1",
                      id)
                  .getBoolean(0),
          Duration.ofSeconds(30));
      assertThat(page.locator("#screen[data-screen=paused]")).isVisible();
      page.locator("#pause-back").click();
      screen(page, "chat");
      assertThat(page.locator("#screen-title")).hasText("Je bent in de wachtrij");
      awaitTrue(
          "pause cleared",
          () -> !row("SELECT visitor_paused FROM conversation WHERE id = $1", id).getBoolean(0),
          Duration.ofSeconds(10));

      // In a chat: the counselor sees the pause, and that the visitor is back.
      Page console = console(desk, "vt-pause", "pause-password");
      Locator queued = console.locator("#queue li[data-conversation-id='" + id + "']");
      queued.locator(".take-btn").click();
      Locator panel = console.locator(".chat[data-conversation-id='" + id + "']");
      assertThat(panel).isVisible();
      assertThat(page.locator("#screen-title")).hasText("Je gesprek");
      page.locator("#pause").click();
      screen(page, "paused");
      assertThat(panel.locator(".pause-flag")).hasText("Bezoeker heeft even pauze");
      panel.locator(".text").fill("Neem je tijd.");
      panel.locator(".send").click();
      // The message waits behind the neutral screen and shows after "Verder".
      awaitTrue(
          "counselor message stored",
          () ->
              row(
                          "SELECT count(*) FROM message WHERE conversation_id = $1 "
                              + "AND sender = 'counselor'",
                          id)
                      .getLong(0)
                  == 1L,
          Duration.ofSeconds(10));
      assertThat(page.locator("body")).not().containsText("Neem je tijd.");
      VisitorBrowser.screenshot(console, "console-19-visitor-paused");
      page.locator("#pause-back").click();
      assertThat(page.locator("#log li.them")).containsText("Neem je tijd.");
      assertThat(panel.locator(".pause-flag")).hasCount(0);
      assertThat(panel.locator(".messages li.system").last()).containsText("Bezoeker is terug");
    }
  }

  @Test
  @DisplayName("a touch-only phone shows no Shift hint; a desktop browser (keyboard) does")
  void shiftHintOnlyWithKeyboard() throws Exception {
    try (BrowserContext phone = browser.phone();
        BrowserContext desk =
            browser.browser.newContext(
                new Browser.NewContextOptions().setViewportSize(1280, 900))) {
      Page touch = phone.newPage();
      touch.navigate("http://127.0.0.1:" + app.visitorPort() + "/");
      screen(touch, "question");
      assertThat(touch.locator("#exit")).isVisible();
      assertThat(touch.locator("#exit-hint")).isHidden();
      assertTrue(
          (Boolean) touch.evaluate("matchMedia('(pointer: coarse)').matches"),
          "the phone is touch-only");
      Page keyboard = desk.newPage();
      keyboard.navigate("http://127.0.0.1:" + app.visitorPort() + "/");
      screen(keyboard, "question");
      assertThat(keyboard.locator("#exit-hint")).isVisible();
      assertThat(keyboard.locator("#exit-hint"))
          .hasText("Druk 3 keer op Shift om snel weg te gaan.");
    }
  }

  @Test
  @DisplayName(
      "before the first question: free, anonymous, who reads it, the configured retention, the one limit "
          + "(112), a private-window tip, and a privacy screen generated from the configuration; no history entry")
  void noticeAndPrivacy() throws Exception {
    try (BrowserContext phone = browser.phone()) {
      Page page = phone.newPage();
      page.navigate("http://127.0.0.1:" + app.visitorPort() + "/");
      Locator q0 = screen(page, "question");
      assertThat(page.locator("#screen-title"))
          .hasText("Ben jij of is iemand anders nu in gevaar?");
      Locator about = q0.locator("#about");
      assertThat(about).containsText("gratis en anoniem");
      assertThat(about).containsText("Alleen hulpverleners van de organisatie die jij kiest");
      assertThat(about).containsText("112 bellen");
      int max =
          ((Number)
                  page.evaluate(
                      "fetch('/api/config').then(r => r.json()).then(c => Math.max(...Object"
                          + ".values(c.helpPoints).map(h => h.retentionDays || 0)))"))
              .intValue();
      assertTrue(max > 0);
      assertThat(page.locator("#about-retention"))
          .hasText(
              "Je gesprek wordt hoogstens "
                  + max
                  + " dagen na afloop gewist. Je kunt het ook zelf meteen wissen.");
      assertThat(page.locator("#private-tip")).containsText("privévenster");
      VisitorBrowser.screenshot(page, "visitor-19-notice");
      int history = ((Number) page.evaluate("history.length")).intValue();
      page.locator("#privacy-link").click();
      Locator privacy = screen(page, "privacy");
      assertThat(page.locator("#screen-title")).hasText("Privacy en geheimhouding");
      // One line per organisation that holds chats, with its own configured retention.
      assertThat(privacy.locator("#privacy-retention li[data-help-point=mores]"))
          .hasText("Mores: 90 dagen");
      assertTrue(privacy.locator("#privacy-retention li").count() >= 5);
      assertThat(privacy.locator("#privacy-limit")).containsText("112");
      assertThat(privacy.locator("#privacy-limit")).containsText("Dat beslis jij zelf.");
      VisitorBrowser.screenshot(page, "visitor-19-privacy");
      page.locator("button[data-lang=en]").click();
      assertThat(page.locator("#screen-title")).hasText("Privacy and confidentiality");
      page.locator("button[data-lang=nl]").click();
      page.locator("#back").click();
      screen(page, "question");
      assertThat(page.locator("#screen-title"))
          .hasText("Ben jij of is iemand anders nu in gevaar?");
      assertEquals(
          history, ((Number) page.evaluate("history.length")).intValue(), "no history entry");
    }
  }

  @Test
  @DisplayName(
      "the end screen offers next steps and one tap that wipes the conversation from the screen")
  void endScreenWipe() throws Exception {
    try (BrowserContext phone = browser.phone()) {
      Page page = phone.newPage();
      page.navigate("http://127.0.0.1:" + app.visitorPort() + "/");
      page.locator("#talk-now").click();
      screen(page, "chat");
      String text = "Dit mag niet op de telefoon blijven staan.";
      page.locator("#message").fill(text);
      page.locator("#send").click();
      assertThat(page.locator("#log li.me")).containsText("verstuurd");
      page.locator("#stop").click();
      page.locator("#stop-yes").click();
      Locator ended = screen(page, "ended");
      assertThat(ended).containsText("Wat kun je nu doen?");
      assertThat(ended).containsText(text);
      VisitorBrowser.screenshot(page, "visitor-19-ended");
      int history = ((Number) page.evaluate("history.length")).intValue();
      page.locator("#wipe").click();
      screen(page, "question");
      assertThat(page.locator("body")).not().containsText(text);
      assertEquals(
          0, ((Number) page.evaluate("localStorage.length + sessionStorage.length")).intValue());
      assertEquals(
          history,
          ((Number) page.evaluate("history.length")).intValue(),
          "the wipe adds no history entry");
    }
  }
}
