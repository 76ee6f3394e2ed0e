package nl.veiligpraten.app;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Visitor page in headless Chromium on a 390×844 phone")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VisitorPageIT {

  @TempDir static Path dataDir;
  static RunningApp app;
  static boolean stopped;
  static Vertx client;
  static VisitorBrowser browser;

  @TempDir static Path configDir;

  @BeforeAll
  static void setUp() throws Exception {
    // Mores is closed all week in this deployment, so the out-of-hours state can be shown at any
    // time of day.
    String helpPoints;
    try (var in =
        VisitorPageIT.class.getClassLoader().getResourceAsStream("config/help-points.yaml")) {
      helpPoints = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    int mores = helpPoints.indexOf("- id: mores");
    int hours = helpPoints.indexOf("openingHours:", mores);
    int end = helpPoints.indexOf("retentionDays:", hours);
    String closed =
        "openingHours:\n"
            + "      mon: closed\n      tue: closed\n      wed: closed\n      thu: closed\n      fri: closed\n"
            + "      sat: closed\n      sun: closed\n    ";
    java.nio.file.Files.writeString(
        configDir.resolve("help-points.yaml"),
        helpPoints.substring(0, hours) + closed + helpPoints.substring(end));
    app = TestApp.start(AppSettings.forTest(dataDir).withConfigDir(configDir));
    client = Vertx.vertx();
    browser = new VisitorBrowser();
  }

  @AfterAll
  static void tearDown() throws Exception {
    browser.close();
    client.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    if (!stopped) {
      app.stopBlocking();
    }
  }

  static Locator screen(Page page, String name) {
    Locator screen = page.locator("#screen[data-screen=" + name + "]");
    assertThat(screen).isVisible(new LocatorAssertions.IsVisibleOptions().setTimeout(10_000));
    return screen;
  }

  @Test
  @Order(1)
  @DisplayName(
      "a visitor answers the intake, chooses a route, waits in the queue and chats with a counselor")
  void intakeRouteQueueChat() throws Exception {
    try (BrowserContext context = browser.phone()) {
      Page page = context.newPage();
      page.navigate("http://127.0.0.1:" + app.visitorPort() + "/");
      assertEquals("Weer", page.title());
      screen(page, "question");
      // The danger question's wording comes from the configuration (questionnaire.yaml), in all
      // three variants.
      var q0 =
          nl.veiligpraten.routing.config.RoutingConfig.defaults()
              .questionnaire()
              .question("Q0")
              .orElseThrow()
              .text();
      assertThat(page.locator("#screen-title")).hasText(q0.nl());
      assertThat(page.locator("#exit")).isVisible();
      assertThat(page.locator("#talk-now")).isVisible();
      // Keyboard: the quick-exit button is the first stop in the focus order.
      page.keyboard().press("Tab");
      assertEquals("exit", page.evaluate("document.activeElement.id"));
      page.locator("#langs button[data-lang=easy]").click();
      assertThat(page.locator("#screen-title")).hasText(q0.nlEasy());
      page.locator("#langs button[data-lang=en]").click();
      assertThat(page.locator("#screen-title")).hasText(q0.en());
      assertThat(page.locator("button[data-code=yes]"))
          .hasText(
              nl.veiligpraten.routing.config.RoutingConfig.defaults()
                  .questionnaire()
                  .question("Q0")
                  .orElseThrow()
                  .answers()
                  .get(0)
                  .text()
                  .en());
      page.locator("#langs button[data-lang=nl]").click();
      assertThat(page.locator("#screen-title")).hasText(q0.nl());
      VisitorBrowser.screenshot(page, "visitor-01-danger-question");

      page.locator("button[data-code=no]").click();
      screen(page, "question");
      assertThat(page.locator("#screen-title")).hasText("Waarover wil je praten?");
      // Focus moves to the new question, so screen-reader and keyboard users start at the top.
      assertThat(page.locator("#screen-title")).isFocused();
      // Easy-read and English toggles change the question text in place.
      page.locator("button[data-lang=easy]").click();
      assertThat(page.locator("#screen-title")).hasText("Waar wil je over praten?");
      page.locator("button[data-lang=en]").click();
      assertThat(page.locator("#screen-title")).hasText("What do you want to talk about?");
      assertThat(page.locator("#talk-now")).hasText("I want to talk to someone now");
      page.locator("button[data-lang=nl]").click();
      assertThat(page.locator("#skip")).isVisible();
      VisitorBrowser.screenshot(page, "visitor-02-question");

      page.locator("button[data-code=victim]").click();
      assertThat(page.locator("#screen-title")).hasText("Hoe oud ben je?");
      page.locator("button[data-code='18-24']").click();
      assertThat(page.locator("#screen-title")).hasText("Wanneer is het gebeurd?");
      page.locator("button[data-code=today]").click();
      assertThat(page.locator("#screen-title")).containsText("Wat is er gebeurd?");
      page.locator("button[data-code=physical]").click();
      assertThat(page.locator("button[data-code=physical]")).hasAttribute("aria-pressed", "true");
      VisitorBrowser.screenshot(page, "visitor-03-multi-answer");
      page.locator("#next").click();
      // Skip everything else: every question has a skip button.
      for (int i = 0; i < 10; i++) {
        page.waitForSelector("#screen[data-screen=question], #screen[data-screen=suggestions]");
        if (page.locator("#screen[data-screen=suggestions]").count() > 0) {
          break;
        }
        String before = page.locator("#screen-title").textContent();
        page.locator("#skip").click();
        page.waitForFunction(
            "t => { const h = document.getElementById('screen-title'); "
                + "return !h || h.textContent !== t; }",
            before);
      }
      Locator suggestions = screen(page, "suggestions");
      Locator csg = suggestions.locator("article[data-help-point=csg]");
      assertThat(csg).containsText("Centrum Seksueel Geweld");
      assertThat(csg.locator(".why")).not().isEmpty();
      assertThat(csg.locator("a[href^='tel:']")).isVisible();
      VisitorBrowser.screenshot(page, "visitor-04-suggestions");

      csg.locator("button[data-help-point=csg]").click();
      screen(page, "chat");
      assertThat(page.locator("#status")).containsText("nummer 1");
      String code = page.locator("#resume-code-shown").textContent();
      assertTrue(code.matches("[A-Z0-9]{4} [A-Z0-9]{4} [A-Z0-9]{4}"), code);
      VisitorBrowser.screenshot(page, "visitor-05-queue");

      // The counselor takes the chat from the console.
      WebClient web = WebClient.create(client);
      String cookie = WalkingSkeletonIT.login(web, app, "csg");
      WsProbe counselor =
          WsProbe.connect(
              client, app.consolePort(), "/ws", "http://127.0.0.1:" + app.consolePort(), cookie);
      counselor.send(new JsonObject().put("type", "take"));
      String conversationId = counselor.awaitType("assigned").getString("conversationId");
      assertThat(page.locator("#status"))
          .containsText("Je praat nu met Hulpverlener Centrum Seksueel Geweld");

      page.locator("#message").fill("Hallo, ik wil iets vertellen.");
      page.locator("#message").press("Enter");
      JsonObject received =
          counselor.await(f -> "message".equals(f.getString("type")), Duration.ofSeconds(10));
      assertEquals("Hallo, ik wil iets vertellen.", received.getString("body"));
      assertThat(page.locator("#log li.me .meta")).hasText("verstuurd");

      counselor.send(new JsonObject().put("type", "typing").put("conversationId", conversationId));
      assertThat(page.locator("#typing")).hasText("De hulpverlener is aan het typen…");
      VisitorBrowser.screenshot(page, "visitor-06-typing");
      counselor.send(
          new JsonObject()
              .put("type", "message")
              .put("conversationId", conversationId)
              .put("clientId", "c-1")
              .put("body", "Fijn dat je er bent. Ik luister."));
      assertThat(page.locator("#log li.them")).containsText("Fijn dat je er bent. Ik luister.");
      // Screen readers announce new log items; each item says who wrote it.
      assertThat(page.locator("#log-region")).hasAttribute("role", "log");
      assertThat(page.locator("#log-region")).hasAttribute("aria-live", "polite");
      assertThat(page.locator("#log li.them .sr-only")).hasText("Hulpverlener: ");
      assertThat(page.locator("#announce")).containsText("Je praat nu met");
      assertThat(page.locator("#typing")).isEmpty();
      VisitorBrowser.screenshot(page, "visitor-07-chat");

      // The counselor proposes a referral; the page asks for consent in the chat, the visitor says
      // no: nothing is
      // shared, the chat goes on with the same counselor and the other help point's contacts are
      // shown.
      counselor.send(
          new JsonObject()
              .put("type", "refer")
              .put("conversationId", conversationId)
              .put("helpPoint", "veilig_thuis"));
      assertThat(page.locator("#referral")).containsText("Mag ik dit gesprek doorsturen naar");
      VisitorBrowser.screenshot(page, "visitor-07a-referral-question");
      page.locator("#referral-no").click();
      assertThat(page.locator("#referral")).hasCount(0);
      assertThat(page.locator("#notice")).containsText("Er is niets doorgestuurd");
      assertThat(page.locator("#message")).isEditable();
      assertEquals(
          0L,
          app.pool()
              .preparedQuery(
                  "SELECT count(*) FROM conversation_key WHERE conversation_id = $1 "
                      + "AND org_id = 'veilig_thuis'")
              .execute(io.vertx.sqlclient.Tuple.of(java.util.UUID.fromString(conversationId)))
              .toCompletionStage()
              .toCompletableFuture()
              .get(10, java.util.concurrent.TimeUnit.SECONDS)
              .iterator()
              .next()
              .getLong(0));

      // The phone loses its connection while both sides write; nothing typed is lost or doubled.
      context.setOffline(true);
      assertThat(page.locator("#net"))
          .isVisible(new LocatorAssertions.IsVisibleOptions().setTimeout(10_000));
      page.locator("#message").fill("Ben je er nog?");
      page.locator("#send").click();
      assertThat(page.locator("#log li.me").last().locator(".meta")).hasText("wordt verstuurd…");
      counselor.send(
          new JsonObject()
              .put("type", "message")
              .put("conversationId", conversationId)
              .put("clientId", "c-2")
              .put("body", "Ik ben er nog, hoor."));
      counselor.await(
          f -> "ack".equals(f.getString("type")) && "c-2".equals(f.getString("clientId")),
          Duration.ofSeconds(10));
      VisitorBrowser.screenshot(page, "visitor-07b-offline");
      context.setOffline(false);
      assertThat(page.locator("#log li.me").last().locator(".meta"))
          .hasText("verstuurd", new LocatorAssertions.HasTextOptions().setTimeout(20_000));
      assertThat(page.locator("#log li.them").last()).containsText("Ik ben er nog, hoor.");
      assertThat(page.locator("#net")).isHidden();
      JsonObject resent =
          counselor.await(
              f -> "message".equals(f.getString("type")) && "visitor".equals(f.getString("from")),
              Duration.ofSeconds(10));
      assertEquals("Ben je er nog?", resent.getString("body"));
      assertEquals(
          1,
          page.locator("#log li.them", new Page.LocatorOptions().setHasText("Ik ben er nog, hoor."))
              .count());
      assertEquals(
          1,
          page.locator("#log li.me", new Page.LocatorOptions().setHasText("Ben je er nog?"))
              .count());

      // The visitor continues on another device with the written-down code; the first device is let
      // go.
      try (BrowserContext other = browser.phone()) {
        Page second = other.newPage();
        second.navigate("http://127.0.0.1:" + app.visitorPort() + "/");
        second.locator("#have-code").click();
        screen(second, "resume");
        second.locator("#resume-code").fill(code.toLowerCase().replace(" ", "-"));
        second.locator("#resume-code").press("Enter");
        screen(second, "chat");
        assertThat(second.locator("#log li.them").first())
            .containsText("Fijn dat je er bent. Ik luister.");
        assertThat(second.locator("#log li.me").first())
            .containsText("Hallo, ik wil iets vertellen.");
        assertThat(second.locator("#status")).containsText("Je praat nu met");
        VisitorBrowser.screenshot(second, "visitor-08-resumed-by-code");
        screen(page, "ended");
        assertThat(page.locator(".notice")).containsText("ander apparaat");
        second.locator("#message").fill("Ik ben er weer.");
        second.locator("#send").click();
        JsonObject again =
            counselor.await(
                f -> "message".equals(f.getString("type")) && "visitor".equals(f.getString("from")),
                Duration.ofSeconds(10));
        assertEquals("Ik ben er weer.", again.getString("body"));

        // Ending the chat normally asks once, then records "visitor left" (not "in a hurry").
        second.locator("#stop").click();
        second.locator("#stop-yes").click();
        screen(second, "ended");
        JsonObject closed =
            counselor.await(f -> "closed".equals(f.getString("type")), Duration.ofSeconds(10));
        assertEquals("visitor_left", closed.getString("outcome"));
        VisitorBrowser.screenshot(second, "visitor-08b-ended");
      }
      counselor.close();
    }
  }

  @Test
  @Order(2)
  @DisplayName(
      "a help point outside its opening hours shows the hours, other open help and 112 instead of a queue")
  @SuppressWarnings(
      "try") // the probe is not used in the block: holding it open keeps the triage counselor
  // online
  void outOfHours() throws Exception {
    // General triage is offered as a chat only while someone who can take it is online (issue 17):
    // a Veilig Thuis
    // counselor (who staffs triage) is available during this test.
    String cookie = WalkingSkeletonIT.login(WebClient.create(client), app, "veilig_thuis");
    WsProbe triageCounselor =
        WsProbe.connect(
            client, app.consolePort(), "/ws", "http://127.0.0.1:" + app.consolePort(), cookie);
    triageCounselor.send(new JsonObject().put("type", "status").put("status", "available"));
    triageCounselor.awaitType("status");
    try (BrowserContext context = browser.phone();
        WsProbe ignored = triageCounselor) {
      Page page = context.newPage();
      page.navigate("http://127.0.0.1:" + app.visitorPort() + "/");
      page.locator("button[data-code=no]").click();
      for (int i = 0; i < 12; i++) {
        page.waitForSelector("#screen[data-screen=question], #screen[data-screen=suggestions]");
        if (page.locator("#screen[data-screen=suggestions]").count() > 0) {
          break;
        }
        String question = page.locator("#screen").getAttribute("data-question");
        if ("Q5".equals(question)) {
          page.locator("button[data-code=culture_media]").click();
        } else {
          page.locator("#skip").click();
        }
        page.waitForFunction(
            "q => document.getElementById('screen').getAttribute('data-question') !== q", question);
      }
      Locator mores = screen(page, "suggestions").locator("article[data-help-point=mores]");
      assertThat(mores.locator(".closed-note")).hasText("Nu gesloten");
      mores.locator("button[data-help-point=mores]").click();
      screen(page, "unavailable");
      assertThat(page.locator("#screen-title")).hasText("Mores is nu gesloten");
      assertThat(page.locator(".hours")).containsText("ma gesloten");
      assertThat(page.locator("#screen")).not().containsText("Stop it Now");
      assertThat(page.locator("#screen a[href='tel:112']")).isVisible();
      assertThat(page.locator("#screen button[data-help-point=triage]")).isVisible();
      VisitorBrowser.screenshot(page, "visitor-09-out-of-hours");
      // Nothing was queued for the closed help point.
      long queued =
          app.pool()
              .query("SELECT count(*) FROM conversation WHERE help_point = 'mores'")
              .execute()
              .toCompletionStage()
              .toCompletableFuture()
              .get(10, TimeUnit.SECONDS)
              .iterator()
              .next()
              .getLong(0);
      assertEquals(0, queued);
    }
  }

  @Test
  @Order(3)
  @DisplayName(
      "answering yes to 'are you in danger' shows the 112 screen even when the server is down")
  void emergencyScreenWithoutServer() throws Exception {
    try (BrowserContext context = browser.phone()) {
      Page page = context.newPage();
      page.navigate("http://127.0.0.1:" + app.visitorPort() + "/");
      screen(page, "question");
      app.stopBlocking();
      stopped = true;
      page.locator("button[data-code=yes]").click();
      screen(page, "emergency");
      assertThat(page.locator("#screen-title")).hasText("Ben je in gevaar? Bel nu 112.");
      assertThat(page.locator("#call-112")).hasAttribute("href", "tel:112");
      assertThat(page.locator("#exit")).isVisible();
      VisitorBrowser.screenshot(page, "visitor-10-emergency-server-down");
      // The page keeps trying and says so, with 112 in the message.
      assertThat(page.locator("#net"))
          .containsText(
              "112",
              new com.microsoft.playwright.assertions.LocatorAssertions.ContainsTextOptions()
                  .setTimeout(10_000));
    }
  }
}
