package nl.veiligpraten.app;

import static nl.veiligpraten.app.PrivacySupport.await;
import static nl.veiligpraten.app.PrivacySupport.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import nl.veiligpraten.audit.AuditContext;
import nl.veiligpraten.infra.crypto.CryptoException;
import nl.veiligpraten.infra.web.Secrets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName(
    "Privacy: delete on request, organisation isolation and referral consent, over the real service")
class PrivacyIT extends SharedServiceIT {

  @Test
  @DisplayName(
      "a visitor who resumes by code and sends {type: delete} destroys keys and messages at once; the "
          + "counselor sees 'deleted', the code no longer works and an audit row records it")
  void deleteOnRequest() throws Exception {
    // CSG is open 24/7; a help point with office hours would answer "unavailable" outside them.
    PrivacySupport.Visitor visitor = PrivacySupport.queuedVisitor(client, app, "csg");
    WsProbe counselor =
        PrivacySupport.console(client, app, PrivacySupport.loginDemo(web, app, "csg"));
    UUID id = PrivacySupport.take(counselor);
    visitor.socket().awaitType("assigned");
    visitor
        .socket()
        .send(
            new JsonObject().put("type", "message").put("clientId", "d-1").put("body", "wis dit"));
    visitor.socket().awaitType("ack");
    counselor.awaitType("message");
    visitor.socket().close();

    // On another device, with the written-down code.
    WsProbe other =
        WsProbe.connect(
            client, app.visitorPort(), "/ws", "http://127.0.0.1:" + app.visitorPort(), null);
    other.send(
        new JsonObject().put("type", "hello").put("v", 1).put("resumeCode", visitor.resumeCode()));
    assertEquals("assigned", other.awaitType("welcome").getString("status"));
    assertEquals(1L, count(app, "SELECT count(*) FROM message WHERE conversation_id = $1", id));
    long deletedEvents = count(app, "SELECT count(*) FROM stat_event WHERE kind = 'deleted'");
    other.send(new JsonObject().put("type", "delete"));
    assertEquals(
        "Je gesprek is gewist. / Your conversation has been deleted.",
        other.awaitType("deleted").getString("message"));

    JsonObject deleted =
        counselor.await(f -> "deleted".equals(f.getString("type")), Duration.ofSeconds(10));
    assertEquals(id.toString(), deleted.getString("conversationId"));
    assertEquals(0L, count(app, "SELECT count(*) FROM message WHERE conversation_id = $1", id));
    assertEquals(
        0L, count(app, "SELECT count(*) FROM conversation_key WHERE conversation_id = $1", id));
    assertEquals(
        0L,
        count(app, "SELECT count(*) FROM conversation WHERE id = $1", id),
        "the row is gone too");
    assertEquals(
        0L, count(app, "SELECT count(*) FROM stat_case_link WHERE conversation_id = $1", id));
    assertEquals(
        deletedEvents + 1,
        count(app, "SELECT count(*) FROM stat_event WHERE kind = 'deleted'"),
        "statistics count the deletion (codes only)");
    assertEquals(
        1L,
        count(
            app,
            "SELECT count(*) FROM audit_log WHERE conversation_id = $1 "
                + "AND action = 'delete_on_request' AND role = 'visitor' AND org_id = 'csg'",
            id));

    // The counselor can no longer write into it, and neither the code nor the token resume it.
    counselor.send(
        new JsonObject()
            .put("type", "message")
            .put("conversationId", id.toString())
            .put("clientId", "c-9")
            .put("body", "hallo?"));
    assertEquals("not_yours", counselor.awaitType("error").getString("code"));
    for (JsonObject hello :
        new JsonObject[] {
          new JsonObject().put("type", "hello").put("v", 1).put("resumeCode", visitor.resumeCode()),
          new JsonObject().put("type", "hello").put("v", 1).put("resume", visitor.resumeToken())
        }) {
      WsProbe again =
          WsProbe.connect(
              client, app.visitorPort(), "/ws", "http://127.0.0.1:" + app.visitorPort(), null);
      again.send(hello);
      assertEquals("unknown_resume", again.awaitType("error").getString("code"));
      again.close();
    }
    ExecutionException read =
        assertThrows(
            ExecutionException.class,
            () ->
                await(
                    app.transcripts()
                        .readForStaff(
                            id, "csg", 0, 10, AuditContext.staff(1, "counselor", "csg"))));
    assertTrue(read.getCause().getClass().getSimpleName().contains("TranscriptAccess"));
    counselor.close();
  }

  @Test
  @DisplayName(
      "delete before any help point was chosen is accepted and closes the session; an unknown frame "
          + "field type is refused without changes")
  void deleteDuringIntake() throws Exception {
    WsProbe visitor =
        WsProbe.connect(
            client, app.visitorPort(), "/ws", "http://127.0.0.1:" + app.visitorPort(), null);
    visitor.send(new JsonObject().put("type", "delete"));
    assertEquals(
        "no_session", visitor.awaitType("error").getString("code"), "delete needs a session");
    visitor.send(new JsonObject().put("type", "hello").put("v", 1));
    visitor.awaitType("welcome");
    visitor.send(new JsonObject().put("type", "delete"));
    visitor.awaitType("deleted");
    assertEquals(
        1L,
        count(
            app,
            "SELECT count(*) FROM audit_log WHERE action = 'delete_on_request' "
                + "AND org_id IS NULL"));
  }

