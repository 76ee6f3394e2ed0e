package nl.veiligpraten.app.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import nl.veiligpraten.app.AppSettings;
import nl.veiligpraten.infra.db.Database;
import nl.veiligpraten.infra.db.DbSettings;
import nl.veiligpraten.infra.db.EmbeddedDatabase;
import nl.veiligpraten.testkit.CounselorClient;
import nl.veiligpraten.testkit.NodeProcess;
import nl.veiligpraten.testkit.VisitorClient;

/**
 * {@code ./bench relay}: the gateway against a bare Vert.x WebSocket relay, measured in the same
 * run on the same machine, JDK, JVM flags and Vert.x defaults. Starts PostgreSQL (embedded, same
 * settings as development), one gateway node and the relay as separate processes, drives both with
 * the same load client and prints and writes {@code BENCHMARKS.md}. Every phase has a time limit;
 * every process started here is stopped by its id at the end.
 *
 * <p>Phases per target: (1) idle sessions: open up to {@code --sessions} visitor sockets (hello
 * only), hold them with heartbeats, measure heap and RSS per connection after a full GC; (2)
 * latency: {@code --chats} chats through intake (think time), queue (heartbeats) and assignment,
 * then visitors send open-loop at {@code --rate} msg/s in total with typing bursts, {@code
 * --drop-percent} of them dropping once and resuming; latency is taken from the intended send time;
 * (3) saturation: counselors keep a window of messages outstanding in every chat and we count
 * acknowledged (for the gateway: sealed and committed) messages per second, then check that every
 * acknowledged message arrived (and for the gateway is in PostgreSQL).
 */
public final class BenchMain {

  /**
   * Organisations whose help point is open around the clock (the others close at 17:00 and would
   * turn into cards).
   */
  static final List<String> ORGS = List.of("csg", "veilig_thuis");

  static final List<String> JVM_FLAGS = List.of("-Xms128m", "-Xmx1536m", "-XX:+UseG1GC");

  private final Map<String, String> options;
  private final Path work;
  private final Vertx vertx = Vertx.vertx();
  private final List<String> log = new ArrayList<>();

  private BenchMain(Map<String, String> options) {
    this.options = options;
    this.work = Path.of(options.getOrDefault("work", "app/target/bench")).toAbsolutePath();
  }

  /** Figures of one target. */
  static final class Result {
    int sessionsAsked;
    int sessionsHeld;
    long chatsAssigned;
    String persistLatency = "";
    String profile = "";
    double heapPerConnection;
    double rssPerConnection;
    Latency low;
    Latency high;
    double saturationRate;
    long saturationAcked;
    long saturationLost;
    double cpuMicrosPerMessage;
    double cpuMicrosPerMessageWithDb;

    /**
     * Share of the machine's CPU time that was busy during the last saturation window (all
     * processes).
     */
    double machineBusy;

    double saturationRateNoDelay = -1;
    double cpuNoDelay = -1;
  }

