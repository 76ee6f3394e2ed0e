package nl.veiligpraten.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Liveness settings (socket silence, heartbeats, presence lease, graces)")
class LivenessSettingsTest {

  private static String refused(Map<String, String> env) {
    return assertThrows(IllegalArgumentException.class, () -> LivenessSettings.from(env))
        .getMessage();
  }

  @Test
  @DisplayName(
      "without any setting the production defaults hold: 45 s silence, ping every 15 s, pong within 10 s")
  void defaults() {
    LivenessSettings s = LivenessSettings.from(Map.of());
    assertEquals(LivenessSettings.DEFAULTS, s);
    assertEquals(45, s.socketSilenceSeconds());
    assertEquals(15, s.clientPingSeconds());
    assertEquals(10, s.pongTimeoutSeconds());
    assertEquals("standalone", s.withDefaultNodeId("standalone").nodeId());
    assertEquals(
        "node-a",
        LivenessSettings.from(Map.of("VP_NODE_ID", "node-a")).withDefaultNodeId("x").nodeId());
  }

  @Test
  @DisplayName(
      "a negative, absurd, blank or malformed value stops start-up with the setting's name")
  void badValuesNamed() {
    for (String name :
        new String[] {
          "VP_SOCKET_SILENCE_SECONDS",
          "VP_CLIENT_PING_SECONDS",
          "VP_PONG_TIMEOUT_SECONDS",
          "VP_PRESENCE_LEASE_SECONDS",
          "VP_COUNSELOR_GRACE_SECONDS",
          "VP_PAUSE_GRACE_SECONDS"
        }) {
      for (String bad : new String[] {"-1", "0", "99999999", "", "ten"}) {
        String message = refused(Map.of(name, bad));
        assertTrue(message.contains(name), name + "=" + bad + ": " + message);
      }
    }
    assertTrue(refused(Map.of("VP_NODE_ID", "a b")).contains("VP_NODE_ID"));
  }

  @Test
  @DisplayName(
      "a ping interval above a third of the silence, or a pong timeout not below it, is refused")
  void heartbeatFitsTheSilence() {
    assertTrue(
        refused(Map.of("VP_SOCKET_SILENCE_SECONDS", "30", "VP_CLIENT_PING_SECONDS", "11"))
            .contains("VP_CLIENT_PING_SECONDS"));
    assertTrue(
        refused(
                Map.of(
                    "VP_SOCKET_SILENCE_SECONDS",
                    "9",
                    "VP_CLIENT_PING_SECONDS",
                    "3",
                    "VP_PONG_TIMEOUT_SECONDS",
                    "9"))
            .contains("VP_PONG_TIMEOUT_SECONDS"));
    assertEquals(
        30,
        LivenessSettings.from(
                Map.of("VP_SOCKET_SILENCE_SECONDS", "30", "VP_CLIENT_PING_SECONDS", "10"))
            .socketSilenceSeconds());
  }

  @Test
  @DisplayName("a pause grace shorter than the queue grace is refused with both names")
  void pauseGraceAtLeastQueueGrace() {
    LivenessSettings s = LivenessSettings.from(Map.of("VP_PAUSE_GRACE_SECONDS", "60"));
    String message =
        assertThrows(IllegalArgumentException.class, () -> s.requirePauseAtLeast(120)).getMessage();
    assertTrue(
        message.contains("VP_PAUSE_GRACE_SECONDS") && message.contains("VP_QUEUE_GRACE_SECONDS"),
        message);
    assertEquals(s, s.requirePauseAtLeast(60));
  }
}
