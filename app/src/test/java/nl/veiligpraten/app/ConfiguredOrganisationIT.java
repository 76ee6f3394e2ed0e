package nl.veiligpraten.app;

import static nl.veiligpraten.app.ConsoleFixtures.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

@DisplayName(
    "A queue help point staffed by an organisation that is only in the configuration (not one of the demo "
        + "organisations) works from the first start: its key and its organisation row are provisioned at start-up; "
        + "an organisation whose key is missing gets an error frame, not silence")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConfiguredOrganisationIT {

  static final String ORG = "regio_hulp";

  @TempDir static Path dataDir;
  @TempDir static Path configDir;
  static Vertx client;
  static RunningApp app;

  @BeforeAll
  static void start() throws Exception {
    String shipped;
    try (var in = ConfiguredOrganisationIT.class.getResourceAsStream("/config/help-points.yaml")) {
      shipped = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    // A regional organisation with its own queue, next to the shipped ones: the case of issue 25,
    // where a queue of
    // any organisation but the five demo ones failed silently (no key, so the first seal threw
    // outside the future
    // chain and the visitor got no answer).
    String block =
        """
          - id: %s
            kind: queue
            name: Regionale Hulp
            cost: free
            description:
              nl: Een regionale hulplijn.
              nl_easy: Een hulplijn in je regio.
              en: A regional help line.
              ar: خط مساعدة إقليمي.
              tr: Bölgesel bir yardım hattı.
              pl: Regionalna linia pomocy.
              uk: Регіональна лінія допомоги.
            phone: "0800-0000"
            openingHours: "24/7"
            retentionDays: 30
            targetFirstResponseSeconds: {P0: 30, P1: 120, P2: 600, P3: 1800}
            queueCap: 10
        """
            .formatted(ORG);
    String regional = shipped.replaceFirst("(?m)^helpPoints:\\s*\n", "helpPoints:\n" + block);
    if (regional.equals(shipped)) {
      throw new IllegalStateException("help-points.yaml has no 'helpPoints:' line");
    }
    Files.writeString(configDir.resolve("help-points.yaml"), regional);
    client = Vertx.vertx();
    app = TestApp.start(AppSettings.forTest(dataDir).withConfigDir(configDir));
  }

  @AfterAll
  static void stop() throws Exception {
    if (app != null) {
      app.stopBlocking();
    }
    client.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  @Order(1)
  @DisplayName(
      "choosing the regional queue answers 'queued' and stores the conversation sealed under the "
          + "organisation's own key")
  void regionalQueueWorks() throws Exception {
    assertTrue(
        app.keyStore().organisations().contains(ORG),
        "no key for " + ORG + ": " + app.keyStore().organisations());
    assertEquals(
        1L,
        await(
                app.pool()
                    .preparedQuery("SELECT count(*) FROM organisation WHERE id = $1")
                    .execute(Tuple.of(ORG)))
            .iterator()
            .next()
            .getLong(0));

    WsProbe visitor =
        WsProbe.connect(
            client, app.visitorPort(), "/ws", "http://127.0.0.1:" + app.visitorPort(), null);
    visitor.send(new JsonObject().put("type", "hello").put("v", 1));
    visitor.awaitType("welcome");
    visitor.send(new JsonObject().put("type", "choose").put("helpPoint", ORG));
    JsonObject answer =
        visitor.await(
            f ->
                List.of("queued", "assigned", "error", "unavailable").contains(f.getString("type")),
            Duration.ofSeconds(10));
    assertEquals("queued", answer.getString("type"), answer.encode());
    visitor.send(
        new JsonObject().put("type", "message").put("clientId", "c-1").put("body", "hallo"));
    visitor.await(f -> "ack".equals(f.getString("type")), Duration.ofSeconds(10));
    var row =
        await(
                app.pool()
                    .query(
                        "SELECT c.org_id, k.key_id FROM conversation c "
                            + "JOIN conversation_key k ON k.conversation_id = c.id AND k.org_id = c.org_id")
                    .execute())
            .iterator()
            .next();
    assertEquals(ORG, row.getString("org_id"));
    assertTrue(row.getString("key_id").startsWith(ORG + "#"), row.getString("key_id"));
    visitor.close();
  }

  /**
   * A key store restored from a backup older than the organisation: the organisation's key is gone.
   * Before issue 25 the seal threw outside the future chain and the visitor waited in silence with
   * no log line.
   */
  @Test
  @Order(2)
  @DisplayName(
      "with the organisation's key gone from the key store, 'choose' gets an error frame within a second and "
          + "exactly one log line, naming the conversation and without the intake")
  void missingKeyIsVisible() throws Exception {
    Path file = app.keyStore().file();
    char[] passphrase = Launcher.DEMO_PASSPHRASE.toCharArray();
    java.security.KeyStore store =
        java.security.KeyStore.getInstance(
            "BCFKS", new org.bouncycastle.jce.provider.BouncyCastleProvider());
    try (var in = Files.newInputStream(file)) {
      store.load(in, passphrase);
    }
    store.deleteEntry(ORG + "#v1");
    try (var out = Files.newOutputStream(file)) {
      store.store(out, passphrase);
    }
    app.keyStore().reload();
    assertTrue(!app.keyStore().organisations().contains(ORG), "key still there");

    ch.qos.logback.classic.Logger root =
        (ch.qos.logback.classic.Logger)
            org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    var logs =
        new ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent>();
    logs.start();
    root.addAppender(logs);
    try {
      WsProbe visitor =
          WsProbe.connect(
              client, app.visitorPort(), "/ws", "http://127.0.0.1:" + app.visitorPort(), null);
      visitor.send(new JsonObject().put("type", "hello").put("v", 1));
      visitor.awaitType("welcome");
      long sent = System.nanoTime();
      visitor.send(
          new JsonObject()
              .put("type", "choose")
              .put("helpPoint", ORG)
              .put("answers", new JsonObject().put("Q1", "victim")));
      JsonObject answer =
          visitor.await(
              f -> List.of("queued", "assigned", "error").contains(f.getString("type")),
              Duration.ofSeconds(5));
      double seconds = (System.nanoTime() - sent) / 1e9;
      assertEquals("error", answer.getString("type"), answer.encode());
      assertEquals("internal", answer.getString("code"));
      assertTrue(seconds < 1.0, "error frame after " + seconds + " s");
      // A marker after the failure: the socket still answers, and every log line of the failure is
      // in by then.
      visitor.send(new JsonObject().put("type", "ping"));
      visitor.await(
          f -> List.of("pong", "error").contains(f.getString("type")), Duration.ofSeconds(5));
      String id =
          await(
                  app.pool()
                      .query(
                          "SELECT id::text FROM conversation WHERE org_id IS NULL "
                              + "ORDER BY created_at DESC LIMIT 1")
                      .execute())
              .iterator()
              .next()
              .getString(0);
      // The failure's lines: those of the visitor connection and of the uncaught-failure handler,
      // and any that name
      // the conversation (background jobs of the node may warn about other things meanwhile).
      List<String> lines =
          logs.list.stream()
              .filter(e -> e.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.WARN))
              .filter(
                  e ->
                      e.getLoggerName().endsWith("VisitorConnection")
                          || e.getLoggerName().endsWith("NodeMetrics")
                          || e.getFormattedMessage().contains(id))
              .map(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage)
              .toList();
      assertEquals(1, lines.size(), "warnings: " + lines);
      String line = lines.get(0);
      // The operation and the conversation, so an operator can find it; no content (the intake
      // answer) and no
      // address of the visitor.
      assertTrue(line.contains("choose"), line);
      assertTrue(line.contains(id), line);
      assertTrue(!line.contains("victim"), line);
      assertTrue(!line.contains("127.0.0.1"), line);
      // Nothing logged anywhere in the node during the failure carries the answer or the address.
      for (var event : logs.list) {
        assertTrue(!event.getFormattedMessage().contains("victim"), event.getFormattedMessage());
        assertTrue(!event.getFormattedMessage().contains("127.0.0.1"), event.getFormattedMessage());
      }
      visitor.close();
    } finally {
      root.detachAppender(logs);
    }
  }
}
