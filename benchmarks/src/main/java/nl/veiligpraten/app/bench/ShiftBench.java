package nl.veiligpraten.app.bench;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import nl.veiligpraten.app.AppSettings;
import nl.veiligpraten.app.Launcher;
import nl.veiligpraten.app.RunningApp;
import nl.veiligpraten.infra.web.Secrets;
import nl.veiligpraten.staff.PasswordHasher;
import nl.veiligpraten.staff.StaffRepository;

/**
 * {@code ./bench shift}: a day at one organisation (CSG), compressed in time, on the real service
 * (embedded PostgreSQL, real visitor and console WebSockets, the real auto-assigner and target
 * watch). Visitors arrive by a Poisson process whose rate follows a day profile with a lunch and an
 * evening peak, at P0..P3; they give up after an exponential patience. Counselors log in and out by
 * a roster; one of them, in the afternoon, never answers. A supervisor console collects the alerts.
 *
 * <p>Printed per priority: wait p50/p90 (queued → assigned, in simulated minutes), share abandoned,
 * chats that waited past their target without a supervisor alert, unanswered assignments moved on,
 * and the median absolute error of the estimate shown on entry against the real wait, next to the
 * old estimate (position × 120 simulated seconds) computed on the same run; their ratio is the
 * headline.
 *
 * <p>Arguments: {@code [--hour-seconds=10] [--seed=17] [--out=FILE]}. One simulated hour lasts
 * {@code hour-seconds} real seconds (default 7: a day in 2.8 minutes); targets in the bench's
 * help-points.yaml are scaled the same way but never below 3 real seconds, because the target watch
 * looks every 0.5 s.
 */
public final class ShiftBench {

  /** Arrivals per simulated hour, 00:00..23:00 (quiet night, lunch peak, evening peak). */
  private static final double[] ARRIVALS_PER_HOUR = {
    3, 2, 2, 1, 1, 1, 2, 4, 6, 7, 7, 8, 10, 9, 7, 7, 8, 9, 11, 13, 15, 14, 10, 6
  };

  /** Counselors present per simulated hour (capacity 2 each). */
  private static final int[] ROSTER = {
    1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 2, 2, 2, 3, 3, 4, 4, 4, 3, 2
  };

  /** Simulated hours in which the counselor who never answers is logged in. */
  private static final int SILENT_FROM = 13;

  private static final int SILENT_TO = 17;
  private static final double MEAN_HANDLING_MINUTES = 20;
  private static final double[] PATIENCE_MINUTES = {10, 25, 40, 60};

  /** Simulated first-response targets in seconds per priority (help-points.yaml of CSG). */
  private static final int[] TARGET_SECONDS = {30, 60, 600, 1800};

  private static final int OLD_SECONDS_PER_PLACE = 120;

  /**
   * Real seconds a scaled target is at least: the target watch looks every 0.5 s and alerts at 80%.
   */
  private static final int MIN_TARGET_SECONDS = 6;

  private final double hourSeconds;
  private final double scale;
  private final Random random;
  private final Vertx vertx = Vertx.vertx();
  private RunningApp app;
  private final List<Chat> chats = Collections.synchronizedList(new ArrayList<>());
  private final Map<UUID, Long> alertedAt = new ConcurrentHashMap<>();
  private final Set<Long> silentStaff = ConcurrentHashMap.newKeySet();
  private final long startNanos = System.nanoTime();
  private final int[] realTargetMillis = new int[4];

  /** One visitor's life. */
  static final class Chat {
    final int kind;
    final double patienceMinutes;
    volatile UUID id;
    volatile int priority = -1;
    volatile long queuedAt;
    volatile long assignedAt;
    volatile long firstReplyAt;
    volatile Integer shownEstimate;
    volatile long shownPosition;
    volatile boolean estimateShown;
    volatile boolean abandoned;
    volatile long abandonedAt;
    volatile boolean done;
    WebSocket socket;

