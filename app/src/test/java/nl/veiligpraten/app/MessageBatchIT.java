package nl.veiligpraten.app;

import static nl.veiligpraten.app.PrivacySupport.await;
import static nl.veiligpraten.app.PrivacySupport.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import nl.veiligpraten.audit.AuditContext;
import nl.veiligpraten.conversation.AppendResult;
import nl.veiligpraten.conversation.ConversationClosedException;
import nl.veiligpraten.conversation.PlainMessage;
import nl.veiligpraten.conversation.TranscriptService;
import nl.veiligpraten.infra.web.Secrets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName(
    "Message appends are group-committed in pipelined batches without losing order, resends or refusals")
class MessageBatchIT extends SharedServiceIT {

  private static UUID queuedConversation(TranscriptService<?> transcripts) throws Exception {
    UUID id = UUID.randomUUID();
    await(
        transcripts
            .conversations()
            .create(id, Secrets.sha256(Secrets.token()), Secrets.sha256(Secrets.token())));
    await(transcripts.route(id, "csg", "csg", 2, "test", "{}"));
    return id;
  }

  private static long csgCounselor() throws Exception {
    return count(app, "SELECT min(id) FROM staff_user WHERE org_id = 'csg'");
  }

  /**
   * A csg conversation assigned to {@code staffId} directly in the database (no console in these
   * tests).
   */
  private static UUID assignedConversation(TranscriptService<?> transcripts, long staffId)
      throws Exception {
    UUID id = queuedConversation(transcripts);
    // This counselor has no console, so the abandoned-chat sweep would hand the chat back to the
    // queue once the
    // grace since their last presence has passed (it failed this test once on a slow box): seen
    // "later" than now,
    // and still not present, so nothing is assigned to them automatically either.
    await(
        app.pool()
            .preparedQuery(
                "UPDATE staff_user SET last_present_at = now() + interval '1 hour' WHERE id = $1")
            .execute(Tuple.of(staffId)));
    await(
        app.pool()
            .preparedQuery(
                "UPDATE conversation SET status = 'assigned', counselor_id = $2, "
                    + "assigned_at = now() WHERE id = $1")
            .execute(Tuple.of(id, staffId)));
    return id;
  }

