package nl.veiligpraten.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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

/**
 * Readiness under a reconnect storm (issue 24): the full HA run showed HAProxy taking busy nodes
 * out of rotation because the readiness ping waited behind a work pool that a storm of resumes kept
 * busy. Real server, real PostgreSQL: every work connection is held by a slow query, and readiness
 * still answers 200 from its own connection.
 */
@DisplayName("Readiness says whether PostgreSQL answers, not whether the node's work pool is busy")
class ReadinessUnderLoadIT {

  @TempDir static Path dataDir;
  static RunningApp app;

  @BeforeAll
  static void start() throws Exception {
    app = TestApp.start(AppSettings.forTest(dataDir));
  }

  @AfterAll
  static void stop() throws Exception {
    if (app != null) {
      app.stopBlocking();
    }
  }

  @Test
  @DisplayName(
      "with all 32 work connections held by a 10-second query, /health/ready still answers 200 with the "
          + "database UP, on the visitor, console and management listeners")
  void readyWhileThePoolIsBusy() throws Exception {
    List<SqlConnection> held = new ArrayList<>();
    List<Future<?>> sleeps = new ArrayList<>();
    for (int i = 0; i < 32; i++) {
      SqlConnection c =
          app.pool()
              .getConnection()
              .toCompletionStage()
              .toCompletableFuture()
              .get(30, TimeUnit.SECONDS);
      held.add(c);
    }
    try {
      for (SqlConnection c : held) {
        sleeps.add(c.query("SELECT pg_sleep(10)").execute());
      }
      // The work pool is exhausted: a query through it now waits for a connection (positive
      // control).
      Future<?> queued = app.pool().query("SELECT 1").execute();
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      for (int port : List.of(app.visitorPort(), app.consolePort(), app.managementPort())) {
        HttpResponse<String> ready =
            http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
                    .timeout(Duration.ofSeconds(8))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, ready.statusCode(), "port " + port + ": " + ready.body());
        assertTrue(ready.body().contains("\"database\":\"UP\""), ready.body());
      }
      assertTrue(
          !queued.isComplete(), "the work pool was not exhausted, so the test proves nothing");
    } finally {
      held.forEach(SqlConnection::close);
    }
  }
}
