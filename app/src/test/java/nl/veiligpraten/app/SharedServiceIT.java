package nl.veiligpraten.app;

import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * Base of integration test classes that share one real service (embedded PostgreSQL included)
 * across their tests: started once before the first test with the default test settings, stopped by
 * its handle after the last one. The name does not end in IT, so Failsafe does not run it on its
 * own.
 */
abstract class SharedServiceIT {

  @TempDir static Path dataDir;
  static Vertx client;
  static RunningApp app;
  static WebClient web;

  @BeforeAll
  static void startService() throws Exception {
    client = Vertx.vertx();
    web = WebClient.create(client);
    app = TestApp.start(dataDir);
  }

  @AfterAll
  static void stopService() throws Exception {
    if (app != null) {
      app.stopBlocking();
    }
    client.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
