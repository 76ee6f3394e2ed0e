package nl.veiligpraten.app;

import static nl.veiligpraten.app.ConsoleFixtures.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import nl.veiligpraten.infra.db.EmbeddedDatabase;
import nl.veiligpraten.presence.LivenessSettings;
import nl.veiligpraten.staff.StaffUser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName(
    "Honest presence across a restart: a counselor who does not come back loses their chats after the grace, "
        + "new chats go only to counselors present, and another node's counselors stay present")
class PresenceRestartIT {

  static final int GRACE_SECONDS = 2;

  /**
   * Long against the test: a leftover row would not run out on its own, so only the restart can
   * clear it.
   */
  static final int LEASE_SECONDS = 30;

  @TempDir static Path dataDir;
  static Vertx client;
  static WebClient web;
  static RunningApp app;
  static AppSettings settings;

  /**
   * PostgreSQL of its own, so it outlives the service's restart (as a production database does).
   */
  static EmbeddedDatabase database;

  @BeforeAll
  static void setUp() throws Exception {
    client = Vertx.vertx();
    web = WebClient.create(client);
    database = EmbeddedDatabase.start(dataDir.resolve("pg"), 0);
    settings =
        AppSettings.forTest(dataDir)
            .withExternalDb(database.settings())
            .withLiveness(
                LivenessSettings.DEFAULTS.withTimeouts(45, 15, 10, LEASE_SECONDS, GRACE_SECONDS));
    app = TestApp.start(settings);
  }

  @AfterAll
  static void tearDown() throws Exception {
    if (app != null) {
      app.stopBlocking();
    }
    client.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    database.close();
  }

