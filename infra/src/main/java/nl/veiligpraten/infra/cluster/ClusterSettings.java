package nl.veiligpraten.infra.cluster;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Clustered-mode settings, read once from the environment (and the {@code --cluster} flag).
 *
 * <p>Failure detection: every member sends a heartbeat each {@code heartbeatSeconds}; a member silent for
 * {@code maxNoHeartbeatSeconds} is removed. Hazelcast's defaults (5 s / 60 s) would leave a dead node's event-bus
 * subscriptions in place for a minute; we default to 1 s / 10 s on a LAN and tests use 1 s / 4 s on loopback. Too
 * short a timeout turns a long GC pause into a false "node died"; that is harmless here (PostgreSQL is the system of
 * record, clients just reconnect) but noisy.
 *
 * @param enabled               {@code --cluster} or {@code VP_CLUSTER=true}
 * @param clusterName           {@code VP_CLUSTER_NAME} (default veilig-praten): nodes only join a cluster of this name
 * @param host                  {@code VP_CLUSTER_HOST}: interface for Hazelcast and the event bus (default 127.0.0.1)
 * @param hazelcastPort         {@code VP_HAZELCAST_PORT} (default 5701)
 * @param eventBusPort          {@code VP_EVENTBUS_PORT} (default 0 = any free port, announced through Hazelcast)
 * @param members               {@code VP_CLUSTER_MEMBERS}: comma-separated host:port of Hazelcast members (TCP-IP join)
 * @param quorum                {@code VP_CLUSTER_QUORUM}: members a node must see to accept new assignments (default a
 *                              majority of {@code members})
 * @param heartbeatSeconds      {@code VP_CLUSTER_HEARTBEAT_SECONDS} (default 1)
 * @param maxNoHeartbeatSeconds {@code VP_CLUSTER_MAX_NO_HEARTBEAT_SECONDS} (default 10)
 */
public record ClusterSettings(boolean enabled, String clusterName, String host, int hazelcastPort, int eventBusPort,
                              List<String> members, int quorum, int heartbeatSeconds, int maxNoHeartbeatSeconds) {

  public static final String FLAG = "--cluster";

  /** A single process, no cluster. */
  public static ClusterSettings disabled() {
    return new ClusterSettings(false, "veilig-praten", "127.0.0.1", 5701, 0, List.of(), 1, 1, 10);
  }

  /** Reads the settings; {@code flag} is true when {@code --cluster} was given. Malformed values are refused. */
  public static ClusterSettings from(Map<String, String> env, boolean flag) {
    boolean enabled = flag || "true".equalsIgnoreCase(env.getOrDefault("VP_CLUSTER", "false").trim());
    String host = env.getOrDefault("VP_CLUSTER_HOST", "127.0.0.1").trim();
    int hzPort = intValue(env, "VP_HAZELCAST_PORT", 5701, 1, 65535);
    List<String> members = new ArrayList<>();
    String configured = env.get("VP_CLUSTER_MEMBERS");
    if (configured != null && !configured.isBlank()) {
      Arrays.stream(configured.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(m -> {
        if (!m.matches("[A-Za-z0-9.\\-\\[\\]:]+(:\\d{1,5})?")) {
          throw new IllegalArgumentException("VP_CLUSTER_MEMBERS entries must be host or host:port, got '" + m + "'");
        }
        members.add(m);
      });
    }
    if (members.isEmpty()) {
      members.add(host + ":" + hzPort);
    }
    int quorum = intValue(env, "VP_CLUSTER_QUORUM", members.size() / 2 + 1, 1, 1000);
    int heartbeat = intValue(env, "VP_CLUSTER_HEARTBEAT_SECONDS", 1, 1, 60);
    int maxNoHeartbeat = intValue(env, "VP_CLUSTER_MAX_NO_HEARTBEAT_SECONDS", 10, 2, 600);
    if (maxNoHeartbeat <= heartbeat) {
      throw new IllegalArgumentException("VP_CLUSTER_MAX_NO_HEARTBEAT_SECONDS must be larger than the heartbeat");
    }
    return new ClusterSettings(enabled, env.getOrDefault("VP_CLUSTER_NAME", "veilig-praten"), host, hzPort,
        intValue(env, "VP_EVENTBUS_PORT", 0, 0, 65535), List.copyOf(members), quorum, heartbeat, maxNoHeartbeat);
  }

  private static int intValue(Map<String, String> env, String name, int fallback, int min, int max) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(value.trim());
      if (n < min || n > max) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number from " + min + " to " + max + ", got '"
          + value + "'");
    }
  }
}
