package nl.veiligpraten.app;

import static nl.veiligpraten.app.ConsoleFixtures.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName(
    "Assignment under load: 200 visitors on 3 help points (2 organisations), 10 counselors with capacity 3")
class AssignmentConcurrencyIT {

  @TempDir static Path dataDir;
  @TempDir static Path configDir;
  static Vertx client;
  static RunningApp app;
  static WebClient web;

  /**
   * Its own service rather than the shared one: this test measures assignment under load, not the
   * queue caps of issue 17, so its help points get caps above the load (the shipped caps would
   * refuse part of the 200 visitors as "full" while every counselor is busy).
   */
  @BeforeAll
  static void startService() throws Exception {
    String shipped;
    try (var in = AssignmentConcurrencyIT.class.getResourceAsStream("/config/help-points.yaml")) {
      shipped = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    String raised = shipped.replaceAll("(?m)^(\\s*queueCap:)\\s*\\d+", "$1 " + VISITORS);
    if (raised.equals(shipped)) {
      throw new IllegalStateException("help-points.yaml has no queueCap to raise");
    }
    java.nio.file.Files.writeString(configDir.resolve("help-points.yaml"), raised);
    client = Vertx.vertx();
    web = WebClient.create(client);
    app = TestApp.start(AppSettings.forTest(dataDir).withConfigDir(configDir));
  }

  @AfterAll
  static void stopService() throws Exception {
    if (app != null) {
      app.stopBlocking();
    }
    client.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static final int VISITORS = 200;
  private static final int CAPACITY = 3;
  // Help points open 24/7 (others answer "unavailable" out of hours): csg, and veilig_thuis +
  // triage (both staffed
  // by veilig_thuis). 4 + 6 = 10 counselors.
  private static final Map<String, Integer> COUNSELORS = Map.of("csg", 4, "veilig_thuis", 6);

  /**
   * A counselor client: sets itself available, closes every chat it gets after a short random time.
   */
  static final class Bot {
    final String org;
    final long staffId;
    final Set<UUID> got = ConcurrentHashMap.newKeySet();
    final AtomicInteger held = new AtomicInteger();
    final AtomicInteger maxHeld = new AtomicInteger();
    final List<String> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
    WebSocket socket;

    /**
     * Held for the bot's lifetime: Vert.x closes a client, and its sockets, once it is garbage
     * collected.
     */
    io.vertx.core.http.WebSocketClient wsClient;

    Bot(String org, long staffId) {
      this.org = org;
      this.staffId = staffId;
    }

    void onFrame(JsonObject f) {
      String type = f.getString("type");
      if ("assigned".equals(type) && !f.getBoolean("observer", false)) {
        UUID id = UUID.fromString(f.getString("conversationId"));
        if (got.add(id)) {
          maxHeld.accumulateAndGet(held.incrementAndGet(), Math::max);
          client.setTimer(
              ThreadLocalRandom.current().nextInt(5, 60),
              t -> {
                held.decrementAndGet();
                socket.writeTextMessage(
                    new JsonObject()
                        .put("type", "close")
                        .put("conversationId", id.toString())
                        .put("outcome", "listened")
                        .encode());
              });
        }
      } else if ("error".equals(type)) {
        errors.add(f.getString("code"));
      }
    }
  }

  static JsonObject answers(String helpPoint, int i) {
    boolean urgent = i % 4 == 0;
    if ("csg".equals(helpPoint)) {
      return urgent
          ? new JsonObject().put("Q3", "today").put("Q4", new JsonArray().add("physical"))
          : null;
    }
    if ("veilig_thuis".equals(helpPoint)) {
      return urgent
          ? new JsonObject().put("Q5", "home").put("Q3", "ongoing").put("Q2", "12-15")
          : new JsonObject().put("Q5", "home");
    }
    return urgent
        ? new JsonObject().put("Q3", "today").put("Q4", new JsonArray().add("physical"))
        : null;
  }

  @Test
  @DisplayName(
      "every chat is assigned exactly once, none is lost, capacity is never exceeded, and chats are "
          + "served by priority then waiting time")
  void twoHundredVisitors() throws Exception {
    List<Bot> bots = new ArrayList<>();
    int n = 0;
    for (Map.Entry<String, Integer> e : COUNSELORS.entrySet()) {
      for (int i = 0; i < e.getValue(); i++) {
        String user = "load-" + e.getKey().replace('_', '-') + "-" + i;
        var staff =
            ConsoleFixtures.createStaff(
                app, e.getKey(), user, "counselor", "password-" + (n++), CAPACITY);
        ConsoleFixtures.Login login =
            ConsoleFixtures.login(web, app, user, "password-" + (n - 1), null);
        Bot bot = new Bot(e.getKey(), staff.id());
        bot.wsClient = client.createWebSocketClient();
        bot.socket =
            await(
                bot.wsClient
                    .connect(
                        new WebSocketConnectOptions()
                            .setHost("127.0.0.1")
                            .setPort(app.consolePort())
                            .setURI("/ws")
                            .addHeader("Origin", ConsoleFixtures.origin(app))
                            .addHeader("Cookie", login.cookie()))
                    .map(
                        ws -> {
                          bot.socket = ws;
                          ws.textMessageHandler(text -> bot.onFrame(new JsonObject(text)));
                          return ws;
                        }));
        bot.socket.writeTextMessage(
            new JsonObject().put("type", "status").put("status", "available").encode());
        bots.add(bot);
      }
    }

    String[] helpPoints = {"csg", "veilig_thuis", "triage"};
    ExecutorService pool = Executors.newFixedThreadPool(40);
    long start = System.nanoTime();
    List<CompletableFuture<ConsoleFixtures.Visitor>> futures = new ArrayList<>();
    for (int i = 0; i < VISITORS; i++) {
      int k = i;
      futures.add(
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  String hp = helpPoints[k % 3];
                  return ConsoleFixtures.queuedVisitor(client, app, hp, answers(hp, k / 3));
                } catch (Exception ex) {
                  throw new IllegalStateException(ex);
                }
              },
              pool));
    }
    List<UUID> ids = new ArrayList<>();
    for (CompletableFuture<ConsoleFixtures.Visitor> f : futures) {
      ids.add(f.get(120, TimeUnit.SECONDS).conversationId());
    }
    long queuedMs = (System.nanoTime() - start) / 1_000_000;
    pool.shutdown();

