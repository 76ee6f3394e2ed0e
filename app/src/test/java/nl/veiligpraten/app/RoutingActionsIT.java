package nl.veiligpraten.app;

import static nl.veiligpraten.app.ConsoleFixtures.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import nl.veiligpraten.infra.web.Secrets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Counselor-side routing actions on real sockets (issue 16): rule U1 (suicide risk) and the route
 * override with a coded reason. One app for the class; CSG is open around the clock in the bundled
 * configuration.
 */
@DisplayName("Counselor routing actions: suicide risk (U1) and route override")
class RoutingActionsIT {

  @TempDir static Path dataDir;
  static Vertx client;
  static WebClient web;
  static RunningApp app;
  static ConsoleFixtures.Login counselor;
  static ConsoleFixtures.Login supervisor;

  @BeforeAll
  static void setUp() throws Exception {
    client = Vertx.vertx();
    web = WebClient.create(client);
    app = TestApp.start(AppSettings.forTest(dataDir));
    ConsoleFixtures.createStaff(app, "csg", "csg-risk", "counselor", "risk-password", 3);
    ConsoleFixtures.createStaff(app, "csg", "csg-risk-sup", "supervisor", "risk-sup-password", 3);
    counselor = ConsoleFixtures.login(web, app, "csg-risk", "risk-password", null);
    supervisor = ConsoleFixtures.login(web, app, "csg-risk-sup", "risk-sup-password", null);
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

  /** A visitor socket queued at CSG, with its resume token (to reconnect like the page does). */
  record Visitor(WsProbe probe, UUID id, String token) {}

  static Visitor queuedAtCsg() throws Exception {
    WsProbe v =
        WsProbe.connect(
            client, app.visitorPort(), "/ws", "http://127.0.0.1:" + app.visitorPort(), null);
    v.send(new JsonObject().put("type", "hello").put("v", 1));
    String token = v.awaitType("welcome").getString("resumeToken");
    JsonObject answers =
        new JsonObject()
            .put("Q0", "no")
            .put("Q1", "victim")
            .put("Q2", "18-24")
            .put("Q3", "today")
            .put("Q4", new JsonArray().add("physical"));
    v.send(new JsonObject().put("type", "choose").put("helpPoint", "csg").put("answers", answers));
    v.awaitType("queued");
    UUID id =
        await(
                app.pool()
                    .preparedQuery("SELECT id FROM conversation WHERE resume_hash = $1")
                    .execute(Tuple.of(Buffer.buffer(Secrets.sha256(token)))))
            .iterator()
            .next()
            .getUUID("id");
    return new Visitor(v, id, token);
  }

  static Row row(UUID id) throws Exception {
    return await(
            app.pool()
                .preparedQuery(
                    "SELECT priority, intake::text AS intake FROM conversation WHERE id = $1")
                .execute(Tuple.of(id)))
        .iterator()
        .next();
  }

  static JsonObject error(WsProbe p, String code, UUID id) throws InterruptedException {
    return p.await(
        f ->
            "error".equals(f.getString("type"))
                && code.equals(f.getString("code"))
                && id.toString().equals(f.getString("conversationId")),
        Duration.ofSeconds(10));
  }

  @Test
  @DisplayName(
      "a counselor marks suicide risk: the chat goes to P0, the visitor receives the 113 card (again after "
          + "a reconnect) and the supervisor's console gets an alert; another organisation cannot mark it")
  void suicideRisk() throws Exception {
    try (WsProbe c = console(counselor);
        WsProbe sup = console(supervisor)) {
      Visitor v = queuedAtCsg();
      c.send(new JsonObject().put("type", "take").put("conversationId", v.id().toString()));
      v.probe().awaitType("assigned");
      c.await(
          f ->
              "assigned".equals(f.getString("type"))
                  && v.id().toString().equals(f.getString("conversationId")),
          Duration.ofSeconds(10));

      // Another organisation's counselor is refused and nothing changes.
      try (WsProbe other = console(ConsoleFixtures.loginDemo(web, app, "veilig_thuis"))) {
        other.send(
            new JsonObject().put("type", "suicide-risk").put("conversationId", v.id().toString()));
        error(other, "not_yours", v.id());
      }
      assertEquals(1, (int) row(v.id()).getShort("priority"));
      assertFalse(row(v.id()).getString("intake").contains("counselorRules"));

      c.send(new JsonObject().put("type", "suicide-risk").put("conversationId", v.id().toString()));

      JsonObject card = v.probe().awaitType("urgent-card");
      assertEquals("U1", card.getString("rule"));
      assertEquals("P0", card.getString("priority"));
      assertEquals("suicide_prevention", card.getString("helpPoint"));
      JsonObject contact = card.getJsonObject("card");
      assertNotNull(contact.getString("phone"), card.encode());
      assertTrue(contact.getString("name").contains("113"), card.encode());
      assertTrue(card.getJsonObject("why").getString("nl").contains("113"), card.encode());
      assertNotNull(card.getJsonObject("why").getString("en"), card.encode());

      JsonObject alert =
          sup.await(f -> "alert".equals(f.getString("type")), Duration.ofSeconds(10));
      assertEquals("suicide_risk", alert.getString("kind"));
      assertEquals(v.id().toString(), alert.getString("conversationId"));
      assertEquals("csg", alert.getString("helpPoint"));
      assertEquals(0, alert.getInteger("priority"));

      // The supervisor board keeps a standing alert while the chat is live.
      JsonObject board = ConsoleFixtures.get(web, app, supervisor, "/api/board").bodyAsJsonObject();
      assertTrue(
          board.getJsonArray("riskAlerts").stream()
              .map(o -> (JsonObject) o)
              .anyMatch(a -> v.id().toString().equals(a.getString("conversationId"))),
          board.encode());

      JsonObject confirmed = c.awaitType("counselor-rule");
      assertEquals("U1", confirmed.getString("rule"));
      Row after = row(v.id());
      assertEquals(0, (int) after.getShort("priority"));
      assertTrue(
          new JsonObject(after.getString("intake")).getJsonArray("counselorRules").contains("U1"));

      // The visitor's phone drops and comes back: the 113 card is shown again.
      v.probe().close();
      try (WsProbe again =
          WsProbe.connect(
              client, app.visitorPort(), "/ws", "http://127.0.0.1:" + app.visitorPort(), null)) {
        again.send(
            new JsonObject()
                .put("type", "hello")
                .put("v", 1)
                .put("resume", v.token())
                .put("lastSeq", 0));
        again.awaitType("welcome");
        assertEquals("U1", again.awaitType("urgent-card").getString("rule"));
      }
      // Marking twice records the rule once.
      c.send(new JsonObject().put("type", "suicide-risk").put("conversationId", v.id().toString()));
      c.awaitType("counselor-rule");
      assertEquals(
          1, new JsonObject(row(v.id()).getString("intake")).getJsonArray("counselorRules").size());
    }
  }

  @Test
  @DisplayName(
      "a counselor overrides the suggested route with a coded reason: the intake card keeps it and the "
          + "override appears in the organisation's 'overrides' figure; an unknown reason is refused and counts nothing")
  void override() throws Exception {
    String today = LocalDate.now(ZoneId.of("Europe/Amsterdam")).toString();
    String figure = "/api/stats/figure?figure=overrides&from=" + today + "&to=" + today;
    long before = overrides(figure, "csg", "setting_mismatch");
    try (WsProbe c = console(counselor)) {
      Visitor v = queuedAtCsg();
      c.send(new JsonObject().put("type", "take").put("conversationId", v.id().toString()));
      v.probe().awaitType("assigned");
      c.await(
          f ->
              "assigned".equals(f.getString("type"))
                  && v.id().toString().equals(f.getString("conversationId")),
          Duration.ofSeconds(10));

      c.send(
          new JsonObject()
              .put("type", "override")
              .put("conversationId", v.id().toString())
              .put("helpPoint", "veilig_thuis")
              .put("reason", "because I say so"));
      error(c, "invalid_field", v.id());
      c.send(
          new JsonObject()
              .put("type", "override")
              .put("conversationId", v.id().toString())
              .put("helpPoint", "nowhere")
              .put("reason", "setting_mismatch"));
      error(c, "invalid_field", v.id());
      assertEquals(before, overrides(figure, "csg", "setting_mismatch"));

      c.send(
          new JsonObject()
              .put("type", "override")
              .put("conversationId", v.id().toString())
              .put("helpPoint", "veilig_thuis")
              .put("reason", "setting_mismatch"));
      JsonObject echoed = c.awaitType("override");
      assertEquals("setting_mismatch", echoed.getString("reason"));
      assertEquals("veilig_thuis", echoed.getString("helpPoint"));

      JsonArray stored = new JsonObject(row(v.id()).getString("intake")).getJsonArray("overrides");
      assertEquals(1, stored.size());
      assertEquals("setting_mismatch", stored.getJsonObject(0).getString("reason"));
      assertEquals("R1", stored.getJsonObject(0).getString("replaced"));
      // The intake card (queue preview of the chat the counselor holds) shows the override and the
      // also-offers.
      JsonObject preview =
          ConsoleFixtures.get(web, app, counselor, "/api/conversations/" + v.id())
              .bodyAsJsonObject();
      assertEquals(
          "veilig_thuis",
          preview
              .getJsonObject("intake")
              .getJsonArray("overrides")
              .getJsonObject(0)
              .getString("helpPoint"));
      assertNotNull(preview.getJsonObject("intake").getJsonArray("alsoOffer"), preview.encode());

      assertEquals(before + 1, overrides(figure, "csg", "setting_mismatch"));
    }
  }

  /**
   * The supervisor's own, unsuppressed {@code overrides} figure: the count of one (help point,
   * reason) cell.
   */
  static long overrides(String path, String helpPoint, String reason) throws Exception {
    HttpResponse<Buffer> r = ConsoleFixtures.get(web, app, supervisor, path);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    JsonObject table =
        r.bodyAsJsonObject().getJsonArray("tables").stream()
            .map(o -> (JsonObject) o)
            .filter(t -> "overrides".equals(t.getString("name")))
            .findFirst()
            .orElseThrow();
    int row = table.getJsonArray("rows").getList().indexOf(helpPoint);
    int column = table.getJsonArray("columns").getList().indexOf(reason);
    if (row < 0 || column < 0) {
      return 0;
    }
    Object n = table.getJsonArray("cells").getJsonArray(row).getValue(column);
    return n == null ? 0 : ((Number) n).longValue();
  }
}