  public static void main(String[] args) throws Exception {
    if (args.length == 0 || !"relay".equals(args[0])) {
      System.err.println(
          "usage: bench relay [--sessions=N] [--chats=N] [--rate=MSG_PER_S] [--seconds=S] "
              + "[--saturation-seconds=S] [--warmup-seconds=W] [--rounds=R] [--drop-percent=P] [--out=BENCHMARKS.md] "
              + "[--only=latency] [--fill-keys=N] [--forget-burst=K]");
      System.exit(2);
    }
    Map<String, String> options = new HashMap<>();
    for (int i = 1; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--") || !a.contains("=")) {
        System.err.println("unknown argument " + a);
        System.exit(2);
      }
      options.put(a.substring(2, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
    }
    int code = new BenchMain(options).run();
    System.exit(code);
  }

  int intOption(String name, int fallback) {
    return Integer.parseInt(options.getOrDefault(name, String.valueOf(fallback)));
  }

  private int run() throws Exception {
    long started = System.nanoTime();
    deleteRecursively(work);
    Files.createDirectories(work);
    Path logs = work.resolve("logs");
    EmbeddedDatabase db = null;
    NodeProcess gateway = null;
    NodeProcess relay = null;
    List<NodeProcess> gateways = new ArrayList<>();
    List<NodeProcess> relays = new ArrayList<>();
    try {
      say("starting PostgreSQL (embedded, synchronous_commit=on)");
      db = EmbeddedDatabase.start(work.resolve("pg"), 0);
      DbSettings dbs = db.settings();
      int gv = AppSettings.freePort();
      int gc = AppSettings.freePort();
      Map<String, String> env = new HashMap<>();
      env.put(
          "DATABASE_URL",
          "postgresql://"
              + dbs.user()
              + ":"
              + dbs.password()
              + "@"
              + dbs.host()
              + ":"
              + dbs.port()
              + "/"
              + dbs.database());
      env.put("VP_DATA_DIR", work.resolve("data").toString());
      env.put("VP_DEMO", "true"); // demo logins; production (the default) needs a passphrase
      env.put("VP_VISITOR_PORT", String.valueOf(gv));
      env.put("VP_CONSOLE_PORT", String.valueOf(gc));
      // The management listener of gateway node A: the persist figures are read from its /metrics.
      int gm = AppSettings.freePort();
      env.put("VP_MANAGEMENT_PORT", String.valueOf(gm));
      env.put("VP_QUEUE_GRACE_SECONDS", "5");
      // The idle sessions send hello only and are held for minutes (the phase measures memory per
      // idle connection,
      // like the bare relay, which closes nothing): the silence limit must not close them
      // mid-measurement.
      env.put("VP_SOCKET_SILENCE_SECONDS", "3600");
      env.put("VP_PAUSE_GRACE_SECONDS", "5");
      // Every load client connects from 127.0.0.1: with the production limits on new conversations
      // per address
      // (60/min) and per node (1,200/min) the idle phase stalls after a few hundred sessions (each
      // hello opens a
      // conversation). The relay has no such limit, so both are lifted for the comparison.
      env.putAll(BenchLimits.LIFTED);
      boolean latencyOnly = "latency".equals(options.get("only"));
      int fillKeys = intOption("fill-keys", 0);
      int nodeCount = Math.max(1, Math.min(2, intOption("nodes", 2)));
      List<Integer> hz = List.of(AppSettings.freePort(), AppSettings.freePort());
      String members = "127.0.0.1:" + hz.get(0) + ",127.0.0.1:" + hz.get(1);
      List<Integer> gatewayVisitorPorts = new ArrayList<>(List.of(gv));
      for (int i = 0; i < nodeCount; i++) {
        Map<String, String> nodeEnv = new HashMap<>(env);
        List<String> args = List.of();
        if (nodeCount > 1) {
          // Two Hazelcast members on loopback; quorum 1 so each node is ready on its own.
          args = List.of("--cluster");
          nodeEnv.put("VP_CLUSTER_HOST", "127.0.0.1");
          nodeEnv.put("VP_HAZELCAST_PORT", String.valueOf(hz.get(i)));
          nodeEnv.put("VP_CLUSTER_MEMBERS", members);
          nodeEnv.put("VP_CLUSTER_QUORUM", "1");
        }
        if (i > 0) {
          int v = AppSettings.freePort();
          gatewayVisitorPorts.add(v);
          nodeEnv.put("VP_VISITOR_PORT", String.valueOf(v));
          nodeEnv.put("VP_CONSOLE_PORT", String.valueOf(AppSettings.freePort()));
          nodeEnv.put("VP_MANAGEMENT_PORT", "0");
        }
        say(
            "starting gateway node "
                + (char) ('A' + i)
                + (nodeCount > 1 ? " (cluster member)" : ""));
        NodeProcess node =
            NodeProcess.start(
                "gateway-" + (char) ('a' + i),
                "nl.veiligpraten.app.Main",
                JVM_FLAGS,
                args,
                nodeEnv,
                logs);
        gateways.add(node);
        node.awaitHttp200(
            "http://127.0.0.1:" + nodeEnv.get("VP_CONSOLE_PORT") + "/health/ready",
            Duration.ofSeconds(180));
      }
      gateway = gateways.get(0);
      int rv = AppSettings.freePort();
      int rc = AppSettings.freePort();
      List<Integer> relayVisitorPorts = new ArrayList<>();
      for (int i = 0; i < nodeCount; i++) {
        int v = i == 0 ? rv : AppSettings.freePort();
        int c = i == 0 ? rc : AppSettings.freePort();
        say("starting bare relay " + (char) ('A' + i));
        NodeProcess r =
            NodeProcess.start(
                "relay-" + (char) ('a' + i),
                BareRelay.class.getName(),
                JVM_FLAGS,
                List.of(String.valueOf(v), String.valueOf(c)),
                Map.of(),
                logs);
        relays.add(r);
        r.awaitHttp200("http://127.0.0.1:" + v + "/", Duration.ofSeconds(60));
        relayVisitorPorts.add(v);
      }
      relay = relays.get(0);

      Map<String, String> passwords = new HashMap<>();
      for (String line : Files.readAllLines(work.resolve("data").resolve("demo-logins.txt"))) {
        String[] f = line.trim().split("\\s+");
        passwords.put(f[0], f[f.length - 1]);
      }
      Pool pool = Database.pool(vertx, dbs, 2);
      // Demo counselors hold 3 chats at a time; the bench's two counselors hold every chat of their
      // help point.
      await(
          pool.preparedQuery("UPDATE staff_user SET capacity = 100 WHERE username = ANY($1)")
              .execute(
                  io.vertx.sqlclient.Tuple.tuple()
                      .addValue(
                          ORGS.stream()
                              .map(o -> o.replace('_', '-') + "-demo")
                              .toArray(String[]::new))));
      long pgPid = postmasterPid(work.resolve("pg"));

      // Phases alternate between the targets so that both see the same background load on a shared
      // machine.
      Result base = new Result();
      Result gw = new Result();
      if (!latencyOnly) {
        idle("relay", base, relays, relayVisitorPorts, logs);
        idle("gateway", gw, gateways, gatewayVisitorPorts, logs);
      }
      if (fillKeys > 0) {
        fillKeyCache(gv, fillKeys);
      }
      // The idle sessions left intake conversations behind; let the queue sweep close them (grace 5
      // s here)
      // before the chats phases, so that work is not measured as chat latency.
      say("gateway: waiting for the queue sweep to close the idle sessions' conversations");
      waitFor(
          () -> {
            try {
              return await(
                          pool.query(
                                  "SELECT count(*) FROM conversation WHERE status IN ('intake', 'queued')")
                              .execute())
                      .iterator()
                      .next()
                      .getLong(0)
                  == 0;
            } catch (Exception e) {
              return false;
            }
          },
          120_000);
      // Closing 20,000 sockets and their conversations leaves work behind in both nodes and
      // PostgreSQL
      // (statistics triggers, autovacuum, GC); wait until the machine is quiet so it is not
      // measured as latency.
      waitForQuietMachine(latencyOnly ? 20 : 120);
      Chats relayChats = setupChats("relay", base, rv, rc, Map.of());
      Chats gatewayChats = setupChats("gateway", gw, gv, gc, passwords);
      // With two nodes the deletions run on node B: node A, whose chats are measured and whose key
      // cache was filled,
      // then only receives the shred notices (as after a retention run on another node), not the
      // deletions' work.
      gatewayChats.burstPort = gatewayVisitorPorts.get(gatewayVisitorPorts.size() - 1);
      // Latency first: a saturation burst leaves work behind (autovacuum, checkpoint, GC) that
      // would be measured as
      // latency of whichever target comes next.
      base.low = latency("relay", relayChats, intOption("low-rate", 250), "l");
      gw.low = latency("gateway", gatewayChats, intOption("low-rate", 250), "l");
      base.high = latency("relay", relayChats, intOption("rate", 1000), "m");
      gw.high = latency("gateway", gatewayChats, intOption("rate", 1000), "m");
      if (latencyOnly) {
        // --only=latency: the figures above are the result (printed, BENCHMARKS.md is not
        // rewritten).
        say(
            String.format(
                Locale.ROOT,
                "latency only: p99.9 at %d msg/s gateway %.1f ms, relay %.1f ms; at %d msg/s "
                    + "gateway %.1f ms, relay %.1f ms (fill-keys %d, forget-burst %d)",
                gw.low.rate,
                gw.low.p999,
                base.low.p999,
                gw.high.rate,
                gw.high.p999,
                base.high.p999,
                fillKeys,
                intOption("forget-burst", 0)));
        relayChats.close();
        gatewayChats.close();
        pool.close();
        return 0;
      }
      // Group commit A/B on the gateway: with commit_delay = 200 µs (commit_siblings = 4) first,
      // then the
      // configured default (plain group commit, commit_delay = 0) in the rounds below, which give
      // the headline.
      await(pool.query("ALTER SYSTEM SET commit_delay = 200").execute());
      await(pool.query("ALTER SYSTEM SET commit_siblings = 4").execute());
      await(pool.query("SELECT pg_reload_conf()").execute());
      Thread.sleep(500);
      saturation("gateway (commit_delay=200)", gw, gateway.pid(), pgPid, gatewayChats, pool, true);
      await(pool.query("ALTER SYSTEM RESET commit_delay").execute());
      await(pool.query("ALTER SYSTEM RESET commit_siblings").execute());
      await(pool.query("SELECT pg_reload_conf()").execute());
      Thread.sleep(500);
      // Relay and gateway alternate, round after round: this shared box speeds up and slows down by
      // tens of
      // percent within minutes, and each round's ratio compares two windows a few seconds apart.
      // The headline is
      // the round with the median ratio; every round is listed.
      int rounds = Math.max(1, intOption("rounds", 3));
      for (int i = 1; i <= rounds; i++) {
        saturation("relay (round " + i + ")", base, relay.pid(), -1, relayChats, null, false);
        saturation(
            "gateway (round " + i + ")", gw, gateway.pid(), pgPid, gatewayChats, pool, false);
        roundsRun.add(
            new Round(
                base.saturationRate,
                gw.saturationRate,
                base.cpuMicrosPerMessage,
                gw.cpuMicrosPerMessage,
                gw.cpuMicrosPerMessageWithDb,
                base.saturationLost,
                gw.saturationLost,
                base.machineBusy,
                gw.machineBusy));
      }
      Round median =
          roundsRun.stream()
              .sorted(java.util.Comparator.comparingDouble(Round::ratio))
              .toList()
              .get((roundsRun.size() - 1) / 2);
      base.saturationRate = median.relayRate();
      base.cpuMicrosPerMessage = median.relayCpu();
      gw.saturationRate = median.gatewayRate();
      gw.cpuMicrosPerMessage = median.gatewayCpu();
      gw.cpuMicrosPerMessageWithDb = median.gatewayCpuWithDb();
      // Losses are summed over every round, not taken from the median one.
      base.saturationLost = roundsRun.stream().mapToLong(Round::relayLost).sum();
      gw.saturationLost = roundsRun.stream().mapToLong(Round::gatewayLost).sum();
      saturation(
          "gateway (JFR profile)", gw, gateway.pid(), pgPid, gatewayChats, pool, false, true);
      gw.persistLatency = persistFigures(gm);
      say("gateway: server-side persist timer over the whole run: " + gw.persistLatency);
      relayChats.close();
      gatewayChats.close();

      String report = report(base, gw, Duration.ofNanos(System.nanoTime() - started));
      System.out.println(report);
      Path out = Path.of(options.getOrDefault("out", "BENCHMARKS.md"));
      // Keep the HA stack's section (./bench ha writes it): this run replaces only the relay
      // benchmark's part.
      String ha = "";
      if (Files.exists(out)) {
        String previous = Files.readString(out);
        int at = previous.indexOf("## HA stack: `./bench ha`");
        ha = at < 0 ? "" : "\n" + previous.substring(at);
      }
      Files.writeString(out, report.stripTrailing() + "\n" + ha);
      say("wrote " + out.toAbsolutePath());
      pool.close();
      return 0;
    } finally {
      say("stopping every process this run started");
      relays.forEach(r -> r.stop(Duration.ofSeconds(10)));
      gateways.forEach(g -> g.stop(Duration.ofSeconds(20)));
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      if (db != null) {
        db.close();
      }
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Phase 1: idle sessions

  /**
   * Opens the idle sessions with {@link IdleClient} processes, {@value #SESSIONS_PER_CLIENT}
   * sockets each, spread evenly over the target's nodes: one process (client or server) may hold
   * only as many sockets as its open-file limit allows. Memory per connection is the growth of heap
   * (after a full GC) and RSS summed over the nodes.
   */
  private void idle(String name, Result r, List<NodeProcess> nodes, List<Integer> ports, Path logs)
      throws Exception {
    int n = intOption("sessions", 20_000);
    r.sessionsAsked = n;
    int clients = Math.max(nodes.size(), (n + SESSIONS_PER_CLIENT - 1) / SESSIONS_PER_CLIENT);
    say(
        name
            + ": idle sessions, opening "
            + n
            + " from "
            + clients
            + " client processes over "
            + nodes.size()
            + " node(s)");
    long heap0 = 0;
    long rss0 = 0;
    for (NodeProcess node : nodes) {
      heap0 += heapUsedAfterGc(node.pid());
      rss0 += NodeProcess.rssKb(node.pid());
    }
    int openSeconds = intOption("open-seconds", 120);
    List<NodeProcess> clientProcesses = new ArrayList<>();
    List<Path> reports = new ArrayList<>();
    try {
      for (int i = 0; i < clients; i++) {
        int count = n / clients + (i < n % clients ? 1 : 0);
        Path report = work.resolve("idle-" + name + "-" + i + ".report");
        reports.add(report);
        clientProcesses.add(
            NodeProcess.start(
                "idle-" + name + "-" + i,
                IdleClient.class.getName(),
                List.of("-Xmx768m"),
                List.of(
                    String.valueOf(ports.get(i % ports.size())),
                    String.valueOf(count),
                    String.valueOf(openSeconds),
                    report.toString()),
                Map.of(),
                logs));
      }
      long[] opened = new long[2];
      waitFor(
          () -> clientProcesses.stream().allMatch(c -> lineOf(c, "OPENED ") != null || !c.alive()),
          TimeUnit.SECONDS.toMillis(openSeconds) + 30_000);
      for (NodeProcess c : clientProcesses) {
        String[] f = String.valueOf(lineOf(c, "OPENED ")).split(" ");
        if (f.length == 3) {
          opened[0] += Long.parseLong(f[1]);
          opened[1] += Long.parseLong(f[2]);
        }
      }
      say(
          name
              + ": "
              + opened[0]
              + " welcomed, "
              + opened[1]
              + " failed to connect; holding 15 s with heartbeats");
      Thread.sleep(15_000);
      long heap1 = 0;
      long rss1 = 0;
      for (NodeProcess node : nodes) {
        heap1 += heapUsedAfterGc(node.pid());
        rss1 += NodeProcess.rssKb(node.pid());
      }
      for (Path report : reports) {
        Files.writeString(report, "report");
      }
      waitFor(
          () -> clientProcesses.stream().allMatch(c -> lineOf(c, "HELD ") != null || !c.alive()),
          30_000);
      int held = 0;
      for (NodeProcess c : clientProcesses) {
        String line = lineOf(c, "HELD ");
        held += line == null ? 0 : Integer.parseInt(line.substring(5).trim());
      }
      r.sessionsHeld = held;
      r.heapPerConnection = held == 0 ? 0 : (heap1 - heap0) * 1024.0 / held;
      r.rssPerConnection = held == 0 ? 0 : (rss1 - rss0) * 1024.0 / held;
      say(
          String.format(
              Locale.ROOT,
              "%s: %d sessions held; heap %.1f KiB/conn, RSS %.1f KiB/conn",
              name,
              held,
              r.heapPerConnection / 1024,
              r.rssPerConnection / 1024));
    } finally {
      clientProcesses.forEach(c -> c.stop(Duration.ofSeconds(20)));
    }
    Thread.sleep(5_000);
  }

  /** Sockets per idle-client process (its open-file limit is 20,000 on the reference box). */
  static final int SESSIONS_PER_CLIENT = 10_000;

  /** The first line of a process's log that starts with {@code prefix}, or null. */
  private static String lineOf(NodeProcess process, String prefix) {
    try {
      for (String line : Files.readAllLines(process.log())) {
        if (line.startsWith(prefix)) {
          return line;
        }
      }
    } catch (IOException e) {
      return null;
    }
    return null;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Phase 2: latency at a fixed open-loop rate

  /** The chats of phases 2 and 3. */
  static final class Chats {
    final List<VisitorClient> visitors = new ArrayList<>();
    final List<CounselorClient> counselors = new ArrayList<>();
    final AtomicLong counselorMessagesAtVisitors = new AtomicLong();
    final ConcurrentLinkedQueue<Long> connectedLatency = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<Long> allLatency = new ConcurrentLinkedQueue<>();
    final AtomicLong delivered = new AtomicLong();
    volatile java.util.function.Consumer<JsonObject>[] counselorHooks;
    WebSocketClient client;

    /**
     * Where the forget burst's visitors connect: node B when there are two, so node A only gets the
     * notices.
     */
    int burstPort;

    void close() {
      visitors.forEach(VisitorClient::shutdown);
      counselors.forEach(CounselorClient::shutdown);
    }
  }

  @SuppressWarnings({
    "unchecked",
    "rawtypes"
  }) // counselorHooks: Java creates a generic array only as a raw one
  private Chats setupChats(
      String name, Result r, int visitorPort, int consolePort, Map<String, String> passwords)
      throws Exception {
    int chatCount = intOption("chats", 200);
    Chats chats = new Chats();
    chats.client =
        vertx.createWebSocketClient(
            new WebSocketClientOptions()
                .setMaxConnections(chatCount + 100 + intOption("forget-burst", 0)));
    chats.burstPort = visitorPort;
    chats.counselorHooks = new java.util.function.Consumer[ORGS.size()];
    ConcurrentLinkedQueue<Long> connectedLatency = chats.connectedLatency;
    ConcurrentLinkedQueue<Long> allLatency = chats.allLatency;
    AtomicLong delivered = chats.delivered;
    say(
        name
            + ": "
            + chatCount
            + " chats: intake with think time, queue with heartbeats, assignment");
    for (int i = 0; i < ORGS.size(); i++) {
      String org = ORGS.get(i);
      int index = i;
      CounselorClient c =
          new CounselorClient(
              vertx,
              chats.client,
              List.of(consolePort),
              org.replace('_', '-') + "-demo",
              passwords.getOrDefault(org, "relay"),
              true);
      c.onFrame(
          f -> {
            if ("message".equals(f.getString("type")) && "visitor".equals(f.getString("from"))) {
              String body = f.getString("body", "");
              if (body.startsWith("b:")) {
                String[] parts = body.split(":", 4);
                long lat = System.nanoTime() - Long.parseLong(parts[1]);
                allLatency.add(lat);
                if ("c".equals(parts[2])) {
                  connectedLatency.add(lat);
                }
                delivered.incrementAndGet();
              }
            }
            java.util.function.Consumer<JsonObject> hook = chats.counselorHooks[index];
            if (hook != null) {
              hook.accept(f);
            }
          });
      chats.counselors.add(c);
      await(c.start());
    }
    for (int i = 0; i < chatCount; i++) {
      VisitorClient v = new VisitorClient(vertx, chats.client, List.of(visitorPort), 0);
      String org = ORGS.get(i % ORGS.size());
      boolean[] began = {false};
      long[] heartbeat = {-1};
      v.onFrame(
          f -> {
            String type = f.getString("type");
            if ("welcome".equals(type) && !began[0]) {
              began[0] = true;
              long think = 300 + ThreadLocalRandom.current().nextLong(1200);
              vertx.setTimer(
                  think / 2,
                  t ->
                      v.run(
                          () ->
                              v.frame(
                                  new JsonObject()
                                      .put("type", "answers")
                                      .put("answers", new JsonObject()))));
              vertx.setTimer(think, t -> v.choose(org));
            } else if ("queued".equals(type) && heartbeat[0] < 0) {
              heartbeat[0] =
                  vertx.setPeriodic(
                      2_000, t -> v.run(() -> v.frame(new JsonObject().put("type", "ping"))));
            } else if ("assigned".equals(type) && heartbeat[0] >= 0) {
              vertx.cancelTimer(heartbeat[0]);
            } else if ("message".equals(type) && "counselor".equals(f.getString("from"))) {
              chats.counselorMessagesAtVisitors.incrementAndGet();
            }
          });
      chats.visitors.add(v);
      v.connect();
    }
    waitFor(() -> chats.visitors.stream().allMatch(v -> "assigned".equals(v.status())), 45_000);
    long assigned = chats.visitors.stream().filter(v -> "assigned".equals(v.status())).count();
    r.chatsAssigned = assigned;
    say(name + ": " + assigned + " chats assigned");
    return chats;
  }

  /** Figures of one latency run. */
  static final class Latency {
    int rate;
    double p50;
    double p99;
    double p999;
    double p99All;
    long samples;
    double achievedRate;
    long undelivered;
  }

  private Latency latency(String name, Chats chats, int rate, String tag) throws Exception {
    int chatCount = chats.visitors.size();
    int seconds = intOption("seconds", 15);
    int dropPercent = intOption("drop-percent", 15);
    Latency r = new Latency();
    r.rate = rate;
    chats.connectedLatency.clear();
    chats.allLatency.clear();
    chats.delivered.set(0);
    ConcurrentLinkedQueue<Long> connectedLatency = chats.connectedLatency;
    ConcurrentLinkedQueue<Long> allLatency = chats.allLatency;
    AtomicLong delivered = chats.delivered;
    say(name + ": sending " + rate + " msg/s open-loop for " + seconds + " s");
    long periodNanos = TimeUnit.SECONDS.toNanos(1) * chatCount / rate;
    int burst = "gateway".equals(name) ? intOption("forget-burst", 0) : 0;
    List<BurstVisitor> burstVisitors =
        burst > 0 ? openBurst(chats.client, chats.burstPort, burst) : List.of();
    long t0 = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
    long end = t0 + TimeUnit.SECONDS.toNanos(seconds);
    if (burst > 0) {
      // Mid-window, so the chats' messages before and after it are measured alike.
      vertx.setTimer(500 + seconds * 500L, t -> fireBurst(burstVisitors));
    }
    AtomicLong sent = new AtomicLong();
    for (int i = 0; i < chatCount; i++) {
      VisitorClient v = chats.visitors.get(i);
      if (!"assigned".equals(v.status())) {
        // Never assigned within the time limit: it cannot chat, so it does not send (reported
        // above).
        continue;
      }
      long offset = periodNanos * i / chatCount;
      scheduleSend(v, t0 + offset, periodNanos, end, 0, sent, tag);
      if (ThreadLocalRandom.current().nextInt(100) < dropPercent) {
        long at =
            2_000 + ThreadLocalRandom.current().nextLong(Math.max(1, seconds * 1000L - 5_000));
        vertx.setTimer(at, t -> v.drop());
      }
    }
    Thread.sleep(TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime()) + 200);
    waitFor(
        () ->
            delivered.get() >= sent.get()
                && chats.visitors.stream().allMatch(v -> v.unackedCount() == 0),
        intOption("drain-seconds", 60) * 1000L);
    if (burst > 0) {
      reportBurst(burstVisitors);
    }
    r.undelivered = Math.max(0, sent.get() - delivered.get());
    List<Long> connected = new ArrayList<>(connectedLatency);
    Collections.sort(connected);
    List<Long> all = new ArrayList<>(allLatency);
    Collections.sort(all);
    r.samples = connected.size();
    r.p50 = pct(connected, 50);
    r.p99 = pct(connected, 99);
    r.p999 = pct(connected, 99.9);
    r.p99All = pct(all, 99);
    r.achievedRate = delivered.get() / (double) seconds;
    long drops = chats.visitors.stream().mapToLong(v -> v.resumeNanos.size()).sum();
    say(
        String.format(
            Locale.ROOT,
            "%s: sent %d, delivered %d (%d resumes after drops); latency p50 %.1f ms, "
                + "p99 %.1f ms, p99.9 %.1f ms; p99 incl. messages written while disconnected %.1f ms",
            name,
            sent.get(),
            delivered.get(),
            drops,
            r.p50,
            r.p99,
            r.p999,
            r.p99All));
    return r;
  }

  private void scheduleSend(
      VisitorClient v, long intended, long period, long end, int k, AtomicLong sent, String tag) {
    if (intended >= end) {
      return;
    }
    // Rounded up: a timer must never fire before the intended send time.
    long delayMs = Math.max(1, (intended - System.nanoTime() + 999_999) / 1_000_000);
    vertx.setTimer(
        delayMs,
        t ->
            v.run(
                () -> {
                  // Typing burst before about a third of the messages.
                  if (ThreadLocalRandom.current().nextInt(3) == 0) {
                    v.frame(new JsonObject().put("type", "typing"));
                  }
                  String state = v.connected() ? "c" : "d";
                  v.sendOnContext(
                      tag + k,
                      "b:"
                          + intended
                          + ":"
                          + state
                          + ":"
                          + "Ik weet niet goed hoe ik dit moet zeggen, "
                          + "maar er is iets gebeurd.");
                  sent.incrementAndGet();
                  scheduleSend(v, intended + period, period, end, k + 1, sent, tag);
                }));
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Phase 3: saturation

  private void saturation(
      String name, Result r, long pid, long pgPid, Chats chats, Pool pool, boolean noDelay)
      throws Exception {
    saturation(name, r, pid, pgPid, chats, pool, noDelay, false);
  }

  private void saturation(
      String name,
      Result r,
      long pid,
      long pgPid,
      Chats chats,
      Pool pool,
      boolean noDelay,
      boolean profileOnly)
      throws Exception {
    int seconds = intOption("saturation-seconds", 10);
    int window = intOption("window", 4);
    // Long enough for the JIT to settle on both servers (sampled: a fifth of the gateway's CPU was
    // still C2
    // compilation 3 s into the phase, under a tenth after 14 s), so the figures are steady-state
    // capacity.
    int warmup = intOption("warmup-seconds", 8);
    say(
        name
            + ": saturation, window "
            + window
            + " per chat, "
            + seconds
            + " s measured after "
            + warmup
            + " s warm-up");
    AtomicLong acked = new AtomicLong();
    java.util.Set<String> ackedIds = java.util.concurrent.ConcurrentHashMap.newKeySet();
    AtomicLong inWindow = new AtomicLong();
    volatileRunning = true;
    long atVisitorsBefore = chats.counselorMessagesAtVisitors.get();
    // Unique per window: a client id used in an earlier window would be answered as a resend (not
    // stored again)
    // and the loss check counts stored rows by this prefix.
    String prefix =
        "s" + (profileOnly ? "p" : noDelay ? "b" : "a") + saturationWindows.incrementAndGet() + ".";
    java.util.concurrent.atomic.AtomicBoolean counting =
        new java.util.concurrent.atomic.AtomicBoolean();
    for (int i = 0; i < chats.counselors.size(); i++) {
      CounselorClient c = chats.counselors.get(i);
      String own = prefix + i + "-";
      AtomicLong counter = new AtomicLong();
      chats.counselorHooks[i] =
          f -> {
            if ("ack".equals(f.getString("type"))
                && f.getString("clientId", "").startsWith(prefix)
                && ackedIds.add(f.getString("conversationId") + "/" + f.getString("clientId"))) {
              acked.incrementAndGet();
              if (counting.get()) {
                inWindow.incrementAndGet();
              }
              if (volatileRunning) {
                c.sendOnContext(
                    f.getString("conversationId"), own + counter.incrementAndGet(), BODY);
              }
            }
          };
      c.run(
          () -> {
            for (String id : c.held) {
              for (int w = 0; w < window; w++) {
                c.sendOnContext(id, own + counter.incrementAndGet(), BODY);
              }
            }
          });
    }
    Thread.sleep(warmup * 1000L);
    Path jfr = work.resolve(name.replaceAll("[^a-z]", "") + ".jfr");
    if (profileOnly) {
      jcmd(pid, "JFR.start name=bench settings=profile duration=" + seconds + "s filename=" + jfr);
    }
    long cpu0 = NodeProcess.cpuMillis(pid);
    long pg0 = pgPid > 0 ? postgresCpuMillis(pgPid) : 0;
    long[] machine0 = cpuTicks();
    counting.set(true);
    long start = System.nanoTime();
    Thread.sleep(seconds * 1000L);
    counting.set(false);
    double elapsed = (System.nanoTime() - start) / 1e9;
    long cpu1 = NodeProcess.cpuMillis(pid);
    long pg1 = pgPid > 0 ? postgresCpuMillis(pgPid) : 0;
    long[] machine1 = cpuTicks();
    // Shows whether the window used every core or waited on something else (idle and iowait count
    // as not busy).
    long ticks = machine1[0] - machine0[0];
    double busy = 1 - (double) (machine1[1] - machine0[1]) / Math.max(1, ticks);
    volatileRunning = false;
    waitFor(
        () -> chats.counselors.stream().allMatch(c -> c.unackedCount() == 0),
        intOption("drain-seconds", 60) * 1000L);
    // Wait until the visitors have received what was acknowledged, so the next phase starts on a
    // quiet server.
    long expected = atVisitorsBefore + acked.get();
    waitFor(
        () -> chats.counselorMessagesAtVisitors.get() >= expected,
        intOption("drain-seconds", 60) * 1000L);
    Thread.sleep(1_000);
    long counted = inWindow.get();
    double rate = counted / elapsed;
    double cpu = (cpu1 - cpu0) * 1000.0 / Math.max(1, counted);
    double cpuDb = (cpu1 - cpu0 + pg1 - pg0) * 1000.0 / Math.max(1, counted);
    long lost;
    if (pool != null) {
      long stored =
          await(
                  pool.preparedQuery(
                          "SELECT count(*) FROM message WHERE sender = 'counselor' AND "
                              + "client_id LIKE $1")
                      .execute(io.vertx.sqlclient.Tuple.of(prefix + "%")))
              .iterator()
              .next()
              .getLong(0);
      lost = acked.get() - stored;
    } else {
      // The relay has no idempotency: a resend after a slow ack is delivered twice, so more can
      // arrive than
      // was acknowledged; only a shortfall is a loss.
      lost =
          Math.max(0, acked.get() - (chats.counselorMessagesAtVisitors.get() - atVisitorsBefore));
    }
    long unacked = chats.counselors.stream().mapToLong(CounselorClient::unackedCount).sum();
    if (profileOnly) {
      // A profiled window is not a measurement: JFR itself costs the starved process a lot of CPU.
      Thread.sleep(1_500);
      r.profile = hotFrames(jfr);
      say(name + ": profile window only, figures above not reported");
      return;
    }
    if (noDelay) {
      r.saturationRateNoDelay = rate;
      r.cpuNoDelay = cpuDb;
    } else {
      r.saturationRate = rate;
      r.saturationAcked = acked.get();
      r.saturationLost = lost;
      r.cpuMicrosPerMessage = cpu;
      r.cpuMicrosPerMessageWithDb = cpuDb;
      r.machineBusy = busy;
    }
    say(
        String.format(
            Locale.ROOT,
            "%s: %.0f msg/s acknowledged; %d acked in total, %d of them not found "
                + "(lost), %d never acked; CPU %.0f µs/msg (server process), %.0f µs/msg (with PostgreSQL); machine "
                + "%.0f%% busy",
            name,
            rate,
            acked.get(),
            lost,
            unacked,
            cpu,
            cpuDb,
            busy * 100));
    for (int i = 0; i < chats.counselorHooks.length; i++) {
      chats.counselorHooks[i] = null;
    }
  }

  private volatile boolean volatileRunning;

  /** One relay window and the gateway window right after it. */
  record Round(
      double relayRate,
      double gatewayRate,
      double relayCpu,
      double gatewayCpu,
      double gatewayCpuWithDb,
      long relayLost,
      long gatewayLost,
      double relayBusy,
      double gatewayBusy) {
    double ratio() {
      return gatewayRate / relayRate;
    }
  }

  private final List<Round> roundsRun = new ArrayList<>();
  private final AtomicInteger saturationWindows = new AtomicInteger();

  static final String BODY =
      "Dank je dat je dit vertelt. Je bent hier veilig; neem de tijd die je nodig hebt.";

  // ---------------------------------------------------------------------------------------------------------------
  // Report

  private String report(Result b, Result g, Duration took) throws IOException {
    StringBuilder s = new StringBuilder();
    s.append("# Benchmarks\n\n");
    s.append("Produced by `./bench relay` on ")
        .append(Instant.now().toString(), 0, 16)
        .append("Z, in ")
        .append(took.toMinutes())
        .append(" min ")
        .append(took.toSecondsPart())
        .append(" s. ");
    s.append(
            "Baseline: a bare Vert.x WebSocket relay (`BareRelay`: same frames, no database, no encryption, no "
                + "idempotency, no event bus) measured in the same run with the same JDK, JVM flags (`")
        .append(String.join(" ", JVM_FLAGS))
        .append(
            "`), Vert.x defaults (event-loop count) and the same "
                + "visitor-listener instance count (one per core). The idle phase runs on two gateway nodes in a Hazelcast "
                + "cluster (and two relay processes); the latency and saturation phases use gateway node A with visitors "
                + "and counselors on it, on an embedded PostgreSQL 14 with `synchronous_commit=on` (message writes "
                + "group-committed in pipelined batches).\n\n");
    s.append("## Machine\n\n").append(machine()).append("\n\n");
    s.append(
        "The load client runs on the same machine and shares its cores with the servers and PostgreSQL. The "
            + "machine is shared with other engineers' builds and test runs: the log below shows the 1-minute load "
            + "average at every step; anything above 2 means the processes measured here were waiting for a core.\n\n");
    s.append("## Scale of this run\n\n");
    s.append(
        String.format(
            Locale.ROOT,
            "- idle sessions asked: %d, opened by %d-socket client processes and spread "
                + "over %s gateway node(s) (cluster members) and as many relay processes: the hard limit on open files per "
                + "process on this box is %s, so one process cannot hold 20,000 sockets plus its own files%n",
            b.sessionsAsked,
            SESSIONS_PER_CLIENT,
            options.getOrDefault("nodes", "2"),
            hardFileLimit()));
    s.append(
        String.format(
            Locale.ROOT,
            "- latency phase: %s chats, %s msg/s visitor→counselor open-loop for %s s, "
                + "typing before a third of the messages, %s%% of visitors drop once and resume; chats go to the two help "
                + "points that are open 24/7 (csg, veilig_thuis), one counselor each%n",
            options.getOrDefault("chats", "200"),
            options.getOrDefault("rate", "1000"),
            options.getOrDefault("seconds", "15"),
            options.getOrDefault("drop-percent", "15")));
    s.append(
        String.format(
            Locale.ROOT,
            "- a second latency run at %s msg/s (below the gateway's saturation on this "
                + "box)%n",
            options.getOrDefault("low-rate", "250")));
    s.append(
        String.format(
            Locale.ROOT,
            "- saturation: counselor→visitor, window %s per chat, %s s measured after %s s "
                + "of warm-up at full load (the same for relay and gateway), in %s alternating rounds (relay, then gateway)%n%n",
            options.getOrDefault("window", "4"),
            options.getOrDefault("saturation-seconds", "10"),
            options.getOrDefault("warmup-seconds", "8"),
            options.getOrDefault("rounds", "3")));
    s.append("## Results\n\n");
    s.append("| Figure | Gateway | Bare relay | Ratio (gateway / relay) | Target |\n");
    s.append("|---|---|---|---|---|\n");
    row(s, "Concurrent idle sessions held", g.sessionsHeld, b.sessionsHeld, "%d", "≥ 20,000");
    row(
        s,
        "Heap per idle connection (KiB, after full GC)",
        g.heapPerConnection / 1024,
        b.heapPerConnection / 1024,
        "%.1f",
        "≤ 2× baseline");
    row(
        s,
        "RSS per idle connection (KiB)",
        g.rssPerConnection / 1024,
        b.rssPerConnection / 1024,
        "%.1f",
        "");
    row(s, "Chats assigned (intake, queue, take)", g.chatsAssigned, b.chatsAssigned, "%d", "");
    latencyRows(s, g.high, b.high, "≤ 50 ms");
    latencyRows(s, g.low, b.low, "");
    row(
        s,
        "Saturation: acknowledged msg/s (gateway: sealed + committed), median round",
        g.saturationRate,
        b.saturationRate,
        "%.0f",
        "≥ 0.30× baseline");
    row(
        s,
        "Messages acknowledged but missing (lost), all rounds",
        g.saturationLost,
        b.saturationLost,
        "%d",
        "0");
    row(
        s,
        "Server CPU per message (µs, server process)",
        g.cpuMicrosPerMessage,
        b.cpuMicrosPerMessage,
        "%.0f",
        "");
    row(
        s,
        "Server CPU per message (µs, incl. PostgreSQL)",
        g.cpuMicrosPerMessageWithDb,
        b.cpuMicrosPerMessage,
        "%.0f",
        "");
    s.append("\n");
    s.append(
        "Saturation rounds (relay window, then gateway window; the headline above is the median ratio):\n\n");
    s.append(
        "| Round | Relay msg/s | Gateway msg/s | Ratio | Gateway CPU µs/msg incl. PostgreSQL "
            + "| Machine busy: relay window | Machine busy: gateway window |\n");
    s.append("|---|---|---|---|---|---|---|\n");
    for (int i = 0; i < roundsRun.size(); i++) {
      Round r = roundsRun.get(i);
      s.append(
          String.format(
              Locale.ROOT,
              "| %d | %.0f | %.0f | %.2f | %.0f | %.0f%% | %.0f%% |%n",
              i + 1,
              r.relayRate(),
              r.gatewayRate(),
              r.ratio(),
              r.gatewayCpuWithDb(),
              r.relayBusy() * 100,
              r.gatewayBusy() * 100));
    }
    s.append("\n");
    s.append(
        String.format(
            Locale.ROOT,
            "Group commit A/B (gateway saturation, same run): default `commit_delay=0` "
                + "%.0f msg/s at %.0f µs CPU/msg incl. PostgreSQL; with `commit_delay=200`, `commit_siblings=4` %.0f "
                + "msg/s at %.0f µs. Either "
                + "way each ack waits for the WAL flush of its batch's commit; the gateway writes appends in pipelined "
                + "batches (one transaction for every append that arrived while the previous batch was being written), "
                + "so throughput is not capped at one fsync per message (batch sizes below).%n%n",
            g.saturationRate,
            g.cpuMicrosPerMessageWithDb,
            g.saturationRateNoDelay,
            g.cpuNoDelay));
    s.append(
            "Gateway's own persist timer (`vp_message_persist_seconds`, waiting for a batch + seal + transaction + "
                + "commit) and group-commit counters over the whole run: ")
        .append(g.persistLatency)
        .append(".\n\n");
    s.append("Latency samples at " + g.high.rate + " msg/s: gateway ")
        .append(g.high.samples)
        .append(", relay ")
        .append(b.high.samples)
        .append(
            ". Latency is measured from the intended send time of an open-loop schedule (a late timer counts "
                + "against the server), to the moment the counselor client receives the frame. The headline rows count "
                + "messages written while the visitor was connected; messages written during a drop wait for the "
                + "reconnect and are shown in the \"incl.\" row.\n\n");
    s.append(
            "## Where the gateway spends its CPU at saturation\n\nJFR execution samples of the gateway process "
                + "during an extra saturation window after all measurements (its figures are not used: the recording itself "
                + "slows the gateway down on this box) (top frames; `app` = first frame in our own code):\n\n```\n")
        .append(g.profile)
        .append("```\n\n");
    s.append("## Log of this run\n\n```\n");
    log.forEach(l -> s.append(l).append('\n'));
    s.append("```\n\n");
    s.append(
        "## Reproduce\n\n```\n./bench relay                       # defaults as above\n"
            + "./bench relay --sessions=5000 --seconds=10   # smaller\n```\n");
    return s.toString();
  }

  private static void latencyRows(StringBuilder s, Latency g, Latency b, String target) {
    String at = " at " + g.rate + " msg/s";
    row(s, "Visitor→counselor latency p50" + at + " (ms)", g.p50, b.p50, "%.1f", "");
    row(s, "Visitor→counselor latency p99" + at + " (ms)", g.p99, b.p99, "%.1f", target);
    row(s, "Visitor→counselor latency p99.9" + at + " (ms)", g.p999, b.p999, "%.1f", "");
    row(
        s,
        "Latency p99" + at + " incl. messages written while disconnected (ms)",
        g.p99All,
        b.p99All,
        "%.1f",
        "");
    row(
        s,
        "Delivered msg/s in that phase (offered " + g.rate + ")",
        g.achievedRate,
        b.achievedRate,
        "%.0f",
        "");
    row(s, "Not delivered within the drain time" + at, g.undelivered, b.undelivered, "%d", "");
  }

  private static void row(
      StringBuilder s, String name, double g, double b, String format, String target) {
    String ratio = b == 0 ? "n/a" : String.format(Locale.ROOT, "%.2f", g / b);
    s.append("| ")
        .append(name)
        .append(" | ")
        .append(fmt(format, g))
        .append(" | ")
        .append(fmt(format, b))
        .append(" | ")
        .append(ratio)
        .append(" | ")
        .append(target)
        .append(" |\n");
  }

  private static String fmt(String format, double v) {
    return "%d".equals(format) ? String.valueOf((long) v) : String.format(Locale.ROOT, format, v);
  }

  private static String machine() throws IOException {
    String model = "unknown";
    int cpus = 0;
    for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
      if (line.startsWith("model name")) {
        model = line.substring(line.indexOf(':') + 1).trim();
        cpus++;
      }
    }
    String mem = Files.readAllLines(Path.of("/proc/meminfo")).get(0).replaceAll("\\s+", " ");
    String kernel = Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim();
    return "- CPU: "
        + model
        + ", "
        + cpus
        + " logical cores ("
        + Runtime.getRuntime().availableProcessors()
        + " available to the JVM)\n- "
        + mem
        + "\n- Linux "
        + kernel
        + "\n- JDK: "
        + System.getProperty("java.vm.name")
        + " "
        + System.getProperty("java.runtime.version")
        + "\n- Vert.x 5.0.10, PostgreSQL 14 (zonky embedded)";
  }

  private static String hardFileLimit() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
        if (line.startsWith("Max open files")) {
          return line.trim().split("\\s+")[4];
        }
      }
    } catch (IOException e) {
      return "unknown";
    }
    return "unknown";
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Issue 25: a stall under a lock (--fill-keys, --forget-burst)

  /**
   * Routes {@code n} conversations on the gateway (hello, choose, bye; 30 at a time, below the
   * queue caps) so that its per-process data-key cache holds {@code n} keys, as a node's does after
   * serving that many chats.
   */
  private void fillKeyCache(int port, int n) throws Exception {
    say(
        "gateway: routing "
            + n
            + " conversations (hello, choose, bye) so its data-key cache holds "
            + n
            + " keys");
    WebSocketClient client =
        vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(64));
    AtomicInteger next = new AtomicInteger();
    AtomicInteger routed = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    AtomicInteger finished = new AtomicInteger();
    int workers = 30;
    long started = System.nanoTime();
    for (int w = 0; w < workers; w++) {
      String org = ORGS.get(w % ORGS.size());
      vertx.runOnContext(v -> fillLoop(client, port, org, n, next, routed, failed, finished));
    }
    waitFor(() -> finished.get() == workers, 600_000);
    client.close();
    say(
        String.format(
            Locale.ROOT,
            "gateway: %d conversations routed, %d failed, in %.1f s",
            routed.get(),
            failed.get(),
            (System.nanoTime() - started) / 1e9));
  }