    UUID[] idArray = ids.toArray(new UUID[0]);
    long deadline = System.currentTimeMillis() + 90_000;
    long closed = 0;
    while (System.currentTimeMillis() < deadline) {
      closed =
          await(
                  app.pool()
                      .preparedQuery(
                          "SELECT count(*) FROM conversation WHERE id = ANY($1) "
                              + "AND status = 'closed'")
                      .execute(Tuple.tuple().addArrayOfUUID(idArray)))
              .iterator()
              .next()
              .getLong(0);
      if (closed == VISITORS) {
        break;
      }
      Thread.sleep(200);
    }
    long drainedMs = (System.nanoTime() - start) / 1_000_000;
    assertEquals(VISITORS, closed, "every chat was assigned and closed (none lost)");

    // Exactly one assignment per chat, to a counselor of the chat's own organisation.
    Map<UUID, Integer> perChat = new HashMap<>();
    for (Row r :
        await(
            app.pool()
                .preparedQuery(
                    "SELECT a.conversation_id, a.org_id, u.org_id AS staff_org, "
                        + "c.org_id AS conv_org, c.outcome FROM assignment a JOIN staff_user u ON u.id = a.staff_id "
                        + "JOIN conversation c ON c.id = a.conversation_id WHERE a.conversation_id = ANY($1)")
                .execute(Tuple.tuple().addArrayOfUUID(idArray)))) {
      perChat.merge(r.getUUID("conversation_id"), 1, Integer::sum);
      assertEquals(r.getString("conv_org"), r.getString("staff_org"));
      assertEquals("listened", r.getString("outcome"));
    }
    assertEquals(VISITORS, perChat.size());
    assertTrue(
        perChat.values().stream().allMatch(c -> c == 1), "no chat was assigned twice: " + perChat);
    Set<UUID> seenByBots = new java.util.HashSet<>();
    int total = 0;
    for (Bot b : bots) {
      total += b.got.size();
      seenByBots.addAll(b.got);
      assertTrue(b.maxHeld.get() <= CAPACITY, "bot held " + b.maxHeld.get());
      assertTrue(b.errors.isEmpty(), "bot errors " + b.errors);
    }
    assertEquals(VISITORS, total, "each chat reached exactly one counselor");
    assertEquals(VISITORS, seenByBots.size());