  static WsProbe available(String user, String password) throws Exception {
    ConsoleFixtures.Login login = ConsoleFixtures.login(web, app, user, password, null);
    WsProbe p =
        WsProbe.connect(
                client, app.consolePort(), "/ws", ConsoleFixtures.origin(app), login.cookie())
            .pinging(client, 5_000);
    p.awaitType("hello");
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
                    "SELECT status, counselor_id, queue_head FROM conversation WHERE id = $1")
                .execute(Tuple.of(id)))
        .iterator()
        .next();
  }

  static boolean present(long staffId) throws Exception {
    return await(
            app.pool()
                .preparedQuery(
                    "SELECT EXISTS (SELECT 1 FROM staff_presence WHERE staff_id = $1 "
                        + "AND expires_at > now())")
                .execute(Tuple.of(staffId)))
        .iterator()
        .next()
        .getBoolean(0);
  }

  @Test
  @DisplayName(
      "after a restart the counselor who never reconnects is away after the grace, their chat goes back to "
          + "the head of the queue and to the counselor who is present; a new chat goes only to the present one; a "
          + "counselor held by another node is still present and keeps their chat")
  void restart() throws Exception {
    StaffUser gone =
        ConsoleFixtures.createStaff(
            app, "veilig_thuis", "vt-gone", "counselor", "gone-password", 3);
    StaffUser back =
        ConsoleFixtures.createStaff(
            app, "veilig_thuis", "vt-back", "counselor", "back-password", 3);
    StaffUser elsewhere =
        ConsoleFixtures.createStaff(
            app, "veilig_thuis", "vt-else", "counselor", "else-password", 3);

    WsProbe goneConsole = available("vt-gone", "gone-password");
    ConsoleFixtures.Visitor first =
        ConsoleFixtures.queuedVisitor(client, app, "veilig_thuis", null);
    String firstId = first.conversationId().toString();
    goneConsole.await(
        f ->
            "assigned".equals(f.getString("type")) && firstId.equals(f.getString("conversationId")),
        Duration.ofSeconds(15));
    goneConsole.send(
        new JsonObject()
            .put("type", "message")
            .put("conversationId", firstId)
            .put("clientId", "g1")
            .put("body", "Hallo, ik lees mee."));
    goneConsole.awaitType("ack");
    assertTrue(present(gone.id()));

    // A counselor whose console lives on another node of the cluster (its lease row, renewed by
    // that node), holding
    // a chat of their own. The restart of this node must leave both alone.
    UUID otherChat = UUID.randomUUID();
    await(
        app.pool()
            .preparedQuery(
                "INSERT INTO conversation (id, resume_hash, status, org_id, help_point, priority, "
                    + "counselor_id, queued_at, assigned_at) VALUES ($1, $2, 'assigned', 'veilig_thuis', 'veilig_thuis', 2, $3, "
                    + "now(), now())")
            .execute(
                Tuple.of(
                    otherChat,
                    io.vertx.core.buffer.Buffer.buffer(UUID.randomUUID().toString()),
                    elsewhere.id())));
    await(
        app.pool()
            .preparedQuery(
                "INSERT INTO staff_presence (staff_id, node_id, sockets, expires_at) "
                    + "VALUES ($1, 'node-b:5701', 1, now() + interval '1 hour')")
            .execute(Tuple.of(elsewhere.id())));

    // The process dies without closing anything (kill -9, power cut): its presence rows stay behind
    // with a lease
    // that has not run out. The graceful stop below releases them, so the test puts the crash's
    // leftover back
    // before the same node starts again on the same database.
    assertTrue(present(gone.id()));
    app.stopBlocking();
    app = null;
    io.vertx.sqlclient.Pool direct =
        nl.veiligpraten.infra.db.Database.pool(client, database.settings(), 1);
    await(
        direct
            .preparedQuery(
                "INSERT INTO staff_presence (staff_id, node_id, sockets, expires_at) "
                    + "VALUES ($1, 'standalone', 1, now() + interval '1 hour') ON CONFLICT (staff_id, node_id) "
                    + "DO UPDATE SET expires_at = EXCLUDED.expires_at")
            .execute(Tuple.of(gone.id())));
    await(direct.close());
    app = TestApp.start(settings);

    assertTrue(
        !present(gone.id()), "the restarted node cleared the presence its previous run held");
    assertTrue(present(elsewhere.id()), "another node's counselor stays present");
    // The counselor who comes back is present; the one who does not gets no new chat.
    WsProbe backConsole = available("vt-back", "back-password");
    backConsole.await(
        f ->
            "assigned".equals(f.getString("type")) && firstId.equals(f.getString("conversationId")),
        Duration.ofSeconds(20));
    // Not before the grace: from the moment the restarted node cleared the counselor's presence to
    // the new owner.
    double movedAfter =
        await(
                app.pool()
                    .preparedQuery(
                        "SELECT extract(epoch FROM (max(a.assigned_at) - "
                            + "u.last_present_at))::float8 FROM assignment a, staff_user u WHERE a.conversation_id = $1 AND u.id = $2 "
                            + "GROUP BY u.last_present_at")
                    .execute(Tuple.of(first.conversationId(), gone.id())))
            .iterator()
            .next()
            .getDouble(0);
    assertTrue(
        movedAfter >= GRACE_SECONDS,
        "moved " + movedAfter + " s after the counselor was last present");
    Row moved = chat(first.conversationId());
    assertEquals("assigned", moved.getString("status"));
    assertEquals(back.id(), moved.getLong("counselor_id"));
    assertEquals(
        2L,
        await(
                app.pool()
                    .preparedQuery("SELECT count(*) FROM assignment WHERE conversation_id = $1")
                    .execute(Tuple.of(first.conversationId())))
            .iterator()
            .next()
            .getLong(0));

    ConsoleFixtures.Visitor fresh =
        ConsoleFixtures.queuedVisitor(client, app, "veilig_thuis", null);
    String freshId = fresh.conversationId().toString();
    backConsole.await(
        f ->
            "assigned".equals(f.getString("type")) && freshId.equals(f.getString("conversationId")),
        Duration.ofSeconds(20));
    assertEquals(back.id(), chat(fresh.conversationId()).getLong("counselor_id"));

    // The other node's counselor kept their chat (their lease is live), although the grace has long
    // passed.
    Row kept = chat(otherChat);
    assertEquals("assigned", kept.getString("status"));
    assertEquals(elsewhere.id(), kept.getLong("counselor_id"));
    // The board tells the truth as well.
    ConsoleFixtures.createStaff(app, "veilig_thuis", "vt-boss", "supervisor", "boss-password", 1);
    ConsoleFixtures.Login boss = ConsoleFixtures.login(web, app, "vt-boss", "boss-password", null);
    var staff =
        ConsoleFixtures.get(web, app, boss, "/api/staff").bodyAsJsonObject().getJsonArray("staff");
    java.util.Map<Long, Boolean> online = new java.util.HashMap<>();
    staff.stream()
        .map(o -> (JsonObject) o)
        .forEach(o -> online.put(o.getLong("id"), o.getBoolean("online")));
    assertEquals(Boolean.FALSE, online.get(gone.id()), staff.encode());
    assertEquals(Boolean.TRUE, online.get(back.id()), staff.encode());
    assertEquals(Boolean.TRUE, online.get(elsewhere.id()), staff.encode());
    backConsole.close();
  }
}
