package nl.veiligpraten.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Bad input on both listeners gets a clear error and changes nothing")
class BadInputIT extends SharedServiceIT {

  static long count(String sql) throws Exception {
    return app.pool()
        .query(sql)
        .execute()
        .toCompletionStage()
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS)
        .iterator()
        .next()
        .getLong(0);
  }

  WsProbe visitor() throws Exception {
    return WsProbe.connect(
        client, app.visitorPort(), "/ws", "http://127.0.0.1:" + app.visitorPort(), null);
  }

  @Test
  @DisplayName(
      "malformed, unknown, premature and oversize visitor frames each get an error frame and store nothing")
  void visitorFrames() throws Exception {
    long conversationsBefore = count("SELECT count(*) FROM conversation");
    try (WsProbe ws = visitor()) {
      ws.socket.writeTextMessage("{not json");
      assertEquals("malformed", ws.awaitType("error").getString("code"));
      ws.send(new JsonObject().put("type", "launch-missiles"));
      assertEquals("unknown_type", ws.awaitType("error").getString("code"));
      ws.send(new JsonObject().put("type", "message").put("clientId", "x").put("body", "hoi"));
      assertEquals("no_session", ws.awaitType("error").getString("code"));
      ws.send(new JsonObject().put("type", "hello").put("v", 99));
      assertEquals("version", ws.awaitType("error").getString("code"));
      assertEquals(conversationsBefore, count("SELECT count(*) FROM conversation"));

      ws.send(new JsonObject().put("type", "hello").put("v", 1));
      ws.awaitType("welcome");
      ws.send(new JsonObject().put("type", "message").put("clientId", "x").put("body", "hoi"));
      assertEquals("not_routed", ws.awaitType("error").getString("code"));
      ws.send(new JsonObject().put("type", "choose").put("helpPoint", "mars"));
      assertEquals("invalid_answer", ws.awaitType("error").getString("code"));
      ws.send(new JsonObject().put("type", "choose").put("helpPoint", "csg"));
      ws.awaitType("queued");
      ws.send(
          new JsonObject()
              .put("type", "message")
              .put("clientId", "x")
              .put("body", "a".repeat(4001)));
      assertEquals("too_long", ws.awaitType("error").getString("code"));
      ws.send(
          new JsonObject()
              .put("type", "message")
              .put("clientId", "bad id with spaces")
              .put("body", "hoi"));
      assertEquals("invalid_field", ws.awaitType("error").getString("code"));
      assertEquals(0, count("SELECT count(*) FROM message"));
      ws.send(new JsonObject().put("type", "message").put("clientId", "ok-1").put("body", "hoi"));
      assertEquals(1L, ws.awaitType("ack").getLong("seq"));
    }
  }

  @Test
  @DisplayName("a wrong login is 401, a malformed login 400, and neither creates a session")
  void wrongLogin() throws Exception {
    long before = count("SELECT count(*) FROM staff_session");
    HttpResponse<Buffer> wrong =
        web.post(app.consolePort(), "127.0.0.1", "/api/login")
            .sendJsonObject(new JsonObject().put("username", "csg-demo").put("password", "wrong"))
            .toCompletionStage()
            .toCompletableFuture()
            .get(20, TimeUnit.SECONDS);
    assertEquals(401, wrong.statusCode());
    assertEquals("bad_credentials", wrong.bodyAsJsonObject().getString("error"));
    HttpResponse<Buffer> malformed =
        web.post(app.consolePort(), "127.0.0.1", "/api/login")
            .sendBuffer(Buffer.buffer("[]"))
            .toCompletionStage()
            .toCompletableFuture()
            .get(20, TimeUnit.SECONDS);
    assertEquals(400, malformed.statusCode());
    assertEquals(before, count("SELECT count(*) FROM staff_session"));
  }

  @Test
  @DisplayName("a counselor cannot write to or close a conversation that is not theirs")
  void counselorNotOwner() throws Exception {
    String cookie = WalkingSkeletonIT.login(web, app, "cvsn");
    try (WsProbe console =
        WsProbe.connect(
            client, app.consolePort(), "/ws", "http://127.0.0.1:" + app.consolePort(), cookie)) {
      console.awaitType("hello");
      String stranger = UUID.randomUUID().toString();
      console.send(
          new JsonObject()
              .put("type", "message")
              .put("conversationId", stranger)
              .put("clientId", "c1")
              .put("body", "hallo"));
      assertEquals("not_yours", console.awaitType("error").getString("code"));
      console.send(
          new JsonObject()
              .put("type", "close")
              .put("conversationId", stranger)
              .put("outcome", "advice"));
      assertEquals("not_yours", console.awaitType("error").getString("code"));
      console.send(
          new JsonObject()
              .put("type", "close")
              .put("conversationId", "not-a-uuid")
              .put("outcome", "advice"));
      assertEquals("invalid_field", console.awaitType("error").getString("code"));
      console.socket.writeTextMessage("][");
      assertEquals("malformed", console.awaitType("error").getString("code"));
    }
  }

  @Test
  @DisplayName("the console WebSocket refuses a missing session and a foreign origin")
  void consoleHandshakeRefused() throws Exception {
    int port = app.consolePort();
    try {
      WsProbe.connect(client, port, "/ws", "http://127.0.0.1:" + port, null);
      throw new AssertionError("connected without a session");
    } catch (java.util.concurrent.ExecutionException expected) {
      assertEquals(
          true, expected.getCause().getMessage().contains("401"), expected.getCause().getMessage());
    }
    String cookie = WalkingSkeletonIT.login(web, app, "mores");
    try {
      WsProbe.connect(client, port, "/ws", "http://evil.example", cookie);
      throw new AssertionError("connected from a foreign origin");
    } catch (java.util.concurrent.ExecutionException expected) {
      assertEquals(
          true, expected.getCause().getMessage().contains("403"), expected.getCause().getMessage());
    }
  }
}
