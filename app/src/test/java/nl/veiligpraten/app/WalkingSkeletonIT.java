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

@DisplayName(
    "Walking skeleton: a visitor and a counselor chat end to end over real sockets and PostgreSQL")
class WalkingSkeletonIT {

  @TempDir static Path dataDir;
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
    HttpResponse<Buffer> response =
        await(
            web.post(app.consolePort(), "127.0.0.1", "/api/login")
                .sendJsonObject(
                    new JsonObject()
                        .put("username", TestApp.demoUser(org))
                        .put("password", TestApp.demoPassword(app, org))));
    assertEquals(200, response.statusCode(), response.bodyAsString());
    String setCookie = response.cookies().get(0);
    assertTrue(setCookie.contains("__Host-vp_session="), setCookie);
    return setCookie.substring(0, setCookie.indexOf(';'));
  }

  @Test
  @DisplayName(
      "visitor picks a help point, counselor takes the chat, messages flow both ways in order, resend is "
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
      assertEquals(12, welcome.getString("resumeCode").length());
      visitor.send(new JsonObject().put("type", "choose").put("helpPoint", "csg"));
      JsonObject queued = visitor.awaitType("queued");
      assertEquals(1L, queued.getLong("position"));

      String cookie = login(web, app, "csg");
      WsProbe counselor = WsProbe.connect(client, app.consolePort(), "/ws", consoleOrigin, cookie);
      JsonObject queue =
          counselor.await(
              f -> "queue".equals(f.getString("type")) && !f.getJsonArray("items").isEmpty(),
              Duration.ofSeconds(10));
      conversationId =
          UUID.fromString(queue.getJsonArray("items").getJsonObject(0).getString("conversationId"));
      counselor.send(new JsonObject().put("type", "take"));
      JsonObject assigned = counselor.awaitType("assigned");
      assertEquals(conversationId.toString(), assigned.getString("conversationId"));
      assertEquals(
          "Hulpverlener Centrum Seksueel Geweld",
          visitor.awaitType("assigned").getString("counselor"));

      for (int i = 1; i <= 3; i++) {
        visitor.send(
            new JsonObject()
                .put("type", "message")
                .put("clientId", "v-" + i)
                .put("body", "bericht " + i));
        JsonObject ack = visitor.awaitType("ack");
        assertEquals("v-" + i, ack.getString("clientId"));
        assertEquals((long) i, ack.getLong("seq"));
      }
      // A resend (e.g. after a lost ack) gets the same sequence number and is not stored again.
      visitor.send(
          new JsonObject().put("type", "message").put("clientId", "v-2").put("body", "bericht 2"));
      JsonObject dupAck = visitor.awaitType("ack");
      assertEquals(2L, dupAck.getLong("seq"));
      assertTrue(dupAck.getBoolean("duplicate"));

      List<String> received = new ArrayList<>();
      while (received.size() < 3) {
        JsonObject m = counselor.awaitType("message");
        received.add(m.getLong("seq") + ":" + m.getString("body"));
      }
      assertEquals(List.of("1:bericht 1", "2:bericht 2", "3:bericht 3"), received);

      counselor.send(
          new JsonObject()
              .put("type", "message")
              .put("conversationId", conversationId.toString())
              .put("clientId", "c-1")
              .put("body", "Fijn dat je er bent."));
      assertEquals(4L, counselor.awaitType("ack").getLong("seq"));
      JsonObject reply =
          visitor.await(
              f -> "message".equals(f.getString("type")) && "counselor".equals(f.getString("from")),
              Duration.ofSeconds(10));
      assertEquals("Fijn dat je er bent.", reply.getString("body"));
      assertEquals(4L, reply.getLong("seq"));

      // The counselor's own messages come back to their socket as acks only, never as an echo; a
      // visitor message
      // written between them still arrives, once.
      counselor.send(
          new JsonObject()
              .put("type", "message")
              .put("conversationId", conversationId.toString())
              .put("clientId", "c-2")
              .put("body", "Hoe gaat het nu?"));
      visitor.send(
          new JsonObject().put("type", "message").put("clientId", "v-4").put("body", "Het gaat."));
      counselor.send(
          new JsonObject()
              .put("type", "message")
              .put("conversationId", conversationId.toString())
              .put("clientId", "c-3")
              .put("body", "Neem de tijd."));
      List<String> atCounselor = new ArrayList<>();
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (atCounselor.stream()
                  .filter(f -> f.startsWith("ack") || f.startsWith("message"))
                  .count()
              < 3
          && System.nanoTime() < until) {
        JsonObject f = counselor.frames.poll(100, TimeUnit.MILLISECONDS);
        if (f != null
            && ("ack".equals(f.getString("type")) || "message".equals(f.getString("type")))) {
          atCounselor.add(
              f.getString("type")
                  + ":"
                  + f.getString("clientId", f.getString("from"))
                  + ":"
                  + f.getString("body", ""));
        }
      }
      assertEquals(
          List.of("ack:c-2:", "ack:c-3:", "message:visitor:Het gaat."),
          atCounselor.stream().sorted().toList());
      // No echo: a later visitor message (seq 8, after every counselor message so far) reaches the
      // console, and no
      // frame before it is one of the counselor's own messages.
      visitor.send(
          new JsonObject()
              .put("type", "message")
              .put("clientId", "v-5")
              .put("body", "Nog een ding."));
      List<JsonObject> beforeLater =
          counselor.before(
              f ->
                  "message".equals(f.getString("type"))
                      && "Nog een ding.".equals(f.getString("body")),
              Duration.ofSeconds(10));
      assertTrue(
          beforeLater.stream()
              .noneMatch(
                  f ->
                      "message".equals(f.getString("type"))
                          && "counselor".equals(f.getString("from"))),
          "no echo: " + beforeLater);

      // Sent back to back, without waiting for acks: stored, acknowledged and shown to the visitor
      // in typed order,
      // from memory: sender and receiver are on this node, so no socket needs to read PostgreSQL
      // for them.
      long databaseReads = app.transcripts().databaseReads();
      long memoryReads = app.transcripts().memoryReads();
      for (int i = 10; i < 40; i++) {
        counselor.send(
            new JsonObject()
                .put("type", "message")
                .put("conversationId", conversationId.toString())
                .put("clientId", "c-" + i)
                .put("body", "snel " + i));
      }
      long lastSeq = 8;
      for (int i = 10; i < 40; i++) {
        JsonObject ack = counselor.awaitType("ack");
        assertEquals(
            "c-" + i, ack.getString("clientId"), "acks come in the order the messages were sent");
        assertEquals(lastSeq + 1, ack.getLong("seq"), "gap-free numbers in typed order");
        lastSeq = ack.getLong("seq");
      }
      for (int i = 10; i < 40; i++) {
        JsonObject m =
            visitor.await(
                f ->
                    "message".equals(f.getString("type"))
                        && f.getString("body", "").startsWith("snel "),
                Duration.ofSeconds(10));
        assertEquals("snel " + i, m.getString("body"));
      }
      assertEquals(databaseReads, app.transcripts().databaseReads(), "no pump went to PostgreSQL");
      assertTrue(
          app.transcripts().memoryReads() > memoryReads, "the visitor's pump read from memory");

      counselor.send(
          new JsonObject()
              .put("type", "close")
              .put("conversationId", conversationId.toString())
              .put("outcome", "listened"));
      assertEquals("listened", visitor.awaitType("closed").getString("outcome"));

      RowSet<Row> rows =
          await(
              app.pool()
                  .preparedQuery(
                      "SELECT count(*) AS n, count(DISTINCT client_id) AS d FROM message WHERE conversation_id = $1")
                  .execute(Tuple.of(conversationId)));
      assertEquals(38L, rows.iterator().next().getLong("n"));
      assertEquals(38L, rows.iterator().next().getLong("d"));
      Row conv =
          await(
                  app.pool()
                      .preparedQuery("SELECT status, outcome FROM conversation WHERE id = $1")
                      .execute(Tuple.of(conversationId)))
              .iterator()
              .next();
      assertEquals("closed", conv.getString("status"));
      assertEquals("listened", conv.getString("outcome"));
      // Bodies are sealed: the plaintext is not in the column.
      Row body =
          await(
                  app.pool()
                      .preparedQuery(
                          "SELECT body FROM message WHERE conversation_id = $1 AND seq = 1")
                      .execute(Tuple.of(conversationId)))
              .iterator()
              .next();
      assertFalse(
          new String(
                  body.getBuffer("body").getBytes(), java.nio.charset.StandardCharsets.ISO_8859_1)
              .contains("bericht 1"));
      visitor.close();
      counselor.close();
    } finally {
      app.stopBlocking();
    }

    RunningApp again = TestApp.start(dataDir);
    try {
      Row conv =
          await(
                  again
                      .pool()
                      .preparedQuery(
                          "SELECT status, outcome, next_seq FROM conversation WHERE id = $1")
                      .execute(Tuple.of(conversationId)))
              .iterator()
              .next();
      assertEquals("closed", conv.getString("status"));
      assertEquals(38L, conv.getLong("next_seq"));
      assertEquals(
          38,
          again
              .transcripts()
              .read(conversationId, "csg", 0, 100)
              .toCompletionStage()
              .toCompletableFuture()
              .get(10, TimeUnit.SECONDS)
              .size());
    } finally {
      again.stopBlocking();
    }
  }
}
