package nl.veiligpraten.app;

import static nl.veiligpraten.app.ConsoleFixtures.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import nl.veiligpraten.gateway.ResumeGuard;
import nl.veiligpraten.infra.abuse.Limit;
import nl.veiligpraten.infra.web.Secrets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName(
    "Anonymous messages by code (issue 19): leave, seal, answer in the console, read with the code, limits")
class InboxIT {

  @TempDir static Path dataDir;
  static RunningApp app;
  static Vertx client;
  static WebClient web;
  static ConsoleFixtures.Login mores;
  static ConsoleFixtures.Login csg;

  /**
   * Three code attempts per address per minute: small enough to reach in a test, the real budget's
   * shape.
   */
  static final ResumeGuard.Budgets BUDGETS =
      new ResumeGuard.Budgets(
          20,
          new Limit(3, Duration.ofMinutes(1)),
          new Limit(300, Duration.ofMinutes(1)),
          Duration.ofHours(1));

  @BeforeAll
  static void setUp() throws Exception {
    AppSettings base = AppSettings.forTest(dataDir);
    SecuritySettings s = base.security();
    app = TestApp.start(base.withSecurity(s.withResume(BUDGETS)));
    client = Vertx.vertx();
    web = WebClient.create(client);
    ConsoleFixtures.createStaff(app, "mores", "mores-inbox", "counselor", "inbox-password", 3);
    ConsoleFixtures.createStaff(app, "csg", "csg-inbox", "counselor", "inbox-password", 3);
    ConsoleFixtures.createStaff(app, "mores", "mores-lead", "supervisor", "lead-password", 3);
    mores = ConsoleFixtures.login(web, app, "mores-inbox", "inbox-password", null);
    csg = ConsoleFixtures.login(web, app, "csg-inbox", "inbox-password", null);
  }

