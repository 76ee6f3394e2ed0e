package nl.veiligpraten.app;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Quick exit on a shared phone")
class VisitorQuickExitIT {

  @TempDir static Path dataDir;
  static RunningApp app;
  static Vertx client;
  static HttpServer neutral;
  static String neutralUrl;
  static VisitorBrowser browser;

  @BeforeAll
  static void setUp() throws Exception {
    client = Vertx.vertx();
    // A local stand-in for the neutral site, so the test needs no external network.
    neutral =
        client
            .createHttpServer()
            .requestHandler(
                req ->
                    req.response()
                        .putHeader("Content-Type", "text/html; charset=utf-8")
                        .end(
                            "<!doctype html><title>Het weer vandaag</title><p>Zonnig, 18 graden.</p>"))
            .listen(0, "127.0.0.1")
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    neutralUrl = "http://127.0.0.1:" + neutral.actualPort() + "/weer";
    app = TestApp.start(AppSettings.forTest(dataDir).withNeutralExitUrl(neutralUrl));
    browser = new VisitorBrowser();
  }

  @AfterAll
  static void tearDown() throws Exception {
    browser.close();
    app.stopBlocking();
    client.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  String visitorUrl() {
    return "http://127.0.0.1:" + app.visitorPort() + "/";
  }

  long hurriedExits() throws Exception {
    return app.pool()
        .preparedQuery("SELECT count(*) FROM conversation WHERE outcome = $1")
        .execute(Tuple.of("visitor_left_hurry"))
        .toCompletionStage()
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS)
        .iterator()
        .next()
        .getLong(0);
  }

