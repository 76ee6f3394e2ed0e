package nl.veiligpraten.infra.cluster;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import nl.veiligpraten.infra.settings.EnvValues;

/**
 * Clustered-mode settings, read once from the environment (and the {@code --cluster} flag).
 * Everything a deployment needs to change (join mode, discovery, timing) is a variable here, so a
 * Kubernetes or VM install needs no code edit.
 *
 * <p>Failure detection: every member sends a heartbeat each {@code heartbeatSeconds}; a member
 * silent for {@code maxNoHeartbeatSeconds} is removed. Hazelcast's defaults (5 s / 60 s) would
 * leave a dead node's event-bus subscriptions in place for a minute; we default to 1 s / 10 s on a
 * LAN and tests use 1 s / 4 s on loopback. Too short a timeout turns a long GC pause into a false
 * "node died"; that is harmless here (PostgreSQL is the system of record, clients just reconnect)
 * but noisy.
 *
 * <p>Every variable is read on every call, whatever the join mode, so that the set of names this
 * class reads is the same for every environment (the deployment manifest test derives the names the
 * service reads from it).
 *
 * @param enabled {@code --cluster} or {@code VP_CLUSTER=true}
 * @param clusterName {@code VP_CLUSTER_NAME} (default veilig-praten): nodes only join a cluster of
 *     this name
 * @param host {@code VP_CLUSTER_HOST}: interface for Hazelcast and the event bus (default
 *     127.0.0.1; on Kubernetes the pod IP from the downward API)
 * @param hazelcastPort {@code VP_HAZELCAST_PORT} (default 5701)
 * @param eventBusPort {@code VP_EVENTBUS_PORT} (default 0 = any free port, announced through
 *     Hazelcast)
 * @param join {@code VP_CLUSTER_JOIN}: {@code tcp-ip} (default) or {@code kubernetes}; multicast
 *     and Hazelcast's auto-detection are always off
 * @param members {@code VP_CLUSTER_MEMBERS}: comma-separated host:port of Hazelcast members (TCP-IP
 *     join)
 * @param kubernetesServiceDns {@code VP_CLUSTER_K8S_SERVICE_DNS}: DNS name of the headless service
 *     (Kubernetes join, DNS lookup mode: needs no API permissions)
 * @param kubernetesDnsTimeoutSeconds {@code VP_CLUSTER_K8S_DNS_TIMEOUT_SECONDS} (default 5)
 * @param quorum {@code VP_CLUSTER_QUORUM}: members a node must see to accept new assignments
 *     (default a majority of {@code members}; required with the Kubernetes join, which has no list)
 * @param heartbeatSeconds {@code VP_CLUSTER_HEARTBEAT_SECONDS} (default 1)
 * @param maxNoHeartbeatSeconds {@code VP_CLUSTER_MAX_NO_HEARTBEAT_SECONDS} (default 10)
 * @param joinTimeoutSeconds {@code VP_CLUSTER_JOIN_TIMEOUT_SECONDS}: TCP connection timeout to a
 *     member while joining (default 2)
 * @param mergeDelaySeconds {@code VP_CLUSTER_MERGE_DELAY_SECONDS}: how soon two halves merge after
 *     a split heals (default 5)
 * @param eventBusTls {@code VP_EVENTBUS_TLS_CERT_FILE}, {@code _KEY_FILE}, {@code _CA_FILE}, {@code
 *     _CRL_FILE} and {@code VP_EVENTBUS_PLAINTEXT_PRIVATE_NETWORK}: TLS with client certificates
 *     between the nodes' event buses ({@link EventBusTls})
 */
