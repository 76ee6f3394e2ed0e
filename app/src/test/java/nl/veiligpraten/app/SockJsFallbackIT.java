package nl.veiligpraten.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SockJS fallback (issue 19) at the protocol level, with a real SockJS XHR-polling session
 * against the real gateway: the same frames, acks, resume, Origin rule, size and rate limits as the
 * WebSocket, no cookie.
 */
@DisplayName("SockJS fallback transport")
class SockJsFallbackIT {

  @TempDir static Path dataDir;
  static RunningApp app;
  static Vertx client;
  static WebClient web;
  static String origin;

  @BeforeAll
  static void setUp() throws Exception {
    app = TestApp.start(AppSettings.forTest(dataDir));
    client = Vertx.vertx();
    // One request per connection: the test's polls must not meet a pooled connection the server
    // just closed.
    web =
        WebClient.create(
            client, new io.vertx.ext.web.client.WebClientOptions().setKeepAlive(false));
    origin = "http://127.0.0.1:" + app.visitorPort();
  }

  @AfterAll
  static void tearDown() throws Exception {
    app.stopBlocking();
    client.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /** One SockJS session over XHR polling, as sockjs-client's xhr-polling transport speaks it. */
  final class Session {
    final String base =
        "/sockjs/000/" + java.util.UUID.randomUUID().toString().replace("-", "") + "/";
    final List<JsonObject> frames = new ArrayList<>();
    JsonArray closeFrame;

    HttpResponse<Buffer> post(String path, String body, String withOrigin) throws Exception {
      var request = web.post(app.visitorPort(), "127.0.0.1", base + path).timeout(30_000);
      if (withOrigin != null) {
        request.putHeader("Origin", withOrigin);
      }
      request.putHeader("Content-Type", "text/plain;charset=UTF-8");
      return WalkingSkeletonIT.await(
          body == null ? request.send() : request.sendBuffer(Buffer.buffer(body)));
    }

    void open() throws Exception {
      HttpResponse<Buffer> r = post("xhr", null, origin);
      assertEquals(200, r.statusCode());
      assertEquals("o", r.bodyAsString().trim());
      assertNull(r.getHeader("Set-Cookie"), "SockJS must not set a session cookie");
    }

    void send(JsonObject... frames) throws Exception {
      JsonArray batch = new JsonArray();
      for (JsonObject f : frames) {
        batch.add(f.encode());
      }
      sendRaw(batch.encode());
    }

    void sendRaw(String body) throws Exception {
      HttpResponse<Buffer> r = post("xhr_send", body, origin);
      assertEquals(204, r.statusCode(), r.bodyAsString());
      assertNull(r.getHeader("Set-Cookie"));
    }

    /**
     * Polls until a frame matching {@code type} arrived (or the session was closed); returns it or
     * null.
     */
    JsonObject await(String type, Duration timeout) throws Exception {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        for (JsonObject f : frames) {
          if (type.equals(f.getString("type"))) {
            frames.remove(f);
            return f;
          }
        }
        if (closeFrame != null) {
          return null;
        }
        poll();
      }
      throw new AssertionError("no " + type + " frame within " + timeout + "; seen " + frames);
    }

    void poll() throws Exception {
      HttpResponse<Buffer> r = post("xhr", null, origin);
      assertEquals(200, r.statusCode());
      String body = r.bodyAsString().trim();
      if (body.startsWith("a")) {
        new JsonArray(body.substring(1)).forEach(s -> frames.add(new JsonObject((String) s)));
      } else if (body.startsWith("c")) {
        closeFrame = new JsonArray(body.substring(1));
      }
    }
  }

  @Test
  @DisplayName(
      "hello, choose, message and ack work over SockJS exactly as over the WebSocket, with a reload ticket "
          + "in the welcome and no cookie")
  void sameProtocol() throws Exception {
    Session s = new Session();
    s.open();
    s.send(new JsonObject().put("type", "hello").put("v", 1));
    JsonObject welcome = s.await("welcome", Duration.ofSeconds(10));
    assertNotNull(welcome.getString("resumeToken"));
    assertEquals(12, welcome.getString("resumeCode").length());
    assertEquals(43, welcome.getString("reloadTicket").length());
    s.send(
        new JsonObject()
            .put("type", "answers")
            .put("answers", new JsonObject().put("Q0", "no"))
            .put("after", "Q0"));
    assertEquals(
        "Q1",
        s.await("question", Duration.ofSeconds(10)).getJsonObject("question").getString("id"));
    s.send(new JsonObject().put("type", "choose").put("helpPoint", "csg"));
    assertTrue(s.await("queued", Duration.ofSeconds(10)).getInteger("position") >= 1);
    s.send(
        new JsonObject()
            .put("type", "message")
            .put("clientId", "sj-1")
            .put("body", "Over de fallback."),
        new JsonObject()
            .put("type", "message")
            .put("clientId", "sj-1")
            .put("body", "Over de fallback."));
    JsonObject ack = s.await("ack", Duration.ofSeconds(10));
    assertEquals("sj-1", ack.getString("clientId"));
    assertFalse(ack.getBoolean("duplicate"));
    JsonObject again = s.await("ack", Duration.ofSeconds(10));
    assertEquals(ack.getLong("seq"), again.getLong("seq"));
    assertTrue(again.getBoolean("duplicate"), "the resend is stored once");

    // The resume token taken over SockJS resumes on the WebSocket, and the message is replayed in
    // seq order.
    WsProbe ws = WsProbe.connect(client, app.visitorPort(), "/ws", origin, null);
    ws.send(
        new JsonObject()
            .put("type", "hello")
            .put("v", 1)
            .put("resume", welcome.getString("resumeToken"))
            .put("lastSeq", 0));
    assertEquals("queued", ws.awaitType("welcome").getString("status"));
    JsonObject replayed = ws.awaitType("message");
    assertEquals(ack.getLong("seq"), replayed.getLong("seq"));
    assertEquals("Over de fallback.", replayed.getString("body"));
    // One live line per conversation: the SockJS session was told to go.
    JsonObject replaced = s.await("error", Duration.ofSeconds(10));
    assertEquals("replaced", replaced.getString("code"));
    ws.close();
  }

