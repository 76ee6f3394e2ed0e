package nl.veiligpraten.app;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import java.nio.file.Path;
import java.util.Map;
import nl.veiligpraten.infra.cluster.ClusterSettings;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 20, finding 10: the launcher itself refuses a production cluster whose event bus would run
 * in plain text, before it starts Hazelcast, a database or a listener (Main reports the same check
 * as a configuration error).
 */
@DisplayName(
    "A production node refuses to start a cluster without event-bus TLS or the private-network opt-out")
class ClusterPostureTest {

  @Test
  @DisplayName("the start fails at once with a message naming the TLS settings and the opt-out")
  void plainProductionClusterRefused(@TempDir Path dataDir) {
    AppSettings production =
        AppSettings.from(Map.of("VP_DATA_DIR", dataDir.toString()), new String[0]);
    assertFalse(production.demo());
    Future<RunningApp> started = Launcher.start(production, ClusterSettings.from(Map.of(), true));
    assertTrue(started.failed(), "the launcher went ahead");
    String message = started.cause().getMessage();
    assertTrue(
        message.contains("VP_EVENTBUS_TLS_CERT_FILE")
            && message.contains("VP_EVENTBUS_TLS_CA_FILE")
            && message.contains("VP_EVENTBUS_PLAINTEXT_PRIVATE_NETWORK"),
        message);
  }
}
