package nl.veiligpraten.app;

import static nl.veiligpraten.app.FailoverIT.await;
import static nl.veiligpraten.app.FailoverIT.status;
import static nl.veiligpraten.app.FailoverIT.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import nl.veiligpraten.infra.db.Database;
import nl.veiligpraten.infra.db.EmbeddedDatabase;
import nl.veiligpraten.infra.web.Secrets;
import nl.veiligpraten.testkit.CounselorClient;
import nl.veiligpraten.testkit.NodeProcess;
import nl.veiligpraten.testkit.VisitorClient;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName(
    "Failover: a PostgreSQL restart under load acknowledges nothing uncommitted and the service recovers "
        + "by itself")
class FailoverDatabaseRestartIT {

  static final int CHATS = 10;

  @TempDir Path dir;

  @Test
  @DisplayName(
      "10 chats keep sending while PostgreSQL stops and starts on the same data directory and port: "
          + "readiness goes down and back up without help, every acknowledged message is stored, and every message "
          + "sent is acknowledged in the end")
  void databaseRestartUnderLoad() throws Exception {
    int pgPort = AppSettings.freePort();
    EmbeddedDatabase db = EmbeddedDatabase.start(dir.resolve("pg"), pgPort);
    Vertx client = Vertx.vertx();
    int visitorPort = AppSettings.freePort();
    int consolePort = AppSettings.freePort();
    Map<String, String> env = new HashMap<>();
    env.put(
        "DATABASE_URL",
        "postgresql://postgres:" + db.settings().password() + "@127.0.0.1:" + pgPort + "/postgres");
    env.put("VP_DATA_DIR", dir.resolve("data").toString());
    env.put("VP_DEMO", "true"); // demo logins; production (the default) needs a passphrase
    env.put("VP_VISITOR_PORT", String.valueOf(visitorPort));
    env.put("VP_CONSOLE_PORT", String.valueOf(consolePort));
    env.put("VP_MANAGEMENT_PORT", "0");
    NodeProcess node =
        NodeProcess.start(
            "node",
            "nl.veiligpraten.app.Main",
            List.of("-Xmx384m", "-XX:+UseSerialGC"),
            List.of(),
            env,
            Path.of("target", "cluster-logs", "FailoverDatabaseRestartIT"));
    String ready = "http://127.0.0.1:" + consolePort + "/health/ready";
    try {
      node.awaitHttp200(ready, Duration.ofSeconds(120));
      String password =
          Files.readAllLines(dir.resolve("data").resolve("demo-logins.txt")).stream()
              .filter(l -> l.trim().startsWith("csg "))
              .map(l -> l.substring(l.lastIndexOf(' ') + 1))
              .findFirst()
              .orElseThrow();
      // Capacity is enforced (default 3): this one counselor stands in for a team holding all
      // chats.
      io.vertx.sqlclient.Pool setup =
          nl.veiligpraten.infra.db.Database.pool(client, db.settings(), 1);
      await(
          setup
              .query("UPDATE staff_user SET capacity = 100 WHERE username = 'csg-demo'")
              .execute());
      await(setup.close());
      WebSocketClient ws =
          client.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(1000));
      CounselorClient counselor =
          new CounselorClient(client, ws, List.of(consolePort), "csg-demo", password, true);
      await(counselor.start());
      List<VisitorClient> visitors = new ArrayList<>();
      for (int i = 0; i < CHATS; i++) {
        VisitorClient v = new VisitorClient(client, ws, List.of(visitorPort), 0);
        visitors.add(v);
        v.connect();
      }
      waitFor(
          "visitors welcomed", 20, () -> visitors.stream().allMatch(VisitorClient::resumeTokenSet));
      visitors.forEach(v -> v.choose("csg"));
      waitFor("chats assigned", 20, () -> counselor.held.size() == CHATS);

      List<Long> timers = new ArrayList<>();
      for (int i = 0; i < CHATS; i++) {
        VisitorClient v = visitors.get(i);
        int[] n = {0};
        String prefix = "v" + i + "-";
        v.run(
            () ->
                timers.add(
                    client.setPeriodic(
                        250, t -> v.sendOnContext(prefix + (++n[0]), "bericht " + n[0]))));
      }
      Thread.sleep(2_000);
      db.close();
      waitFor("readiness reports the database down", 10, () -> status(ready) == 503);
      Thread.sleep(2_000);
      db = EmbeddedDatabase.start(dir.resolve("pg"), pgPort);
      waitFor("readiness back by itself", 30, () -> status(ready) == 200);
      Thread.sleep(2_000);
      timers.forEach(client::cancelTimer);
      waitFor(
          "every message acknowledged after the restart",
          40,
          () -> visitors.stream().allMatch(v -> v.unackedCount() == 0));

      Pool pool = Database.pool(client, db.settings(), 2);
      long acked = 0;
      for (VisitorClient v : visitors) {
        Map<String, Long> stored = new HashMap<>();
        for (Row row :
            await(
                pool.preparedQuery(
                        "SELECT m.client_id, m.seq FROM message m JOIN conversation c "
                            + "ON c.id = m.conversation_id WHERE c.resume_hash = $1 AND m.sender = 'visitor'")
                    .execute(
                        Tuple.of(
                            io.vertx.core.buffer.Buffer.buffer(
                                Secrets.sha256(v.resumeToken())))))) {
          stored.put(row.getString("client_id"), row.getLong("seq"));
        }
        // Acknowledged ⇒ committed: each ack's sequence number is the stored one, and nothing else
        // was stored.
        assertEquals(v.acked, stored);
        acked += v.acked.size();
      }
      assertTrue(acked > CHATS * 20, "load kept running: " + acked);
      System.out.printf(
          "FailoverDatabaseRestartIT: %d messages acknowledged, all stored after the restart%n",
          acked);
      visitors.forEach(VisitorClient::shutdown);
      counselor.shutdown();
      pool.close();
    } finally {
      node.close();
      client.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      db.close();
    }
  }
}
