package nl.veiligpraten.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import nl.veiligpraten.infra.db.EmbeddedDatabase;
import nl.veiligpraten.testkit.NodeProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

@DisplayName(
    "Two cluster members in separate JVMs share one PostgreSQL and carry notifications across nodes over "
        + "the TLS event bus")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {

  @TempDir static Path dir;
  static EmbeddedDatabase db;
  static ClusterNodes nodes;
  static Vertx client;

  @BeforeAll
  static void start() {
    db = EmbeddedDatabase.start(dir.resolve("pg"), 0);
    // The event bus between the two nodes runs over TLS with client certificates, as in production
    // (issue 20).
    nodes =
        ClusterNodes.startWithEventBusTls(
            db.settings(),
            dir.resolve("data"),
            Path.of("target", "cluster-logs", "ClusterIT"),
            dir.resolve("tls"),
            1,
            1);
    client = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    if (client != null) {
      client.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    if (nodes != null) {
      nodes.close();
    }
    if (db != null) {
      db.close();
    }
  }

  @Test
  @Order(1)
  @DisplayName(
      "a visitor on node A queues, a counselor on node B sees the queue change, takes the chat, and messages "
          + "and typing flow both ways across the nodes")
  void visitorOnOneNodeCounselorOnTheOther() throws Exception {
    int visitorPortA = nodes.visitorPorts.get(0);
    int consolePortB = nodes.consolePorts.get(1);
    String cookie = login(consolePortB, "csg");
    try (WsProbe counselor =
            WsProbe.connect(
                client, consolePortB, "/ws", "http://127.0.0.1:" + consolePortB, cookie);
        WsProbe visitor =
            WsProbe.connect(
                client, visitorPortA, "/ws", "http://127.0.0.1:" + visitorPortA, null)) {
      counselor.awaitType("hello");
      visitor.send(new JsonObject().put("type", "hello").put("v", 1));
      visitor.awaitType("welcome");
      visitor.send(new JsonObject().put("type", "choose").put("helpPoint", "csg"));
      visitor.awaitType("queued");
      // The queue notification was published on node A; the counselor's socket lives on node B.
      JsonObject queue =
          counselor.await(
              f -> "queue".equals(f.getString("type")) && !f.getJsonArray("items").isEmpty(),
              Duration.ofSeconds(10));
      UUID id =
          UUID.fromString(queue.getJsonArray("items").getJsonObject(0).getString("conversationId"));
      counselor.send(new JsonObject().put("type", "take").put("conversationId", id.toString()));
      counselor.awaitType("assigned");
      assertEquals(
          "Hulpverlener Centrum Seksueel Geweld",
          visitor.awaitType("assigned").getString("counselor"));

      visitor.send(new JsonObject().put("type", "typing"));
      assertEquals(id.toString(), counselor.awaitType("typing").getString("conversationId"));
      visitor.send(
          new JsonObject()
              .put("type", "message")
              .put("clientId", "v-1")
              .put("body", "hallo van A"));
      assertEquals(1L, visitor.awaitType("ack").getLong("seq"));
      JsonObject atCounselor = counselor.awaitType("message");
      assertEquals("hallo van A", atCounselor.getString("body"));

      counselor.send(new JsonObject().put("type", "typing").put("conversationId", id.toString()));
      visitor.awaitType("typing");
      counselor.send(
          new JsonObject()
              .put("type", "message")
              .put("conversationId", id.toString())
              .put("clientId", "c-1")
              .put("body", "hallo van B"));
      JsonObject atVisitor =
          visitor.await(
              f -> "message".equals(f.getString("type")) && "counselor".equals(f.getString("from")),
              Duration.ofSeconds(10));
      assertEquals("hallo van B", atVisitor.getString("body"));
      assertEquals(2L, atVisitor.getLong("seq"));
    }
  }

  @Test
  @Order(2)
  @DisplayName(
      "both nodes are ready with two members, and /metrics on the loopback management listener shows "
          + "connections, cluster size and persist figures in Prometheus format; the public listeners do not serve it; "
          + "both started their event bus with TLS")
  void readinessAndMetrics() throws Exception {
    for (int i = 0; i < 2; i++) {
      // The notes of test 1 crossed the nodes over TLS: each node started its event bus with the
      // cluster CA.
      String log = java.nio.file.Files.readString(nodes.processes.get(i).log());
      assertTrue(
          log.contains("event bus between nodes: TLS 1.3 with client certificates"),
          "node " + i + " log");
      HttpResponse<String> ready = NodeProcess.get(nodes.url(i, "/health/ready"));
      assertEquals(200, ready.statusCode(), ready.body());
      JsonObject body = new JsonObject(ready.body());
      assertEquals(2, body.getInteger("clusterMembers"));
      assertTrue(body.getBoolean("inQuorum"));
      assertEquals(200, NodeProcess.get(nodes.url(i, "/health/live")).statusCode());
      HttpResponse<String> visitorReady =
          NodeProcess.get("http://127.0.0.1:" + nodes.visitorPorts.get(i) + "/health/ready");
      assertEquals(200, visitorReady.statusCode());
    }
    HttpResponse<String> metrics =
        NodeProcess.get("http://127.0.0.1:" + nodes.managementPorts.get(1) + "/metrics");
    assertEquals(200, metrics.statusCode());
    String text = metrics.body();
    assertTrue(text.contains("vp_cluster_members 2.0"), text);
    assertTrue(text.contains("vp_connections{listener=\"visitor\"}"), text);
    assertTrue(text.contains("vp_message_persist_seconds_bucket"), text);
    assertTrue(text.contains("vp_appends_in_flight"), text);
    // Metrics are not served on the public listeners (issue 20, finding 9).
    assertEquals(
        404,
        NodeProcess.get("http://127.0.0.1:" + nodes.visitorPorts.get(0) + "/metrics").statusCode());
    assertEquals(404, NodeProcess.get(nodes.url(1, "/metrics")).statusCode());
    assertEquals(
        200,
        NodeProcess.get("http://127.0.0.1:" + nodes.managementPorts.get(1) + "/health/ready")
            .statusCode());
  }

  @Test
  @Order(3)
  @DisplayName(
      "signing out on node A closes the same session's console socket on node B at once, with a "
          + "'logged_out' session-ended frame and 4401")
  void logoutClosesSocketsOnOtherNodes() throws Exception {
    int consolePortA = nodes.consolePorts.get(0);
    int consolePortB = nodes.consolePorts.get(1);
    io.vertx.ext.web.client.WebClient web = io.vertx.ext.web.client.WebClient.create(client);
    var response =
        web.post(consolePortA, "127.0.0.1", "/api/login")
            .sendJsonObject(
                new JsonObject()
                    .put("username", TestApp.demoUser("sense"))
                    .put("password", nodes.demoPassword("sense")))
            .toCompletionStage()
            .toCompletableFuture()
            .get(20, TimeUnit.SECONDS);
    assertEquals(200, response.statusCode(), response.bodyAsString());
    String setCookie = response.cookies().get(0);
    String cookie = setCookie.substring(0, setCookie.indexOf(';'));
    String csrf = response.bodyAsJsonObject().getString("csrfToken");
    try (WsProbe onB =
        WsProbe.connect(client, consolePortB, "/ws", "http://127.0.0.1:" + consolePortB, cookie)) {
      onB.awaitType("hello");
      long started = System.nanoTime();
      var logout =
          web.post(consolePortA, "127.0.0.1", "/api/logout")
              .putHeader("Cookie", cookie)
              .putHeader("X-CSRF-Token", csrf)
              .putHeader("Origin", "http://127.0.0.1:" + consolePortA)
              .send()
              .toCompletionStage()
              .toCompletableFuture()
              .get(20, TimeUnit.SECONDS);
      assertEquals(200, logout.statusCode());
      // 'logged_out' comes only from the bus note; the periodic re-check (15 s) would say 'ended'.
      JsonObject ended =
          onB.await(f -> "session-ended".equals(f.getString("type")), Duration.ofSeconds(10));
      assertEquals("logged_out", ended.getString("reason"));
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (onB.closeCode == null && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertEquals((short) 4401, onB.closeCode);
      System.out.printf(
          "ClusterIT: socket on node B closed %d ms after the logout on node A%n",
          (System.nanoTime() - started) / 1_000_000);
    }
  }

  @Test
  @Order(3)
  @DisplayName(
      "an organisation admin on node A disables a counselor: the counselor's console socket on node B closes "
          + "at once (session-ended, 4401), well before the periodic session re-check, and the session is gone on both "
          + "nodes (issue 21)")
  void disableClosesSocketsOnOtherNodes() throws Exception {
    int consolePortA = nodes.consolePorts.get(0);
    int consolePortB = nodes.consolePorts.get(1);
    io.vertx.ext.web.client.WebClient web = io.vertx.ext.web.client.WebClient.create(client);
    String counselorCookie = login(consolePortB, "mores");
    var admin =
        web.post(consolePortA, "127.0.0.1", "/api/login")
            .sendJsonObject(
                new JsonObject()
                    .put("username", "mores-demo-admin")
                    .put("password", nodes.demoPasswordOf("mores-demo-admin")))
            .toCompletionStage()
            .toCompletableFuture()
            .get(20, TimeUnit.SECONDS);
    assertEquals(200, admin.statusCode(), admin.bodyAsString());
    String adminCookie = admin.cookies().get(0).substring(0, admin.cookies().get(0).indexOf(';'));
    String csrf = admin.bodyAsJsonObject().getString("csrfToken");
    var staff =
        web.get(consolePortA, "127.0.0.1", "/api/admin/staff")
            .putHeader("Cookie", adminCookie)
            .send()
            .toCompletionStage()
            .toCompletableFuture()
            .get(20, TimeUnit.SECONDS)
            .bodyAsJsonObject()
            .getJsonArray("staff");
    long counselorId =
        staff.stream()
            .map(JsonObject.class::cast)
            .filter(u -> TestApp.demoUser("mores").equals(u.getString("username")))
            .findFirst()
            .orElseThrow()
            .getLong("id");
    try (WsProbe onB =
        WsProbe.connect(
            client, consolePortB, "/ws", "http://127.0.0.1:" + consolePortB, counselorCookie)) {
      onB.awaitType("hello");
      long started = System.nanoTime();
      var disabled =
          web.post(consolePortA, "127.0.0.1", "/api/admin/staff/" + counselorId + "/disable")
              .putHeader("Cookie", adminCookie)
              .putHeader("X-CSRF-Token", csrf)
              .putHeader("Origin", "http://127.0.0.1:" + consolePortA)
              .send()
              .toCompletionStage()
              .toCompletableFuture()
              .get(20, TimeUnit.SECONDS);
      assertEquals(200, disabled.statusCode(), disabled.bodyAsString());
      JsonObject ended =
          onB.await(f -> "session-ended".equals(f.getString("type")), Duration.ofSeconds(10));
      assertEquals("ended", ended.getString("reason"));
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (onB.closeCode == null && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertEquals((short) 4401, onB.closeCode);
      long millis = (System.nanoTime() - started) / 1_000_000;
      // The re-check runs every 15 s: a close this fast came from the bus note sent by node A.
      assertTrue(millis < 5_000, "closed after " + millis + " ms");
      System.out.printf(
          "ClusterIT: disabled counselor's socket on node B closed %d ms after the disable on node A%n",
          millis);
    }
    for (int port : List.of(consolePortA, consolePortB)) {
      assertEquals(
          401,
          web.get(port, "127.0.0.1", "/api/me")
              .putHeader("Cookie", counselorCookie)
              .send()
              .toCompletionStage()
              .toCompletableFuture()
              .get(20, TimeUnit.SECONDS)
              .statusCode());
    }
  }

  @Test
  @Order(4)
  @DisplayName(
      "SIGTERM drains node B: its visitor is told to reconnect and closed with 1001, the process exits, "
          + "and node A sees the member leave at once")
  void gracefulShutdown() throws Exception {
    int visitorPortB = nodes.visitorPorts.get(1);
    WsProbe visitor =
        WsProbe.connect(client, visitorPortB, "/ws", "http://127.0.0.1:" + visitorPortB, null);
    visitor.send(new JsonObject().put("type", "hello").put("v", 1));
    visitor.awaitType("welcome");
    NodeProcess nodeB = nodes.processes.get(1);
    long started = System.nanoTime();
    nodeB.stop(Duration.ofSeconds(30));
    assertTrue(!nodeB.alive(), "node B still running after SIGTERM");
    assertEquals("server_restart", visitor.awaitType("reconnect").getString("reason"));
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (visitor.closeCode == null && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertEquals((short) 1001, visitor.closeCode);
    System.out.printf(
        "ClusterIT: node B drained and exited in %d ms%n",
        (System.nanoTime() - started) / 1_000_000);
    // A graceful leave needs no failure detection: node A's view shrinks right away.
    nodes.awaitMembers(0, 1, Duration.ofSeconds(10));
  }

  private String login(int consolePort, String org) throws Exception {
    io.vertx.ext.web.client.WebClient web = io.vertx.ext.web.client.WebClient.create(client);
    var response =
        web.post(consolePort, "127.0.0.1", "/api/login")
            .sendJsonObject(
                new JsonObject()
                    .put("username", TestApp.demoUser(org))
                    .put("password", nodes.demoPassword(org)))
            .toCompletionStage()
            .toCompletableFuture()
            .get(20, TimeUnit.SECONDS);
    assertEquals(200, response.statusCode(), response.bodyAsString());
    String setCookie = response.cookies().get(0);
    return setCookie.substring(0, setCookie.indexOf(';'));
  }
}