  private void fillLoop(
      WebSocketClient client,
      int port,
      String org,
      int n,
      AtomicInteger next,
      AtomicInteger routed,
      AtomicInteger failed,
      AtomicInteger finished) {
    if (next.getAndIncrement() >= n) {
      finished.incrementAndGet();
      return;
    }
    routeAndLeave(client, port, org)
        .onComplete(
            ar -> {
              (ar.succeeded() ? routed : failed).incrementAndGet();
              fillLoop(client, port, org, n, next, routed, failed, finished);
            });
  }

  /** One visitor: hello, choose the help point, and once queued leave with 'bye'. */
  private Future<Void> routeAndLeave(WebSocketClient client, int port, String org) {
    Promise<Void> done = Promise.promise();
    long timer = vertx.setTimer(20_000, t -> done.tryFail("timeout"));
    client
        .connect(
            new WebSocketConnectOptions()
                .setHost("127.0.0.1")
                .setPort(port)
                .setURI("/ws")
                .addHeader("Origin", "http://127.0.0.1:" + port)
                .setTimeout(5_000))
        .onComplete(
            ar -> {
              if (ar.failed()) {
                done.tryFail(ar.cause());
                return;
              }
              WebSocket ws = ar.result();
              ws.exceptionHandler(e -> done.tryFail(e));
              ws.closeHandler(v -> done.tryFail("closed"));
              ws.textMessageHandler(
                  text -> {
                    String type = new JsonObject(text).getString("type", "");
                    switch (type) {
                      case "welcome" ->
                          ws.writeTextMessage(
                              new JsonObject()
                                  .put("type", "choose")
                                  .put("helpPoint", org)
                                  .encode());
                      case "queued", "assigned" ->
                          ws.writeTextMessage(new JsonObject().put("type", "bye").encode());
                      case "closed" -> {
                        done.tryComplete();
                        ws.close();
                      }
                      case "error", "unavailable" -> {
                        done.tryFail(type);
                        ws.close();
                      }
                      default -> {}
                    }
                  });
              ws.writeTextMessage(new JsonObject().put("type", "hello").put("v", 1).encode());
            });
    return done.future().andThen(ar -> vertx.cancelTimer(timer));
  }

