package nl.veiligpraten.app;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static nl.veiligpraten.app.ConsoleFixtures.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.vertx.ext.web.client.WebClient;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import nl.veiligpraten.presence.LivenessSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName(
    "Heartbeats both ways: a blackholed connection (forwarding stops, nothing is closed) is noticed by the "
        + "server and by the page and the console within the configured time")
class HeartbeatIT {

  /**
   * Short on purpose (production: 45 s silence, ping every 15 s, pong within 10 s, 60 s counselor
   * grace).
   */
  static final int SILENCE = 3;

  static final int PING = 1;
  static final int PONG_TIMEOUT = 2;
  static final int COUNSELOR_GRACE = 2;

  /** Slack for a loaded 2-core CI box on top of each configured time. */
  static final int SLACK = 6;

  @TempDir static Path dataDir;
  static Vertx client;
  static WebClient web;
  static RunningApp app;
  static BlackholeProxy visitorProxy;
  static BlackholeProxy consoleProxy;
  static VisitorBrowser browser;

  @BeforeAll
  static void setUp() throws Exception {
    client = Vertx.vertx();
    web = WebClient.create(client);
    AppSettings settings = AppSettings.forTest(dataDir);
    visitorProxy = new BlackholeProxy(client, settings.visitorPort());
    consoleProxy = new BlackholeProxy(client, settings.consolePort());
    Set<String> visitorOrigins = new java.util.LinkedHashSet<>(settings.visitorOrigins());
    visitorOrigins.add("http://127.0.0.1:" + visitorProxy.port());
    Set<String> consoleOrigins = new java.util.LinkedHashSet<>(settings.consoleOrigins());
    consoleOrigins.add("http://127.0.0.1:" + consoleProxy.port());
    app =
        TestApp.start(
            settings
                .withVisitorOrigins(visitorOrigins)
                .withConsoleOrigins(consoleOrigins)
                .withLiveness(
                    LivenessSettings.DEFAULTS.withTimeouts(
                        SILENCE, PING, PONG_TIMEOUT, 3, COUNSELOR_GRACE)));
    browser = new VisitorBrowser();
  }

