package nl.veiligpraten.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Visitor gateway limits: origins, frame size, flooding and security headers")
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class GatewayLimitsIT {

  @TempDir static Path dataDir;
  static RunningApp app;
  static Vertx client;
  static HttpClient http;

  /**
   * Short instead of the production 15 s, so the hello-timeout test does not sit out a production
   * timer.
   */
  static final Duration HELLO_TIMEOUT = Duration.ofSeconds(3);

  @BeforeAll
  static void setUp() throws Exception {
    app =
        TestApp.start(
            AppSettings.forTest(dataDir)
                .withSecurity(SecuritySettings.DEFAULT.withHelloTimeout(HELLO_TIMEOUT)));
    client = Vertx.vertx();
    http = client.createHttpClient();
  }

  @AfterAll
  static void tearDown() throws Exception {
    app.stopBlocking();
    client.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  static <T> T await(io.vertx.core.Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  record Reply(int status, Map<String, String> headers, String body) {}

  static Reply request(HttpMethod method, String path, Map<String, String> headers, String body)
      throws Exception {
    RequestOptions options =
        new RequestOptions()
            .setMethod(method)
            .setHost("127.0.0.1")
            .setPort(app.visitorPort())
            .setURI(path);
    headers.forEach(options::addHeader);
    return await(
        http.request(options)
            .compose(
                req ->
                    (body == null ? req.send() : req.send(body))
                        .compose(
                            res ->
                                res.body()
                                    .map(
                                        b ->
                                            new Reply(
                                                res.statusCode(), headersOf(res), b.toString())))));
  }

  static Map<String, String> headersOf(HttpClientResponse res) {
    java.util.Map<String, String> out = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    res.headers().forEach(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }

  static Map<String, String> upgradeHeaders(String origin) {
    java.util.Map<String, String> h = new java.util.LinkedHashMap<>();
    h.put("Connection", "Upgrade");
    h.put("Upgrade", "websocket");
    h.put("Sec-WebSocket-Version", "13");
    h.put("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==");
    if (origin != null) {
      h.put("Origin", origin);
    }
    return h;
  }

  static List<String> foreignOrigins(int p) {
    List<String> o = new ArrayList<>();
    o.add(null); // missing
    o.add("null");
    o.add("NULL");
    o.add("");
    o.add("undefined");
    o.add("*");
    o.add("http://127.0.0.1:" + p + ".evil.com");
    o.add("http://127.0.0.1:" + p + "@evil.com");
    o.add("http://evil.com");
    o.add("http://evil.com:" + p);
    o.add("https://127.0.0.1:" + p);
    o.add("https://localhost:" + p);
    o.add("http://127.0.0.1:" + (p + 1));
    o.add("http://localhost:" + (p + 1));
    o.add("http://127.0.0.1");
    o.add("http://localhost");
    o.add("http://127.0.0.2:" + p);
    o.add("http://0.0.0.0:" + p);
    o.add("http://[::1]:" + p);
    o.add("http://127.0.0.1:" + p + "/");
    o.add("http://127.0.0.1:" + p + "/ws");
    o.add("HTTP://127.0.0.1:" + p);
    o.add("http://LOCALHOST:" + p);
    o.add("Http://Localhost:" + p);
    o.add("http://127.0.0.1:0" + p);
    o.add("http://127.0.0.1.:" + p);
    o.add("http://localhost.:" + p);
    o.add("ws://127.0.0.1:" + p);
    o.add("wss://127.0.0.1:" + p);
    o.add("file://");
    o.add("chrome-extension://abcdefghijklmnop");
    o.add("http://127.0.0.1:" + p + "?x=1");
    o.add("http://127.0.0.1:" + p + "#x");
    o.add("http://127.0.0.1:" + p + ",http://evil.com");
    o.add("http://evil.com http://127.0.0.1:" + p);
    o.add("http://127.1:" + p);
    o.add("http://2130706433:" + p);
    o.add("http://0x7f000001:" + p);
    o.add("http://127.0.0.1:" + p + ":" + p);
    o.add("http://user:pw@127.0.0.1:" + p);
    o.add("http://localhost:" + p + ".evil.com");
    o.add("http://evil.127.0.0.1:" + p);
    o.add("http://127.0.0.1.evil.com:" + p);
    o.add("https://127.0.0.1:" + p + ".evil.com");
    o.add("http://127.0.0.10:" + p);
    o.add("http://127.0.0.1:" + p + "0");
    o.add("http://127.0.0.1%2e:" + p);
    o.add("http://xn--127-0-0-1.com:" + p);
    o.add("http://127.0.0.1:*");
    o.add("about:blank");
    return o;
  }

  @Test
  @DisplayName(
      "50 foreign, look-alike, null and missing origins are refused with 403; the page's own origin works")
  void origins() throws Exception {
    int p = app.visitorPort();
    List<String> bad = foreignOrigins(p);
    assertEquals(50, bad.size());
    assertEquals(50, new LinkedHashSet<>(bad).size(), "no duplicates");
    List<String> accepted = new ArrayList<>();
    for (String origin : bad) {
      Reply reply = request(HttpMethod.GET, "/ws", upgradeHeaders(origin), null);
      if (reply.status() != 403) {
        accepted.add(origin + " -> " + reply.status());
      }
      assertSecurityHeaders("/ws refused for " + origin, reply);
    }
    assertEquals(List.of(), accepted);
    // A real WebSocket client with a foreign origin fails the handshake as well.
    assertThrows(Exception.class, () -> WsProbe.connect(client, p, "/ws", "http://evil.com", null));

    for (String allowed : List.of("http://127.0.0.1:" + p, "http://localhost:" + p)) {
      WsProbe ok = WsProbe.connect(client, p, "/ws", allowed, null);
      ok.send(new JsonObject().put("type", "hello").put("v", 1));
      assertNotNull(ok.awaitType("welcome").getString("resumeCode"));
      ok.close();
    }
  }

  @Test
  @DisplayName("a frame over 16 KiB closes the socket with 1009; the server stays up")
  void oversize() throws Exception {
    String origin = "http://127.0.0.1:" + app.visitorPort();
    WsProbe ws = WsProbe.connect(client, app.visitorPort(), "/ws", origin, null);
    ws.send(new JsonObject().put("type", "hello").put("v", 1));
    ws.awaitType("welcome");
    ws.socket.writeTextMessage(
        "{\"type\":\"message\",\"clientId\":\"big\",\"body\":\"" + "x".repeat(17 * 1024) + "\"}");
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (ws.closeCode == null && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertEquals((short) 1009, ws.closeCode);
    WsProbe next = WsProbe.connect(client, app.visitorPort(), "/ws", origin, null);
    next.send(new JsonObject().put("type", "hello").put("v", 1));
    next.awaitType("welcome");
    next.close();
  }

  @Test
  @DisplayName(
      "a flooding visitor is throttled with a clear error while another visitor's chat goes on")
  void flood() throws Exception {
    String origin = "http://127.0.0.1:" + app.visitorPort();
    WsProbe flooder = WsProbe.connect(client, app.visitorPort(), "/ws", origin, null);
    flooder.send(new JsonObject().put("type", "hello").put("v", 1));
    flooder.awaitType("welcome");
    flooder.send(new JsonObject().put("type", "choose").put("helpPoint", "triage"));
    flooder.awaitType("queued");
    WsProbe calm = WsProbe.connect(client, app.visitorPort(), "/ws", origin, null);
    calm.send(new JsonObject().put("type", "hello").put("v", 1));
    calm.awaitType("welcome");
    calm.send(new JsonObject().put("type", "choose").put("helpPoint", "csg"));
    calm.awaitType("queued");

    Thread flood =
        new Thread(
            () -> {
              for (int i = 0; i < 600; i++) {
                flooder.send(
                    new JsonObject()
                        .put("type", "message")
                        .put("clientId", "f-" + i)
                        .put("body", "spam " + i));
              }
            });
    long started = System.nanoTime();
    flood.start();
    for (int i = 1; i <= 5; i++) {
      calm.send(
          new JsonObject()
              .put("type", "message")
              .put("clientId", "calm-" + i)
              .put("body", "hallo " + i));
      JsonObject ack = calm.await(f -> "ack".equals(f.getString("type")), Duration.ofSeconds(5));
      assertEquals("calm-" + i, ack.getString("clientId"));
      Thread.sleep(150); // the calm visitor types at a human pace, well under the limit
    }
    assertTrue(
        calm.received.stream().noneMatch(f -> "error".equals(f.getString("type"))),
        "the calm visitor was never refused: " + calm.received);
    flood.join();
    double seconds = (System.nanoTime() - started) / 1e9;

    JsonObject limited =
        flooder.await(
            f -> "error".equals(f.getString("type")) && "rate_limited".equals(f.getString("code")),
            Duration.ofSeconds(10));
    assertTrue(limited.getString("message").contains("te snel"), limited.encode());
    // Marker: one more message, sent after the flood, retried while the bucket is empty. The socket
    // stores and acks
    // its messages one at a time in arrival order, so once its ack is here every flood message is
    // stored or refused.
    JsonObject marker =
        new JsonObject().put("type", "message").put("clientId", "marker").put("body", "daarna");
    List<JsonObject> beforeMarker = null;
    for (int attempt = 0; beforeMarker == null; attempt++) {
      flooder.send(marker);
      try {
        beforeMarker =
            flooder.before(
                f -> "ack".equals(f.getString("type")) && "marker".equals(f.getString("clientId")),
                Duration.ofMillis(500));
      } catch (AssertionError refusedStill) {
        assertTrue(attempt < 40, "the flooder could never write again");
      }
    }
    List<String> acked =
        beforeMarker.stream()
            .filter(f -> "ack".equals(f.getString("type")))
            .map(f -> f.getString("clientId"))
            .sorted()
            .toList();
    Set<String> stored = new java.util.TreeSet<>();
    await(
            app.pool()
                .preparedQuery("SELECT client_id FROM message WHERE client_id LIKE 'f-%'")
                .execute())
        .forEach(r -> stored.add(r.getString(0)));
    // Burst 30 plus 10 per second: far fewer than the 600 sent are stored, and exactly those are
    // acknowledged.
    assertTrue(
        stored.size() <= 30 + Math.ceil(seconds + 2) * 10,
        "stored " + stored.size() + " in " + seconds + " s");
    assertTrue(stored.size() < 600);
    assertEquals(
        List.copyOf(stored), acked, "every stored message acknowledged once, nothing else");
    flooder.close();
    calm.close();
  }

  @Test
  @DisplayName(
      "a guessed token or code, a negative or far-future lastSeq and a read beyond what was delivered "
          + "change nothing and break nothing")
  void badResumeAndSequenceNumbers() throws Exception {
    String origin = "http://127.0.0.1:" + app.visitorPort();
    WsProbe a = WsProbe.connect(client, app.visitorPort(), "/ws", origin, null);
    a.send(new JsonObject().put("type", "hello").put("v", 1));
    String token = a.awaitType("welcome").getString("resumeToken");
    a.send(new JsonObject().put("type", "choose").put("helpPoint", "csg"));
    a.awaitType("queued");
    a.send(new JsonObject().put("type", "message").put("clientId", "r-1").put("body", "een"));
    long first = a.awaitType("ack").getLong("seq");
    a.close();
    long conversations =
        await(app.pool().query("SELECT count(*) FROM conversation").execute())
            .iterator()
            .next()
            .getLong(0);

    WsProbe intruder = WsProbe.connect(client, app.visitorPort(), "/ws", origin, null);
    intruder.send(
        new JsonObject().put("type", "hello").put("v", 1).put("resume", token.substring(1) + "x"));
    assertEquals("unknown_resume", intruder.awaitType("error").getString("code"));
    intruder.send(new JsonObject().put("type", "hello").put("v", 1).put("resumeCode", "AAAA-AAAA"));
    assertEquals("unknown_resume", intruder.awaitType("error").getString("code"));
    intruder.send(
        new JsonObject().put("type", "hello").put("v", 1).put("resume", token).put("lastSeq", -3));
    assertEquals("invalid_field", intruder.awaitType("error").getString("code"));
    intruder.close();
    assertEquals(
        conversations,
        await(app.pool().query("SELECT count(*) FROM conversation").execute())
            .iterator()
            .next()
            .getLong(0));

    // A lastSeq from the future is treated as "everything so far": the next message still arrives.
    WsProbe back = WsProbe.connect(client, app.visitorPort(), "/ws", origin, null);
    back.send(
        new JsonObject()
            .put("type", "hello")
            .put("v", 1)
            .put("resume", token)
            .put("lastSeq", 999_999));
    assertEquals("queued", back.awaitType("welcome").getString("status"));
    back.send(new JsonObject().put("type", "read").put("seq", 999_999));
    back.send(new JsonObject().put("type", "message").put("clientId", "r-2").put("body", "twee"));
    assertEquals(first + 1, back.awaitType("ack").getLong("seq"));
    JsonObject echo =
        back.await(f -> "message".equals(f.getString("type")), Duration.ofSeconds(10));
    assertEquals(first + 1, echo.getLong("seq"));
    assertEquals("twee", echo.getString("body"));
    back.close();
  }

  static final Set<String> ROUTES =
      Set.of(
          "/",
          "/index.html",
          "/app.js",
          "/app.css",
          "/favicon.svg",
          "/health",
          "/api/config",
          "/does-not-exist",
          "/../../etc/passwd",
          "/ws");

  static void assertSecurityHeaders(String what, Reply reply) {
    Map<String, String> h = reply.headers();
    String csp = h.get("Content-Security-Policy");
    assertNotNull(csp, what + ": no CSP");
    assertFalse(csp.contains("unsafe-inline"), what);
    assertFalse(csp.contains("unsafe-eval"), what);
    assertTrue(csp.contains("frame-ancestors 'none'"), what);
    assertTrue(csp.contains("default-src 'self'"), what);
    assertEquals("no-store", h.get("Cache-Control"), what);
    assertEquals("nosniff", h.get("X-Content-Type-Options"), what);
    assertEquals("no-referrer", h.get("Referrer-Policy"), what);
    assertFalse(h.containsKey("Set-Cookie"), what + " sets a cookie");
  }

  @Test
  @DisplayName(
      "every route, including 404s, bad requests and the refused WebSocket, sends the security headers")
  void securityHeaders() throws Exception {
    for (String path : ROUTES) {
      Reply reply = request(HttpMethod.GET, path, Map.of(), null);
      assertSecurityHeaders("GET " + path + " (" + reply.status() + ")", reply);
    }
    assertEquals(404, request(HttpMethod.GET, "/does-not-exist", Map.of(), null).status());
    Reply page = request(HttpMethod.GET, "/", Map.of(), null);
    assertEquals(200, page.status());
    // Inline script and style only as the CSP allows them by hash (issue 23: the page's boot and
    // style are inline so
    // the first question is tappable before anything else arrives); never a style attribute, never
    // unsafe-inline.
    String csp = page.headers().get("Content-Security-Policy");
    java.util.regex.Matcher inline =
        java.util.regex.Pattern.compile("(?s)<(script|style)>(.*?)</\\1>").matcher(page.body());
    int inlines = 0;
    while (inline.find()) {
      inlines++;
      String hash =
          java.util.Base64.getEncoder()
              .encodeToString(
                  java.security.MessageDigest.getInstance("SHA-256")
                      .digest(inline.group(2).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      String directive = inline.group(1) + "-src 'self' 'sha256-" + hash + "'";
      assertTrue(
          csp.contains(directive),
          "inline " + inline.group(1) + " not allowed by its hash: " + csp);
    }
    assertEquals(2, inlines, "the boot script and the style");
    assertFalse(page.body().contains("style="), "no inline style");
    assertFalse(page.body().contains("//" + "cdn"), "no third-party hosts");
    for (String[] post :
        new String[][] {
          {"/api/routing/explain", "{\"answers\":{\"Q0\":\"no\"}}"},
          {"/api/routing/explain", "not json"},
          {"/api/routing/explain", "{\"answers\":{\"Q0\":\"maybe\"}}"},
          {"/nothing-here", "{}"},
          {"/ws", "{}"},
          {"/api/quick-exit", "{\"resume\":\"x\"}"}
        }) {
      Reply reply =
          request(HttpMethod.POST, post[0], Map.of("Content-Type", "application/json"), post[1]);
      assertSecurityHeaders("POST " + post[0] + " " + post[1] + " (" + reply.status() + ")", reply);
    }
    Reply options = request(HttpMethod.OPTIONS, "/api/config", Map.of(), null);
    assertSecurityHeaders("OPTIONS /api/config (" + options.status() + ")", options);
    Buffer ignored = Buffer.buffer();
    assertNotNull(ignored);
  }

  @Test
  @DisplayName(
      "a socket that never says hello is closed with 4408 after the hello timeout, not before")
  void idleUnidentifiedSocketClosed() throws Exception {
    WsProbe idle =
        WsProbe.connect(
            client, app.visitorPort(), "/ws", "http://127.0.0.1:" + app.visitorPort(), null);
    long idleSince = System.nanoTime();
    long deadline = idleSince + HELLO_TIMEOUT.multipliedBy(5).toNanos();
    while (idle.closeCode == null && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertEquals((short) 4408, idle.closeCode);
    // Measured from after the upgrade, so a little less than the server's own count.
    assertTrue(
        System.nanoTime() - idleSince >= HELLO_TIMEOUT.minusMillis(500).toNanos(),
        "closed too early");
  }
}
