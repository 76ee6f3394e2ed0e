package nl.veiligpraten.app;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Route;
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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19 in a real Chromium on a phone viewport: the fallback when WebSockets are blocked,
 * continuity of a chat in the same tab (reload), no resume in a reopened tab, and quick exit that
 * leaves nothing behind, offline too.
 */
@DisplayName("Reaching every visitor: fallback transport, reload and quick exit")
class VisitorContinuityIT {

  static final LocatorAssertions.IsVisibleOptions SLOW =
      new LocatorAssertions.IsVisibleOptions().setTimeout(20_000);

  @TempDir static Path dataDir;
  static RunningApp app;
  static Vertx client;
  static HttpServer neutral;
  static String neutralUrl;
  static VisitorBrowser browser;
  static WebClient web;
  static HttpServer proxy;
  static String proxyUrl;

  static HttpServer blockingProxy(Vertx vertx, int target) throws Exception {
    io.vertx.core.http.HttpClient http =
        vertx.createHttpClient(
            new io.vertx.core.http.HttpClientOptions(),
            new io.vertx.core.http.PoolOptions().setHttp1MaxSize(32));
    java.util.Set<String> hop =
        java.util.Set.of("connection", "keep-alive", "transfer-encoding", "upgrade", "host");
    return vertx
        .createHttpServer()
        .requestHandler(
            req -> {
              if (req.getHeader("Upgrade") != null) {
                req.response().setStatusCode(403).end("WebSockets are blocked on this network");
                return;
              }
              req.pause();
              http.request(
                      new io.vertx.core.http.RequestOptions()
                          .setMethod(req.method())
                          .setHost("127.0.0.1")
                          .setPort(target)
                          .setURI(req.uri()))
                  .compose(
                      out -> {
                        req.headers()
                            .forEach(
                                h -> {
                                  if (!hop.contains(
                                      h.getKey().toLowerCase(java.util.Locale.ROOT))) {
                                    out.headers().add(h.getKey(), h.getValue());
                                  }
                                });
                        return out.send(req);
                      })
                  .onSuccess(
                      in -> {
                        var response = req.response().setStatusCode(in.statusCode());
                        in.headers()
                            .forEach(
                                h -> {
                                  if (!hop.contains(
                                      h.getKey().toLowerCase(java.util.Locale.ROOT))) {
                                    response.headers().add(h.getKey(), h.getValue());
                                  }
                                });
                        if (in.getHeader("Content-Length") == null) {
                          response.setChunked(true);
                        }
                        in.pipeTo(response);
                      })
                  .onFailure(e -> req.response().setStatusCode(502).end());
            })
        .listen(0, "127.0.0.1")
        .toCompletionStage()
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
  }

  @BeforeAll
  static void setUp() throws Exception {
    client = Vertx.vertx();
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
    // A network that blocks WebSockets: a proxy that forwards plain HTTP (streamed both ways) and
    // refuses every
    // upgrade with 403, like a school or company proxy. The page is loaded through it, so its
    // origin is the proxy's.
    AppSettings settings = AppSettings.forTest(dataDir).withNeutralExitUrl(neutralUrl);
    proxy = blockingProxy(client, settings.visitorPort());
    proxyUrl = "http://127.0.0.1:" + proxy.actualPort() + "/";
    app =
        TestApp.start(
            settings.withVisitorOrigins(
                java.util.Set.of(
                    "http://127.0.0.1:" + settings.visitorPort(),
                    "http://127.0.0.1:" + proxy.actualPort())));
    browser = new VisitorBrowser();
    web = WebClient.create(client);
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

  String origin() {
    return "http://127.0.0.1:" + app.visitorPort();
  }

  WsProbe counselor(String org) throws Exception {
    String cookie = WalkingSkeletonIT.login(web, app, org);
    return WsProbe.connect(
            client, app.consolePort(), "/ws", "http://127.0.0.1:" + app.consolePort(), cookie)
        .pinging(client, 5_000);
  }

  /**
   * "Ik wil meteen met iemand praten" after Q0: queued at triage (answered by Veilig Thuis
   * counselors).
   */
  Page startChat(BrowserContext context) {
    Page page = context.newPage();
    page.navigate(visitorUrl());
    page.locator("button[data-code=no]").click();
    assertThat(page.locator("#screen[data-screen=question]")).isVisible();
    page.locator("#talk-now").click();
    assertThat(page.locator("#status"))
        .containsText("nummer", new LocatorAssertions.ContainsTextOptions().setTimeout(20_000));
    return page;
  }

  /** Q0 no, then the csg path of VisitorPageIT, then skips to the suggestions. */
  static Locator toSuggestions(Page page) {
    page.locator("button[data-code=no]").click();
    assertThat(page.locator("#screen[data-question=Q1]")).isVisible(SLOW);
    page.locator("button[data-code=victim]").click();
    page.locator("button[data-code='18-24']").click();
    page.locator("button[data-code=today]").click();
    page.locator("button[data-code=physical]").click();
    page.locator("#next").click();
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
    assertThat(page.locator("#screen[data-screen=suggestions]")).isVisible();
    return page.locator("#screen article[data-help-point=csg]").first();
  }

  /** The newest chat queued at the help point (the one this test just started). */
  String newestQueued(String helpPoint) throws Exception {
    return app.pool()
        .preparedQuery(
            "SELECT id::text FROM conversation WHERE status = 'queued' AND help_point = $1 "
                + "ORDER BY queued_at DESC LIMIT 1")
        .execute(Tuple.of(helpPoint))
        .toCompletionStage()
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS)
        .iterator()
        .next()
        .getString(0);
  }