  @AfterAll
  static void tearDown() throws Exception {
    if (browser != null) {
      browser.close();
    }
    app.stopBlocking();
    client.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /**
   * A loopback TCP relay whose connections can be blackholed: their bytes are dropped in both
   * directions and nothing is closed on either side (like a phone that moved from Wi-Fi to 4G, or a
   * NAT that forgot the mapping). While the outage lasts, new connections are blackholed too; after
   * {@link #restore()} new connections are relayed normally (the new network), the old ones stay
   * dead.
   */
  static final class BlackholeProxy {
    final Set<AtomicBoolean> live = ConcurrentHashMap.newKeySet();
    final AtomicBoolean outage = new AtomicBoolean();
    final NetServer server;

    BlackholeProxy(Vertx vertx, int targetPort) throws Exception {
      var netClient = vertx.createNetClient();
      server =
          vertx
              .createNetServer()
              .connectHandler(
                  inbound -> {
                    inbound.pause();
                    AtomicBoolean forwarding = new AtomicBoolean(!outage.get());
                    live.add(forwarding);
                    netClient
                        .connect(targetPort, "127.0.0.1")
                        .onSuccess(
                            outbound -> {
                              inbound.handler(b -> relay(forwarding, outbound, b));
                              outbound.handler(b -> relay(forwarding, inbound, b));
                              inbound.closeHandler(v -> closeIfForwarding(forwarding, outbound));
                              outbound.closeHandler(v -> closeIfForwarding(forwarding, inbound));
                              inbound.resume();
                            })
                        .onFailure(e -> inbound.close());
                  })
              .listen(0, "127.0.0.1")
              .toCompletionStage()
              .toCompletableFuture()
              .get(10, TimeUnit.SECONDS);
    }

    private static void relay(
        AtomicBoolean forwarding, NetSocket to, io.vertx.core.buffer.Buffer bytes) {
      if (forwarding.get()) {
        to.write(bytes);
      }
    }

    private static void closeIfForwarding(AtomicBoolean forwarding, NetSocket other) {
      // A blackholed line carries no close either: each side must find out by itself.
      if (forwarding.get()) {
        other.close();
      }
    }

    int port() {
      return server.actualPort();
    }

    /**
     * Every connection open now, and every new one until {@link #restore()}, forwards nothing,
     * silently.
     */
    void blackhole() {
      outage.set(true);
      live.forEach(f -> f.set(false));
      live.clear();
    }

    /** New connections are relayed again; the blackholed ones stay dead. */
    void restore() {
      outage.set(false);
    }
  }

  /** A failed test must not leave a proxy in an outage for the next one. */
  @AfterEach
  void networkBack() {
    visitorProxy.restore();
    consoleProxy.restore();
  }

  static WsProbe console(int port, String user, String password) throws Exception {
    ConsoleFixtures.Login login = ConsoleFixtures.login(web, app, user, password, null);
    WsProbe p = WsProbe.connect(client, port, "/ws", "http://127.0.0.1:" + port, login.cookie());
    p.awaitType("hello");
    p.send(new JsonObject().put("type", "status").put("status", "available"));
    p.await(
        f -> "status".equals(f.getString("type")) && "available".equals(f.getString("status")),
        Duration.ofSeconds(10));
    return p;
  }

  static double since(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  @Test
  @DisplayName(
      "server side: a blackholed visitor is closed after the silence and the counselor is told the visitor "
          + "is gone; a blackholed console is closed, the counselor is away, and after the grace the chat is back in "
          + "the queue")
  void serverNoticesBothSockets() throws Exception {
    ConsoleFixtures.createStaff(app, "veilig_thuis", "vt-hb", "counselor", "hb-password", 3);
    WsProbe counselor = console(app.consolePort(), "vt-hb", "hb-password");

    // A visitor over the proxy, assigned to the counselor, then the line goes dead.
    WsProbe visitor =
        WsProbe.connect(
            client, visitorProxy.port(), "/ws", "http://127.0.0.1:" + visitorProxy.port(), null);
    visitor.send(new JsonObject().put("type", "hello").put("v", 1));
    visitor.awaitType("welcome");
    visitor.send(new JsonObject().put("type", "choose").put("helpPoint", "veilig_thuis"));
    visitor.awaitType("assigned");
    String id = counselor.awaitType("assigned").getString("conversationId");
    long cut = System.nanoTime();
    visitorProxy.blackhole();
    counselor.await(
        f ->
            "visitor-disconnected".equals(f.getString("type"))
                && id.equals(f.getString("conversationId")),
        Duration.ofSeconds(SILENCE + SLACK));
    visitorProxy.restore();
    double noticed = since(cut);
    assertTrue(
        noticed >= SILENCE - 1 && noticed <= SILENCE + SLACK,
        "visitor gone noticed after " + noticed + " s");
    assertTrue(
        await(
                app.pool()
                    .preparedQuery(
                        "SELECT visitor_left_at IS NOT NULL FROM conversation WHERE id = $1::uuid")
                    .execute(Tuple.of(id)))
            .iterator()
            .next()
            .getBoolean(0));

    // A counselor over the proxy holding a chat of a visitor who stays; then the counselor's line
    // goes dead.
    ConsoleFixtures.createStaff(app, "csg", "csg-hb", "counselor", "hb2-password", 3);
    WsProbe far = console(consoleProxy.port(), "csg-hb", "hb2-password");
    ConsoleFixtures.Visitor waiting = ConsoleFixtures.queuedVisitor(client, app, "csg", null);
    if (!"assigned".equals(waiting.firstFrame())) {
      // queuedVisitor reads the first of queued/assigned: with a free counselor, assigned can come
      // first.
      waiting.probe().await(f -> "assigned".equals(f.getString("type")), Duration.ofSeconds(15));
    }
    String waitingId = waiting.conversationId().toString();
    far.await(
        f ->
            "assigned".equals(f.getString("type"))
                && waitingId.equals(f.getString("conversationId")),
        Duration.ofSeconds(10));
    long farCut = System.nanoTime();
    consoleProxy.blackhole();
    // The server closes the silent console: the counselor is away (cluster-wide presence), then
    // after the grace the
    // chat is back at the head of the queue and the visitor is told.
    long deadline = System.nanoTime() + Duration.ofSeconds(SILENCE + SLACK).toNanos();
    while (present("csg-hb") && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    double away = since(farCut);
    assertTrue(!present("csg-hb"), "still present " + away + " s after the line went dead");
    consoleProxy.restore();
    assertTrue(away >= SILENCE - 1, "away too early: " + away);
    waiting
        .probe()
        .await(
            f -> "queued".equals(f.getString("type")), Duration.ofSeconds(COUNSELOR_GRACE + SLACK));
    double requeued = since(farCut);
    assertTrue(requeued >= SILENCE + COUNSELOR_GRACE - 1, "requeued after " + requeued + " s");
    counselor.close();
    visitor.close();
    waiting.probe().close();
  }

  static boolean present(String username) throws Exception {
    return await(
            app.pool()
                .preparedQuery(
                    "SELECT EXISTS (SELECT 1 FROM staff_presence p JOIN staff_user u "
                        + "ON u.id = p.staff_id WHERE u.username = $1 AND p.expires_at > now())")
                .execute(Tuple.of(username)))
        .iterator()
        .next()
        .getBoolean(0);
  }

  @Test
  @DisplayName(
      "client side: the page shows 'Geen verbinding, we proberen het opnieuw' when no pong comes within the "
          + "configured time and reconnects by itself; the console does the same")
  void pageAndConsoleNotice() throws Exception {
    try (BrowserContext context = browser.phone()) {
      Page page = context.newPage();
      page.navigate("http://127.0.0.1:" + visitorProxy.port() + "/");
      page.locator("button[data-code=no]").click();
      assertThat(page.locator("#screen-title")).hasText("Waarover wil je praten?");
      assertThat(page.locator("#net")).isHidden();
      long cut = System.nanoTime();
      visitorProxy.blackhole();
      assertThat(page.locator("#net"))
          .containsText(
              "Geen verbinding. We proberen het opnieuw",
              new LocatorAssertions.ContainsTextOptions()
                  .setTimeout((PING + PONG_TIMEOUT + SLACK) * 1000.0));
      double shown = since(cut);
      assertTrue(shown <= PING + PONG_TIMEOUT + SLACK, "banner after " + shown + " s");
      VisitorBrowser.screenshot(page, "heartbeat-visitor-offline");
      // A new connection works again (the new network): the page is back by itself, without a
      // reload.
      visitorProxy.restore();
      assertThat(page.locator("#net"))
          .isHidden(new LocatorAssertions.IsHiddenOptions().setTimeout(20_000));
      assertThat(page.locator("#screen-title")).hasText("Waarover wil je praten?");
    }

    ConsoleFixtures.createStaff(app, "veilig_thuis", "vt-page", "counselor", "page-password", 3);
    try (BrowserContext context = browser.browser.newContext()) {
      Page page = context.newPage();
      page.navigate("http://127.0.0.1:" + consoleProxy.port() + "/");
      page.locator("#login-user").fill("vt-page");
      page.locator("#login-pass").fill("page-password");
      page.locator("#login-submit").click();
      assertThat(page.locator("#conn"))
          .hasText("verbonden", new LocatorAssertions.HasTextOptions().setTimeout(30_000));
      long cut = System.nanoTime();
      consoleProxy.blackhole();
      assertThat(page.locator("#conn"))
          .containsText(
              "Geen verbinding, we proberen het opnieuw",
              new LocatorAssertions.ContainsTextOptions()
                  .setTimeout((PING + PONG_TIMEOUT + SLACK) * 1000.0));
      double shown = since(cut);
      assertTrue(shown <= PING + PONG_TIMEOUT + SLACK, "console notice after " + shown + " s");
      VisitorBrowser.screenshot(page, "heartbeat-console-offline");
      consoleProxy.restore();
    }
  }
}
