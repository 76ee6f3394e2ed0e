package nl.veiligpraten.infra.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import nl.veiligpraten.testkit.TestCa;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 20, finding 10: the event bus between nodes runs over TLS with client certificates. Five
 * real Hazelcast members with real clustered event buses on loopback, in one cluster: two nodes
 * with certificates from the cluster CA ({@code a}, {@code b}, which also load the CA's revocation
 * list); a rogue node whose certificate comes from another CA but which trusts the cluster CA (an
 * attacker knows the CA certificate: it is not secret); a node whose certificate the cluster CA
 * issued and then revoked; and a node without TLS. Hazelcast has no member TLS, so all five join
 * it; the event bus must still carry messages only between {@code a} and {@code b}.
 *
 * <p>Every refused send is checked against a positive control in the same test: the same handler
 * receives the same kind of send from a good node (or from its own node), so "nothing arrived" can
 * only mean the connection was refused. Sends that must be refused use a 3-second timeout.
 */
@DisplayName("Event bus between nodes: TLS with client certificates from the cluster CA")
class EventBusTlsIT {

  /** Timeout of the sends that must be refused. */
  private static final long SEND_TIMEOUT_MS = 3_000;

  /**
   * Timeout of the sends that must arrive: a node's first TLS connection builds its SSL context,
   * which took up to 6 s on the shared 2-core test box.
   */
  private static final long CONTROL_TIMEOUT_MS = 15_000;

  @TempDir static Path certs;
  static final Map<String, Node> NODES = new LinkedHashMap<>();

  /** One clustered Vert.x and what its test handler ({@code vp.test.tls.<name>}) received. */
  record Node(String name, Vertx vertx, List<String> received) {
    String address() {
      return "vp.test.tls." + name;
    }
  }

  @BeforeAll
  static void start() throws Exception {
    TestCa cluster = TestCa.create("veilig-praten test cluster CA");
    TestCa other = TestCa.create("another CA");
    Map<String, EventBusTls> tls = new LinkedHashMap<>();
    // A node whose certificate the cluster CA issued and then revoked (a leaked key): a and b load
    // the CRL.
    TestCa.NodeFiles revoked = cluster.issue("revoked", certs, cluster);
    Map<String, String> crl =
        Map.of(EventBusTls.CRL_FILE, cluster.crl(certs.resolve("cluster.crl"), revoked).toString());
    tls.put("a", EventBusTls.from(with(cluster.issue("a", certs, cluster).env(), crl)));
    tls.put("b", EventBusTls.from(with(cluster.issue("b", certs, cluster).env(), crl)));
    tls.put("rogue", EventBusTls.from(other.issue("rogue", certs, cluster, other).env()));
    tls.put("revoked", EventBusTls.from(revoked.env()));
    tls.put("plain", EventBusTls.OFF);

    List<Integer> ports = new ArrayList<>();
    for (int i = 0; i < tls.size(); i++) {
      ports.add(freePort());
    }
    String members = String.join(",", ports.stream().map(p -> "127.0.0.1:" + p).toList());
    String clusterName = "eb-tls-" + UUID.randomUUID().toString().substring(0, 8);
    List<Future<Vertx>> started = new ArrayList<>();
    int i = 0;
    for (Map.Entry<String, EventBusTls> node : tls.entrySet()) {
      Map<String, String> env = new HashMap<>();
      env.put("VP_CLUSTER_NAME", clusterName);
      env.put("VP_CLUSTER_HOST", "127.0.0.1");
      env.put("VP_HAZELCAST_PORT", String.valueOf(ports.get(i++)));
      env.put("VP_CLUSTER_MEMBERS", members);
      env.put("VP_CLUSTER_QUORUM", "1");
      env.put("VP_CLUSTER_HEARTBEAT_SECONDS", "1");
      env.put("VP_CLUSTER_MAX_NO_HEARTBEAT_SECONDS", "4");
      ClusterSettings settings = ClusterSettings.from(env, true).withEventBusTls(node.getValue());
      started.add(
          HazelcastSetup.start(new VertxOptions().setPreferNativeTransport(false), settings));
    }
    List<Vertx> vertxes = await(Future.all(started).map(all -> all.<Vertx>list()), 120);
    i = 0;
    for (String name : tls.keySet()) {
      Node node = new Node(name, vertxes.get(i++), new CopyOnWriteArrayList<>());
      NODES.put(name, node);
      await(
          node.vertx()
              .eventBus()
              .<String>consumer(
                  node.address(),
                  m -> {
                    node.received().add(m.body());
                    m.reply(name + " got " + m.body());
                  })
              .completion(),
          30);
    }
    // Warm-up: the good nodes open their TLS connections to each other once, so the controls below
    // measure the
    // event bus and not the first SSL context.
    reply(node("a"), node("b"), "warm-up");
    reply(node("b"), node("a"), "warm-up");
    // Hazelcast has no member TLS: every node, the rogue and the plain one included, is a member.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    for (Node node : NODES.values()) {
      while (ClusterHealth.of(node.vertx()).members() < NODES.size()
          && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertEquals(
          NODES.size(),
          ClusterHealth.of(node.vertx()).members(),
          node.name() + " sees all members");
    }
  }