    // Capacity in the database: at no assignment did the counselor hold more than CAPACITY open
    // chats.
    long maxConcurrent =
        await(
                app.pool()
                    .preparedQuery(
                        "SELECT coalesce(max((SELECT count(*) FROM assignment b "
                            + "JOIN conversation c ON c.id = b.conversation_id WHERE b.staff_id = a.staff_id "
                            + "AND b.assigned_at <= a.assigned_at AND c.closed_at > a.assigned_at)), 0) FROM assignment a "
                            + "WHERE a.conversation_id = ANY($1)")
                    .execute(Tuple.tuple().addArrayOfUUID(idArray)))
            .iterator()
            .next()
            .getLong(0);
    assertTrue(maxConcurrent <= CAPACITY, "max concurrent chats per counselor " + maxConcurrent);

    // Ordering: within an organisation, a chat that was already waiting (by a margin of one second,
    // so commit
    // races do not count) when another was assigned must not come before it in (priority, waiting
    // time) order.
    record A(
        long seq, String org, int priority, OffsetDateTime queuedAt, OffsetDateTime assignedAt) {}
    List<A> log = new ArrayList<>();
    for (Row r :
        await(
            app.pool()
                .preparedQuery(
                    "SELECT id, org_id, priority, queued_at, assigned_at FROM assignment "
                        + "WHERE conversation_id = ANY($1) ORDER BY id")
                .execute(Tuple.tuple().addArrayOfUUID(idArray)))) {
      log.add(
          new A(
              r.getLong("id"),
              r.getString("org_id"),
              r.getShort("priority"),
              r.getOffsetDateTime("queued_at"),
              r.getOffsetDateTime("assigned_at")));
    }
    Map<Integer, Integer> priorities = new HashMap<>();
    log.forEach(a -> priorities.merge(a.priority(), 1, Integer::sum));
    assertTrue(priorities.size() >= 2, "the load mixes priorities: " + priorities);
    long pairs = 0;
    for (int i = 0; i < log.size(); i++) {
      A a = log.get(i);
      for (int j = i + 1; j < log.size(); j++) {
        A b = log.get(j);
        if (!a.org().equals(b.org()) || !b.queuedAt().isBefore(a.assignedAt().minusSeconds(1))) {
          continue;
        }
        pairs++;
        boolean bFirst =
            b.priority() < a.priority()
                || (b.priority() == a.priority() && b.queuedAt().isBefore(a.queuedAt()));
        assertTrue(!bFirst, "served out of order: " + a + " before " + b);
      }
    }
    System.out.printf(
        "assignment load: %d visitors queued in %d ms, all served and closed after %d ms; "
            + "priorities %s; %d ordered pairs checked; max concurrent per counselor %d; per counselor %s%n",
        VISITORS,
        queuedMs,
        drainedMs,
        priorities,
        pairs,
        maxConcurrent,
        bots.stream().map(b -> b.org + ":" + b.got.size()).toList());
    assertTrue(pairs > 0, "the ordering check compared at least one pair");
    bots.forEach(b -> b.socket.close());
  }
}
