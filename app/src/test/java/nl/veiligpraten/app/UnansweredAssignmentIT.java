package nl.veiligpraten.app;

import static nl.veiligpraten.app.ConsoleFixtures.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import nl.veiligpraten.staff.StaffUser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName(
    "Unanswered assignment: a chat whose counselor sends no first message moves on, and the supervisor is told")
class UnansweredAssignmentIT {

  /**
   * reassignAfterSeconds for every priority in this test's help-points.yaml (the bundled ones are
   * 20-900 s).
   */
  static final int REASSIGN_SECONDS = 2;

  @TempDir static Path dataDir;
  @TempDir static Path configDir;
  static Vertx client;
  static WebClient web;
  static RunningApp app;

  @BeforeAll
  static void setUp() throws Exception {
    String bundled;
    try (InputStream in =
        UnansweredAssignmentIT.class
            .getClassLoader()
            .getResourceAsStream("config/help-points.yaml")) {
      bundled = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    String line = "reassignAfterSeconds: {P0: 20, P1: 45, P2: 300, P3: 900}";
    assertTrue(bundled.contains(line), "test setup: the bundled reassignAfterSeconds line changed");
    Files.writeString(
        configDir.resolve("help-points.yaml"),
        bundled.replace(
            line,
            "reassignAfterSeconds: {P0: "
                + REASSIGN_SECONDS
                + ", P1: "
                + REASSIGN_SECONDS
                + ", P2: "
                + REASSIGN_SECONDS
                + ", P3: "
                + REASSIGN_SECONDS
                + "}"));
    client = Vertx.vertx();
    web = WebClient.create(client);
    // A short presence lease: the counselors stay present only if this node keeps renewing their
    // rows.
    app =
        TestApp.start(
            AppSettings.forTest(dataDir)
                .withConfigDir(configDir)
                .withLiveness(
                    nl.veiligpraten.presence.LivenessSettings.DEFAULTS.withTimeouts(
                        45, 15, 10, 2, 60)));
  }

  @AfterAll
  static void tearDown() throws Exception {
    app.stopBlocking();
    client.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  static WsProbe console(String user, String password) throws Exception {
    ConsoleFixtures.Login login = ConsoleFixtures.login(web, app, user, password, null);
    WsProbe p =
        WsProbe.connect(
                client, app.consolePort(), "/ws", ConsoleFixtures.origin(app), login.cookie())
            .pinging(client, 5_000);
    p.awaitType("hello");
    return p;
  }

  static WsProbe available(String user, String password) throws Exception {
    WsProbe p = console(user, password);
    p.send(new JsonObject().put("type", "status").put("status", "available"));
    p.await(
        f -> "status".equals(f.getString("type")) && "available".equals(f.getString("status")),
        Duration.ofSeconds(10));
    return p;
  }

  static Row chat(UUID id) throws Exception {
    return await(
            app.pool()
                .preparedQuery(
                    "SELECT status, counselor_id, passed_over_by FROM conversation WHERE id = $1")
                .execute(Tuple.of(id)))
        .iterator()
        .next();
  }

  @Test
  @DisplayName(
      "a chat whose counselor sends nothing within reassignAfterSeconds goes back to the head of the queue, "
          + "the supervisor socket gets an alert, and the next free counselor (not the silent one) gets it; a chat that "
          + "was answered in time stays")
  void unansweredMovesOn() throws Exception {
    StaffUser silent =
        ConsoleFixtures.createStaff(
            app, "veilig_thuis", "vt-silent", "counselor", "silent-password", 1);
    StaffUser other =
        ConsoleFixtures.createStaff(
            app, "veilig_thuis", "vt-other", "counselor", "other-password", 1);
    ConsoleFixtures.createStaff(app, "veilig_thuis", "vt-sup", "supervisor", "sup-password", 1);
    WsProbe supervisor = console("vt-sup", "sup-password");
    WsProbe silentConsole = available("vt-silent", "silent-password");

    // Only the silent counselor is available: the chat is auto-assigned to them.
    ConsoleFixtures.Visitor visitor =
        ConsoleFixtures.queuedVisitor(client, app, "veilig_thuis", null);
    String id = visitor.conversationId().toString();
    silentConsole.await(
        f -> "assigned".equals(f.getString("type")) && id.equals(f.getString("conversationId")),
        Duration.ofSeconds(15));
    visitor.probe().awaitType("assigned");
    long assignedAt = System.nanoTime();
    WsProbe otherConsole = available("vt-other", "other-password");

    // No first message: after reassignAfterSeconds (+ one sweep of 1 s) the supervisor is alerted.
    JsonObject alert =
        supervisor.await(
            f -> "alert".equals(f.getString("type")) && id.equals(f.getString("conversationId")),
            Duration.ofSeconds(20));
    double movedAfter = (System.nanoTime() - assignedAt) / 1e9;
    assertEquals("unanswered_assignment", alert.getString("kind"));
    assertEquals(silent.id(), alert.getLong("counselorId"));
    assertEquals("Medewerker vt-silent", alert.getString("counselor"));
    assertEquals(REASSIGN_SECONDS, alert.getInteger("afterSeconds"));
    assertEquals("veilig_thuis", alert.getString("helpPoint"));
    assertTrue(
        alert.getInteger("priority") >= 0 && alert.getInteger("priority") <= 3, alert.encode());
    assertTrue(
        movedAfter >= REASSIGN_SECONDS - 0.5 && movedAfter < REASSIGN_SECONDS + 8,
        "moved after " + movedAfter);
    // The silent counselor's console lets the chat go; the other counselor gets it, and the visitor
    // sees the change.
    silentConsole.await(
        f ->
            "released".equals(f.getString("type"))
                && id.equals(f.getString("conversationId"))
                && "requeued".equals(f.getString("reason")),
        Duration.ofSeconds(10));
    otherConsole.await(
        f -> "assigned".equals(f.getString("type")) && id.equals(f.getString("conversationId")),
        Duration.ofSeconds(10));
    visitor
        .probe()
        .await(
            f ->
                "assigned".equals(f.getString("type"))
                    && "Medewerker vt-other".equals(f.getString("counselor")),
            Duration.ofSeconds(10));
    Row row = chat(visitor.conversationId());
    assertEquals("assigned", row.getString("status"));
    assertEquals(other.id(), row.getLong("counselor_id"));
    assertEquals(List.of("auto", "auto"), assignmentsOf(visitor.conversationId()));

    // The other counselor answers at once: the chat stays with them, also after
    // reassignAfterSeconds.
    otherConsole.send(
        new JsonObject()
            .put("type", "message")
            .put("conversationId", id)
            .put("clientId", "first")
            .put("body", "Hoi, ik ben er."));
    otherConsole.await(
        f -> "ack".equals(f.getString("type")) && "first".equals(f.getString("clientId")),
        Duration.ofSeconds(10));
    // Marker: a later unanswered chat of the silent counselor (free again) is reassigned after this
    // one would
    // have been; its alert arriving first proves the answered chat was considered and kept.
    ConsoleFixtures.Visitor later =
        ConsoleFixtures.queuedVisitor(client, app, "veilig_thuis", null);
    String laterId = later.conversationId().toString();
    silentConsole.await(
        f ->
            "assigned".equals(f.getString("type")) && laterId.equals(f.getString("conversationId")),
        Duration.ofSeconds(15));
    JsonObject next =
        supervisor.await(f -> "alert".equals(f.getString("type")), Duration.ofSeconds(20));
    assertEquals(
        laterId,
        next.getString("conversationId"),
        "only the unanswered chat moves on: " + next.encode());
    Row kept = chat(visitor.conversationId());
    assertEquals("assigned", kept.getString("status"));
    assertEquals(other.id(), kept.getLong("counselor_id"));
    // Nobody else is free (the other counselor is at capacity 1): the later chat waits at the head
    // of the queue
    // and is not handed straight back to the counselor who let it go unanswered.
    Row waiting = chat(later.conversationId());
    assertEquals("queued", waiting.getString("status"));
    assertEquals(silent.id(), waiting.getLong("passed_over_by"));
    later.probe().await(f -> "queued".equals(f.getString("type")), Duration.ofSeconds(10));
    assertNotEquals(silent.id(), kept.getLong("counselor_id"));

    supervisor.close();
    silentConsole.close();
    otherConsole.close();
    visitor.probe().close();
    later.probe().close();
  }

  static List<String> assignmentsOf(UUID id) throws Exception {
    List<String> out = new java.util.ArrayList<>();
    await(
            app.pool()
                .preparedQuery("SELECT how FROM assignment WHERE conversation_id = $1 ORDER BY id")
                .execute(Tuple.of(id)))
        .forEach(r -> out.add(r.getString("how")));
    return out;
  }
}
