package nl.veiligpraten.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import nl.veiligpraten.infra.db.DbSettings;
import nl.veiligpraten.testkit.NodeProcess;
import nl.veiligpraten.testkit.TestCa;

/**
 * Real cluster members in separate JVMs on loopback for the cluster and failover ITs: every node
 * runs {@code nl.veiligpraten.app.Main --cluster} with the test class path, shares the test's
 * PostgreSQL and one data directory (key store, demo logins). Node 0 starts first so it alone
 * creates the key store and demo data.
 */
final class ClusterNodes implements AutoCloseable {

  final List<NodeProcess> processes = new ArrayList<>();
  final List<Integer> visitorPorts = new ArrayList<>();
  final List<Integer> consolePorts = new ArrayList<>();

  /** Management listeners ({@code /metrics}, loopback). */
  final List<Integer> managementPorts = new ArrayList<>();

  final Path dataDir;

  private ClusterNodes(Path dataDir) {
    this.dataDir = dataDir;
  }

  /** Starts {@code quorums.length} nodes; node i uses quorum {@code quorums[i]}. */
  static ClusterNodes start(DbSettings db, Path dataDir, Path logDir, int... quorums) {
    return start(db, dataDir, logDir, null, quorums);
  }

  /**
   * Starts {@code quorums.length} nodes whose event bus runs over TLS with client certificates: a
   * CA made now, and a certificate of its own for every node, written to {@code tlsDir} (issue 20,
   * finding 10).
   */
  static ClusterNodes startWithEventBusTls(
      DbSettings db, Path dataDir, Path logDir, Path tlsDir, int... quorums) {
    return start(db, dataDir, logDir, tlsDir, quorums);
  }

  private static ClusterNodes start(
      DbSettings db, Path dataDir, Path logDir, Path tlsDir, int... quorums) {
    ClusterNodes nodes = new ClusterNodes(dataDir);
    int n = quorums.length;
    TestCa ca = null;
    if (tlsDir != null) {
      try {
        Files.createDirectories(tlsDir);
        ca = TestCa.create("cluster CA of " + dataDir.getFileName());
      } catch (Exception e) {
        throw new IllegalStateException("could not make the test CA", e);
      }
    }
    List<Integer> hzPorts = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      hzPorts.add(AppSettings.freePort());
      nodes.visitorPorts.add(AppSettings.freePort());
      nodes.consolePorts.add(AppSettings.freePort());
      nodes.managementPorts.add(AppSettings.freePort());
    }
    String members = String.join(",", hzPorts.stream().map(p -> "127.0.0.1:" + p).toList());
    try {
      for (int i = 0; i < n; i++) {
        Map<String, String> env = new HashMap<>();
        env.put(
            "DATABASE_URL",
            "postgresql://"
                + db.user()
                + ":"
                + db.password()
                + "@"
                + db.host()
                + ":"
                + db.port()
                + "/"
                + db.database());
        env.put("VP_DATA_DIR", dataDir.toString());
        env.put("VP_DEMO", "true"); // demo logins; production (the default) needs a passphrase
        env.put("VP_VISITOR_PORT", String.valueOf(nodes.visitorPorts.get(i)));
        env.put("VP_CONSOLE_PORT", String.valueOf(nodes.consolePorts.get(i)));
        env.put("VP_MANAGEMENT_PORT", String.valueOf(nodes.managementPorts.get(i)));
        env.put("VP_CLUSTER_HOST", "127.0.0.1");
        env.put("VP_HAZELCAST_PORT", String.valueOf(hzPorts.get(i)));
        env.put("VP_CLUSTER_MEMBERS", members);
        env.put("VP_CLUSTER_QUORUM", String.valueOf(quorums[i]));
        env.put("VP_CLUSTER_HEARTBEAT_SECONDS", "1");
        env.put("VP_CLUSTER_MAX_NO_HEARTBEAT_SECONDS", "4");
        if (ca != null) {
          env.putAll(issue(ca, "node-" + i, tlsDir));
        }
        NodeProcess node =
            NodeProcess.start(
                "node-" + i,
                "nl.veiligpraten.app.Main",
                List.of("-Xmx384m", "-XX:+UseSerialGC"),
                List.of("--cluster"),
                env,
                logDir);
        nodes.processes.add(node);
        // Liveness first: readiness needs quorum, which a node started with quorum > 1 only gets
        // with the others.
        node.awaitHttp200(nodes.url(i, "/health/live"), Duration.ofSeconds(120));
      }
      for (int i = 0; i < n; i++) {
        nodes.awaitMembers(i, n, Duration.ofSeconds(60));
      }
    } catch (RuntimeException e) {
      nodes.close();
      throw e;
    }
    return nodes;
  }

  private static Map<String, String> issue(TestCa ca, String node, Path dir) {
    try {
      return ca.issue(node, dir, ca).env();
    } catch (Exception e) {
      throw new IllegalStateException("could not issue the certificate of " + node, e);
    }
  }

  String url(int node, String path) {
    return "http://127.0.0.1:" + consolePorts.get(node) + path;
  }

  /** Waits until the node's readiness report shows {@code members} cluster members. */
  void awaitMembers(int node, int members, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      try {
        last = NodeProcess.get(url(node, "/health/ready")).body();
        if (last.contains("\"clusterMembers\":" + members + ",")) {
          return;
        }
      } catch (Exception e) {
        last = e.toString();
      }
      sleep(200);
    }
    throw new IllegalStateException("node " + node + " never saw " + members + " members: " + last);
  }

  /** Demo password of any demo account (counselor, supervisor, admins) by user name. */
  String demoPasswordOf(String username) throws Exception {
    java.util.regex.Pattern line =
        java.util.regex.Pattern.compile("user\\s+(\\S+)\\s+password\\s+(\\S+)");
    for (String text : Files.readAllLines(dataDir.resolve("demo-logins.txt"))) {
      java.util.regex.Matcher m = line.matcher(text);
      if (m.find() && m.group(1).equals(username)) {
        return m.group(2);
      }
    }
    throw new IllegalStateException("no demo login " + username);
  }

  /** Demo password of an organisation, from the shared demo-logins file node 0 wrote. */
  String demoPassword(String org) throws Exception {
    for (String line : Files.readAllLines(dataDir.resolve("demo-logins.txt"))) {
      if (line.trim().startsWith(org + " ")) {
        return line.substring(line.lastIndexOf(' ') + 1);
      }
    }
    throw new IllegalStateException("no demo login for " + org);
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    processes.forEach(NodeProcess::close);
  }
}
