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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("A queue help point staffed by an organisation that is only in the configuration (not one of the demo "
    + "organisations) works from the first start: its key and its organisation row are provisioned at start-up")
class ConfiguredOrganisationIT {

  static final String ORG = "regio_hulp";

  @TempDir
  static Path dataDir;
  @TempDir
  static Path configDir;
  static Vertx client;
  static RunningApp app;

  @BeforeAll
  static void start() throws Exception {
    String shipped;
    try (var in = ConfiguredOrganisationIT.class.getResourceAsStream("/config/help-points.yaml")) {
      shipped = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    // A regional organisation with its own queue, next to the shipped ones: the case of issue 25, where a queue of
    // any organisation but the five demo ones failed silently (no key, so the first seal threw outside the future
    // chain and the visitor got no answer).
    String block = """
          - id: %s
            kind: queue
            name: Regionale Hulp
            cost: free
            description:
              nl: Een regionale hulplijn.
              nl_easy: Een hulplijn in je regio.
              en: A regional help line.
            phone: "0800-0000"
            openingHours: "24/7"
            retentionDays: 30
            targetFirstResponseSeconds: {P0: 30, P1: 120, P2: 600, P3: 1800}
            queueCap: 10
        """.formatted(ORG);
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
  @DisplayName("choosing the regional queue answers 'queued' and stores the conversation sealed under the "
      + "organisation's own key")
  void regionalQueueWorks() throws Exception {
    assertTrue(app.keyStore().organisations().contains(ORG), "no key for " + ORG + ": " + app.keyStore().organisations());
    assertEquals(1L, await(app.pool().preparedQuery("SELECT count(*) FROM organisation WHERE id = $1")
        .execute(Tuple.of(ORG))).iterator().next().getLong(0));

    WsProbe visitor = WsProbe.connect(client, app.visitorPort(), "/ws", "http://127.0.0.1:" + app.visitorPort(), null);
    visitor.send(new JsonObject().put("type", "hello").put("v", 1));
    visitor.awaitType("welcome");
    visitor.send(new JsonObject().put("type", "choose").put("helpPoint", ORG));
    JsonObject answer = visitor.await(f -> List.of("queued", "assigned", "error", "unavailable")
        .contains(f.getString("type")), Duration.ofSeconds(10));
    assertEquals("queued", answer.getString("type"), answer.encode());
    visitor.send(new JsonObject().put("type", "message").put("clientId", "c-1").put("body", "hallo"));
    visitor.await(f -> "ack".equals(f.getString("type")), Duration.ofSeconds(10));
    var row = await(app.pool().query("SELECT c.org_id, k.key_id FROM conversation c "
        + "JOIN conversation_key k ON k.conversation_id = c.id AND k.org_id = c.org_id").execute()).iterator().next();
    assertEquals(ORG, row.getString("org_id"));
    assertTrue(row.getString("key_id").startsWith(ORG + "#"), row.getString("key_id"));
    visitor.close();
  }
}