public record ClusterSettings(
    boolean enabled,
    String clusterName,
    String host,
    int hazelcastPort,
    int eventBusPort,
    Join join,
    List<String> members,
    Optional<String> kubernetesServiceDns,
    int kubernetesDnsTimeoutSeconds,
    int quorum,
    int heartbeatSeconds,
    int maxNoHeartbeatSeconds,
    int joinTimeoutSeconds,
    int mergeDelaySeconds,
    EventBusTls eventBusTls) {

  public static final String FLAG = "--cluster";

  /** How a node finds the other members. */
  public enum Join {
    /** A fixed list of members ({@code VP_CLUSTER_MEMBERS}). */
    TCP_IP,
    /**
     * Every ready pod behind a headless service, found by DNS ({@code VP_CLUSTER_K8S_SERVICE_DNS}).
     */
    KUBERNETES;

    static Join parse(String value) {
      return switch (value.trim().toLowerCase(Locale.ROOT)) {
        case "", "tcp-ip", "tcpip", "tcp" -> TCP_IP;
        case "kubernetes", "k8s" -> KUBERNETES;
        case "multicast" ->
            throw new IllegalArgumentException(
                "VP_CLUSTER_JOIN=multicast is not supported: multicast would let any host on the network join; use "
                    + "tcp-ip or kubernetes");
        default ->
            throw new IllegalArgumentException(
                "VP_CLUSTER_JOIN must be tcp-ip or kubernetes, got '" + value + "'");
      };
    }
  }

  /** A single process, no cluster. */
  public static ClusterSettings disabled() {
    return new ClusterSettings(
        false,
        "veilig-praten",
        "127.0.0.1",
        5701,
        0,
        Join.TCP_IP,
        List.of(),
        Optional.empty(),
        5,
        1,
        1,
        10,
        2,
        5,
        EventBusTls.OFF);
  }

  /**
   * Reads the settings; {@code flag} is true when {@code --cluster} was given. Malformed values are
   * refused.
   */
  public static ClusterSettings from(Map<String, String> env, boolean flag) {
    // Read everything first (see the class comment), then validate what the chosen mode needs.
    boolean fromEnv = "true".equalsIgnoreCase(env.getOrDefault("VP_CLUSTER", "false").trim());
    boolean enabled = flag || fromEnv;
    String name = env.getOrDefault("VP_CLUSTER_NAME", "veilig-praten").trim();
    String host = env.getOrDefault("VP_CLUSTER_HOST", "127.0.0.1").trim();
    int hzPort = EnvValues.wholeNumber(env, "VP_HAZELCAST_PORT", 5701, 1, 65535);
    int eventBusPort = EnvValues.wholeNumber(env, "VP_EVENTBUS_PORT", 0, 0, 65535);
    Join join = Join.parse(env.getOrDefault("VP_CLUSTER_JOIN", "tcp-ip"));
    String configured = env.get("VP_CLUSTER_MEMBERS");
    String serviceDns = env.getOrDefault("VP_CLUSTER_K8S_SERVICE_DNS", "").trim();
    int dnsTimeout = EnvValues.wholeNumber(env, "VP_CLUSTER_K8S_DNS_TIMEOUT_SECONDS", 5, 1, 120);
    String quorumValue = env.get("VP_CLUSTER_QUORUM");
    int heartbeat = EnvValues.wholeNumber(env, "VP_CLUSTER_HEARTBEAT_SECONDS", 1, 1, 60);
    int maxNoHeartbeat =
        EnvValues.wholeNumber(env, "VP_CLUSTER_MAX_NO_HEARTBEAT_SECONDS", 10, 2, 600);
    int joinTimeout = EnvValues.wholeNumber(env, "VP_CLUSTER_JOIN_TIMEOUT_SECONDS", 2, 1, 60);
    int mergeDelay = EnvValues.wholeNumber(env, "VP_CLUSTER_MERGE_DELAY_SECONDS", 5, 1, 600);
    EventBusTls eventBusTls = EventBusTls.from(env);

    if (!name.matches("[A-Za-z0-9._-]{1,64}")) {
      throw new IllegalArgumentException(
          "VP_CLUSTER_NAME must be 1-64 letters, digits, '.', '_' or '-'");
    }
    List<String> members = new ArrayList<>();
    if (configured != null && !configured.isBlank()) {
      Arrays.stream(configured.split(","))
          .map(String::trim)
          .filter(s -> !s.isEmpty())
          .forEach(
              m -> {
                if (!m.matches("[A-Za-z0-9.\\-\\[\\]:]+(:\\d{1,5})?")) {
                  throw new IllegalArgumentException(
                      "VP_CLUSTER_MEMBERS entries must be host or host:port, got '" + m + "'");
                }
                members.add(m);
              });
    }
    Optional<String> dns = Optional.empty();
    int defaultQuorum;
    if (join == Join.KUBERNETES) {
      if (!members.isEmpty()) {
        throw new IllegalArgumentException(
            "VP_CLUSTER_MEMBERS is for VP_CLUSTER_JOIN=tcp-ip; with kubernetes the "
                + "members come from VP_CLUSTER_K8S_SERVICE_DNS");
      }
      if (enabled && serviceDns.isEmpty()) {
        throw new IllegalArgumentException(
            "VP_CLUSTER_JOIN=kubernetes needs VP_CLUSTER_K8S_SERVICE_DNS (the headless "
                + "service, e.g. veilig-praten-hz.<namespace>.svc.cluster.local)");
      }
      if (!serviceDns.isEmpty() && !serviceDns.matches("[A-Za-z0-9.\\-]{1,253}")) {
        throw new IllegalArgumentException(
            "VP_CLUSTER_K8S_SERVICE_DNS must be a DNS name, got '" + serviceDns + "'");
      }
      if (enabled && (quorumValue == null || quorumValue.isBlank())) {
        // A DNS answer has no fixed size: without an explicit quorum a lone pod would count itself
        // a majority.
        throw new IllegalArgumentException(
            "VP_CLUSTER_JOIN=kubernetes needs VP_CLUSTER_QUORUM (e.g. 2 for 3 " + "replicas)");
      }
      dns = serviceDns.isEmpty() ? Optional.empty() : Optional.of(serviceDns);
      defaultQuorum = 1;
    } else {
      if (members.isEmpty()) {
        members.add(host + ":" + hzPort);
      }
      defaultQuorum = members.size() / 2 + 1;
    }
    int quorum = EnvValues.wholeNumber(env, "VP_CLUSTER_QUORUM", defaultQuorum, 1, 1000);
    if (maxNoHeartbeat <= heartbeat) {
      throw new IllegalArgumentException(
          "VP_CLUSTER_MAX_NO_HEARTBEAT_SECONDS must be larger than the heartbeat");
    }
    return new ClusterSettings(
        enabled,
        name,
        host,
        hzPort,
        eventBusPort,
        join,
        List.copyOf(members),
        dns,
        dnsTimeout,
        quorum,
        heartbeat,
        maxNoHeartbeat,
        joinTimeout,
        mergeDelay,
        eventBusTls);
  }

  /** The same settings with this event-bus TLS configuration (tests). */
  public ClusterSettings withEventBusTls(EventBusTls tls) {
    return new ClusterSettings(
        enabled,
        clusterName,
        host,
        hazelcastPort,
        eventBusPort,
        join,
        members,
        kubernetesServiceDns,
        kubernetesDnsTimeoutSeconds,
        quorum,
        heartbeatSeconds,
        maxNoHeartbeatSeconds,
        joinTimeoutSeconds,
        mergeDelaySeconds,
        tls);
  }

  /**
   * Refuses what a production node must not run with: a cluster whose event bus is plain text
   * without the operator's private-network statement ({@link EventBusTls#requireFor}).
   */
  public void requireSafeFor(boolean demo) {
    eventBusTls.requireFor(enabled, demo);
  }
}
