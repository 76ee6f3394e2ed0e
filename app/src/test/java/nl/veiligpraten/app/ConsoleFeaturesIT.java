package nl.veiligpraten.app;

import static nl.veiligpraten.app.ConsoleFixtures.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName(
    "Console features: capacity, disconnect grace, supervisor board, silent join and whisper, canned "
        + "replies, organisations")
class ConsoleFeaturesIT {

  private static final int GRACE_SECONDS = 2;

  @TempDir static Path dataDir;
  static Vertx client;
  static WebClient web;
  static RunningApp app;

  @BeforeAll
  static void setUp() throws Exception {
    client = Vertx.vertx();
    web = WebClient.create(client);
    app =
        TestApp.start(
            AppSettings.forTest(dataDir)
                .withQueueGraceSeconds(GRACE_SECONDS)
                .withLiveness(
                    nl.veiligpraten.presence.LivenessSettings.DEFAULTS.withTimeouts(
                        45, 15, 10, 30, GRACE_SECONDS)));
  }

  @AfterAll
  static void tearDown() throws Exception {
    app.stopBlocking();
    client.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  static WsProbe console(ConsoleFixtures.Login login) throws Exception {
    WsProbe p =
        WsProbe.connect(
            client, app.consolePort(), "/ws", ConsoleFixtures.origin(app), login.cookie());
    p.awaitType("hello");
    return p;
  }

  static JsonObject error(WsProbe p, String code) throws InterruptedException {
    return p.await(
        f -> "error".equals(f.getString("type")) && code.equals(f.getString("code")),
        Duration.ofSeconds(10));
  }

  @Test
  @DisplayName(
      "a counselor cannot take more chats than their capacity; when their console is gone longer than the "
          + "grace period their chats return to the head of the queue and the visitor is told")
  void capacityAndDisconnect() throws Exception {
    // veilig_thuis is open 24/7 (help points with office hours answer "unavailable" in the
    // evening).
    ConsoleFixtures.createStaff(app, "veilig_thuis", "vt-cap", "counselor", "cap-password", 2);
    ConsoleFixtures.Login login = ConsoleFixtures.login(web, app, "vt-cap", "cap-password", null);
    WsProbe c = console(login);
    ConsoleFixtures.Visitor v1 = ConsoleFixtures.queuedVisitor(client, app, "veilig_thuis", null);
    ConsoleFixtures.Visitor v2 = ConsoleFixtures.queuedVisitor(client, app, "veilig_thuis", null);
    ConsoleFixtures.Visitor v3 = ConsoleFixtures.queuedVisitor(client, app, "veilig_thuis", null);
    for (ConsoleFixtures.Visitor v : new ConsoleFixtures.Visitor[] {v1, v2}) {
      c.send(
          new JsonObject()
              .put("type", "take")
              .put("conversationId", v.conversationId().toString()));
      v.probe().awaitType("assigned");
    }
    c.send(
        new JsonObject().put("type", "take").put("conversationId", v3.conversationId().toString()));
    error(c, "at_capacity");
    assertEquals("queued", status(v3));

    c.close();
    // Back in the queue after the counselor grace plus one sweep (every second), ahead of v3 which
    // waited longer.
    long deadline = System.currentTimeMillis() + 20_000;
    while (!"queued".equals(status(v1)) && System.currentTimeMillis() < deadline) {
      Thread.sleep(200);
    }
    assertEquals("queued", status(v1));
    assertEquals("queued", status(v2));
    v1.probe().await(f -> "queued".equals(f.getString("type")), Duration.ofSeconds(10));
    ConsoleFixtures.Login demo = ConsoleFixtures.loginDemo(web, app, "veilig_thuis");
    JsonArray all =
        ConsoleFixtures.get(web, app, demo, "/api/queue").bodyAsJsonObject().getJsonArray("queue");
    java.util.List<String> mine =
        java.util.List.of(
            v1.conversationId().toString(),
            v2.conversationId().toString(),
            v3.conversationId().toString());
    JsonArray queue = new JsonArray();
    all.stream()
        .map(o -> (JsonObject) o)
        .filter(o -> mine.contains(o.getString("conversationId")))
        .forEach(queue::add);
    assertEquals(3, queue.size());
    assertTrue(queue.getJsonObject(0).getBoolean("queueHead"));
    assertTrue(queue.getJsonObject(1).getBoolean("queueHead"));
    assertEquals(
        v3.conversationId().toString(), queue.getJsonObject(2).getString("conversationId"));
    long owners =
        await(
                app.pool()
                    .preparedQuery(
                        "SELECT count(*) FROM conversation WHERE id = ANY($1) "
                            + "AND counselor_id IS NOT NULL")
                    .execute(
                        Tuple.tuple()
                            .addArrayOfUUID(
                                new java.util.UUID[] {v1.conversationId(), v2.conversationId()})))
            .iterator()
            .next()
            .getLong(0);
    assertEquals(0L, owners);
  }

  @Test
  @DisplayName(
      "the supervisor board shows waiting chats and alerts when a P1 chat waits longer than its target; "
          + "a supervisor joins silently and whispers, which the counselor sees and the visitor never does")
  void boardJoinWhisper() throws Exception {
    ConsoleFixtures.createStaff(app, "csg", "csg-sup", "supervisor", "super-password", 3);
    ConsoleFixtures.Login sup = ConsoleFixtures.login(web, app, "csg-sup", "super-password", null);
    ConsoleFixtures.Visitor waiting = ConsoleFixtures.queuedVisitor(client, app, "csg", null);
    await(
        app.pool()
            .preparedQuery(
                "UPDATE conversation SET priority = 1, queued_at = now() - interval '10 minutes' "
                    + "WHERE id = $1")
            .execute(Tuple.of(waiting.conversationId())));
    JsonObject board = ConsoleFixtures.get(web, app, sup, "/api/board").bodyAsJsonObject();
    JsonObject alert =
        board.getJsonArray("alerts").stream()
            .map(o -> (JsonObject) o)
            .filter(a -> waiting.conversationId().toString().equals(a.getString("conversationId")))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no alert: " + board.encode()));
    assertEquals(60, alert.getInteger("targetSeconds"));
    ConsoleFixtures.Login counselorLogin = ConsoleFixtures.loginDemo(web, app, "csg");
    assertEquals(403, ConsoleFixtures.get(web, app, counselorLogin, "/api/board").statusCode());

    WsProbe counselor = console(counselorLogin);
    counselor.send(
        new JsonObject()
            .put("type", "take")
            .put("conversationId", waiting.conversationId().toString()));
    waiting.probe().awaitType("assigned");
    waiting
        .probe()
        .send(new JsonObject().put("type", "message").put("clientId", "v1").put("body", "Hallo"));
    counselor.await(f -> "message".equals(f.getString("type")), Duration.ofSeconds(10));

    WsProbe supervisor = console(sup);
    String id = waiting.conversationId().toString();
    supervisor.send(new JsonObject().put("type", "join").put("conversationId", id));
    error(supervisor, "invalid_field");
    supervisor.send(
        new JsonObject()
            .put("type", "join")
            .put("conversationId", id)
            .put("reason", "kwaliteitscontrole"));
    JsonObject joined =
        supervisor.await(f -> "assigned".equals(f.getString("type")), Duration.ofSeconds(10));
    assertTrue(joined.getBoolean("observer"));
    assertEquals("Hallo", supervisor.awaitType("message").getString("body"));
    // Issue 20, finding 8: the read behind that silent join is logged with the reason the
    // supervisor gave, not as
    // "own chat" (the first read used to start before the chat was marked as watched).
    long supId =
        await(app.pool().query("SELECT id FROM staff_user WHERE username = 'csg-sup'").execute())
            .iterator()
            .next()
            .getLong(0);
    List<String> reasons = List.of();
    for (long deadline = System.nanoTime() + 10_000_000_000L;
        reasons.isEmpty() && System.nanoTime() < deadline; ) {
      Thread.sleep(50);
      List<String> found = new ArrayList<>();
      await(
              app.pool()
                  .preparedQuery(
                      "SELECT reason FROM audit_log WHERE conversation_id = $1 AND staff_id = $2")
                  .execute(Tuple.of(waiting.conversationId(), supId)))
          .forEach(r -> found.add(r.getString(0)));
      reasons = found;
    }
    assertFalse(reasons.isEmpty(), "the supervisor's read was not logged");
    assertEquals(
        List.of("kwaliteitscontrole"),
        reasons.stream().distinct().toList(),
        "reasons logged: " + reasons);
    // Watching is silent and read-only: an observer cannot write to the visitor.
    supervisor.send(
        new JsonObject()
            .put("type", "message")
            .put("conversationId", id)
            .put("clientId", "s1")
            .put("body", "mag niet"));
    error(supervisor, "not_yours");

    supervisor.send(
        new JsonObject()
            .put("type", "whisper")
            .put("conversationId", id)
            .put("body", "Vraag naar een veilige plek."));
    JsonObject note =
        counselor.await(f -> "note".equals(f.getString("type")), Duration.ofSeconds(10));
    assertEquals("whisper", note.getString("kind"));
    assertEquals("Vraag naar een veilige plek.", note.getString("body"));
    supervisor.await(f -> "note".equals(f.getString("type")), Duration.ofSeconds(10));
    counselor.send(
        new JsonObject()
            .put("type", "message")
            .put("conversationId", id)
            .put("clientId", "c1")
            .put("body", "Ben je op een veilige plek?"));
    // The counselor's message, sent after the whisper, is the marker: nothing before it (skipped
    // frames included)
    // carries the whisper or the supervisor's name.
    List<JsonObject> beforeReply =
        waiting
            .probe()
            .before(
                f ->
                    "message".equals(f.getString("type"))
                        && "counselor".equals(f.getString("from")),
                Duration.ofSeconds(10));
    assertTrue(
        beforeReply.stream()
            .noneMatch(
                f -> f.encode().contains("veilige plek.") || "note".equals(f.getString("type"))),
        "the visitor never gets a whisper: " + beforeReply);
    assertFalse(
        beforeReply.stream().anyMatch(f -> f.encode().contains("csg-sup")), beforeReply.toString());
    Row row =
        await(
                app.pool()
                    .preparedQuery("SELECT body FROM staff_note WHERE conversation_id = $1")
                    .execute(Tuple.of(waiting.conversationId())))
            .iterator()
            .next();
    assertFalse(
        new String(row.getBuffer("body").getBytes(), StandardCharsets.ISO_8859_1)
            .contains("veilige"),
        "whispers are sealed at rest");
    long inTranscript =
        await(
                app.pool()
                    .preparedQuery("SELECT count(*) FROM message WHERE conversation_id = $1")
                    .execute(Tuple.of(waiting.conversationId())))
            .iterator()
            .next()
            .getLong(0);
    assertEquals(2L, inTranscript, "the whisper is not part of the visitor's transcript");
  }

  @Test
  @DisplayName(
      "canned replies: defaults for all, the organisation admin adds its own, other organisations do not "
          + "see them, counselors cannot edit; a platform admin creates organisations, nobody else can")
  void cannedAndOrganisations() throws Exception {
    ConsoleFixtures.createStaff(app, "cvsn", "cvsn-admin", "org_admin", "admin-password", 3);
    ConsoleFixtures.Login admin =
        ConsoleFixtures.login(web, app, "cvsn-admin", "admin-password", null);
    HttpResponse<Buffer> added =
        ConsoleFixtures.post(
            web,
            app,
            admin,
            "/api/canned",
            new JsonObject()
                .put("title", "Sportbond")
                .put("body", "Je kunt ook contact opnemen met je sportbond."));
    assertEquals(201, added.statusCode(), added.bodyAsString());
    ConsoleFixtures.Login cvsn = ConsoleFixtures.loginDemo(web, app, "cvsn");
    JsonArray own =
        ConsoleFixtures.get(web, app, cvsn, "/api/canned")
            .bodyAsJsonObject()
            .getJsonArray("canned");
    assertTrue(own.encode().contains("Sportbond"));
    assertTrue(own.encode().contains("Welkom"));
    ConsoleFixtures.Login csg = ConsoleFixtures.loginDemo(web, app, "csg");
    assertFalse(
        ConsoleFixtures.get(web, app, csg, "/api/canned").bodyAsString().contains("Sportbond"));
    assertEquals(
        403,
        ConsoleFixtures.post(
                web, app, cvsn, "/api/canned", new JsonObject().put("title", "x").put("body", "y"))
            .statusCode());
    assertEquals(
        400,
        ConsoleFixtures.post(
                web, app, admin, "/api/canned", new JsonObject().put("title", "").put("body", "y"))
            .statusCode());

    assertEquals(
        403,
        ConsoleFixtures.post(
                web,
                app,
                admin,
                "/api/admin/organisations",
                new JsonObject().put("id", "nieuw_punt").put("name", "Nieuw"))
            .statusCode());
    ConsoleFixtures.createStaff(
        app, null, "platform-admin", "platform_admin", "platform-password", 3);
    ConsoleFixtures.Login platform =
        ConsoleFixtures.login(web, app, "platform-admin", "platform-password", null);
    assertEquals(
        201,
        ConsoleFixtures.post(
                web,
                app,
                platform,
                "/api/admin/organisations",
                new JsonObject().put("id", "nieuw_punt").put("name", "Nieuw meldpunt"))
            .statusCode());
    assertEquals(
        409,
        ConsoleFixtures.post(
                web,
                app,
                platform,
                "/api/admin/organisations",
                new JsonObject().put("id", "nieuw_punt").put("name", "Dubbel"))
            .statusCode());
    assertEquals(
        400,
        ConsoleFixtures.post(
                web,
                app,
                platform,
                "/api/admin/organisations",
                new JsonObject().put("id", "Bad Id!").put("name", "x"))
            .statusCode());
    assertEquals(
        "Nieuw meldpunt",
        await(
                app.pool()
                    .preparedQuery("SELECT name FROM organisation WHERE id = $1")
                    .execute(Tuple.of("nieuw_punt")))
            .iterator()
            .next()
            .getString(0));

    // Staff accounts: an organisation admin creates them in its own organisation only.
    HttpResponse<Buffer> created =
        ConsoleFixtures.post(
            web,
            app,
            admin,
            "/api/admin/users",
            new JsonObject()
                .put("username", "cvsn-nieuw")
                .put("displayName", "Nieuwe collega")
                .put("role", "supervisor")
                .put("orgId", "csg"));
    assertEquals(201, created.statusCode(), created.bodyAsString());
    ConsoleFixtures.Login fresh =
        ConsoleFixtures.login(
            web, app, "cvsn-nieuw", created.bodyAsJsonObject().getString("initialPassword"), null);
    assertEquals("cvsn", fresh.user().getString("organisation"));
    assertEquals("supervisor", fresh.user().getString("role"));
    assertEquals(
        403,
        ConsoleFixtures.post(
                web,
                app,
                cvsn,
                "/api/admin/users",
                new JsonObject()
                    .put("username", "sneaky")
                    .put("displayName", "x")
                    .put("role", "org_admin"))
            .statusCode());
    // A role escalation is refused as such (issue 21): 403 role_escalation, nothing created.
    HttpResponse<Buffer> escalation =
        ConsoleFixtures.post(
            web,
            app,
            admin,
            "/api/admin/users",
            new JsonObject()
                .put("username", "chain")
                .put("displayName", "x")
                .put("role", "platform_admin"));
    assertEquals(403, escalation.statusCode());
    assertEquals("role_escalation", escalation.bodyAsJsonObject().getString("error"));
    assertEquals(
        409,
        ConsoleFixtures.post(
                web,
                app,
                admin,
                "/api/admin/users",
                new JsonObject()
                    .put("username", "cvsn-nieuw")
                    .put("displayName", "x")
                    .put("role", "counselor"))
            .statusCode());
    HttpResponse<Buffer> orgAdmin =
        ConsoleFixtures.post(
            web,
            app,
            platform,
            "/api/admin/users",
            new JsonObject()
                .put("username", "nieuw-admin")
                .put("displayName", "Beheer")
                .put("role", "org_admin")
                .put("orgId", "nieuw_punt"));
    assertEquals(201, orgAdmin.statusCode(), orgAdmin.bodyAsString());
    assertEquals("nieuw_punt", orgAdmin.bodyAsJsonObject().getString("organisation"));
  }

  @Test
  @DisplayName(
      "a consented referral whose hand-over was interrupted (process died after the consent) is finished "
          + "by the sweep: key shared, chat at the head of the receiving queue")
  void interruptedReferralIsFinished() throws Exception {
    ConsoleFixtures.Visitor v = ConsoleFixtures.queuedVisitor(client, app, "csg", null);
    ConsoleFixtures.Login csg = ConsoleFixtures.loginDemo(web, app, "csg");
    WsProbe c = console(csg);
    c.send(
        new JsonObject().put("type", "take").put("conversationId", v.conversationId().toString()));
    v.probe().awaitType("assigned");
    v.probe()
        .send(
            new JsonObject()
                .put("type", "message")
                .put("clientId", "v1")
                .put("body", "Mijn verhaal"));
    v.probe().awaitType("ack");
    // The state a crash between "consent committed" and "hand-over done" leaves behind.
    await(
        app.pool()
            .preparedQuery(
                "INSERT INTO referral (id, conversation_id, from_org, to_org, to_help_point, "
                    + "from_staff, state, decided_at) VALUES ($1, $2, 'csg', 'veilig_thuis', 'veilig_thuis', $3, 'accepted', "
                    + "now() - interval '1 minute')")
            .execute(
                Tuple.of(
                    java.util.UUID.randomUUID(), v.conversationId(), csg.user().getLong("id"))));
    long deadline = System.currentTimeMillis() + 20_000;
    while (!"veilig_thuis".equals(org(v)) && System.currentTimeMillis() < deadline) {
      Thread.sleep(200);
    }
    assertEquals("veilig_thuis", org(v));
    assertEquals("queued", status(v));
    c.await(
        f -> "released".equals(f.getString("type")) && "referred".equals(f.getString("reason")),
        Duration.ofSeconds(10));
    assertEquals(
        1, await(app.transcripts().read(v.conversationId(), "veilig_thuis", 0, 10)).size());
  }

  static String org(ConsoleFixtures.Visitor v) throws Exception {
    return await(
            app.pool()
                .preparedQuery("SELECT org_id FROM conversation WHERE id = $1")
                .execute(Tuple.of(v.conversationId())))
        .iterator()
        .next()
        .getString(0);
  }

  static String status(ConsoleFixtures.Visitor v) throws Exception {
    return await(
            app.pool()
                .preparedQuery("SELECT status FROM conversation WHERE id = $1")
                .execute(Tuple.of(v.conversationId())))
        .iterator()
        .next()
        .getString(0);
  }
}