  @Test
  @DisplayName(
      "organisation A's key cannot open organisation B's transcript: no key row for A, and B's wrapped key "
          + "copied into A's row fails authentication")
  void organisationIsolation() throws Exception {
    UUID b = UUID.randomUUID();
    var transcripts = app.transcripts();
    await(
        transcripts
            .conversations()
            .create(b, Secrets.sha256(Secrets.token()), Secrets.sha256(Secrets.token())));
    await(transcripts.route(b, "mores", "mores", 2, "test", "{}"));
    await(transcripts.append(b, "mores", "visitor", null, "i-1", "alleen voor Mores"));

    ExecutionException noKey =
        assertThrows(
            ExecutionException.class,
            () ->
                await(
                    transcripts.readForStaff(
                        b, "csg", 0, 10, AuditContext.staff(1, "counselor", "csg"))));
    assertTrue(noKey.getCause().getClass().getSimpleName().contains("TranscriptAccess"));

    // A database attacker copies B's wrapped key into a row for A (same bytes, relabelled or not):
    // both fail.
    Row vt =
        await(
                app.pool()
                    .preparedQuery(
                        "SELECT key_id, wrapped FROM conversation_key WHERE conversation_id = $1")
                    .execute(Tuple.of(b)))
            .iterator()
            .next();
    String csgKeyId = app.keyStore().currentKeyId("csg").toString();
    for (String keyId : new String[] {vt.getString("key_id"), csgKeyId}) {
      await(
          app.pool()
              .preparedQuery(
                  "DELETE FROM conversation_key WHERE conversation_id = $1 AND org_id = 'csg'")
              .execute(Tuple.of(b)));
      await(
          app.pool()
              .preparedQuery(
                  "INSERT INTO conversation_key (conversation_id, org_id, key_id, wrapped) "
                      + "VALUES ($1, 'csg', $2, $3)")
              .execute(Tuple.of(b, keyId, vt.getBuffer("wrapped"))));
      transcripts.forget(b);
      ExecutionException forged =
          assertThrows(
              ExecutionException.class,
              () ->
                  await(
                      transcripts.readForStaff(
                          b, "csg", 0, 10, AuditContext.staff(1, "counselor", "csg"))));
      assertTrue(forged.getCause() instanceof CryptoException, forged.getCause().toString());
    }
    await(
        app.pool()
            .preparedQuery(
                "DELETE FROM conversation_key WHERE conversation_id = $1 AND org_id = 'csg'")
            .execute(Tuple.of(b)));
    assertEquals(
        1,
        await(
                transcripts.readForStaff(
                    b, "mores", 0, 10, AuditContext.staff(2, "counselor", "mores")))
            .size());
  }

  @Test
  @DisplayName(
      "a chat referred without consent leaves the receiving organisation without a wrapped key; only "
          + "shareWith (after consent) gives it one")
  void referralNeedsConsent() throws Exception {
    PrivacySupport.Visitor visitor = PrivacySupport.queuedVisitor(client, app, "veilig_thuis");
    WsProbe counselor =
        PrivacySupport.console(client, app, PrivacySupport.loginDemo(web, app, "veilig_thuis"));
    UUID id = PrivacySupport.take(counselor);
    visitor.socket().awaitType("assigned");
    visitor
        .socket()
        .send(
            new JsonObject()
                .put("type", "message")
                .put("clientId", "r-1")
                .put("body", "verwijzing"));
    visitor.socket().awaitType("ack");
    counselor.send(
        new JsonObject()
            .put("type", "close")
            .put("conversationId", id.toString())
            .put("outcome", "referred"));
    visitor.socket().awaitType("closed");
    // The counselor referred the visitor on, but no consent frame exists: only the owning
    // organisation has a key.
    assertEquals(
        1L, count(app, "SELECT count(*) FROM conversation_key WHERE conversation_id = $1", id));
    assertEquals(
        0L,
        count(
            app,
            "SELECT count(*) FROM conversation_key WHERE conversation_id = $1 AND org_id = 'csg'",
            id));
    assertThrows(
        ExecutionException.class,
        () ->
            await(
                app.transcripts()
                    .readForStaff(id, "csg", 0, 10, AuditContext.staff(1, "counselor", "csg"))));

    await(app.transcripts().shareWith(id, "veilig_thuis", "csg")); // the consent path
    app.transcripts().forget(id);
    assertEquals(
        1,
        await(
                app.transcripts()
                    .readForStaff(id, "csg", 0, 10, AuditContext.staff(1, "counselor", "csg")))
            .size());
    visitor.socket().close();
    counselor.close();
  }
}