  @AfterAll
  static void tearDown() throws Exception {
    app.stopBlocking();
    client.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  static WsProbe visitor(String from) throws Exception {
    WsProbe v =
        WsProbe.connectFrom(
            client, from, app.visitorPort(), "/ws", "http://127.0.0.1:" + app.visitorPort(), null);
    return v;
  }

  static JsonObject leave(String body, String clientId) {
    return new JsonObject()
        .put("type", "leave-message")
        .put("helpPoint", "mores")
        .put("lang", "nl")
        .put("answers", new JsonObject().put("Q1", "victim"))
        .put("clientId", clientId)
        .put("body", body);
  }

  static Row conversation(UUID id) throws Exception {
    return await(
            app.pool()
                .preparedQuery(
                    "SELECT status, org_id, help_point, intake::text AS intake, next_seq, "
                        + "resume_code_hash FROM conversation WHERE id = $1")
                .execute(Tuple.of(id)))
        .iterator()
        .next();
  }

  static UUID idOf(String token) throws Exception {
    return await(
            app.pool()
                .preparedQuery("SELECT id FROM conversation WHERE resume_hash = $1")
                .execute(Tuple.of(Buffer.buffer(Secrets.sha256(token)))))
        .iterator()
        .next()
        .getUUID("id");
  }

  @Test
  @DisplayName(
      "a message left for Mores is sealed for Mores, listed in Mores' inbox only, answered there, and read "
          + "with its 16-character code on a new socket, where the visitor can reply")
  void leaveAnswerRead() throws Exception {
    WsProbe v = visitor("127.0.0.11");
    v.send(new JsonObject().put("type", "hello").put("v", 1));
    String token = v.awaitType("welcome").getString("resumeToken");
    UUID id = idOf(token);
    String secret = "Er is iets gebeurd op de filmset, ik weet niet wat ik moet doen.";
    v.send(leave(secret, "left-1"));
    JsonObject ack = v.awaitType("ack");
    assertEquals("left-1", ack.getString("clientId"));
    assertEquals(1L, ack.getLong("seq"));
    String code = v.awaitType("message-left").getString("code");
    assertEquals(ResumeGuard.MESSAGE_CODE_LENGTH, code.length());
    assertTrue(code.matches("[A-Z2-9]{16}"), code);

    Row row = conversation(id);
    assertEquals("inbox", row.getString("status"));
    assertEquals("mores", row.getString("org_id"));
    assertEquals("message", new JsonObject(row.getString("intake")).getString("channel"));
    // Sealed: no plaintext in the message row; the key is wrapped for Mores only.
    Buffer sealed =
        await(
                app.pool()
                    .preparedQuery("SELECT body FROM message WHERE conversation_id = $1")
                    .execute(Tuple.of(id)))
            .iterator()
            .next()
            .getBuffer("body");
    assertFalse(sealed.toString(StandardCharsets.ISO_8859_1).contains("filmset"));
    JsonArray keyOrgs = new JsonArray();
    await(
            app.pool()
                .preparedQuery("SELECT org_id FROM conversation_key WHERE conversation_id = $1")
                .execute(Tuple.of(id)))
        .forEach(r -> keyOrgs.add(r.getString(0)));
    assertEquals(new JsonArray().add("mores"), keyOrgs);
    // Statistics: its own channel.
    String channel =
        await(
                app.pool()
                    .preparedQuery(
                        "SELECT c.channel FROM stat_case c JOIN stat_case_link l "
                            + "ON l.case_ref = c.case_ref WHERE l.conversation_id = $1")
                    .execute(Tuple.of(id)))
            .iterator()
            .next()
            .getString(0);
    assertEquals("message", channel);
    v.close();

    // Mores sees it (waiting for an answer); CSG does not, and cannot open it.
    JsonArray inbox =
        ConsoleFixtures.get(web, app, mores, "/api/inbox").bodyAsJsonObject().getJsonArray("inbox");
    JsonObject item =
        inbox.stream()
            .map(JsonObject.class::cast)
            .filter(i -> id.toString().equals(i.getString("conversationId")))
            .findFirst()
            .orElseThrow();
    assertTrue(item.getBoolean("waiting"));
    assertTrue(
        ConsoleFixtures.get(web, app, csg, "/api/inbox")
            .bodyAsJsonObject()
            .getJsonArray("inbox")
            .stream()
            .noneMatch(i -> ((JsonObject) i).getString("conversationId").equals(id.toString())));
    assertEquals(404, ConsoleFixtures.get(web, app, csg, "/api/inbox/" + id).statusCode());
    assertEquals(
        409,
        ConsoleFixtures.post(
                web,
                app,
                csg,
                "/api/inbox/" + id + "/reply",
                new JsonObject().put("clientId", "c-x").put("body", "Niet van jou."))
            .statusCode());

    // Opening the thread is an audited transcript read.
    long auditBefore = auditReads(id);
    JsonObject thread = ConsoleFixtures.get(web, app, mores, "/api/inbox/" + id).bodyAsJsonObject();
    assertEquals(secret, thread.getJsonArray("messages").getJsonObject(0).getString("body"));
    assertEquals("victim", thread.getJsonObject("intake").getJsonObject("answers").getString("Q1"));
    assertEquals(auditBefore + 1, auditReads(id));

    // Bad replies change nothing.
    assertEquals(
        400,
        ConsoleFixtures.post(
                web,
                app,
                mores,
                "/api/inbox/" + id + "/reply",
                new JsonObject().put("clientId", "c-1").put("body", "  "))
            .statusCode());
    assertEquals(
        400,
        ConsoleFixtures.post(
                web,
                app,
                mores,
                "/api/inbox/" + id + "/reply",
                new JsonObject().put("clientId", "c-1").put("body", "x".repeat(4001)))
            .statusCode());
    assertEquals(1L, conversation(id).getLong("next_seq"));

    JsonObject stored =
        ConsoleFixtures.post(
                web,
                app,
                mores,
                "/api/inbox/" + id + "/reply",
                new JsonObject()
                    .put("clientId", "c-1")
                    .put("body", "Dank je voor je bericht. Wat fijn dat je schrijft."))
            .bodyAsJsonObject();
    assertEquals(2L, stored.getLong("seq"));
    // A resend is stored once.
    JsonObject again =
        ConsoleFixtures.post(
                web,
                app,
                mores,
                "/api/inbox/" + id + "/reply",
                new JsonObject()
                    .put("clientId", "c-1")
                    .put("body", "Dank je voor je bericht. Wat fijn dat je schrijft."))
            .bodyAsJsonObject();
    assertTrue(again.getBoolean("duplicate"));
    assertEquals(2L, conversation(id).getLong("next_seq"));
    Row stat =
        await(
                app.pool()
                    .preparedQuery(
                        "SELECT c.first_reply_at, c.wait_seconds FROM stat_case c "
                            + "JOIN stat_case_link l ON l.case_ref = c.case_ref WHERE l.conversation_id = $1")
                    .execute(Tuple.of(id)))
            .iterator()
            .next();
    assertNotNull(stat.getValue("first_reply_at"), "time to first answer is recorded");

    // Back with the code (grouped and in lower case, as people write it down) on a new socket.
    WsProbe back = visitor("127.0.0.12");
    String typed =
        code.toLowerCase().substring(0, 4) + " " + code.substring(4, 8) + "-" + code.substring(8);
    back.send(new JsonObject().put("type", "hello").put("v", 1).put("resumeCode", typed));
    JsonObject welcome = back.awaitType("welcome");
    assertEquals("inbox", welcome.getString("status"));
    JsonObject answer =
        back.await(
            f -> "message".equals(f.getString("type")) && f.getLong("seq") == 2L,
            Duration.ofSeconds(10));
    assertEquals("counselor", answer.getString("from"));
    assertEquals("Dank je voor je bericht. Wat fijn dat je schrijft.", answer.getString("body"));
    // The console sees the visitor is here now, and the visitor's reply makes the thread wait
    // again.
    awaitInbox(id, i -> i.getBoolean("visitorHere"));
    back.send(
        new JsonObject()
            .put("type", "message")
            .put("clientId", "r-1")
            .put("body", "Dank je. Ik kom morgen terug."));
    assertEquals(3L, back.awaitType("ack").getLong("seq"));
    awaitInbox(id, i -> i.getBoolean("waiting"));

    // While the visitor is back a counselor turns the thread into a live chat.
    WsProbe console =
        WsProbe.connect(
            client, app.consolePort(), "/ws", ConsoleFixtures.origin(app), mores.cookie());
    console.awaitType("hello");
    assertEquals(
        200,
        ConsoleFixtures.post(web, app, mores, "/api/inbox/" + id + "/take", new JsonObject())
            .statusCode());
    assertEquals("Medewerker mores-inbox", back.awaitType("assigned").getString("counselor"));
    console.await(
        f ->
            "assigned".equals(f.getString("type"))
                && id.toString().equals(f.getString("conversationId")),
        Duration.ofSeconds(10));
    assertEquals("assigned", conversation(id).getString("status"));
    // Taken: no longer in the inbox, and a second take finds nothing.
    assertEquals(
        409,
        ConsoleFixtures.post(web, app, mores, "/api/inbox/" + id + "/take", new JsonObject())
            .statusCode());
    console.close();
    back.close();
  }

  @Test
  @DisplayName(
      "an empty or oversize message is refused as a chat message is, and nothing is stored or routed")
  void badMessages() throws Exception {
    WsProbe v = visitor("127.0.0.13");
    v.send(new JsonObject().put("type", "hello").put("v", 1));
    UUID id = idOf(v.awaitType("welcome").getString("resumeToken"));
    v.send(leave("   ", "bad-1"));
    assertEquals("invalid_field", v.awaitType("error").getString("code"));
    v.send(leave("x".repeat(4001), "bad-2"));
    assertEquals("too_long", v.awaitType("error").getString("code"));
    v.send(leave("Hallo", "bad id with spaces"));
    assertEquals("invalid_field", v.awaitType("error").getString("code"));
    v.send(leave("Hallo", "bad-3").put("helpPoint", "no_such_help_point"));
    assertEquals("invalid_answer", v.awaitType("error").getString("code"));
    // An information card has no counselors here to read a message.
    v.send(leave("Hallo", "bad-4").put("helpPoint", "helpwanted"));
    assertEquals("no_inbox", v.awaitType("error").getString("code"));
    Row row = conversation(id);
    assertEquals("intake", row.getString("status"));
    assertEquals(0L, row.getLong("next_seq"));
    assertEquals(
        0L,
        await(
                app.pool()
                    .preparedQuery(
                        "SELECT count(*) FROM conversation_key WHERE conversation_id = $1")
                    .execute(Tuple.of(id)))
            .iterator()
            .next()
            .getLong(0));
    // The socket still works: a good message is stored.
    v.send(leave("Nu goed.", "good-1"));
    assertEquals(1L, v.awaitType("ack").getLong("seq"));
    v.awaitType("message-left");
    v.close();
  }

  @Test
  @DisplayName(
      "unknown and guessed message codes get one neutral error and use the resume-code budget of the address: "
          + "after it even a right code is refused there, while another address still gets in")
  void guessedCodes() throws Exception {
    WsProbe v = visitor("127.0.0.14");
    v.send(new JsonObject().put("type", "hello").put("v", 1));
    UUID id = idOf(v.awaitType("welcome").getString("resumeToken"));
    v.send(leave("Bericht om terug te lezen.", "g-1"));
    String code = v.awaitType("message-left").getString("code");
    v.close();

    java.util.Random random = new java.util.Random(19);
    WsProbe guesser = visitor("127.0.0.15");
    for (int i = 0; i < 3; i++) {
      guesser.send(
          new JsonObject()
              .put("type", "hello")
              .put("v", 1)
              .put("resumeCode", guess16(random, code)));
      JsonObject error = guesser.awaitType("error");
      assertEquals("unknown_resume", error.getString("code"));
      // One neutral text for every unknown code: nothing says whether it was a message code or a
      // chat code.
      assertEquals(
          "Dit gesprek bestaat niet meer. / This conversation no longer exists.",
          error.getString("message"));
    }
    // The budget of this address is spent: the right code is refused here too, without a lookup.
    guesser.send(new JsonObject().put("type", "hello").put("v", 1).put("resumeCode", code));
    assertEquals("rate_limited", guesser.awaitType("error").getString("code"));
    guesser.close();
    // An expired (closed) thread is unknown, from another address.
    WsProbe other = visitor("127.0.0.16");
    other.send(new JsonObject().put("type", "hello").put("v", 1).put("resumeCode", code));
    assertEquals("inbox", other.awaitType("welcome").getString("status"));
    other.close();
    // Idle for longer than the inbox stays open: the sweep closes it and the code stops working.
    await(
        app.pool()
            .preparedQuery(
                "UPDATE conversation SET queued_at = now() - interval '40 days' WHERE id = $1")
            .execute(Tuple.of(id)));
    await(
        app.pool()
            .preparedQuery(
                "UPDATE message SET created_at = now() - interval '40 days' "
                    + "WHERE conversation_id = $1")
            .execute(Tuple.of(id)));
    var expired =
        await(
            nl.veiligpraten.gateway.QueueSweep.expireInbox(
                app.vertx(),
                app.transcripts().conversations(),
                nl.veiligpraten.gateway.QueueSweep.INBOX_OPEN_SECONDS));
    assertTrue(
        expired.stream().anyMatch(c -> c.id().equals(id) && "inbox_expired".equals(c.outcome())));
    assertEquals("closed", conversation(id).getString("status"));
    WsProbe late = visitor("127.0.0.17");
    late.send(new JsonObject().put("type", "hello").put("v", 1).put("resumeCode", code));
    assertEquals("unknown_resume", late.awaitType("error").getString("code"));
    late.close();
  }

  @Test
  @DisplayName("delete on request from the inbox destroys the thread's key and messages at once")
  void deleteOnRequest() throws Exception {
    WsProbe v = visitor("127.0.0.18");
    v.send(new JsonObject().put("type", "hello").put("v", 1));
    UUID id = idOf(v.awaitType("welcome").getString("resumeToken"));
    v.send(leave("Wis dit later.", "d-1"));
    String code = v.awaitType("message-left").getString("code");
    v.close();
    WsProbe back = visitor("127.0.0.19");
    back.send(new JsonObject().put("type", "hello").put("v", 1).put("resumeCode", code));
    back.awaitType("welcome");
    back.send(new JsonObject().put("type", "delete"));
    back.awaitType("deleted");
    assertEquals(
        0L,
        await(
                app.pool()
                    .preparedQuery(
                        "SELECT (SELECT count(*) FROM message WHERE conversation_id = $1) "
                            + "+ (SELECT count(*) FROM conversation_key WHERE conversation_id = $1)")
                    .execute(Tuple.of(id)))
            .iterator()
            .next()
            .getLong(0));
    assertEquals(
        1L,
        await(
                app.pool()
                    .preparedQuery(
                        "SELECT count(*) FROM audit_log WHERE conversation_id = $1 "
                            + "AND action = 'delete_on_request'")
                    .execute(Tuple.of(id)))
            .iterator()
            .next()
            .getLong(0));
  }

  @Test
  @DisplayName(
      "statistics count messages as their own channel: inflow and time to first answer split by channel, "
          + "and the chat figures without them")
  void statisticsChannel() throws Exception {
    WsProbe v = visitor("127.0.0.20");
    v.send(new JsonObject().put("type", "hello").put("v", 1));
    UUID id = idOf(v.awaitType("welcome").getString("resumeToken"));
    v.send(leave("Voor de cijfers.", "s-1"));
    v.awaitType("message-left");
    v.close();
    assertEquals(
        200,
        ConsoleFixtures.post(
                web,
                app,
                mores,
                "/api/inbox/" + id + "/reply",
                new JsonObject().put("clientId", "s-r").put("body", "Antwoord."))
            .statusCode());
    ConsoleFixtures.Login lead =
        ConsoleFixtures.login(web, app, "mores-lead", "lead-password", null);
    String today = java.time.LocalDate.now(java.time.ZoneId.of("Europe/Amsterdam")).toString();
    String period = "&rows=help_point&from=" + today + "&to=" + today;

    JsonObject inflow =
        ConsoleFixtures.get(web, app, lead, "/api/stats/figure?figure=inflow&by=channel" + period)
            .bodyAsJsonObject();
    JsonObject table = inflow.getJsonArray("tables").getJsonObject(0);
    assertEquals(List.of("chat", "message"), table.getJsonArray("columns").getList());
    // Every message left for Mores in this run (deleted ones too: statistics keep the case, never
    // the text).
    long left =
        await(
                app.pool()
                    .preparedQuery(
                        "SELECT count(*) FROM stat_case WHERE org_id = 'mores' "
                            + "AND channel = 'message'")
                    .execute())
            .iterator()
            .next()
            .getLong(0);
    assertTrue(left >= 1);
    assertEquals(left, cell(table, "mores", "message"));

    JsonObject waiting =
        ConsoleFixtures.get(web, app, lead, "/api/stats/figure?figure=waiting&by=channel" + period)
            .bodyAsJsonObject();
    JsonObject n = waiting.getJsonArray("tables").getJsonObject(0);
    assertTrue(cell(n, "mores", "message") >= 1, "time to first answer counted: " + n.encode());
    assertTrue(waiting.encode().contains("p50_seconds"), waiting.encode());

    // The chat figures (inflow without the channel split, waits per priority) leave messages out.
    JsonObject chats =
        ConsoleFixtures.get(web, app, lead, "/api/stats/figure?figure=inflow&by=none" + period)
            .bodyAsJsonObject()
            .getJsonArray("tables")
            .getJsonObject(0);
    assertEquals(cell(table, "mores", "chat"), cell(chats, "mores", "n"));
  }

  /** A cell of a published table by row and column label; 0 when the row is absent. */
  static long cell(JsonObject table, String row, String column) {
    int r = table.getJsonArray("rows").getList().indexOf(row);
    int c = table.getJsonArray("columns").getList().indexOf(column);
    if (r < 0) {
      return 0;
    }
    Object v = table.getJsonArray("cells").getJsonArray(r).getValue(c);
    return v == null ? -1 : ((Number) v).longValue();
  }

  static long auditReads(UUID id) throws Exception {
    return await(
            app.pool()
                .preparedQuery(
                    "SELECT count(*) FROM audit_log WHERE conversation_id = $1 "
                        + "AND action = 'read_transcript'")
                .execute(Tuple.of(id)))
        .iterator()
        .next()
        .getLong(0);
  }

  static void awaitInbox(UUID id, java.util.function.Predicate<JsonObject> condition)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      JsonArray inbox =
          ConsoleFixtures.get(web, app, mores, "/api/inbox")
              .bodyAsJsonObject()
              .getJsonArray("inbox");
      boolean ok =
          inbox.stream()
              .map(JsonObject.class::cast)
              .anyMatch(
                  i -> id.toString().equals(i.getString("conversationId")) && condition.test(i));
      if (ok) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("inbox never matched: " + inbox.encode());
      }
      Thread.sleep(100);
    }
  }

  static String guess16(java.util.Random random, String avoid) {
    String alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
    while (true) {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < 16; i++) {
        b.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      if (!b.toString().equals(avoid)) {
        return b.toString();
      }
    }
  }
}