  @Test
  @DisplayName(
      "a SockJS request from another origin, or a POST without Origin, is refused with 403 before any "
          + "session exists")
  void originRule() throws Exception {
    Session s = new Session();
    assertEquals(403, s.post("xhr", null, "http://evil.example").statusCode());
    assertEquals(403, s.post("xhr", null, null).statusCode());
    assertEquals(
        403,
        s.post("xhr", null, "http://127.0.0.1:" + app.visitorPort() + ".evil.example")
            .statusCode());
    // The session id was never created: a send to it is not accepted either.
    assertEquals(404, s.post("xhr_send", "[\"{}\"]", origin).statusCode());
    s.open();
  }

  @Test
  @DisplayName(
      "a frame over the size limit closes the session with 1009, a body far over it is refused with 413, "
          + "and a burst beyond the rate limit gets rate_limited while the session stays open")
  void sizeAndRate() throws Exception {
    Session burst = new Session();
    burst.open();
    burst.send(new JsonObject().put("type", "hello").put("v", 1));
    burst.await("welcome", Duration.ofSeconds(10));
    JsonObject[] pings = new JsonObject[45];
    java.util.Arrays.fill(pings, new JsonObject().put("type", "ping"));
    burst.send(pings);
    JsonObject limited = burst.await("error", Duration.ofSeconds(10));
    assertEquals("rate_limited", limited.getString("code"));
    assertNull(burst.closeFrame);

    Session big = new Session();
    big.open();
    big.send(new JsonObject().put("type", "hello").put("v", 1));
    big.await("welcome", Duration.ofSeconds(10));
    String tooBig = "x".repeat(16 * 1024 + 1);
    big.send(new JsonObject().put("type", "typing").put("pad", tooBig));
    // Vert.x SockJS ends every session with its own code 3000; the WebSocket's close code comes
    // just before it.
    JsonObject close = big.await("close", Duration.ofSeconds(10));
    assertEquals(1009, close.getInteger("code"));
    assertNull(big.await("never", Duration.ofSeconds(10)));
    assertEquals(3000, big.closeFrame.getInteger(0));

    Session huge = new Session();
    huge.open();
    HttpResponse<Buffer> r = huge.post("xhr_send", "[\"" + "y".repeat(80 * 1024) + "\"]", origin);
    assertEquals(413, r.statusCode());
  }

  @Test
  @DisplayName(
      "POST /api/intake answers an intake step over plain HTTP with the socket's own frames, for the "
          + "page's own origin only")
  void intakeOverHttp() throws Exception {
    var request =
        web.post(app.visitorPort(), "127.0.0.1", "/api/intake").putHeader("Origin", origin);
    HttpResponse<Buffer> q =
        WalkingSkeletonIT.await(
            request.sendJsonObject(
                new JsonObject()
                    .put("answers", new JsonObject().put("Q0", "no"))
                    .put("after", "Q0")));
    assertEquals(200, q.statusCode());
    assertEquals("question", q.bodyAsJsonObject().getString("type"));
    assertEquals("Q1", q.bodyAsJsonObject().getJsonObject("question").getString("id"));

    HttpResponse<Buffer> s =
        WalkingSkeletonIT.await(
            web.post(app.visitorPort(), "127.0.0.1", "/api/intake")
                .putHeader("Origin", origin)
                .sendJsonObject(
                    new JsonObject()
                        .put(
                            "answers",
                            new JsonObject()
                                .put("Q0", "no")
                                .put("Q1", "victim")
                                .put("Q3", "today"))));
    JsonObject suggestions = s.bodyAsJsonObject();
    assertEquals("suggestions", suggestions.getString("type"));
    assertEquals(
        "0800-0188", suggestions.getJsonObject("cards").getJsonObject("csg").getString("phone"));
    assertNotNull(suggestions.getJsonArray("alternatives"));

    HttpResponse<Buffer> bad =
        WalkingSkeletonIT.await(
            web.post(app.visitorPort(), "127.0.0.1", "/api/intake")
                .putHeader("Origin", origin)
                .sendJsonObject(
                    new JsonObject().put("answers", new JsonObject().put("Q0", "maybe"))));
    assertEquals(400, bad.statusCode());
    assertEquals("invalid_answer", bad.bodyAsJsonObject().getString("code"));
    HttpResponse<Buffer> foreign =
        WalkingSkeletonIT.await(
            web.post(app.visitorPort(), "127.0.0.1", "/api/intake")
                .putHeader("Origin", "http://evil.example")
                .sendJsonObject(new JsonObject().put("answers", new JsonObject())));
    assertEquals(403, foreign.statusCode());
  }
}
