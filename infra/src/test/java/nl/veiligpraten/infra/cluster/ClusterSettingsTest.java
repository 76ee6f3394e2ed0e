package nl.veiligpraten.infra.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Cluster settings and the Hazelcast configuration built from them")
class ClusterSettingsTest {

  @Test
  @DisplayName("clustering is off unless the flag or VP_CLUSTER=true is given")
  void offByDefault() {
    assertFalse(ClusterSettings.from(Map.of(), false).enabled());
    assertTrue(ClusterSettings.from(Map.of(), true).enabled());
    assertTrue(ClusterSettings.from(Map.of("VP_CLUSTER", "true"), false).enabled());
  }

  @Test
  @DisplayName("members are parsed in order and the default quorum is a majority of them")
  void membersAndMajority() {
    ClusterSettings s = ClusterSettings.from(Map.of("VP_CLUSTER_MEMBERS", "10.0.0.1:5701, 10.0.0.2:5701,10.0.0.3"),
        true);
    assertEquals(List.of("10.0.0.1:5701", "10.0.0.2:5701", "10.0.0.3"), s.members());
    assertEquals(2, s.quorum());
    assertEquals(1, ClusterSettings.from(Map.of("VP_CLUSTER_MEMBERS", "a:1,b:2", "VP_CLUSTER_QUORUM", "1"), true)
        .quorum());
  }

  @Test
  @DisplayName("malformed values are refused with the variable's name and change nothing")
  void malformedRefused() {
    IllegalArgumentException port = assertThrows(IllegalArgumentException.class,
        () -> ClusterSettings.from(Map.of("VP_HAZELCAST_PORT", "70000"), true));
    assertTrue(port.getMessage().contains("VP_HAZELCAST_PORT"));
    assertThrows(IllegalArgumentException.class,
        () -> ClusterSettings.from(Map.of("VP_CLUSTER_MEMBERS", "10.0.0.1:5701;rm -rf"), true));
    assertThrows(IllegalArgumentException.class, () -> ClusterSettings.from(Map.of(
        "VP_CLUSTER_HEARTBEAT_SECONDS", "5", "VP_CLUSTER_MAX_NO_HEARTBEAT_SECONDS", "5"), true));
  }

  @Test
  @DisplayName("the Hazelcast config joins by TCP-IP with the configured members only and uses the tuned heartbeat")
  void hazelcastConfig() {
    ClusterSettings s = ClusterSettings.from(Map.of("VP_CLUSTER_MEMBERS", "127.0.0.1:5701,127.0.0.1:5702",
        "VP_HAZELCAST_PORT", "5702", "VP_CLUSTER_MAX_NO_HEARTBEAT_SECONDS", "4"), true);
    Config config = HazelcastSetup.config(s);
    JoinConfig join = config.getNetworkConfig().getJoin();
    assertFalse(join.getMulticastConfig().isEnabled());
    assertFalse(join.getAutoDetectionConfig().isEnabled());
    assertTrue(join.getTcpIpConfig().isEnabled());
    assertEquals(List.of("127.0.0.1:5701", "127.0.0.1:5702"), join.getTcpIpConfig().getMembers());
    assertEquals(5702, config.getNetworkConfig().getPort());
    assertEquals("4", config.getProperty("hazelcast.max.no.heartbeat.seconds"));
    assertEquals("1", config.getProperty("hazelcast.heartbeat.interval.seconds"));
    assertEquals("false", config.getProperty("hazelcast.shutdownhook.enabled"));
    // Vert.x's own subscription registry keeps its settings; we add no maps.
    assertTrue(config.getMultiMapConfigs().containsKey("__vertx.subs"));
    assertEquals(0, config.getMapConfigs().keySet().stream().filter(k -> !k.startsWith("__vertx")).count());
  }

  @Test
  @DisplayName("a node below quorum or draining accepts no new assignments; a single process always does")
  void health() {
    int[] members = {3};
    ClusterHealth h = new ClusterHealth(true, 2, () -> members[0]);
    assertTrue(h.acceptsAssignments());
    members[0] = 1;
    assertFalse(h.inQuorum());
    assertFalse(h.acceptsAssignments());
    members[0] = 2;
    assertTrue(h.acceptsAssignments());
    h.markDraining();
    assertFalse(h.acceptsAssignments());
    ClusterHealth failing = new ClusterHealth(true, 2, () -> {
      throw new IllegalStateException("cluster manager stopped");
    });
    assertEquals(1, failing.members());
    assertFalse(failing.inQuorum());
    assertTrue(new ClusterHealth(false, 5, () -> 1).acceptsAssignments());
  }
}
