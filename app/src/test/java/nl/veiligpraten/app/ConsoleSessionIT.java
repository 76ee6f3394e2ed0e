package nl.veiligpraten.app;

import static nl.veiligpraten.app.ConsoleFixtures.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import nl.veiligpraten.console.SessionLimits;
import nl.veiligpraten.infra.web.Secrets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 20, finding 7: an open console socket must not outlive its session, and only what the
 * counselor does keeps the session alive. One app with a 2-second idle timeout, a 9-second absolute
 * one and a 250 ms re-check.
 */
@DisplayName(
    "Console sessions: open sockets close with 4401 on expiry or deletion; only user actions keep them alive")
class ConsoleSessionIT {

  static final Duration IDLE = Duration.ofSeconds(2);
  static final Duration ABSOLUTE = Duration.ofSeconds(9);
  static final Duration RECHECK = Duration.ofMillis(250);

  @TempDir static Path dataDir;
  static RunningApp app;
  static Vertx client;
  static WebClient web;

  @BeforeAll
  static void setUp() throws Exception {
    app =
        TestApp.start(
            AppSettings.forTest(dataDir)
                .withSecurity(
                    SecuritySettings.DEFAULT.withSessions(
                        new SessionLimits(IDLE, ABSOLUTE, RECHECK))));
    client = Vertx.vertx();
    web = WebClient.create(client);
  }