  /** Storage of the visitor origin, read from a page of that origin in the same tab. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> storage(Page page) {
    return (Map<String, Object>)
        page.evaluate(
            "async () => ({"
                + "local: localStorage.length, session: sessionStorage.length, cookie: document.cookie,"
                + "idb: (await indexedDB.databases()).length,"
                + "caches: (self.caches ? (await caches.keys()).length : 0)})");
  }

  @Test
  @DisplayName(
      "the button ends the chat as 'left in a hurry', leaves no cookie or storage, and Back does not "
          + "return to the chat")
  void quickExitButton() throws Exception {
    long before = hurriedExits();
    try (BrowserContext context = browser.phone()) {
      Page page = context.newPage();
      page.navigate(visitorUrl());
      page.locator("button[data-code=no]").click();
      assertThat(page.locator("#screen[data-screen=question]")).isVisible();
      page.locator("#talk-now").click();
      assertThat(page.locator("#status"))
          .containsText("nummer", new LocatorAssertions.ContainsTextOptions().setTimeout(10_000));

      WebClient web = WebClient.create(client);
      String cookie = WalkingSkeletonIT.login(web, app, "veilig_thuis");
      WsProbe counselor =
          WsProbe.connect(
              client, app.consolePort(), "/ws", "http://127.0.0.1:" + app.consolePort(), cookie);
      counselor.send(new JsonObject().put("type", "take"));
      String conversationId = counselor.awaitType("assigned").getString("conversationId");
      page.locator("#message").fill("Er is iets gebeurd thuis.");
      page.locator("#send").click();
      assertThat(page.locator("#log li.me .meta")).hasText("verstuurd");
      VisitorBrowser.screenshot(page, "quick-exit-01-before");

      page.locator("#exit").click();
      page.waitForURL(neutralUrl);
      assertEquals("Het weer vandaag", page.title());

      JsonObject closed =
          counselor.await(f -> "closed".equals(f.getString("type")), Duration.ofSeconds(10));
      assertEquals("visitor_left_hurry", closed.getString("outcome"));
      assertEquals("visitor", closed.getString("by"));
      String outcome =
          app.pool()
              .preparedQuery("SELECT outcome FROM conversation WHERE id = $1::uuid")
              .execute(Tuple.of(conversationId))
              .toCompletionStage()
              .toCompletableFuture()
              .get(10, TimeUnit.SECONDS)
              .iterator()
              .next()
              .getString(0);
      assertEquals("visitor_left_hurry", outcome);
      assertEquals(before + 1, hurriedExits());
      counselor.close();

      assertTrue(context.cookies().isEmpty(), "cookies: " + context.cookies());
      page.goBack();
      assertFalse(page.url().startsWith(visitorUrl()), "Back led to " + page.url());
      assertFalse(page.content().contains("Er is iets gebeurd thuis."));
      // Same tab, visitor origin again: nothing was left in any storage of that origin.
      page.navigate(visitorUrl() + "health");
      assertEquals(
          Map.of("local", 0, "session", 0, "cookie", "", "idb", 0, "caches", 0), storage(page));
      assertTrue(context.cookies().isEmpty());
    }
  }

  @Test
  @DisplayName(
      "Shift pressed three times on its own exits, while Shift for capital letters does not")
  void shiftThreeTimes() throws Exception {
    long before = hurriedExits();
    try (BrowserContext context = browser.phone()) {
      Page page = context.newPage();
      page.navigate(visitorUrl());
      page.locator("button[data-code=unknown]").click();
      assertThat(page.locator("#screen-title")).hasText("Waarover wil je praten?");
      // Typing capitals uses Shift but must not count as the exit gesture.
      for (String letter : List.of("I", "B", "H", "E", "N")) {
        page.keyboard().down("Shift");
        page.keyboard().press(letter);
        page.keyboard().up("Shift");
      }
      // No sleep: Playwright's key presses return once the page has handled them, and a quick exit
      // empties the page
      // and sets the neutral title at once, before it navigates. So the page is still the intake
      // now, or it never
      // will be again.
      assertEquals(
          Boolean.TRUE,
          page.evaluate("() => !!document.getElementById('screen-title')"),
          "the capitals emptied the page");
      assertEquals("Waarover wil je praten?", page.locator("#screen-title").textContent());
      assertTrue(page.url().startsWith(visitorUrl()));

      for (int i = 0; i < 3; i++) {
        page.keyboard().press("Shift");
      }
      page.waitForURL(neutralUrl);
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (hurriedExits() < before + 1 && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertEquals(before + 1, hurriedExits());
      assertTrue(context.cookies().isEmpty());
      page.goBack();
      assertFalse(page.url().startsWith(visitorUrl()), "Back led to " + page.url());
      page.navigate(visitorUrl() + "health");
      assertEquals(
          List.of(0, 0, 0, 0),
          List.of(
              storage(page).get("local"),
              storage(page).get("session"),
              storage(page).get("idb"),
              storage(page).get("caches")));
    }
  }

  @Test
  @DisplayName(
      "'Gesprek wissen' deletes the chat on the server and from the page after one confirmation")
  void deleteOnRequest() throws Exception {
    try (BrowserContext context = browser.phone()) {
      Page page = context.newPage();
      page.navigate(visitorUrl());
      page.locator("#talk-now").click();
      assertThat(page.locator("#status"))
          .containsText("nummer", new LocatorAssertions.ContainsTextOptions().setTimeout(10_000));
      page.locator("#message").fill("Dit mag weg.");
      page.locator("#send").click();
      assertThat(page.locator("#log li.me .meta")).hasText("verstuurd");
      page.locator("#delete").click();
      assertThat(page.locator("#stop-confirm")).containsText("helemaal gewist");
      page.locator("#delete-yes").click();
      assertThat(page.locator("#screen[data-screen=ended]")).isVisible();
      assertThat(page.locator("#screen")).containsText("Je gesprek is gewist.");
      assertFalse(page.content().contains("Dit mag weg."));
      VisitorBrowser.screenshot(page, "quick-exit-02-deleted");
      // Delete on request removes the conversation row and its messages; the audit log records that
      // it happened.
      var row =
          app.pool()
              .query(
                  "SELECT count(*) AS n, "
                      + "(SELECT count(*) FROM conversation c JOIN audit_log a ON a.conversation_id = c.id "
                      + " WHERE a.action = 'delete_on_request') AS left_rows, "
                      + "(SELECT count(*) FROM message m JOIN audit_log a ON a.conversation_id = m.conversation_id "
                      + " WHERE a.action = 'delete_on_request') AS messages "
                      + "FROM audit_log WHERE action = 'delete_on_request'")
              .execute()
              .toCompletionStage()
              .toCompletableFuture()
              .get(10, TimeUnit.SECONDS)
              .iterator()
              .next();
      assertEquals(1L, row.getLong("n"));
      assertEquals(0L, row.getLong("left_rows"));
      assertEquals(0L, row.getLong("messages"));
    }
  }

  @Test
  @DisplayName(
      "the quick-exit beacon (used while the socket is reconnecting) closes the chat as 'left in a hurry' "
          + "only for the page's own origin and a known token, and reveals nothing about unknown tokens")
  void beaconFallback() throws Exception {
    int port = app.visitorPort();
    String origin = "http://127.0.0.1:" + port;
    WsProbe visitor = WsProbe.connect(client, port, "/ws", origin, null);
    visitor.send(new JsonObject().put("type", "hello").put("v", 1));
    String token = visitor.awaitType("welcome").getString("resumeToken");
    visitor.send(new JsonObject().put("type", "choose").put("helpPoint", "csg"));
    visitor.awaitType("queued");
    WebClient web = WebClient.create(client);
    String cookie = WalkingSkeletonIT.login(web, app, "csg");
    WsProbe counselor =
        WsProbe.connect(
            client, app.consolePort(), "/ws", "http://127.0.0.1:" + app.consolePort(), cookie);
    counselor.send(new JsonObject().put("type", "take"));
    String conversationId = counselor.awaitType("assigned").getString("conversationId");
    visitor.close();
    long before = hurriedExits();

    String body = new JsonObject().put("resume", token).encode();
    assertEquals(403, post(web, "http://evil.com", body));
    assertEquals(403, post(web, null, body));
    assertEquals(400, post(web, origin, "not json"));
    assertEquals(204, post(web, origin, new JsonObject().put("resume", "no-such-token").encode()));
    assertEquals(before, hurriedExits());

    assertEquals(204, post(web, origin, body));
    JsonObject closed =
        counselor.await(f -> "closed".equals(f.getString("type")), Duration.ofSeconds(10));
    assertEquals("visitor_left_hurry", closed.getString("outcome"));
    assertEquals(before + 1, hurriedExits());
    String outcome =
        app.pool()
            .preparedQuery("SELECT outcome FROM conversation WHERE id = $1::uuid")
            .execute(Tuple.of(conversationId))
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS)
            .iterator()
            .next()
            .getString(0);
    assertEquals("visitor_left_hurry", outcome);
    // A second beacon for the same chat changes nothing and notifies nobody.
    assertEquals(204, post(web, origin, body));
    assertEquals(before + 1, hurriedExits());
    counselor.close();
  }

  int post(WebClient web, String origin, String body) throws Exception {
    var request =
        web.post(app.visitorPort(), "127.0.0.1", "/api/quick-exit")
            .putHeader("Content-Type", "text/plain;charset=UTF-8");
    if (origin != null) {
      request.putHeader("Origin", origin);
    }
    return request
        .sendBuffer(io.vertx.core.buffer.Buffer.buffer(body))
        .toCompletionStage()
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS)
        .statusCode();
  }
}
