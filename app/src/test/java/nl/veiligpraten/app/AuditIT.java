package nl.veiligpraten.app;

import static nl.veiligpraten.app.PrivacySupport.await;
import static nl.veiligpraten.app.PrivacySupport.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import nl.veiligpraten.audit.AuditContext;
import nl.veiligpraten.conversation.PlainMessage;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

@DisplayName(
    "Access log: every staff read of a transcript writes one append-only row that org admins can view")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuditIT extends SharedServiceIT {

  @Test
  @Order(1)
  @DisplayName(
      "a chat over real sockets writes exactly one read_transcript row per console read, naming the "
          + "counselor, role, organisation and messages, and no content")
  void consoleReadsAreLoggedOncePerRead() throws Exception {
    long readsBefore = app.transcripts().staffReadCount();
    long rowsBefore = count(app, "SELECT count(*) FROM audit_log WHERE action = 'read_transcript'");
    PrivacySupport.Visitor visitor = PrivacySupport.queuedVisitor(client, app, "csg");
    WsProbe counselor =
        PrivacySupport.console(client, app, PrivacySupport.loginDemo(web, app, "csg"));
    UUID id = PrivacySupport.take(counselor);
    visitor.socket().awaitType("assigned");
    for (int i = 1; i <= 5; i++) {
      visitor
          .socket()
          .send(
              new JsonObject()
                  .put("type", "message")
                  .put("clientId", "a-" + i)
                  .put("body", "geheim bericht " + i));
      visitor.socket().awaitType("ack");
    }
    long delivered = 0;
    while (delivered < 5) {
      delivered = counselor.awaitType("message").getLong("seq");
    }
    long reads = app.transcripts().staffReadCount() - readsBefore;
    // Pumps may still be finishing: wait until the counts settle, then they must agree exactly.
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    long rows;
    do {
      Thread.sleep(100);
      reads = app.transcripts().staffReadCount() - readsBefore;
      rows =
          count(app, "SELECT count(*) FROM audit_log WHERE action = 'read_transcript'")
              - rowsBefore;
    } while (rows != reads && System.nanoTime() < deadline);
    assertTrue(reads >= 1, "the console read the transcript");
    assertEquals(reads, rows, "one audit row per staff read call");

    long staffId = count(app, "SELECT id FROM staff_user WHERE username = 'csg-demo'");
    assertEquals(
        rows,
        count(
            app,
            "SELECT count(*) FROM audit_log WHERE action = 'read_transcript' AND staff_id = $1 "
                + "AND role = 'counselor' AND org_id = 'csg' AND conversation_id = $2",
            staffId,
            id));
    assertEquals(
        5L,
        count(
            app,
            "SELECT coalesce(sum(message_count), 0) FROM audit_log WHERE conversation_id = $1",
            id),
        "every message was read exactly once");
    // No column can hold message text: the table has no text column other than
    // role/action/org/reason.
    assertEquals(
        0L,
        count(app, "SELECT count(*) FROM audit_log WHERE coalesce(reason, '') LIKE '%geheim%'"));
    visitor.socket().close();
    counselor.close();
  }

  @Test
  @Order(2)
  @DisplayName(
      "each readForStaff call adds exactly one row, also when the organisation may not read the transcript")
  void directReadsAreLoggedOnce() throws Exception {
    UUID id =
        UUID.fromString(
            await(
                    app.pool()
                        .query("SELECT id FROM conversation WHERE org_id = 'csg' LIMIT 1")
                        .execute())
                .iterator()
                .next()
                .getUUID(0)
                .toString());
    long before = count(app, "SELECT count(*) FROM audit_log WHERE conversation_id = $1", id);
    AuditContext supervisor =
        new AuditContext(7L, "supervisor", "csg", "kwaliteitscontrole na klacht");
    for (int i = 0; i < 3; i++) {
      List<PlainMessage> read = await(app.transcripts().readForStaff(id, "csg", 0, 50, supervisor));
      assertEquals(5, read.size());
    }
    assertEquals(
        before + 3, count(app, "SELECT count(*) FROM audit_log WHERE conversation_id = $1", id));
    assertEquals(
        3L,
        count(
            app,
            "SELECT count(*) FROM audit_log WHERE conversation_id = $1 AND role = 'supervisor' "
                + "AND reason = 'kwaliteitscontrole na klacht' AND last_seq = 5 AND message_count = 5",
            id));

    // Another organisation has no key: the read fails, and the attempt is still logged once.
    ExecutionException refused =
        assertThrows(
            ExecutionException.class,
            () ->
                await(
                    app.transcripts()
                        .readForStaff(
                            id, "sense", 0, 50, AuditContext.staff(8L, "counselor", "sense"))));
    assertTrue(
        refused.getCause().getClass().getSimpleName().contains("TranscriptAccess"),
        refused.toString());
    assertEquals(
        1L,
        count(
            app,
            "SELECT count(*) FROM audit_log WHERE conversation_id = $1 AND org_id = 'sense' "
                + "AND message_count = 0",
            id));
    assertThrows(
        IllegalArgumentException.class,
        () -> new AuditContext(7L, "supervisor", "csg", null),
        "a supervisor must give a reason");
  }

  @Test
  @Order(3)
  @DisplayName(
      "the application's database role can insert and select audit rows but PostgreSQL refuses its UPDATE, "
          + "DELETE and TRUNCATE; even the owner cannot UPDATE")
  void appRoleCannotRewriteTheLog() throws Exception {
    assertEquals(
        "vp_app",
        await(app.pool().query("SELECT current_user").execute()).iterator().next().getString(0));
    assertEquals(
        "false",
        await(
                app.pool()
                    .query("SELECT rolsuper::text FROM pg_roles WHERE rolname = current_user")
                    .execute())
            .iterator()
            .next()
            .getString(0));
    long before = count(app, "SELECT count(*) FROM audit_log");
    assertTrue(before > 0);
    for (String sql :
        List.of(
            "UPDATE audit_log SET reason = 'x'",
            "DELETE FROM audit_log",
            "TRUNCATE audit_log",
            "UPDATE audit_log SET org_id = 'sense' WHERE id = (SELECT min(id) FROM audit_log)")) {
      ExecutionException e =
          assertThrows(ExecutionException.class, () -> await(app.pool().query(sql).execute()), sql);
      PgException pg = (PgException) e.getCause();
      assertEquals(
          "42501", pg.getSqlState(), sql + ": " + pg.getMessage()); // insufficient_privilege
    }
    assertEquals(before, count(app, "SELECT count(*) FROM audit_log"));
    // The app role keeps normal DML elsewhere.
    assertEquals(
        0L,
        await(app.pool().query("UPDATE conversation SET next_seq = next_seq WHERE false").execute())
            .rowCount());
    SQLException owner =
        assertThrows(
            SQLException.class,
            () -> PrivacySupport.superuser(app, "UPDATE audit_log SET reason = 'x'"));
    assertTrue(owner.getMessage().contains("append-only"), owner.getMessage());
  }

  @Test
  @Order(4)
  @DisplayName(
      "GET /api/audit shows an org admin their own organisation's log only, refuses counselors, and is "
          + "itself logged")
  void orgAdminViewsOwnLog() throws Exception {
    String csgAdmin = PrivacySupport.createStaff(app, "csg", "csg-admin", "org_admin");
    String vtAdmin = PrivacySupport.createStaff(app, "veilig_thuis", "vt-admin", "org_admin");

    HttpResponse<Buffer> counselor =
        await(
            web.get(app.consolePort(), "127.0.0.1", "/api/audit")
                .putHeader("Cookie", PrivacySupport.loginDemo(web, app, "csg"))
                .send());
    assertEquals(403, counselor.statusCode());

    HttpResponse<Buffer> anonymous =
        await(web.get(app.consolePort(), "127.0.0.1", "/api/audit").send());
    assertEquals(401, anonymous.statusCode());

    String cookie = PrivacySupport.login(web, app, "csg-admin", csgAdmin);
    HttpResponse<Buffer> ok =
        await(
            web.get(app.consolePort(), "127.0.0.1", "/api/audit?limit=500")
                .putHeader("Cookie", cookie)
                .send());
    assertEquals(200, ok.statusCode(), ok.bodyAsString());
    JsonArray entries = ok.bodyAsJsonObject().getJsonArray("entries");
    assertEquals(count(app, "SELECT count(*) FROM audit_log WHERE org_id = 'csg'"), entries.size());
    for (int i = 0; i < entries.size(); i++) {
      JsonObject e = entries.getJsonObject(i);
      assertEquals("csg", e.getString("organisation"));
      assertTrue(!e.encode().contains("geheim"), "no content in the log");
    }
    assertEquals(
        "read_audit_log",
        entries.getJsonObject(0).getString("action"),
        "newest first; viewing is logged");
    assertTrue(
        entries.stream()
            .anyMatch(
                o ->
                    "Hulpverlener Centrum Seksueel Geweld"
                        .equals(((JsonObject) o).getString("staffName"))));

    HttpResponse<Buffer> paged =
        await(
            web.get(
                    app.consolePort(),
                    "127.0.0.1",
                    "/api/audit?limit=2&before=" + entries.getJsonObject(0).getLong("id"))
                .putHeader("Cookie", cookie)
                .send());
    assertEquals(2, paged.bodyAsJsonObject().getJsonArray("entries").size());
    assertEquals(
        400,
        await(
                web.get(app.consolePort(), "127.0.0.1", "/api/audit?limit=-1")
                    .putHeader("Cookie", cookie)
                    .send())
            .statusCode());

    HttpResponse<Buffer> other =
        await(
            web.get(app.consolePort(), "127.0.0.1", "/api/audit")
                .putHeader("Cookie", PrivacySupport.login(web, app, "vt-admin", vtAdmin))
                .send());
    JsonArray vt = other.bodyAsJsonObject().getJsonArray("entries");
    assertEquals(1, vt.size(), "only its own read_audit_log row: " + vt.encode());
    Row last =
        await(
                app.pool()
                    .preparedQuery(
                        "SELECT action, role FROM audit_log WHERE org_id = $1 ORDER BY id DESC "
                            + "LIMIT 1")
                    .execute(Tuple.of("veilig_thuis")))
            .iterator()
            .next();
    assertEquals("read_audit_log", last.getString("action"));
    assertEquals("org_admin", last.getString("role"));
  }
}
