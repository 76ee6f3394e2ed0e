package nl.veiligpraten.app;

import static nl.veiligpraten.app.ConsoleFixtures.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import nl.veiligpraten.infra.db.EmbeddedDatabase;
import nl.veiligpraten.routing.config.ConfigTexts;
import nl.veiligpraten.routing.config.HelpPointEntries;
import nl.veiligpraten.routing.config.RoutingConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Help points and routing edited live (issue 21) on two nodes that share one PostgreSQL: a change
 * stored through one node's console is validated by the start-up loader, stored as a version with
 * who and why, and applied on the other node within seconds through the change notice; refusals
 * change nothing; every action is in the admin audit trail.
 */
@DisplayName(
    "Configuration edited live: versions in PostgreSQL, applied on every node, rolled back, audited")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LiveConfigIT {

  @TempDir static Path dir;
  static EmbeddedDatabase database;
  static RunningApp nodeA;
  static RunningApp nodeB;
  static Vertx client;
  static WebClient web;
  static ConsoleFixtures.Login platform;
  static ConsoleFixtures.Login csgAdmin;
  static final String CLOSED_TUESDAY =
      "openingHours: {mon: \"09:00-17:00\", tue: closed, wed: \"09:00-17:00\", "
          + "thu: \"09:00-17:00\", fri: \"09:00-17:00\", sat: closed, sun: closed}";

  @BeforeAll
  static void setUp() throws Exception {
    client = Vertx.vertx();
    web = WebClient.create(client);
    database = EmbeddedDatabase.start(dir.resolve("pg"), 0);
    nodeA =
        TestApp.start(AppSettings.forTest(dir.resolve("data")).withExternalDb(database.settings()));
    nodeB =
        TestApp.start(AppSettings.forTest(dir.resolve("data")).withExternalDb(database.settings()));
    platform =
        ConsoleFixtures.login(
            web,
            nodeA,
            "demo-platform-admin",
            TestApp.demoPasswordOf(nodeA, "demo-platform-admin"),
            null);
    csgAdmin =
        ConsoleFixtures.login(
            web, nodeA, "csg-demo-admin", TestApp.demoPasswordOf(nodeA, "csg-demo-admin"), null);
  }

  @AfterAll
  static void tearDown() throws Exception {
    if (nodeB != null) {
      nodeB.stopBlocking();
    }
    if (nodeA != null) {
      nodeA.stopBlocking();
    }
    client.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    database.close();
  }

  static HttpResponse<Buffer> put(ConsoleFixtures.Login login, String path, JsonObject body)
      throws Exception {
    return await(
        web.put(nodeA.consolePort(), "127.0.0.1", path)
            .putHeader("Cookie", login.cookie())
            .putHeader("X-CSRF-Token", login.csrf())
            .putHeader("Origin", ConsoleFixtures.origin(nodeA))
            .sendJsonObject(body));
  }

  static JsonObject overview(ConsoleFixtures.Login login) throws Exception {
    HttpResponse<Buffer> r = ConsoleFixtures.get(web, nodeA, login, "/api/admin/config");
    assertEquals(200, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject();
  }

  static String entry(JsonObject overview, String id) {
    return overview.getJsonArray("helpPoints").stream()
        .map(JsonObject.class::cast)
        .filter(h -> id.equals(h.getString("id")))
        .findFirst()
        .map(h -> h.getString("yaml"))
        .orElse(null);
  }

  /** The public card of a help point as the visitor page of a node reads it. */
  static JsonObject card(RunningApp node, String id) throws Exception {
    HttpResponse<Buffer> r = await(web.get(node.visitorPort(), "127.0.0.1", "/api/config").send());
    assertEquals(200, r.statusCode());
    return r.bodyAsJsonObject().getJsonObject("helpPoints").getJsonObject(id);
  }

  static boolean closedOnTuesday(JsonObject card) {
    return card.getValue("openingHours") instanceof JsonObject days
        && days.getJsonArray("tue").isEmpty()
        && !days.getJsonArray("mon").isEmpty();
  }

  static int versions() throws Exception {
    return await(nodeA.pool().query("SELECT count(*) FROM routing_config_version").execute())
        .iterator()
        .next()
        .getInteger(0);
  }

  /** The newest admin audit row of an action. */
  static Row lastAudit(String action) throws Exception {
    var rows =
        await(
            nodeA
                .pool()
                .preparedQuery(
                    "SELECT actor_name, action, target_name, target_org, outcome, reason, "
                        + "detail::text AS detail FROM admin_audit WHERE action = $1 ORDER BY id DESC LIMIT 1")
                .execute(Tuple.of(action)));
    return rows.size() == 0 ? null : rows.iterator().next();
  }

  /**
   * Waits for a condition. Generous on purpose: on an idle machine a version reaches the other node
   * in about 0.1 s (printed by the edit test), but the shared 2-core test machine can stall a node
   * for many seconds.
   */
  static void within(Duration timeout, String what, BooleanSupplierWithException condition)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + timeout.toSeconds() + " s: " + what);
      }
      Thread.sleep(50);
    }
  }

  interface BooleanSupplierWithException {
    boolean getAsBoolean() throws Exception;
  }

  @Test
  @Order(1)
  @DisplayName("the configuration files seed version 1 of the empty store, and both nodes run it")
  void seeded() throws Exception {
    JsonObject o = overview(platform);
    assertEquals(1, o.getInteger("version"));
    assertEquals(1, o.getInteger("appliedVersion"));
    assertEquals(1, nodeB.configVersion());
    assertEquals("seed", o.getJsonArray("history").getJsonObject(0).getString("kind"));
    HttpResponse<Buffer> export =
        ConsoleFixtures.get(
            web, nodeA, platform, "/api/admin/config/export?version=1&file=help-points.yaml");
    assertEquals(200, export.statusCode());
    assertEquals(RoutingConfig.texts(null).helpPoints(), export.bodyAsString());
    // An organisation admin sees only its own help points.
    JsonObject own = overview(csgAdmin);
    assertEquals(
        java.util.List.of("csg"),
        own.getJsonArray("helpPoints").stream()
            .map(h -> ((JsonObject) h).getString("id"))
            .toList());
  }

  @Test
  @Order(2)
  @DisplayName(
      "an organisation admin closes its help point on Tuesdays: a new version with who and why, the other "
          + "node's visitor page shows the new hours within seconds, and the audit trail has the edit")
  void editHoursAppliesOnTheOtherNode() throws Exception {
    assertEquals("24/7", card(nodeB, "csg").getValue("openingHours"), "setup");
    String yaml =
        entry(overview(csgAdmin), "csg").replace("openingHours: \"24/7\"", CLOSED_TUESDAY);
    long start = System.nanoTime();
    HttpResponse<Buffer> r =
        put(
            csgAdmin,
            "/api/admin/config/help-points/csg",
            new JsonObject()
                .put("yaml", yaml)
                .put("reason", "Dinsdag gesloten wegens scholing")
                .put("baseVersion", 1));
    assertEquals(200, r.statusCode(), r.bodyAsString());
    assertEquals(2, r.bodyAsJsonObject().getInteger("version"));
    within(
        Duration.ofSeconds(30),
        "node B shows Tuesday closed",
        () -> closedOnTuesday(card(nodeB, "csg")));
    System.out.printf(
        "LiveConfigIT: edit visible on the other node after %d ms%n",
        (System.nanoTime() - start) / 1_000_000);
    assertEquals(2, nodeB.configVersion());
    Row stored =
        await(
                nodeA
                    .pool()
                    .query(
                        "SELECT author_name, action, reason FROM routing_config_version "
                            + "WHERE version = 2")
                    .execute())
            .iterator()
            .next();
    assertEquals("csg-demo-admin", stored.getString("author_name"));
    assertEquals("edit", stored.getString("action"));
    assertEquals("Dinsdag gesloten wegens scholing", stored.getString("reason"));
    Row audit = lastAudit("edit_config");
    assertEquals("csg-demo-admin", audit.getString("actor_name"));
    assertEquals("done", audit.getString("outcome"));
    assertEquals("csg", audit.getString("target_org"));
    JsonObject detail = new JsonObject(audit.getString("detail"));
    assertEquals("csg", detail.getString("helpPoint"));
    assertEquals(2, detail.getInteger("version"));
    // The organisation admin reads the row in its own trail.
    assertTrue(
        AdminFixtures.trail(web, nodeA, csgAdmin).stream()
            .map(JsonObject.class::cast)
            .anyMatch(
                e ->
                    "edit_config".equals(e.getString("action"))
                        && "done".equals(e.getString("outcome"))));
  }

  @Test
  @Order(3)
  @DisplayName(
      "an invalid edit is refused with the loader's own error, another organisation's help point and the "
          + "routing rules are refused to an organisation admin, an edit on an old version is refused; nothing changes "
          + "and each refusal is in the audit trail")
  void refusals() throws Exception {
    int before = versions();
    String csg = entry(overview(csgAdmin), "csg");
    HttpResponse<Buffer> invalid =
        put(
            csgAdmin,
            "/api/admin/config/help-points/csg",
            new JsonObject()
                .put("yaml", csg.replace("queueCap: 40", "queueCap: 0"))
                .put("reason", "test")
                .put("baseVersion", 2));
    assertEquals(400, invalid.statusCode(), invalid.bodyAsString());
    assertEquals("invalid_config", invalid.bodyAsJsonObject().getString("error"));
    String message = invalid.bodyAsJsonObject().getString("message");
    assertTrue(message.startsWith("help-points.yaml (new version), line "), message);
    assertTrue(message.contains("queueCap"), message);
    assertEquals("invalid_config", lastAudit("edit_config").getString("reason"));

    String triage = entry(overview(platform), "triage");
    HttpResponse<Buffer> foreign =
        put(
            csgAdmin,
            "/api/admin/config/help-points/triage",
            new JsonObject()
                .put("yaml", triage.replace("queueCap: 60", "queueCap: 61"))
                .put("reason", "test")
                .put("baseVersion", 2));
    assertEquals(403, foreign.statusCode(), foreign.bodyAsString());
    assertEquals("other_organisation", foreign.bodyAsJsonObject().getString("error"));
    Row refused = lastAudit("edit_config");
    assertEquals("refused", refused.getString("outcome"));
    assertEquals("other_organisation", refused.getString("reason"));

    HttpResponse<Buffer> rules =
        put(
            csgAdmin,
            "/api/admin/config/files/routing-rules.yaml",
            new JsonObject()
                .put("yaml", RoutingConfig.texts(null).rules())
                .put("reason", "test")
                .put("baseVersion", 2));
    assertEquals(403, rules.statusCode(), rules.bodyAsString());
    assertEquals("platform_only", lastAudit("edit_config").getString("reason"));

    HttpResponse<Buffer> stale =
        put(
            csgAdmin,
            "/api/admin/config/help-points/csg",
            new JsonObject()
                .put("yaml", csg.replace("queueCap: 40", "queueCap: 41"))
                .put("reason", "test")
                .put("baseVersion", 1));
    assertEquals(409, stale.statusCode(), stale.bodyAsString());
    assertEquals("stale", lastAudit("edit_config").getString("reason"));

    HttpResponse<Buffer> n1 =
        put(
            platform,
            "/api/admin/config/files/routing-rules.yaml",
            new JsonObject()
                .put(
                    "yaml",
                    RoutingConfig.texts(null)
                        .rules()
                        .replace(
                            "  fallback: [triage, veilig_thuis, csg]",
                            "  fallback: [triage, kindertelefoon]"))
                .put("reason", "test")
                .put("baseVersion", 2));
    assertEquals(400, n1.statusCode(), n1.bodyAsString());
    assertTrue(
        n1.bodyAsJsonObject().getString("message").contains("N1 violation"), n1.bodyAsString());

    HttpResponse<Buffer> sameVersion =
        put(
            platform,
            "/api/admin/config/files/routing-rules.yaml",
            new JsonObject()
                .put(
                    "yaml",
                    RoutingConfig.texts(null)
                        .rules()
                        .replace(
                            "Bel 112 als er direct hulp nodig is.",
                            "Bel 112 als er meteen hulp nodig is."))
                .put("reason", "test")
                .put("baseVersion", 2));
    assertEquals(400, sameVersion.statusCode(), sameVersion.bodyAsString());
    assertEquals("rules_version", sameVersion.bodyAsJsonObject().getString("error"));
    assertEquals("rules_version", lastAudit("edit_config").getString("reason"));

    assertEquals(before, versions(), "nothing stored");
    assertEquals(2, nodeB.configVersion());
    assertTrue(closedOnTuesday(card(nodeB, "csg")));
  }

  @Test
  @Order(4)
  @DisplayName(
      "a platform admin adds an organisation and its queue help point; a visitor on the other node chooses "
          + "it and waits in the new organisation's queue, without a restart")
  void newOrganisationAndHelpPoint() throws Exception {
    HttpResponse<Buffer> org =
        ConsoleFixtures.post(
            web,
            nodeA,
            platform,
            "/api/admin/organisations",
            new JsonObject().put("id", "zeeland_hulp").put("name", "Hulplijn Zeeland"));
    assertEquals(201, org.statusCode(), org.bodyAsString());
    String entry =
        """
        id: zeeland_hulp
        kind: queue
        name: Hulplijn Zeeland
        cost: free
        description:
          nl: Hulp in Zeeland.
          nl_easy: Hulp in Zeeland.
          en: Help in Zeeland.
          ar: مساعدة في زيلاند.
          tr: Zeeland'da yardım.
          pl: Pomoc w Zelandii.
          uk: Допомога в Зеландії.
        openingHours: "24/7"
        retentionDays: 30
        targetFirstResponseSeconds: {P0: 30, P1: 60, P2: 600, P3: 1800}
        queueCap: 10
        """;
    // Refused while the staffing organisation does not exist.
    HttpResponse<Buffer> unknown =
        put(
            platform,
            "/api/admin/config/help-points/nergens",
            new JsonObject()
                .put("yaml", entry.replace("zeeland_hulp", "nergens"))
                .put("reason", "test")
                .put("baseVersion", 2));
    assertEquals(400, unknown.statusCode(), unknown.bodyAsString());
    assertEquals("unknown_organisation", unknown.bodyAsJsonObject().getString("error"));

    HttpResponse<Buffer> r =
        put(
            platform,
            "/api/admin/config/help-points/zeeland_hulp",
            new JsonObject()
                .put("yaml", entry)
                .put("reason", "Nieuwe organisatie Zeeland")
                .put("baseVersion", 2));
    assertEquals(200, r.statusCode(), r.bodyAsString());
    assertEquals(3, r.bodyAsJsonObject().getInteger("version"));
    within(
        Duration.ofSeconds(30),
        "node B knows the new help point",
        () -> card(nodeB, "zeeland_hulp") != null);
    ConsoleFixtures.Visitor visitor =
        ConsoleFixtures.queuedVisitor(client, nodeB, "zeeland_hulp", null);
    try {
      Row conversation =
          await(
                  nodeA
                      .pool()
                      .preparedQuery("SELECT org_id, help_point FROM conversation WHERE id = $1")
                      .execute(Tuple.of(visitor.conversationId())))
              .iterator()
              .next();
      assertEquals("zeeland_hulp", conversation.getString("org_id"));
      assertEquals("zeeland_hulp", conversation.getString("help_point"));
    } finally {
      visitor.probe().close();
    }
    assertEquals("zeeland_hulp", lastAudit("edit_config").getString("target_org"));
  }

  @Test
  @Order(5)
  @DisplayName(
      "a rollback to version 1 is a new version with the old texts, applied on both nodes and audited; an "
          + "organisation admin may not roll back other organisations' changes")
  void rollback() throws Exception {
    HttpResponse<Buffer> refused =
        ConsoleFixtures.post(
            web,
            nodeA,
            csgAdmin,
            "/api/admin/config/rollback",
            new JsonObject().put("version", 1).put("reason", "terug").put("baseVersion", 3));
    assertEquals(403, refused.statusCode(), refused.bodyAsString());
    assertEquals("other_organisation", lastAudit("rollback_config").getString("reason"));

    HttpResponse<Buffer> r =
        ConsoleFixtures.post(
            web,
            nodeA,
            platform,
            "/api/admin/config/rollback",
            new JsonObject()
                .put("version", 1)
                .put("reason", "Terug naar de start")
                .put("baseVersion", 3));
    assertEquals(200, r.statusCode(), r.bodyAsString());
    assertEquals(4, r.bodyAsJsonObject().getInteger("version"));
    assertEquals(1, r.bodyAsJsonObject().getJsonObject("info").getInteger("restoredFrom"));
    within(Duration.ofSeconds(30), "node B runs version 4", () -> nodeB.configVersion() == 4);
    assertNull(card(nodeB, "zeeland_hulp"));
    assertEquals("24/7", card(nodeB, "csg").getValue("openingHours"));
    HttpResponse<Buffer> export =
        ConsoleFixtures.get(web, nodeA, platform, "/api/admin/config/export");
    assertEquals(
        RoutingConfig.texts(null).helpPoints(),
        export.bodyAsJsonObject().getJsonObject("files").getString("help-points.yaml"));
    Row audit = lastAudit("rollback_config");
    assertEquals("done", audit.getString("outcome"));
    assertEquals(1, new JsonObject(audit.getString("detail")).getInteger("to"));
  }

  @Test
  @Order(6)
  @DisplayName(
      "an import of exported files is validated like an edit and stored as a new version; importing what "
          + "runs already changes nothing")
  void importExport() throws Exception {
    JsonObject files =
        ConsoleFixtures.get(web, nodeA, platform, "/api/admin/config/export?version=2")
            .bodyAsJsonObject()
            .getJsonObject("files");
    HttpResponse<Buffer> same =
        ConsoleFixtures.post(
            web,
            nodeA,
            platform,
            "/api/admin/config/import",
            new JsonObject()
                .put(
                    "files",
                    new JsonObject()
                        .put("help-points.yaml", RoutingConfig.texts(null).helpPoints()))
                .put("reason", "zelfde")
                .put("baseVersion", 4));
    assertEquals(400, same.statusCode(), same.bodyAsString());
    assertEquals("no_change", same.bodyAsJsonObject().getString("error"));
    HttpResponse<Buffer> r =
        ConsoleFixtures.post(
            web,
            nodeA,
            platform,
            "/api/admin/config/import",
            new JsonObject()
                .put("files", files)
                .put("reason", "Import uit git")
                .put("baseVersion", 4));
    assertEquals(200, r.statusCode(), r.bodyAsString());
    assertEquals(5, r.bodyAsJsonObject().getInteger("version"));
    within(
        Duration.ofSeconds(30),
        "node B shows Tuesday closed again",
        () -> closedOnTuesday(card(nodeB, "csg")));
    assertEquals("done", lastAudit("import_config").getString("outcome"));
    assertNotNull(HelpPointEntries.entries(files.getString("help-points.yaml")).get("csg"));
    assertEquals(ConfigTexts.FILES.size(), files.size());
  }
}