  @AfterAll
  static void stop() throws Exception {
    List<Future<Void>> closed = new ArrayList<>();
    NODES.values().forEach(n -> closed.add(n.vertx().close()));
    await(Future.join(closed), 60);
  }

  @Test
  @DisplayName(
      "two nodes with certificates from the cluster CA send and reply to each other across the event bus")
  void goodNodesTalk() throws Exception {
    String body = "from-a-" + UUID.randomUUID();
    assertEquals("b got " + body, reply(node("a"), node("b"), body));
    assertTrue(node("b").received().contains(body));
    String back = "from-b-" + UUID.randomUUID();
    assertEquals("a got " + back, reply(node("b"), node("a"), back));
    assertTrue(node("a").received().contains(back));
  }

  @Test
  @DisplayName(
      "a node whose certificate is signed by another CA joins Hazelcast but can neither send to nor "
          + "receive from the good nodes over the event bus")
  void rogueCertificateRefused() throws Exception {
    refusedBothWays(node("rogue"));
  }

  @Test
  @DisplayName(
      "a node whose certificate from the cluster CA is on the revocation list the good nodes load can neither "
          + "send to nor receive from them")
  void revokedCertificateRefused() throws Exception {
    refusedBothWays(node("revoked"));
  }

  @Test
  @DisplayName("a node without TLS cannot send to or receive from a TLS node")
  void plainNodeRefused() throws Exception {
    refusedBothWays(node("plain"));
  }

  /**
   * {@code outsider} cannot reach {@code a}, and {@code a} cannot reach {@code outsider}; controls
   * prove both ends work.
   */
  private static void refusedBothWays(Node outsider) throws Exception {
    Node a = node("a");
    Node b = node("b");
    String in = "from-" + outsider.name() + "-" + UUID.randomUUID();
    Throwable inFailure = refusal(outsider, a, in);
    // Positive control: the same handler on a receives a send from a good node after the refused
    // one.
    String control = "from-b-" + UUID.randomUUID();
    assertEquals("a got " + control, reply(b, a, control));
    assertTrue(a.received().contains(control));
    assertFalse(
        a.received().contains(in), outsider.name() + "'s message reached a: " + a.received());

    String out = "from-a-" + UUID.randomUUID();
    Throwable outFailure = refusal(a, outsider, out);
    // Positive control: the outsider's handler works; a local send reaches it.
    String local = "local-" + UUID.randomUUID();
    assertEquals(outsider.name() + " got " + local, reply(outsider, outsider, local));
    assertTrue(outsider.received().contains(local));
    assertFalse(outsider.received().contains(out), "a's message reached " + outsider.name());
    System.out.printf(
        "%s -> a refused with %s; a -> %s refused with %s%n",
        outsider.name(), describe(inFailure), outsider.name(), describe(outFailure));
  }

  private static Map<String, String> with(Map<String, String> a, Map<String, String> b) {
    Map<String, String> both = new HashMap<>(a);
    both.putAll(b);
    return both;
  }

  private static Node node(String name) {
    return NODES.get(name);
  }

  /**
   * The reply to a send from {@code from} to {@code to}'s handler, retried while the registration
   * is not yet seen.
   */
  private static String reply(Node from, Node to, String body) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try {
        return await(
            from.vertx()
                .eventBus()
                .<String>request(
                    to.address(), body, new DeliveryOptions().setSendTimeout(CONTROL_TIMEOUT_MS))
                .map(m -> m.body()),
            30);
      } catch (ExecutionException e) {
        if (!noHandlers(e.getCause()) || System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(100);
      }
    }
  }

  /**
   * The failure of a send from {@code from} to {@code to}'s handler. "No handlers" only means the
   * registration has not reached {@code from} through Hazelcast yet (nothing was sent): retried, so
   * the failure returned is the event bus refusing the connection or the send timing out.
   */
  private static Throwable refusal(Node from, Node to, String body) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (true) {
      try {
        String answer =
            await(
                from.vertx()
                    .eventBus()
                    .<String>request(
                        to.address(), body, new DeliveryOptions().setSendTimeout(SEND_TIMEOUT_MS))
                    .map(m -> m.body()),
                10);
        throw new AssertionError(from.name() + " reached " + to.name() + ": " + answer);
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        assertNotNull(cause);
        if (noHandlers(cause) && System.nanoTime() < deadline) {
          Thread.sleep(100);
          continue;
        }
        assertFalse(
            noHandlers(cause), to.name() + "'s handler never became visible to " + from.name());
        return cause;
      }
    }
  }

  private static boolean noHandlers(Throwable e) {
    return e instanceof ReplyException r && r.failureType() == ReplyFailure.NO_HANDLERS;
  }

  private static String describe(Throwable e) {
    return e instanceof ReplyException r
        ? "ReplyException " + r.failureType()
        : e.getClass().getSimpleName() + ": " + e.getMessage();
  }

  private static <T> T await(Future<T> future, int seconds) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