  @Test
  @DisplayName(
      "1,000 appends from four event loops to 25 chats (each sender waits for its previous ack in a chat, "
          + "as sockets do): gap-free sequence numbers per chat in each sender's order, answered on the caller's own "
          + "context, and far fewer transactions than messages")
  void concurrentAppendsShareCommits() throws Exception {
    TranscriptService<?> transcripts = app.transcripts();
    List<UUID> chats = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      chats.add(queuedConversation(transcripts));
    }
    int perLoop = 250;
    List<Context> loops = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      loops.add(client.getOrCreateContext());
    }
    List<Future<List<AppendResult>>> all = new ArrayList<>();
    List<Boolean> onCallerContext = java.util.Collections.synchronizedList(new ArrayList<>());
    for (int l = 0; l < loops.size(); l++) {
      Context loop = loops.get(l);
      int sender = l;
      Promise<List<AppendResult>> done = Promise.promise();
      loop.runOnContext(
          v -> {
            List<Future<AppendResult>> mine = new ArrayList<>();
            Map<UUID, Future<AppendResult>> previous = new HashMap<>();
            for (int i = 0; i < perLoop; i++) {
              UUID chat = chats.get(i % chats.size());
              int n = i;
              Future<AppendResult> next =
                  previous
                      .getOrDefault(chat, Future.succeededFuture())
                      .compose(
                          ignored ->
                              transcripts.append(
                                  chat,
                                  "csg",
                                  "visitor",
                                  null,
                                  "L" + sender + "-" + n,
                                  "bericht " + sender + "/" + n))
                      .andThen(ar -> onCallerContext.add(Vertx.currentContext() == loop));
              previous.put(chat, next);
              mine.add(next);
            }
            Future.all(mine)
                .map(
                    cf -> {
                      List<AppendResult> out = new ArrayList<>();
                      mine.forEach(f -> out.add(f.result()));
                      return out;
                    })
                .onComplete(done);
          });
      all.add(done.future());
    }
    Map<UUID, List<Long>> seqs = new HashMap<>();
    for (int l = 0; l < all.size(); l++) {
      List<AppendResult> results = await(all.get(l));
      for (int i = 0; i < perLoop; i++) {
        assertFalse(results.get(i).duplicate());
        seqs.computeIfAbsent(chats.get(i % chats.size()), k -> new ArrayList<>())
            .add(results.get(i).seq());
      }
    }
    assertEquals(1000, onCallerContext.size());
    assertFalse(onCallerContext.contains(false), "every answer ran on the context that asked");
    for (UUID chat : chats) {
      List<Long> got = new ArrayList<>(seqs.get(chat));
      got.sort(Long::compare);
      List<Long> expected = new ArrayList<>();
      for (long s = 1; s <= 40; s++) {
        expected.add(s);
      }
      assertEquals(expected, got, "sequence numbers 1..40 without gaps or repeats");
      // Within one sender the stored order is the order of its calls.
      List<PlainMessage> stored = await(transcripts.read(chat, "csg", 0, 100));
      Map<String, Integer> lastIndex = new HashMap<>();
      for (PlainMessage m : stored) {
        String[] parts = m.clientId().substring(1).split("-");
        int index = Integer.parseInt(parts[1]);
        assertTrue(lastIndex.getOrDefault(parts[0], -1) < index, "order of sender " + parts[0]);
        lastIndex.put(parts[0], index);
        assertEquals("bericht " + parts[0] + "/" + parts[1], m.body());
      }
    }
    long stored =
        count(
            app,
            "SELECT count(*) FROM message WHERE conversation_id = ANY($1)",
            (Object) chats.toArray(new UUID[0]));
    assertEquals(1000, stored);
    // Every row of one transaction gets that transaction's now(): distinct created_at =
    // transactions used.
    long transactions =
        count(
            app,
            "SELECT count(DISTINCT created_at) FROM message WHERE conversation_id = ANY($1)",
            (Object) chats.toArray(new UUID[0]));
    assertTrue(transactions <= 200, "1,000 messages needed " + transactions + " transactions");
  }

  @Test
  @DisplayName(
      "a resend in the same batch as its original, a message to a closed chat and a counselor message to a "
          + "chat that is not theirs are answered each on its own, without failing the messages beside them; the first "
          + "counselor reply is counted once")
  void oneBatchMixedOutcomes() throws Exception {
    TranscriptService<?> transcripts = app.transcripts();
    UUID open = queuedConversation(transcripts);
    UUID closed = queuedConversation(transcripts);
    await(transcripts.conversations().closeByVisitor(closed, "visitor_left"));
    long staffId = csgCounselor();
    UUID assigned = assignedConversation(transcripts, staffId);

    // Sent without waiting: they may share a batch or run in two concurrent ones; either way one
    // row is stored.
    Future<AppendResult> first = transcripts.append(open, "csg", "visitor", null, "same", "een");
    Future<AppendResult> resend = transcripts.append(open, "csg", "visitor", null, "same", "een");
    Future<AppendResult> toClosed =
        transcripts.append(closed, "csg", "visitor", null, "x", "te laat");
    Future<AppendResult> notMine =
        transcripts.appendAsAssignedCounselor(assigned, "csg", staffId + 1000, "c", "hoi");
    Future<AppendResult> mine =
        transcripts.appendAsAssignedCounselor(assigned, "csg", staffId, "c", "hoi");
    Future<AppendResult> otherOrg =
        transcripts.appendAsAssignedCounselor(open, "csg", staffId, "c2", "hoi");
    Future<AppendResult> second = transcripts.append(open, "csg", "visitor", null, "next", "twee");

    long seq = await(first).seq();
    assertEquals(seq, await(resend).seq(), "the resend gets the original's number");
    assertEquals(
        1,
        (await(first).duplicate() ? 1 : 0) + (await(resend).duplicate() ? 1 : 0),
        "exactly one of the two is the stored one");
    assertEquals(Set.of(1L, 2L), Set.of(seq, await(second).seq()));
    assertEquals(1L, await(mine).seq());
    for (Future<AppendResult> refused : List.of(toClosed, notMine, otherOrg)) {
      ExecutionException e =
          org.junit.jupiter.api.Assertions.assertThrows(
              ExecutionException.class, () -> await(refused));
      assertInstanceOf(ConversationClosedException.class, e.getCause());
    }
    assertEquals(2L, count(app, "SELECT count(*) FROM message WHERE conversation_id = $1", open));
    assertEquals(0L, count(app, "SELECT count(*) FROM message WHERE conversation_id = $1", closed));
    Row row =
        await(
                app.pool()
                    .preparedQuery(
                        "SELECT staff_id, sender FROM message WHERE conversation_id = $1")
                    .execute(Tuple.of(assigned)))
            .iterator()
            .next();
    assertEquals(staffId, row.getLong("staff_id"));
    await(transcripts.appendAsAssignedCounselor(assigned, "csg", staffId, "c3", "nog een"));
    assertEquals(
        1L,
        count(
            app,
            "SELECT count(*) FROM stat_event e JOIN stat_case_link l ON l.case_ref = e.case_ref "
                + "WHERE l.conversation_id = $1 AND e.kind = 'first_reply'",
            assigned),
        "first_reply_at set in the batch records the first counselor reply once");
    assertEquals(
        2L,
        count(
            app,
            "SELECT count(*) FROM message WHERE conversation_id = $1 AND staff_id IS NULL",
            open),
        "visitor rows carry no staff id");
  }

  @Test
  @DisplayName(
      "a resend of a message committed in an earlier batch, sharing a batch with new messages, gets the "
          + "stored number back and the new ones are stored once and gap-free: the batch is written again with a lookup")
  void resendOfCommittedMessageInALaterBatch() throws Exception {
    TranscriptService<?> transcripts = app.transcripts();
    UUID chat = queuedConversation(transcripts);
    AppendResult original = await(transcripts.append(chat, "csg", "visitor", null, "m1", "een"));
    long retriesBefore = transcripts.conversations().appendBatchLookupRetries();

    // m2 starts a batch at once (the writer is idle); the resend and m3 wait for it and share the
    // next batch.
    Future<AppendResult> second = transcripts.append(chat, "csg", "visitor", null, "m2", "twee");
    Future<AppendResult> resend = transcripts.append(chat, "csg", "visitor", null, "m1", "een");
    Future<AppendResult> third = transcripts.append(chat, "csg", "visitor", null, "m3", "drie");

    assertEquals(original.seq(), await(resend).seq(), "the resend gets the stored number");
    assertTrue(await(resend).duplicate());
    assertEquals(List.of(2L, 3L), List.of(await(second).seq(), await(third).seq()));
    assertFalse(await(second).duplicate() || await(third).duplicate());
    List<PlainMessage> stored = await(transcripts.read(chat, "csg", 0, 10));
    assertEquals(List.of("een", "twee", "drie"), stored.stream().map(PlainMessage::body).toList());
    assertEquals(List.of(1L, 2L, 3L), stored.stream().map(PlainMessage::seq).toList());
    assertTrue(
        transcripts.conversations().appendBatchLookupRetries() > retriesBefore,
        "the resend was found by the unique index and the batch written again with a lookup");
  }

  @Test
  @DisplayName(
      "a read that is told which messages exist gives exactly what PostgreSQL holds, and a staff read is "
          + "still logged once per call")
  void announcedReadEqualsStoredRead() throws Exception {
    TranscriptService<?> transcripts = app.transcripts();
    UUID chat = queuedConversation(transcripts);
    for (int i = 1; i <= 5; i++) {
      await(transcripts.append(chat, "csg", "visitor", null, "m" + i, "tekst " + i));
    }
    List<PlainMessage> hinted = await(transcripts.read(chat, "csg", 2, 5, 200));
    List<PlainMessage> plain = await(transcripts.read(chat, "csg", 2, 200));
    assertEquals(plain, hinted);
    assertEquals(List.of(3L, 4L, 5L), hinted.stream().map(PlainMessage::seq).toList());
    long before = count(app, "SELECT count(*) FROM audit_log WHERE conversation_id = $1", chat);
    List<PlainMessage> staffRead =
        await(
            transcripts.readForStaff(
                chat, "csg", 0, 5, 200, AuditContext.staff(1, "counselor", "csg")));
    assertEquals(5, staffRead.size());
    assertEquals(
        before + 1,
        count(
            app,
            "SELECT count(*) FROM audit_log WHERE conversation_id = $1 "
                + "AND after_seq = 0 AND last_seq = 5 AND message_count = 5",
            chat));
    Set<String> bodies = new HashSet<>();
    staffRead.forEach(m -> bodies.add(m.body()));
    assertEquals(Set.of("tekst 1", "tekst 2", "tekst 3", "tekst 4", "tekst 5"), bodies);
    assertTrue(
        await(transcripts.read(chat, "csg", 5, 5, 200)).isEmpty(), "nothing after the last one");
  }

  @Test
  @DisplayName(
      "the access log gets a row for a staff read that shows someone else's words, and none for an empty "
          + "read or one holding only the reader's own replies")
  void ownRepliesAreNotAccessLogged() throws Exception {
    TranscriptService<?> transcripts = app.transcripts();
    long staffId = csgCounselor();
    UUID chat = assignedConversation(transcripts, staffId);
    AuditContext me = AuditContext.staff(staffId, "counselor", "csg");
    await(transcripts.appendAsAssignedCounselor(chat, "csg", staffId, "r1", "Hoi, ik ben er."));
    await(transcripts.appendAsAssignedCounselor(chat, "csg", staffId, "r2", "Vertel maar."));
    String rows = "SELECT count(*) FROM audit_log WHERE conversation_id = $1";
    assertEquals(2, await(transcripts.readForStaff(chat, "csg", 0, 2, 200, me)).size());
    assertEquals(0L, count(app, rows, chat), "own replies only: no row");
    assertTrue(await(transcripts.readForStaff(chat, "csg", 2, 2, 200, me)).isEmpty());
    assertEquals(0L, count(app, rows, chat), "empty read: no row");
    await(transcripts.append(chat, "csg", "visitor", null, "v1", "Er is iets gebeurd."));
    assertEquals(3, await(transcripts.readForStaff(chat, "csg", 0, 3, 200, me)).size());
    assertEquals(
        1L,
        count(app, rows + " AND message_count = 3 AND last_seq = 3", chat),
        "the visitor's words: a row");
    AuditContext colleague = AuditContext.staff(staffId + 1, "counselor", "csg");
    assertEquals(3, await(transcripts.readForStaff(chat, "csg", 0, 3, 200, colleague)).size());
    assertEquals(2L, count(app, rows, chat), "a colleague reading my replies is logged");
  }
}
