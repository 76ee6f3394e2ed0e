package nl.veiligpraten.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Walking skeleton: a visitor and a counselor chat end to end over real sockets and PostgreSQL")
class WalkingSkeletonIT {

  @TempDir
  static Path dataDir;
  static Vertx client;

  @BeforeAll
  static void setUp() {
    client = Vertx.vertx();
  }

  @AfterAll
  static void tearDown() throws Exception {
    client.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  static <T> T await(io.vertx.core.Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  /** Logs in a demo counselor and returns the session cookie header value. */
  static String login(WebClient web, RunningApp app, String org) throws Exception {
    HttpResponse<Buffer> response = await(web.post(app.consolePort(), "127.0.0.1", "/api/login")
        .sendJsonObject(new JsonObject().put("username", TestApp.demoUser(org))
            .put("password", TestApp.demoPassword(app, org))));
    assertEquals(200, response.statusCode(), response.bodyAsString());
    String setCookie = response.cookies().get(0);
    assertTrue(setCookie.contains("__Host-vp_session="), setCookie);
    return setCookie.substring(0, setCookie.indexOf(';'));
  }

  @Test
  @DisplayName("visitor picks a help point, counselor takes the chat, messages flow both ways in order, resend is "
      + "stored once, close is recorded, and a restart keeps the conversation")
  void fullFlow() throws Exception {
    RunningApp app = TestApp.start(dataDir);
    UUID conversationId;
    String visitorOrigin = "http://127.0.0.1:" + app.visitorPort();
    String consoleOrigin = "http://127.0.0.1:" + app.consolePort();
    WebClient web = WebClient.create(client);
    try {
      WsProbe visitor = WsProbe.connect(client, app.visitorPort(), "/ws", visitorOrigin, null);
      visitor.send(new JsonObject().put("type", "hello").put("v", 1));
      JsonObject welcome = visitor.awaitType("welcome");
      assertNotNull(welcome.getString("resumeToken"));
      assertEquals(8, welcome.getString("resumeCode").length());
      visitor.send(new JsonObject().put("type", "choose").put("helpPoint", "csg"));
      JsonObject queued = visitor.awaitType("queued");
      assertEquals(1L, queued.getLong("position"));

      String cookie = login(web, app, "csg");
      WsProbe counselor = WsProbe.connect(client, app.consolePort(), "/ws", consoleOrigin, cookie);
      JsonObject queue = counselor.await(f -> "queue".equals(f.getString("type"))
          && !f.getJsonArray("items").isEmpty(), Duration.ofSeconds(10));
      conversationId = UUID.fromString(queue.getJsonArray("items").getJsonObject(0).getString("conversationId"));
      counselor.send(new JsonObject().put("type", "take"));
      JsonObject assigned = counselor.awaitType("assigned");
      assertEquals(conversationId.toString(), assigned.getString("conversationId"));
      assertEquals("Hulpverlener Centrum Seksueel Geweld", visitor.awaitType("assigned").getString("counselor"));

      for (int i = 1; i <= 3; i++) {
        visitor.send(new JsonObject().put("type", "message").put("clientId", "v-" + i).put("body", "bericht " + i));
        JsonObject ack = visitor.awaitType("ack");
        assertEquals("v-" + i, ack.getString("clientId"));
        assertEquals((long) i, ack.getLong("seq"));
      }
      // A resend (e.g. after a lost ack) gets the same sequence number and is not stored again.
      visitor.send(new JsonObject().put("type", "message").put("clientId", "v-2").put("body", "bericht 2"));
      JsonObject dupAck = visitor.awaitType("ack");
      assertEquals(2L, dupAck.getLong("seq"));
      assertTrue(dupAck.getBoolean("duplicate"));

      List<String> received = new ArrayList<>();
      while (received.size() < 3) {
        JsonObject m = counselor.awaitType("message");
        received.add(m.getLong("seq") + ":" + m.getString("body"));
      }
      assertEquals(List.of("1:bericht 1", "2:bericht 2", "3:bericht 3"), received);

      counselor.send(new JsonObject().put("type", "message").put("conversationId", conversationId.toString())
          .put("clientId", "c-1").put("body", "Fijn dat je er bent."));
      assertEquals(4L, counselor.awaitType("ack").getLong("seq"));
      JsonObject reply = visitor.await(f -> "message".equals(f.getString("type"))
          && "counselor".equals(f.getString("from")), Duration.ofSeconds(10));
      assertEquals("Fijn dat je er bent.", reply.getString("body"));
      assertEquals(4L, reply.getLong("seq"));

      counselor.send(new JsonObject().put("type", "close").put("conversationId", conversationId.toString())
          .put("outcome", "listened"));
      assertEquals("listened", visitor.awaitType("closed").getString("outcome"));

      RowSet<Row> rows = await(app.pool().preparedQuery(
          "SELECT count(*) AS n, count(DISTINCT client_id) AS d FROM message WHERE conversation_id = $1")
          .execute(Tuple.of(conversationId)));
      assertEquals(4L, rows.iterator().next().getLong("n"));
      assertEquals(4L, rows.iterator().next().getLong("d"));
      Row conv = await(app.pool().preparedQuery("SELECT status, outcome FROM conversation WHERE id = $1")
          .execute(Tuple.of(conversationId))).iterator().next();
      assertEquals("closed", conv.getString("status"));
      assertEquals("listened", conv.getString("outcome"));
      // Bodies are sealed: the plaintext is not in the column.
      Row body = await(app.pool().preparedQuery("SELECT body FROM message WHERE conversation_id = $1 AND seq = 1")
          .execute(Tuple.of(conversationId))).iterator().next();
      assertFalse(new String(body.getBuffer("body").getBytes(), java.nio.charset.StandardCharsets.ISO_8859_1)
          .contains("bericht 1"));
      visitor.close();
      counselor.close();
    } finally {
      app.stopBlocking();
    }

    RunningApp again = TestApp.start(dataDir);
    try {
      Row conv = await(again.pool().preparedQuery("SELECT status, outcome, next_seq FROM conversation WHERE id = $1")
          .execute(Tuple.of(conversationId))).iterator().next();
      assertEquals("closed", conv.getString("status"));
      assertEquals(4L, conv.getLong("next_seq"));
      assertEquals(4, again.transcripts().read(conversationId, "csg", 0, 10)
          .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).size());
    } finally {
      again.stopBlocking();
    }
  }
}