  /** A visitor socket held open (hello done) until the burst asks it to delete its conversation. */
  static final class BurstVisitor {
    WebSocket socket;
    final Promise<Void> welcomed = Promise.promise();
    final Promise<Long> deleted = Promise.promise();
    volatile long askedAt;
  }

  /** Opens {@code k} visitor sockets (hello only) before the window starts. */
  private List<BurstVisitor> openBurst(WebSocketClient client, int port, int k) throws Exception {
    List<BurstVisitor> out = new ArrayList<>();
    List<Future<Void>> ready = new ArrayList<>();
    for (int i = 0; i < k; i++) {
      BurstVisitor b = new BurstVisitor();
      out.add(b);
      ready.add(b.welcomed.future());
      client
          .connect(
              new WebSocketConnectOptions()
                  .setHost("127.0.0.1")
                  .setPort(port)
                  .setURI("/ws")
                  .addHeader("Origin", "http://127.0.0.1:" + port)
                  .setTimeout(10_000))
          .onComplete(
              ar -> {
                if (ar.failed()) {
                  b.welcomed.tryFail(ar.cause());
                  return;
                }
                b.socket = ar.result();
                b.socket.exceptionHandler(e -> {});
                b.socket.textMessageHandler(
                    text -> {
                      String type = new JsonObject(text).getString("type", "");
                      if ("welcome".equals(type)) {
                        b.welcomed.tryComplete();
                      } else if ("deleted".equals(type)) {
                        b.deleted.tryComplete(System.nanoTime() - b.askedAt);
                      } else if ("error".equals(type)) {
                        b.welcomed.tryFail(text);
                        b.deleted.tryFail(text);
                      }
                    });
                b.socket.writeTextMessage(
                    new JsonObject().put("type", "hello").put("v", 1).encode());
              });
    }
    waitFor(() -> ready.stream().allMatch(Future::isComplete), 60_000);
    long welcomed = ready.stream().filter(Future::succeeded).count();
    say(
        "gateway: "
            + welcomed
            + " of "
            + k
            + " burst visitors ready to delete their conversation mid-window");
    return out;
  }