  /**
   * The counselor takes exactly this test's chat (earlier tests may have left others in the queue).
   */
  String take(WsProbe counselor, String helpPoint) throws Exception {
    String id = newestQueued(helpPoint);
    counselor.send(new JsonObject().put("type", "take").put("conversationId", id));
    counselor.await(
        f -> "assigned".equals(f.getString("type")) && id.equals(f.getString("conversationId")),
        Duration.ofSeconds(10));
    return id;
  }

  String conversationStatus(String id) throws Exception {
    return app.pool()
        .preparedQuery(
            "SELECT status || '/' || coalesce(outcome, '-') FROM conversation WHERE id = $1::uuid")
        .execute(Tuple.of(id))
        .toCompletionStage()
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS)
        .iterator()
        .next()
        .getString(0);
  }

  String awaitStatus(String id, String expected) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    String now = conversationStatus(id);
    while (!expected.equals(now) && System.nanoTime() < deadline) {
      Thread.sleep(100);
      now = conversationStatus(id);
    }
    return now;
  }

  @SuppressWarnings("unchecked")
  static List<Integer> seqs(Page page) {
    return (List<Integer>)
        page.evaluate(
            "() => Array.from(document.querySelectorAll('#log li'))"
                + ".map(li => Number(li.getAttribute('data-seq')))");
  }

  @Test
  @DisplayName(
      "WebSockets blocked: the intake completes over HTTP, the phone numbers show, and the chat runs over "
          + "SockJS with acks; afterwards the browser holds no cookie and no storage entry")
  void fallbackWhenWebSocketsBlocked() throws Exception {
    try (BrowserContext context = browser.phone()) {
      List<String> intakeCalls = new CopyOnWriteArrayList<>();
      List<String> sockjs = new CopyOnWriteArrayList<>();
      context.onRequest(
          r -> {
            if (r.url().contains("/api/intake")) {
              intakeCalls.add(r.method());
            }
            if (r.url().contains("/sockjs/")) {
              sockjs.add(r.url());
            }
          });
      List<String> refusedUpgrades = new CopyOnWriteArrayList<>();
      Page page = context.newPage();
      page.onWebSocket(ws -> refusedUpgrades.add(ws.url()));
      page.navigate(proxyUrl);
      Locator csg = toSuggestions(page);
      // The page decides the questions itself and sends one answers frame at the end (issue 23):
      // over POST
      // /api/intake while no line is up, or over the SockJS line when it came up during the intake.
      assertFalse(
          intakeCalls.isEmpty() && sockjs.isEmpty(),
          "the intake went over HTTP (POST /api/intake or SockJS)");
      assertFalse(refusedUpgrades.isEmpty(), "the page tried its WebSocket first");
      assertThat(csg.locator("a[href^='tel:']")).containsText("0800-0188");
      VisitorBrowser.screenshot(page, "fallback-01-suggestions");

      csg.locator("button[data-help-point=csg]").click();
      assertThat(page.locator("#status"))
          .containsText("nummer", new LocatorAssertions.ContainsTextOptions().setTimeout(20_000));
      WsProbe counselor = counselor("csg");
      String conversationId = take(counselor, "csg");
      assertThat(page.locator("#status")).containsText("Je praat nu met");

      page.locator("#message").fill("Via de omweg.");
      page.locator("#send").click();
      assertThat(page.locator("#log li.me .meta")).hasText("verstuurd");
      JsonObject received =
          counselor.await(
              f -> "message".equals(f.getString("type")) && "visitor".equals(f.getString("from")),
              Duration.ofSeconds(10));
      assertEquals("Via de omweg.", received.getString("body"));
      counselor.send(
          new JsonObject()
              .put("type", "message")
              .put("conversationId", conversationId)
              .put("clientId", "c-fallback-1")
              .put("body", "Ik lees je."));
      assertThat(page.locator("#log li.them")).containsText("Ik lees je.");
      assertEquals(List.of(1, 2), seqs(page));
      assertTrue(
          sockjs.stream().anyMatch(u -> u.contains("/xhr_send")),
          "frames went over SockJS: " + sockjs);
      VisitorBrowser.screenshot(page, "fallback-02-chat");

      page.locator("#stop").click();
      page.locator("#stop-yes").click();
      assertThat(page.locator("#screen[data-screen=ended]")).isVisible();
      assertEquals("closed/visitor_left", awaitStatus(conversationId, "closed/visitor_left"));
      assertTrue(context.cookies().isEmpty(), "cookies: " + context.cookies());
      assertEquals(
          Map.of("local", 0, "session", 0, "cookie", "", "idb", 0, "caches", 0),
          VisitorQuickExitIT.storage(page));
      assertEquals("", page.evaluate("window.name"));
      counselor.close();
    }
  }

  @Test
  @DisplayName(
      "with WebSockets and SockJS both blocked, the waiting screen lists the phone lines open now and 112")
  void onlyPlainHttp() throws Exception {
    try (BrowserContext context = browser.phone()) {
      context.route("**/sockjs/**", Route::abort);
      Page page = context.newPage();
      page.navigate(proxyUrl);
      page.locator("button[data-code=no]").click();
      assertThat(page.locator("#screen[data-question=Q1]")).isVisible(SLOW);
      page.locator("#talk-now").click();
      assertThat(page.locator("#phones-now li[data-help-point=csg] a"))
          .hasText("0800-0188", new LocatorAssertions.HasTextOptions().setTimeout(20_000));
      assertThat(page.locator("#phones a[href='tel:112']")).isVisible();
      VisitorBrowser.screenshot(page, "fallback-03-phones-only");
    }
  }

  @Test
  @DisplayName(
      "a reload during a chat asks first, then resumes the chat in seq order with a fresh single-use "
          + "ticket; the used ticket is worthless")
  void reloadResumes() throws Exception {
    try (BrowserContext context = browser.phone()) {
      Page page = startChat(context);
      WsProbe counselor = counselor("veilig_thuis");
      String conversationId = take(counselor, "triage");
      page.locator("#message").fill("Voor het herladen.");
      page.locator("#send").click();
      assertThat(page.locator("#log li.me .meta")).hasText("verstuurd");
      counselor.send(
          new JsonObject()
              .put("type", "message")
              .put("conversationId", conversationId)
              .put("clientId", "c-reload-1")
              .put("body", "Ik ben er."));
      assertThat(page.locator("#log li.them")).containsText("Ik ben er.");

      // What the tab keeps: one sessionStorage entry and a window.name, each half of the ticket; no
      // cookie.
      assertEquals(1, VisitorQuickExitIT.storage(page).get("session"));
      String half = (String) page.evaluate("sessionStorage.getItem('vp.r')");
      String name = (String) page.evaluate("window.name");
      assertTrue(name.startsWith("vp-r."), name);
      String usedTicket = half + name.substring("vp-r.".length());
      assertEquals(43, usedTicket.length());

      List<String> dialogs = new CopyOnWriteArrayList<>();
      page.onDialog(
          d -> {
            dialogs.add(d.type());
            d.accept();
          });
      page.reload();
      assertThat(page.locator("#screen[data-screen=chat]")).isVisible(SLOW);
      assertEquals(List.of("beforeunload"), dialogs);
      assertThat(page.locator("#log li.me")).containsText("Voor het herladen.");
      assertThat(page.locator("#log li.them")).containsText("Ik ben er.");
      assertThat(page.locator("#status")).containsText("Je praat nu met");
      assertEquals(List.of(1, 2), seqs(page));
      page.locator("#message").fill("Na het herladen.");
      page.locator("#send").click();
      assertThat(page.locator("#log li.me .meta").last()).hasText("verstuurd");
      JsonObject after =
          counselor.await(
              f ->
                  "message".equals(f.getString("type"))
                      && "Na het herladen.".equals(f.getString("body")),
              Duration.ofSeconds(10));
      assertEquals(3L, after.getLong("seq"));
      assertEquals("assigned/-", conversationStatus(conversationId));
      VisitorBrowser.screenshot(page, "continuity-01-after-reload");

      // Single use: the ticket the reload used opens nothing any more.
      WsProbe thief = WsProbe.connect(client, app.visitorPort(), "/ws", origin(), null);
      thief.send(new JsonObject().put("type", "hello").put("v", 1).put("reload", usedTicket));
      assertEquals("unknown_resume", thief.awaitType("error").getString("code"));
      thief.close();
      page.locator("#stop").click();
      page.locator("#stop-yes").click();
      assertThat(page.locator("#screen[data-screen=ended]")).isVisible();
      counselor.close();
    }
  }

  @Test
  @DisplayName(
      "Back during a chat asks first (beforeunload), and Back leaves the page only when the visitor agrees")
  void backAsksFirst() throws Exception {
    try (BrowserContext context = browser.phone()) {
      Page page = context.newPage();
      page.navigate(neutralUrl);
      page.navigate(visitorUrl());
      page.locator("button[data-code=no]").click();
      assertThat(page.locator("#screen[data-screen=question]")).isVisible();
      page.locator("#talk-now").click();
      assertThat(page.locator("#status"))
          .containsText("nummer", new LocatorAssertions.ContainsTextOptions().setTimeout(20_000));
      String conversationId = newestQueued("triage");
      List<String> dialogs = new CopyOnWriteArrayList<>();
      page.onDialog(
          d -> {
            dialogs.add(d.type());
            d.accept();
          });
      page.goBack();
      page.waitForURL(neutralUrl);
      assertEquals(List.of("beforeunload"), dialogs);
      // Leaving is not stopping: the chat keeps its place for the queue grace.
      assertEquals("queued/-", conversationStatus(conversationId));
      app.pool()
          .preparedQuery(
              "UPDATE conversation SET status = 'closed', outcome = 'abandoned', closed_at = now() "
                  + "WHERE id = $1::uuid")
          .execute(Tuple.of(conversationId))
          .toCompletionStage()
          .toCompletableFuture()
          .get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  @DisplayName(
      "'reopen closed tab' (sessionStorage restored, the tab's window.name not) does not resume the chat, "
          + "and the half ticket opens nothing on the server")
  void reopenedTabDoesNotResume() throws Exception {
    try (BrowserContext context = browser.phone()) {
      Page page = startChat(context);
      String conversationId = newestQueued("triage");
      String half = (String) page.evaluate("sessionStorage.getItem('vp.r')");
      assertNotNull(half);
      page.close();
      // A restored tab gets the closed tab's sessionStorage back (browsers write it to disk for
      // this); it is a new
      // browsing context, so its window.name is empty.
      context.addInitScript(
          "if (location.origin === '"
              + origin()
              + "') { sessionStorage.setItem('vp.r', '"
              + half
              + "'); }");
      Page reopened = context.newPage();
      reopened.navigate(visitorUrl());
      assertThat(reopened.locator("#screen[data-question=Q0]")).isVisible();
      assertThat(reopened.locator("#log")).hasCount(0);
      // The page took the half ticket and dropped it at once.
      assertEquals(0L, ((Number) reopened.evaluate("sessionStorage.length")).longValue());
      WsProbe probe = WsProbe.connect(client, app.visitorPort(), "/ws", origin(), null);
      probe.send(new JsonObject().put("type", "hello").put("v", 1).put("reload", half));
      assertEquals("unknown_resume", probe.awaitType("error").getString("code"));
      probe.close();
      // Still the closed tab's chat, waiting out its queue grace; nothing took it over. (Closed
      // here so that later
      // tests' counselors do not meet it.)
      assertEquals("queued/-", conversationStatus(conversationId));
      app.pool()
          .preparedQuery(
              "UPDATE conversation SET status = 'closed', outcome = 'abandoned', closed_at = now() "
                  + "WHERE id = $1::uuid")
          .execute(Tuple.of(conversationId))
          .toCompletionStage()
          .toCompletableFuture()
          .get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  @DisplayName(
      "quick exit closes the help-point window the page opened, ends the chat in a hurry and leaves no "
          + "storage entry, cookie or window.name")
  void quickExitClosesHelpWindow() throws Exception {
    try (BrowserContext context = browser.phone()) {
      // The help point's website, served locally (no outside network in tests).
      context.route(
          "https://centrumseksueelgeweld.nl/**",
          r ->
              r.fulfill(
                  new Route.FulfillOptions()
                      .setContentType("text/html")
                      .setBody("<!doctype html><title>CSG</title><p>Centrum Seksueel Geweld</p>")));
      Page page = context.newPage();
      page.navigate(visitorUrl());
      Locator csg = toSuggestions(page);
      Page help = context.waitForPage(() -> csg.locator("a.help-link").first().click());
      help.waitForLoadState();
      assertEquals("CSG", help.title());
      csg.locator("button[data-help-point=csg]").click();
      assertThat(page.locator("#status"))
          .containsText("nummer", new LocatorAssertions.ContainsTextOptions().setTimeout(20_000));
      assertEquals(1, VisitorQuickExitIT.storage(page).get("session"));
      String conversationId = newestQueued("csg");

      page.locator("#exit").click();
      page.waitForURL(neutralUrl);
      // Playwright learns of the close through its event stream, which it reads while waiting on a
      // page.
      for (int i = 0; i < 100 && !help.isClosed(); i++) {
        page.waitForTimeout(50);
      }
      assertTrue(help.isClosed(), "the help-point window is closed");
      assertEquals(
          "closed/visitor_left_hurry", awaitStatus(conversationId, "closed/visitor_left_hurry"));
      assertEquals("", page.evaluate("window.name"));
      assertTrue(context.cookies().isEmpty());
      page.navigate(visitorUrl() + "health");
      assertEquals(
          Map.of("local", 0, "session", 0, "cookie", "", "idb", 0, "caches", 0),
          VisitorQuickExitIT.storage(page));
    }
  }

  @Test
  @DisplayName(
      "the console shows messages in seq order after a reconnect: what visitors sent while it was offline "
          + "comes before its own message that was still waiting to be sent")
  void consoleSeqOrder() throws Exception {
    try (BrowserContext consoleContext = browser.browser.newContext()) {
      Page console = consoleContext.newPage();
      console.navigate("http://127.0.0.1:" + app.consolePort() + "/");
      console.fill("#login-user", TestApp.demoUser("csg"));
      console.fill("#login-pass", TestApp.demoPassword(app, "csg"));
      console.click("#login-submit");
      assertThat(console.locator("#conn"))
          .hasText("verbonden", new LocatorAssertions.HasTextOptions().setTimeout(20_000));

      WsProbe visitor =
          WsProbe.connect(client, app.visitorPort(), "/ws", origin(), null).pinging(client, 5_000);
      visitor.send(new JsonObject().put("type", "hello").put("v", 1));
      visitor.awaitType("welcome");
      visitor.send(new JsonObject().put("type", "choose").put("helpPoint", "csg"));
      visitor.awaitType("queued");
      String id = newestQueued("csg");
      console.locator("#queue li[data-conversation-id='" + id + "'] .take-btn").click();
      Locator panel = console.locator(".chat[data-conversation-id='" + id + "']");
      assertThat(panel).isVisible();
      visitor.awaitType("assigned");

      consoleContext.setOffline(true);
      assertThat(console.locator("#conn")).not().hasText("verbonden");
      panel.locator(".text").fill("Tijdens de storing getypt.");
      panel.locator(".send").click();
      assertThat(panel.locator(".messages li.pending")).hasCount(1);
      for (String body : List.of("Eerste van de bezoeker.", "Tweede van de bezoeker.")) {
        visitor.send(
            new JsonObject()
                .put("type", "message")
                .put("clientId", "v-" + body.hashCode())
                .put("body", body));
        visitor.await(f -> "ack".equals(f.getString("type")), Duration.ofSeconds(10));
      }
      consoleContext.setOffline(false);
      assertThat(console.locator("#conn"))
          .hasText("verbonden", new LocatorAssertions.HasTextOptions().setTimeout(30_000));
      assertThat(panel.locator(".messages li.pending"))
          .hasCount(0, new LocatorAssertions.HasCountOptions().setTimeout(20_000));
      assertThat(panel.locator(".messages li[data-seq]")).hasCount(3);
      assertEquals(
          List.of("1", "2", "3"),
          panel
              .locator(".messages li[data-seq]")
              .evaluateAll("els => els.map(e => e.getAttribute('data-seq'))"));
      assertEquals(
          List.of(
              "Eerste van de bezoeker.", "Tweede van de bezoeker.", "Tijdens de storing getypt."),
          panel.locator(".messages li[data-seq] .body").allTextContents());
      JsonObject own =
          visitor.await(
              f -> "message".equals(f.getString("type")) && "counselor".equals(f.getString("from")),
              Duration.ofSeconds(10));
      assertEquals(3L, own.getLong("seq"));
      visitor.close();
    }
  }

  @Test
  @DisplayName(
      "a quick exit while offline blanks the page at once and is delivered when the network returns; "
          + "messages typed offline are shown in seq order after the reconnect")
  void offline() throws Exception {
    try (BrowserContext context = browser.phone()) {
      Page page = startChat(context);
      WsProbe counselor = counselor("veilig_thuis");
      String conversationId = take(counselor, "triage");
      assertThat(page.locator("#status")).containsText("Je praat nu met");

      // Offline: the visitor types, the counselor writes twice meanwhile; after the reconnect the
      // page shows the
      // stored order (counselor 1, 2, then the visitor's message with the next seq), as the console
      // does.
      context.setOffline(true);
      assertThat(page.locator("#net")).isVisible();
      page.locator("#message").fill("Offline getypt.");
      page.locator("#send").click();
      assertThat(page.locator("#log li.me .meta")).hasText("wordt verstuurd…");
      for (String body : List.of("Eerste.", "Tweede.")) {
        counselor.send(
            new JsonObject()
                .put("type", "message")
                .put("conversationId", conversationId)
                .put("clientId", "c-" + body.hashCode())
                .put("body", body));
        counselor.await(f -> "ack".equals(f.getString("type")), Duration.ofSeconds(10));
      }
      context.setOffline(false);
      assertThat(page.locator("#log li.me .meta"))
          .hasText("verstuurd", new LocatorAssertions.HasTextOptions().setTimeout(30_000));
      assertEquals(List.of(1, 2, 3), seqs(page));
      assertEquals(
          List.of("Eerste.", "Tweede.", "Offline getypt."),
          page.evaluate(
              "() => Array.from(document.querySelectorAll('#log li')).map(li => li.childNodes[1].textContent)"));

      context.setOffline(true);
      assertThat(page.locator("#net")).isVisible();
      page.locator("#exit").click();
      assertEquals(0L, ((Number) page.evaluate("document.body.childElementCount")).longValue());
      assertEquals("Weer", page.title());
      assertEquals(0L, ((Number) page.evaluate("sessionStorage.length")).longValue());
      assertEquals(
          "assigned/-", conversationStatus(conversationId), "nothing could reach the server yet");
      context.setOffline(false);
      page.waitForURL(neutralUrl, new Page.WaitForURLOptions().setTimeout(20_000));
      assertEquals(
          "closed/visitor_left_hurry", awaitStatus(conversationId, "closed/visitor_left_hurry"));
      JsonObject closed =
          counselor.await(f -> "closed".equals(f.getString("type")), Duration.ofSeconds(10));
      assertEquals("visitor_left_hurry", closed.getString("outcome"));
      counselor.close();
    }
  }
}