    Chat(int kind, double patienceMinutes) {
      this.kind = kind;
      this.patienceMinutes = patienceMinutes;
    }
  }

  private ShiftBench(double hourSeconds, long seed) {
    this.hourSeconds = hourSeconds;
    this.scale = hourSeconds / 3600.0;
    this.random = new Random(seed);
    for (int p = 0; p < 4; p++) {
      realTargetMillis[p] =
          1000 * (int) Math.max(MIN_TARGET_SECONDS, Math.ceil(TARGET_SECONDS[p] * scale));
    }
  }

  public static void main(String[] args) throws Exception {
    double hourSeconds = 10;
    long seed = 17;
    String out = null;
    for (String a : args) {
      if (a.startsWith("--hour-seconds=")) {
        hourSeconds = Double.parseDouble(a.substring(15));
      } else if (a.startsWith("--seed=")) {
        seed = Long.parseLong(a.substring(7));
      } else if (a.startsWith("--out=")) {
        out = a.substring(6);
      } else if (!"shift".equals(a)) {
        throw new IllegalArgumentException(
            "unknown option " + a + " (known: --hour-seconds=, --seed=, --out=)");
      }
    }
    ShiftBench bench = new ShiftBench(hourSeconds, seed);
    try {
      String report = bench.run();
      System.out.println(report);
      if (out != null) {
        Files.writeString(Path.of(out), report);
      }
    } finally {
      bench.stop();
    }
    System.exit(0);
  }

  private long now() {
    return System.nanoTime() - startNanos;
  }

  private double simMinutes(long nanos) {
    return nanos / 1e9 / scale / 60.0;
  }

  private String run() throws Exception {
    Path dir = Files.createTempDirectory("vp-shift");
    Path config = Files.createDirectories(dir.resolve("config"));
    Files.writeString(config.resolve("help-points.yaml"), benchHelpPoints());
    app =
        Launcher.start(
                AppSettings.forTest(dir.resolve("data"))
                    .withConfigDir(config)
                    .withQueueGraceSeconds(5))
            .toCompletionStage()
            .toCompletableFuture()
            .get(180, TimeUnit.SECONDS);
    StaffRepository staff = new StaffRepository(app.pool());
    String hash = PasswordHasher.hash("shift-bench-password");
    List<Long> counselorIds = new ArrayList<>();
    List<String> counselorNames = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      String name = "shift-c" + i;
      long id = await(staff.createUser("csg", name, "Shift " + i, "counselor", hash)).id();
      await(
          app.pool()
              .preparedQuery("UPDATE staff_user SET capacity = 2 WHERE id = $1")
              .execute(Tuple.of(id)));
      counselorIds.add(id);
      counselorNames.add(name);
    }
    long silentId =
        await(staff.createUser("csg", "shift-silent", "Shift stil", "counselor", hash)).id();
    await(
        app.pool()
            .preparedQuery("UPDATE staff_user SET capacity = 2 WHERE id = $1")
            .execute(Tuple.of(silentId)));
    silentStaff.add(silentId);
    await(staff.createUser("csg", "shift-sup", "Shift supervisor", "supervisor", hash));
    WebSocket supervisor = console("shift-sup", null);
    supervisor.textMessageHandler(
        text -> {
          JsonObject f = new JsonObject(text);
          if ("alert".equals(f.getString("type")) && "target".equals(f.getString("kind"))) {
            alertedAt.putIfAbsent(UUID.fromString(f.getString("conversationId")), now());
          }
        });