  /**
   * Every burst visitor asks to delete its conversation at once. Each deletion makes every node
   * forget the conversation's cached data key ({@code TranscriptService.forget}, from the visitor's
   * request and from the shred notice), exactly what a retention run's shred notices do.
   */
  private void fireBurst(List<BurstVisitor> burst) {
    say("gateway: forget burst, " + burst.size() + " deletions at once");
    for (BurstVisitor b : burst) {
      if (b.socket != null && b.welcomed.future().succeeded()) {
        b.askedAt = System.nanoTime();
        b.socket.writeTextMessage(new JsonObject().put("type", "delete").encode());
      } else {
        b.deleted.tryFail("not ready");
      }
    }
  }

  private void reportBurst(List<BurstVisitor> burst) throws InterruptedException {
    waitFor(() -> burst.stream().allMatch(b -> b.deleted.future().isComplete()), 60_000);
    List<Long> times = new ArrayList<>();
    for (BurstVisitor b : burst) {
      if (b.deleted.future().succeeded()) {
        times.add(b.deleted.future().result());
      }
      if (b.socket != null) {
        b.socket.close();
      }
    }
    Collections.sort(times);
    say(
        String.format(
            Locale.ROOT,
            "gateway: forget burst: %d of %d deleted; answer p50 %.1f ms, max %.1f ms",
            times.size(),
            burst.size(),
            pct(times, 50),
            times.isEmpty() ? 0 : times.get(times.size() - 1) / 1e6));
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Helpers

  private void say(String line) {
    String load;
    try {
      load = Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (IOException e) {
      load = "?";
    }
    String stamped =
        String.format(
            Locale.ROOT, "[%s load %s] %s", Instant.now().toString().substring(11, 19), load, line);
    log.add(stamped);
    System.out.println(stamped);
  }

  /**
   * Mean seal + store + commit time from the gateway's own /metrics (on its loopback management
   * listener).
   */
  static String persistFigures(int managementPort) {
    try {
      String text = NodeProcess.get("http://127.0.0.1:" + managementPort + "/metrics").body();
      double sum = 0;
      double count = 0;
      double batches = 0;
      double items = 0;
      for (String line : text.split("\n")) {
        if (line.startsWith("vp_message_batches_total")) {
          batches = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        } else if (line.startsWith("vp_message_batch_items_total")) {
          items = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
        if (line.startsWith("vp_message_persist_seconds_sum")) {
          sum = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        } else if (line.startsWith("vp_message_persist_seconds_count")) {
          count = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
      }
      return String.format(
          Locale.ROOT,
          "%.0f appends, mean %.1f ms; %.0f batches (transactions), mean batch size " + "%.1f",
          count,
          count == 0 ? 0 : sum / count * 1000,
          batches,
          batches == 0 ? 0 : items / batches);
    } catch (Exception e) {
      return "unavailable";
    }
  }

  /** Counts leaf frames and first own-code frames of JFR execution samples. */
  static String hotFrames(Path jfr) {
    try {
      Path tool = Path.of(System.getProperty("java.home"), "bin", "jfr");
      Process p =
          new ProcessBuilder(
                  tool.toString(),
                  "print",
                  "--events",
                  "jdk.ExecutionSample",
                  "--stack-depth",
                  "64",
                  jfr.toString())
              .redirectErrorStream(true)
              .start();
      Map<String, Integer> leaf = new HashMap<>();
      Map<String, Integer> own = new HashMap<>();
      int samples = 0;
      boolean inStack = false;
      boolean first = false;
      boolean ownSeen = false;
      try (var reader =
          new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream()))) {
        String line;
        while ((line = reader.readLine()) != null) {
          String t = line.trim();
          if (t.startsWith("stackTrace = [")) {
            inStack = true;
            first = true;
            ownSeen = false;
            samples++;
            continue;
          }
          if (inStack && t.startsWith("]")) {
            inStack = false;
            continue;
          }
          if (inStack && !t.isEmpty() && !t.startsWith("...")) {
            String frame = t.replaceAll("\\s+line:.*", "");
            if (first) {
              leaf.merge(frame, 1, Integer::sum);
              first = false;
            }
            if (!ownSeen && frame.startsWith("nl.veiligpraten")) {
              own.merge(frame, 1, Integer::sum);
              ownSeen = true;
            }
          }
        }
      }
      p.waitFor(60, TimeUnit.SECONDS);
      StringBuilder out = new StringBuilder(samples + " samples\n-- leaf frames\n");
      int total = Math.max(1, samples);
      leaf.entrySet().stream()
          .sorted((a, b) -> b.getValue() - a.getValue())
          .limit(15)
          .forEach(
              e ->
                  out.append(
                      String.format(
                          Locale.ROOT, "%5.1f%%  %s%n", 100.0 * e.getValue() / total, e.getKey())));
      out.append("-- app: first frame in nl.veiligpraten\n");
      own.entrySet().stream()
          .sorted((a, b) -> b.getValue() - a.getValue())
          .limit(15)
          .forEach(
              e ->
                  out.append(
                      String.format(
                          Locale.ROOT, "%5.1f%%  %s%n", 100.0 * e.getValue() / total, e.getKey())));
      return out.toString();
    } catch (Exception e) {
      return "profile unavailable: " + e + "\n";
    }
  }

  static double pct(List<Long> sorted, double p) {
    if (sorted.isEmpty()) {
      return 0;
    }
    int index = (int) Math.ceil(sorted.size() * p / 100.0) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index))) / 1e6;
  }

  /** Heap in use after a full GC, in kB, via jcmd (same JDK). */
  static long heapUsedAfterGc(long pid) throws Exception {
    jcmd(pid, "GC.run");
    String info = jcmd(pid, "GC.heap_info");
    Matcher m = Pattern.compile("used (\\d+)K").matcher(info);
    return m.find() ? Long.parseLong(m.group(1)) : 0;
  }

  static String jcmd(long pid, String command) throws Exception {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    Process p =
        new ProcessBuilder(jcmd.toString(), String.valueOf(pid), command)
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
    }
    return out;
  }

  static long postmasterPid(Path dataDir) {
    try {
      return Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** CPU of the postmaster and all its children (the backends), from /proc. */
  static long postgresCpuMillis(long postmaster) {
    long total = NodeProcess.cpuMillis(postmaster);
    try (var dirs = Files.list(Path.of("/proc"))) {
      for (Path p : (Iterable<Path>) dirs::iterator) {
        String name = p.getFileName().toString();
        if (!name.chars().allMatch(Character::isDigit)) {
          continue;
        }
        try {
          String stat = Files.readString(p.resolve("stat"));
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          if (Long.parseLong(f[1]) == postmaster) {
            total += NodeProcess.cpuMillis(Long.parseLong(name));
          }
        } catch (IOException | RuntimeException e) {
          // The process ended meanwhile.
        }
      }
    } catch (IOException e) {
      return total;
    }
    return total;
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  /**
   * Waits (at most {@code maxSeconds}) until the machine's CPUs are at least 75% idle for 3 seconds
   * in a row.
   */
  private void waitForQuietMachine(int maxSeconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(maxSeconds);
    int quiet = 0;
    long[] before = cpuTicks();
    while (quiet < 3 && System.nanoTime() < deadline) {
      Thread.sleep(1_000);
      long[] now = cpuTicks();
      long total = now[0] - before[0];
      long idle = now[1] - before[1];
      before = now;
      quiet = total > 0 && idle * 4 >= total * 3 ? quiet + 1 : 0;
    }
    say("machine quiet (or " + maxSeconds + " s passed); continuing");
  }

  /** Total and idle jiffies of all CPUs, from /proc/stat. */
  private static long[] cpuTicks() {
    try {
      String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long total = 0;
      for (int i = 1; i < f.length; i++) {
        total += Long.parseLong(f[i]);
      }
      return new long[] {total, Long.parseLong(f[4]) + Long.parseLong(f[5])};
    } catch (IOException | RuntimeException e) {
      return new long[] {0, 0};
    }
  }

  static void waitFor(BooleanSupplier condition, long maxMillis) throws InterruptedException {
    long deadline = System.currentTimeMillis() + maxMillis;
    while (!condition.getAsBoolean() && System.currentTimeMillis() < deadline) {
      Thread.sleep(50);
    }
  }

  static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var walk = Files.walk(dir)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