  @AfterAll
  static void tearDown() throws Exception {
    app.stopBlocking();
    client.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  static void awaitClose(WsProbe socket, Duration within) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (socket.closeCode == null && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
  }

  /**
   * A GET as the page's own polling sends it: marked as background, so it must not count as
   * activity.
   */
  static int backgroundGet(ConsoleFixtures.Login login, String path) throws Exception {
    return await(
            web.get(app.consolePort(), "127.0.0.1", path)
                .putHeader("Cookie", login.cookie())
                .putHeader("X-VP-Background", "1")
                .send())
        .statusCode();
  }

  @Test
  @DisplayName(
      "a console kept open only by heartbeats and background polling closes with 4401 'expired' after the "
          + "idle timeout, while one whose counselor acts stays signed in until the absolute timeout")
  void idleAndAbsoluteExpiry() throws Exception {
    ConsoleFixtures.Login idle = ConsoleFixtures.loginDemo(web, app, "csg");
    ConsoleFixtures.Login active = ConsoleFixtures.loginDemo(web, app, "sense");
    long loggedIn = System.nanoTime();
    WsProbe idleSocket =
        WsProbe.connect(
                client, app.consolePort(), "/ws", ConsoleFixtures.origin(app), idle.cookie())
            .pinging(client, 200);
    WsProbe activeSocket =
        WsProbe.connect(
                client, app.consolePort(), "/ws", ConsoleFixtures.origin(app), active.cookie())
            .pinging(client, 200);
    idleSocket.awaitType("hello");
    activeSocket.awaitType("hello");
    // The idle console polls in the background; the active counselor changes status now and then (a
    // user action).
    long pollTimer =
        client.setPeriodic(
            300,
            t ->
                web.get(app.consolePort(), "127.0.0.1", "/api/referrals")
                    .putHeader("Cookie", idle.cookie())
                    .putHeader("X-VP-Background", "1")
                    .send());
    long actTimer =
        client.setPeriodic(
            400,
            t ->
                activeSocket.send(
                    new JsonObject().put("type", "status").put("status", "available")));
    try {
      JsonObject ended =
          idleSocket.await(f -> "session-ended".equals(f.getString("type")), IDLE.plusSeconds(5));
      awaitClose(idleSocket, Duration.ofSeconds(3));
      long closedAfterMs = (System.nanoTime() - loggedIn) / 1_000_000;
      assertEquals("expired", ended.getString("reason"));
      assertEquals((short) 4401, idleSocket.closeCode);
      assertTrue(
          closedAfterMs >= IDLE.toMillis(),
          "closed before the idle timeout: " + closedAfterMs + " ms");
      assertEquals(401, backgroundGet(idle, "/api/me"), "the expired session still answers");
      System.out.printf(
          "ConsoleSessionIT: idle console closed %d ms after sign-in (idle timeout %d ms, re-check %d ms)%n",
          closedAfterMs, IDLE.toMillis(), RECHECK.toMillis());

      // The active counselor is past the idle timeout too, and still signed in: their actions
      // refreshed it.
      while (System.nanoTime() - loggedIn < IDLE.plusSeconds(1).toNanos()) {
        Thread.sleep(50);
      }
      assertNull(activeSocket.closeCode, "an active console was closed");
      assertEquals(200, backgroundGet(active, "/api/me"));

      // However active, the session ends at the absolute timeout.
      JsonObject over =
          activeSocket.await(
              f -> "session-ended".equals(f.getString("type")), ABSOLUTE.plusSeconds(5));
      awaitClose(activeSocket, Duration.ofSeconds(3));
      long activeClosedMs = (System.nanoTime() - loggedIn) / 1_000_000;
      assertEquals("expired", over.getString("reason"));
      assertEquals((short) 4401, activeSocket.closeCode);
      assertTrue(
          activeClosedMs >= ABSOLUTE.toMillis(),
          "closed before the absolute timeout: " + activeClosedMs);
      System.out.printf(
          "ConsoleSessionIT: active console closed %d ms after sign-in (absolute timeout %d ms)%n",
          activeClosedMs, ABSOLUTE.toMillis());
    } finally {
      client.cancelTimer(pollTimer);
      client.cancelTimer(actTimer);
    }
  }

  @Test
  @DisplayName(
      "a session deleted in the database (a logout on a node whose note was missed) closes its socket with "
          + "4401 'ended' within the re-check period")
  void deletedSessionClosesSocket() throws Exception {
    ConsoleFixtures.Login login = ConsoleFixtures.loginDemo(web, app, "veilig_thuis");
    WsProbe socket =
        WsProbe.connect(
                client, app.consolePort(), "/ws", ConsoleFixtures.origin(app), login.cookie())
            .pinging(client, 200);
    socket.awaitType("hello");
    byte[] hash = Secrets.sha256(login.cookie().substring(login.cookie().indexOf('=') + 1));
    long deleted = System.nanoTime();
    await(
        app.pool()
            .preparedQuery("DELETE FROM staff_session WHERE id_hash = $1")
            .execute(Tuple.of(Buffer.buffer(hash))));
    JsonObject ended =
        socket.await(f -> "session-ended".equals(f.getString("type")), Duration.ofSeconds(5));
    awaitClose(socket, Duration.ofSeconds(3));
    long ms = (System.nanoTime() - deleted) / 1_000_000;
    assertEquals("ended", ended.getString("reason"));
    assertEquals((short) 4401, socket.closeCode);
    assertTrue(ms < RECHECK.toMillis() + 2_000, "closed " + ms + " ms after the delete");
    System.out.printf(
        "ConsoleSessionIT: socket closed %d ms after its session row was deleted%n", ms);
  }

  @Test
  @DisplayName(
      "logout closes the session's sockets at once with a 'logged_out' session-ended frame and 4401")
  void logoutClosesSocket() throws Exception {
    ConsoleFixtures.Login login = ConsoleFixtures.loginDemo(web, app, "cvsn");
    WsProbe socket =
        WsProbe.connect(
                client, app.consolePort(), "/ws", ConsoleFixtures.origin(app), login.cookie())
            .pinging(client, 200);
    socket.awaitType("hello");
    assertEquals(200, ConsoleFixtures.post(web, app, login, "/api/logout", null).statusCode());
    assertEquals(
        "logged_out",
        socket
            .await(f -> "session-ended".equals(f.getString("type")), Duration.ofSeconds(5))
            .getString("reason"));
    awaitClose(socket, Duration.ofSeconds(3));
    assertEquals((short) 4401, socket.closeCode);
  }
}
