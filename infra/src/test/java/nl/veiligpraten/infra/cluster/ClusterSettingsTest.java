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
    ClusterSettings s =
        ClusterSettings.from(
            Map.of("VP_CLUSTER_MEMBERS", "10.0.0.1:5701, 10.0.0.2:5701,10.0.0.3"), true);
    assertEquals(List.of("10.0.0.1:5701", "10.0.0.2:5701", "10.0.0.3"), s.members());
    assertEquals(2, s.quorum());
    assertEquals(
        1,
        ClusterSettings.from(
                Map.of("VP_CLUSTER_MEMBERS", "a:1,b:2", "VP_CLUSTER_QUORUM", "1"), true)
            .quorum());
  }

  @Test
  @DisplayName("malformed values are refused with the variable's name and change nothing")
  void malformedRefused() {
    IllegalArgumentException port =
        assertThrows(
            IllegalArgumentException.class,
            () -> ClusterSettings.from(Map.of("VP_HAZELCAST_PORT", "70000"), true));
    assertTrue(port.getMessage().contains("VP_HAZELCAST_PORT"));
    assertThrows(
        IllegalArgumentException.class,
        () -> ClusterSettings.from(Map.of("VP_CLUSTER_MEMBERS", "10.0.0.1:5701;rm -rf"), true));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            ClusterSettings.from(
                Map.of(
                    "VP_CLUSTER_HEARTBEAT_SECONDS",
                    "5",
                    "VP_CLUSTER_MAX_NO_HEARTBEAT_SECONDS",
                    "5"),
                true));
  }

  @Test
  @DisplayName(
      "the Hazelcast config joins by TCP-IP with the configured members only and uses the tuned heartbeat")
  void hazelcastConfig() {
    ClusterSettings s =
        ClusterSettings.from(
            Map.of(
                "VP_CLUSTER_MEMBERS",
                "127.0.0.1:5701,127.0.0.1:5702",
                "VP_HAZELCAST_PORT",
                "5702",
                "VP_CLUSTER_MAX_NO_HEARTBEAT_SECONDS",
                "4"),
            true);
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
    assertEquals(
        0, config.getMapConfigs().keySet().stream().filter(k -> !k.startsWith("__vertx")).count());
  }

  @Test
  @DisplayName(
      "the Kubernetes join finds members through the headless service's DNS name, with TCP-IP and multicast off")
  void kubernetesJoin() {
    ClusterSettings s =
        ClusterSettings.from(
            Map.of(
                "VP_CLUSTER_JOIN",
                "kubernetes",
                "VP_CLUSTER_K8S_SERVICE_DNS",
                "veilig-praten-hz.vp.svc.cluster.local",
                "VP_CLUSTER_QUORUM",
                "2",
                "VP_CLUSTER_HOST",
                "10.1.2.3",
                "VP_CLUSTER_K8S_DNS_TIMEOUT_SECONDS",
                "7"),
            true);
    assertEquals(ClusterSettings.Join.KUBERNETES, s.join());
    assertEquals(List.of(), s.members());
    assertEquals(2, s.quorum());
    JoinConfig join = HazelcastSetup.config(s).getNetworkConfig().getJoin();
    assertFalse(join.getTcpIpConfig().isEnabled());
    assertFalse(join.getMulticastConfig().isEnabled());
    assertFalse(join.getAutoDetectionConfig().isEnabled());
    assertTrue(join.getKubernetesConfig().isEnabled());
    assertEquals(
        "veilig-praten-hz.vp.svc.cluster.local",
        join.getKubernetesConfig().getProperty("service-dns"));
    assertEquals("7", join.getKubernetesConfig().getProperty("service-dns-timeout"));
    assertEquals("5701", join.getKubernetesConfig().getProperty("service-port"));
  }

  @Test
  @DisplayName(
      "the Kubernetes join without a service name or an explicit quorum, multicast, or a member list with it, is refused")
  void kubernetesJoinRefusals() {
    IllegalArgumentException noDns =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ClusterSettings.from(
                    Map.of("VP_CLUSTER_JOIN", "kubernetes", "VP_CLUSTER_QUORUM", "2"), true));
    assertTrue(noDns.getMessage().contains("VP_CLUSTER_K8S_SERVICE_DNS"));
    IllegalArgumentException noQuorum =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ClusterSettings.from(
                    Map.of(
                        "VP_CLUSTER_JOIN", "kubernetes", "VP_CLUSTER_K8S_SERVICE_DNS", "hz.vp.svc"),
                    true));
    assertTrue(noQuorum.getMessage().contains("VP_CLUSTER_QUORUM"));
    IllegalArgumentException multicast =
        assertThrows(
            IllegalArgumentException.class,
            () -> ClusterSettings.from(Map.of("VP_CLUSTER_JOIN", "multicast"), true));
    assertTrue(multicast.getMessage().contains("multicast"));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            ClusterSettings.from(
                Map.of(
                    "VP_CLUSTER_JOIN",
                    "kubernetes",
                    "VP_CLUSTER_K8S_SERVICE_DNS",
                    "hz",
                    "VP_CLUSTER_QUORUM",
                    "2",
                    "VP_CLUSTER_MEMBERS",
                    "a:1"),
                true));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            ClusterSettings.from(
                Map.of(
                    "VP_CLUSTER_JOIN",
                    "kubernetes",
                    "VP_CLUSTER_K8S_SERVICE_DNS",
                    "hz;rm",
                    "VP_CLUSTER_QUORUM",
                    "2"),
                true));
    assertThrows(
        IllegalArgumentException.class,
        () -> ClusterSettings.from(Map.of("VP_CLUSTER_NAME", "a b"), true));
  }

  @Test
  @DisplayName("join timeout and merge delay come from the environment into the Hazelcast config")
  void timingFromEnvironment() {
    ClusterSettings s =
        ClusterSettings.from(
            Map.of(
                "VP_CLUSTER_JOIN_TIMEOUT_SECONDS",
                "4",
                "VP_CLUSTER_MERGE_DELAY_SECONDS",
                "9",
                "VP_CLUSTER_NAME",
                "vp-prod"),
            true);
    Config config = HazelcastSetup.config(s);
    assertEquals(
        4, config.getNetworkConfig().getJoin().getTcpIpConfig().getConnectionTimeoutSeconds());
    assertEquals("9", config.getProperty("hazelcast.merge.first.run.delay.seconds"));
    assertEquals("9", config.getProperty("hazelcast.merge.next.run.delay.seconds"));
    assertEquals("vp-prod", config.getClusterName());
    assertEquals(5, ClusterSettings.from(Map.of(), true).mergeDelaySeconds());
    assertThrows(
        IllegalArgumentException.class,
        () -> ClusterSettings.from(Map.of("VP_CLUSTER_MERGE_DELAY_SECONDS", "0"), true));
  }

  @Test
  @DisplayName(
      "a node below quorum or draining accepts no new assignments; a single process always does")
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
    ClusterHealth failing =
        new ClusterHealth(
            true,
            2,
            () -> {
              throw new IllegalStateException("cluster manager stopped");
            });
    assertEquals(1, failing.members());
    assertFalse(failing.inQuorum());
    assertTrue(new ClusterHealth(false, 5, () -> 1).acceptsAssignments());
  }
}
