package nl.veiligpraten.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Health endpoints")
class HealthIT {

  @TempDir Path dataDir;

  static HttpResponse<Buffer> get(WebClient web, int port) throws Exception {
    return web.get(port, "127.0.0.1", "/health")
        .send()
        .toCompletionStage()
        .toCompletableFuture()
        .get(20, TimeUnit.SECONDS);
  }

  @Test
  @DisplayName(
      "both listeners answer 200 UP while the database is reachable and 503 once it is stopped")
  void healthFollowsTheDatabase() throws Exception {
    RunningApp app = TestApp.start(dataDir);
    Vertx client = Vertx.vertx();
    WebClient web = WebClient.create(client);
    try {
      for (int port : new int[] {app.visitorPort(), app.consolePort()}) {
        HttpResponse<Buffer> up = get(web, port);
        assertEquals(200, up.statusCode());
        assertEquals("UP", up.bodyAsJsonObject().getString("status"));
        assertEquals("no-store", up.getHeader("Cache-Control"));
      }
      app.embedded().close();
      for (int port : new int[] {app.visitorPort(), app.consolePort()}) {
        HttpResponse<Buffer> down = get(web, port);
        assertEquals(503, down.statusCode());
        assertEquals("DOWN", down.bodyAsJsonObject().getString("status"));
      }
    } finally {
      client.close();
      app.stopBlocking();
    }
  }
}