    Map<Integer, WebSocket> online = new HashMap<>();
    WebSocket silent = null;
    long hourNanos = (long) (hourSeconds * 1e9);
    for (int hour = 0; hour < 24; hour++) {
      // Roster change at the start of the hour: log in or out to reach the planned number.
      int want = ROSTER[hour];
      for (int i = 0; i < counselorNames.size(); i++) {
        if (i < want && !online.containsKey(i)) {
          online.put(i, console(counselorNames.get(i), this::answering));
        } else if (i >= want && online.containsKey(i)) {
          online.remove(i).close();
        }
      }
      if (hour == SILENT_FROM) {
        silent = console("shift-silent", null);
      } else if (hour == SILENT_TO && silent != null) {
        silent.close();
        silent = null;
      }
      long hourEnd = (hour + 1) * hourNanos;
      double rate = ARRIVALS_PER_HOUR[hour] / hourSeconds;
      while (true) {
        double gap = -Math.log(1 - random.nextDouble()) / rate;
        long sleep = (long) (gap * 1000);
        if (now() + sleep * 1_000_000L >= hourEnd) {
          long rest = (hourEnd - now()) / 1_000_000L;
          if (rest > 0) {
            Thread.sleep(rest);
          }
          break;
        }
        Thread.sleep(sleep);
        arrive();
      }
    }
    // Let the last chats be served or give up (at most the longest patience).
    long drainUntil = now() + (long) (PATIENCE_MINUTES[3] * 60 * scale * 1e9);
    while (now() < drainUntil
        && chats.stream().anyMatch(c -> c.assignedAt == 0 && !c.abandoned && c.queuedAt > 0)) {
      Thread.sleep(200);
    }
    Thread.sleep(1500);
    return report(silentId);
  }

  /** A visitor arrives, answers, chooses CSG, and gives up after their patience unless assigned. */
  private void arrive() {
    double u = random.nextDouble();
    int kind = u < 0.06 ? 0 : u < 0.40 ? 1 : u < 0.75 ? 2 : 3;
    double patience = -Math.log(1 - random.nextDouble()) * PATIENCE_MINUTES[kind];
    Chat chat = new Chat(kind, patience);
    chats.add(chat);
    JsonObject answers =
        switch (kind) {
          case 0 -> new JsonObject().put("Q0", "yes");
          case 1 ->
              new JsonObject()
                  .put("Q0", "no")
                  .put("Q1", "victim")
                  .put("Q3", "today")
                  .put("Q4", new JsonArray().add("physical"));
          case 2 -> new JsonObject().put("Q0", "no").put("Q5", "sport");
          default -> new JsonObject().put("Q0", "no").put("Q5", "work");
        };
    WebSocketClient client = vertx.createWebSocketClient();
    client
        .connect(
            new WebSocketConnectOptions()
                .setHost("127.0.0.1")
                .setPort(app.visitorPort())
                .setURI("/ws")
                .addHeader("Origin", "http://127.0.0.1:" + app.visitorPort()))
        .onSuccess(
            ws -> {
              chat.socket = ws;
              String[] token = new String[1];
              ws.textMessageHandler(
                  text -> {
                    JsonObject f = new JsonObject(text);
                    switch (f.getString("type", "")) {
                      case "welcome" -> {
                        token[0] = f.getString("resumeToken");
                        ws.writeTextMessage(
                            new JsonObject()
                                .put("type", "choose")
                                .put("helpPoint", "csg")
                                .put("answers", answers)
                                .encode());
                      }
                      case "queued" -> {
                        if (chat.queuedAt == 0) {
                          chat.queuedAt = now();
                          chat.estimateShown = true;
                          chat.shownEstimate = f.getInteger("estimatedWaitSeconds");
                          chat.shownPosition = f.getLong("position");
                          lookUp(chat, token[0]);
                          long patienceMs = (long) (chat.patienceMinutes * 60 * scale * 1000);
                          vertx.setTimer(
                              Math.max(1, patienceMs),
                              t -> {
                                if (chat.assignedAt == 0 && !chat.done) {
                                  chat.abandoned = true;
                                  chat.abandonedAt = now();
                                  chat.done = true;
                                  ws.writeTextMessage(
                                      new JsonObject()
                                          .put("type", "bye")
                                          .put("hurry", false)
                                          .encode());
                                }
                              });
                        }
                      }
                      case "assigned" -> {
                        if (chat.assignedAt == 0) {
                          chat.assignedAt = now();
                        }
                      }
                      case "message" -> {
                        if ("counselor".equals(f.getString("from")) && chat.firstReplyAt == 0) {
                          chat.firstReplyAt = now();
                        }
                      }
                      case "closed" -> chat.done = true;
                      default -> {}
                    }
                  });
              ws.writeTextMessage(new JsonObject().put("type", "hello").put("v", 1).encode());
            });
  }

  private void lookUp(Chat chat, String token) {
    app.pool()
        .preparedQuery("SELECT id, priority FROM conversation WHERE resume_hash = $1")
        .execute(Tuple.of(Buffer.buffer(Secrets.sha256(token))))
        .onSuccess(
            rows -> {
              for (Row r : rows) {
                chat.id = r.getUUID("id");
                chat.priority = r.getShort("priority");
              }
            });
  }

  /** A counselor who answers at once and closes after an exponential handling time. */
  private void answering(WebSocket ws, JsonObject frame) {
    if (!"assigned".equals(frame.getString("type"))
        || Boolean.TRUE.equals(frame.getValue("observer"))) {
      return;
    }
    String id = frame.getString("conversationId");
    ws.writeTextMessage(
        new JsonObject()
            .put("type", "message")
            .put("conversationId", id)
            .put("clientId", "shift-" + UUID.randomUUID())
            .put("body", "Hoi, ik ben er.")
            .encode());
    long handling =
        (long) (-Math.log(1 - random.nextDouble()) * MEAN_HANDLING_MINUTES * 60 * scale * 1000);
    vertx.setTimer(
        Math.max(1, handling),
        t ->
            ws.writeTextMessage(
                new JsonObject()
                    .put("type", "close")
                    .put("conversationId", id)
                    .put("outcome", "listened")
                    .encode()));
  }

  /**
   * Logs in, opens a console socket, sets available; {@code behaviour} gets every frame (null:
   * ignores them).
   */
  private WebSocket console(
      String user, java.util.function.BiConsumer<WebSocket, JsonObject> behaviour)
      throws Exception {
    io.vertx.core.http.HttpClient http = vertx.createHttpClient();
    String cookie =
        await(
            http.request(
                    new io.vertx.core.http.RequestOptions()
                        .setMethod(io.vertx.core.http.HttpMethod.POST)
                        .setHost("127.0.0.1")
                        .setPort(app.consolePort())
                        .setURI("/api/login")
                        .putHeader("Content-Type", "application/json")
                        .putHeader("Origin", "http://127.0.0.1:" + app.consolePort()))
                .compose(
                    req ->
                        req.send(
                            new JsonObject()
                                .put("username", user)
                                .put("password", "shift-bench-password")
                                .encode()))
                .map(
                    resp -> {
                      String set = resp.cookies().get(0);
                      return set.substring(0, set.indexOf(';'));
                    })
                .andThen(ar -> http.close()));
    WebSocketClient client = vertx.createWebSocketClient();
    io.vertx.core.Promise<Void> hello = io.vertx.core.Promise.promise();
    // The handler is set on the event loop as the socket opens, so the server's hello cannot arrive
    // before it.
    WebSocket ws =
        await(
            client
                .connect(
                    new WebSocketConnectOptions()
                        .setHost("127.0.0.1")
                        .setPort(app.consolePort())
                        .setURI("/ws")
                        .addHeader("Origin", "http://127.0.0.1:" + app.consolePort())
                        .addHeader("Cookie", cookie))
                .map(
                    socket -> {
                      socket.textMessageHandler(
                          text -> {
                            JsonObject f = new JsonObject(text);
                            if ("hello".equals(f.getString("type"))) {
                              hello.tryComplete();
                            }
                            if (behaviour != null) {
                              behaviour.accept(socket, f);
                            }
                          });
                      return socket;
                    }));
    await(hello.future());
    if (!user.endsWith("-sup")) {
      // The supervisor only watches the board and its alerts; counselors make themselves available.
      ws.writeTextMessage(
          new JsonObject().put("type", "status").put("status", "available").encode());
    }
    return ws;
  }

  private String report(long silentId) throws Exception {
    // Unanswered assignments moved on: chats first assigned to the counselor who never answers,
    // later assigned to
    // someone else (by the reassignment of unanswered chats, when that is present in this build).
    long movedOn =
        await(
                app.pool()
                    .preparedQuery(
                        "SELECT count(DISTINCT a.conversation_id) FROM assignment a "
                            + "JOIN assignment b ON b.conversation_id = a.conversation_id AND b.assigned_at > a.assigned_at "
                            + "AND b.staff_id <> a.staff_id WHERE a.staff_id = $1")
                    .execute(Tuple.of(silentId)))
            .iterator()
            .next()
            .getLong(0);
    long silentAssigned =
        await(
                app.pool()
                    .preparedQuery(
                        "SELECT count(DISTINCT conversation_id) FROM assignment "
                            + "WHERE staff_id = $1")
                    .execute(Tuple.of(silentId)))
            .iterator()
            .next()
            .getLong(0);
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT, "## `./bench shift` (%s)%n%n", java.time.LocalDate.now()));
    s.append(
        String.format(
            Locale.ROOT,
            "One simulated day at CSG on the real service, 1 simulated hour = %.1f s; "
                + "%d visitors; roster 1-4 counselors (capacity 2), one more in %02d:00-%02d:00 who never answers; mean "
                + "handling %.0f simulated minutes. Waits in simulated minutes (queued → assigned). Targets in real "
                + "seconds P0-P3: %d, %d, %d, %d (scaled, at least %d s); past target and alert times from the service's "
                + "database (first counselor answer, else close, else now).%n%n",
            hourSeconds,
            chats.size(),
            SILENT_FROM,
            SILENT_TO,
            MEAN_HANDLING_MINUTES,
            realTargetMillis[0] / 1000,
            realTargetMillis[1] / 1000,
            realTargetMillis[2] / 1000,
            realTargetMillis[3] / 1000,
            MIN_TARGET_SECONDS));
    s.append(
        "| Priority | chats | wait p50 | wait p90 | abandoned | past target | past target without alert "
            + "| estimate shown | MAE shown estimate | MAE old (position × 120 s) | ratio shown / old |\n");
    s.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
    int totalWithoutAlert = 0;
    List<Double> allNew = new ArrayList<>();
    List<Double> allOld = new ArrayList<>();
    for (int p = 0; p < 4; p++) {
      List<Double> waits = new ArrayList<>();
      List<Double> errNew = new ArrayList<>();
      List<Double> errOld = new ArrayList<>();
      int n = 0;
      int abandoned = 0;
      int pastTarget = 0;
      int withoutAlert = 0;
      int shown = 0;
      for (Chat c : chats) {
        if (c.priority != p || c.queuedAt == 0) {
          continue;
        }
        n++;
        if (c.abandoned) {
          abandoned++;
        }
        if (c.assignedAt > 0) {
          double wait = simMinutes(c.assignedAt - c.queuedAt);
          waits.add(wait);
          double realSim = wait * 60;
          double old = c.shownPosition * OLD_SECONDS_PER_PLACE;
          errOld.add(Math.abs(old - realSim) / 60);
          if (c.shownEstimate != null) {
            shown++;
            double est = c.shownEstimate / scale;
            errNew.add(Math.abs(est - realSim) / 60);
            allNew.add(Math.abs(est - realSim) / 60);
            allOld.add(Math.abs(old - realSim) / 60);
          }
        }
      }
      // Targets from the database (the service's own clock): first counselor answer, or close, or
      // now.
      Row t =
          await(
                  app.pool()
                      .preparedQuery(
                          "SELECT count(*) FILTER (WHERE past) AS past, "
                              + "count(*) FILTER (WHERE past AND (target_alerted_at IS NULL "
                              + "OR target_alerted_at > queued_at + make_interval(secs => $2))) AS silent FROM (SELECT queued_at, "
                              + "target_alerted_at, coalesce(first_reply_at, closed_at, now()) - queued_at > make_interval(secs => $2) "
                              + "AS past FROM conversation WHERE help_point = 'csg' AND priority = $1 AND queued_at IS NOT NULL) x")
                      .execute(Tuple.of(p, realTargetMillis[p] / 1000.0)))
              .iterator()
              .next();
      pastTarget = t.getLong("past").intValue();
      withoutAlert = t.getLong("silent").intValue();
      totalWithoutAlert += withoutAlert;
      double maeNew = median(errNew);
      double maeOldSame = median(errOld);
      s.append(
          String.format(
              Locale.ROOT,
              "| P%d | %d | %.1f | %.1f | %.0f%% | %d | %d | %d of %d | %.1f | %.1f | %s |%n",
              p,
              n,
              percentile(waits, 50),
              percentile(waits, 90),
              n == 0 ? 0 : 100.0 * abandoned / n,
              pastTarget,
              withoutAlert,
              shown,
              waits.size(),
              maeNew,
              maeOldSame,
              maeOldSame > 0 && !errNew.isEmpty()
                  ? String.format(Locale.ROOT, "%.2f×", maeNew / maeOldSame)
                  : "–"));
    }
    double headNew = median(allNew);
    double headOld = median(allOld);
    s.append(
        String.format(
            Locale.ROOT,
            "%nUnanswered assignments moved on: %d of %d chats assigned to the counselor "
                + "who never answers.%n",
            movedOn,
            silentAssigned));
    s.append(
        String.format(
            Locale.ROOT,
            "Chats past target without a supervisor alert: %d (target alerts received "
                + "by the supervisor console: %d).%n",
            totalWithoutAlert,
            alertedAt.size()));
    s.append(
        String.format(
            Locale.ROOT,
            "Estimate error (median absolute, simulated minutes, chats with an estimate "
                + "shown): %.1f vs %.1f for position × 120 s on the same chats: **%.2f×** the old error.%n",
            headNew,
            headOld,
            headOld > 0 ? headNew / headOld : Double.NaN));
    return s.toString();
  }

  private static double percentile(List<Double> values, int p) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
  }

  private static double median(List<Double> values) {
    return percentile(values, 50);
  }

  /**
   * CSG with the bench's targets (simulated targets scaled to real seconds) and room for the whole
   * day.
   */
  private String benchHelpPoints() throws Exception {
    try (InputStream in =
        ShiftBench.class.getClassLoader().getResourceAsStream("config/help-points.yaml")) {
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      String csgTargets =
          "targetFirstResponseSeconds: {P0: 30, P1: 60, P2: 600, P3: 1800}\n    queueCap: 40";
      if (!text.contains(csgTargets)) {
        throw new IllegalStateException("bundled CSG targets changed; update ShiftBench");
      }
      return text.replace(
          csgTargets,
          String.format(
              Locale.ROOT,
              "targetFirstResponseSeconds: {P0: %d, P1: %d, P2: %d, P3: %d}\n    queueCap: 1000",
              realTargetMillis[0] / 1000,
              realTargetMillis[1] / 1000,
              realTargetMillis[2] / 1000,
              realTargetMillis[3] / 1000));
    }
  }

  private static <T> T await(io.vertx.core.Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  private void stop() {
    try {
      if (app != null) {
        app.stopBlocking();
      }
    } catch (Exception e) {
      System.err.println("stopping the service failed: " + e.getClass().getName());
    }
    vertx.close();
  }
}
