package nl.veiligpraten.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import nl.veiligpraten.infra.db.DbSettings;
import nl.veiligpraten.infra.web.Secrets;
import nl.veiligpraten.staff.PasswordHasher;
import nl.veiligpraten.staff.StaffRepository;

/** Helpers shared by the privacy, audit, shredding and canary integration tests. */
final class PrivacySupport {

  private PrivacySupport() {}

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /** Creates a staff user with a random password; returns the password. */
  static String createStaff(RunningApp app, String org, String username, String role)
      throws Exception {
    String password = Secrets.token();
    String hash = PasswordHasher.hash(password);
    await(new StaffRepository(app.pool()).createUser(org, username, "Test " + role, role, hash));
    return password;
  }

  /** Logs in and returns the cookie header value ("name=value"). */
  static String login(WebClient web, RunningApp app, String username, String password)
      throws Exception {
    HttpResponse<Buffer> response =
        await(
            web.post(app.consolePort(), "127.0.0.1", "/api/login")
                .sendJsonObject(
                    new JsonObject().put("username", username).put("password", password)));
    assertEquals(200, response.statusCode(), response.bodyAsString());
    String setCookie = response.cookies().get(0);
    return setCookie.substring(0, setCookie.indexOf(';'));
  }

  static String loginDemo(WebClient web, RunningApp app, String org) throws Exception {
    return login(web, app, TestApp.demoUser(org), TestApp.demoPassword(app, org));
  }

  /** A visitor on a socket, chosen help point, in the queue. */
  record Visitor(WsProbe socket, String resumeToken, String resumeCode) {}

  static Visitor queuedVisitor(Vertx client, RunningApp app, String helpPoint) throws Exception {
    WsProbe visitor =
        WsProbe.connect(
            client, app.visitorPort(), "/ws", "http://127.0.0.1:" + app.visitorPort(), null);
    visitor.send(new JsonObject().put("type", "hello").put("v", 1));
    JsonObject welcome = visitor.awaitType("welcome");
    visitor.send(new JsonObject().put("type", "choose").put("helpPoint", helpPoint));
    visitor.awaitType("queued");
    return new Visitor(visitor, welcome.getString("resumeToken"), welcome.getString("resumeCode"));
  }

  /** The counselor takes the oldest chat of their queue; returns its conversation id. */
  static UUID take(WsProbe counselor) throws Exception {
    counselor.send(new JsonObject().put("type", "take"));
    JsonObject assigned =
        counselor.await(f -> "assigned".equals(f.getString("type")), Duration.ofSeconds(15));
    return UUID.fromString(assigned.getString("conversationId"));
  }

  static WsProbe console(Vertx client, RunningApp app, String cookie) throws Exception {
    return WsProbe.connect(
        client, app.consolePort(), "/ws", "http://127.0.0.1:" + app.consolePort(), cookie);
  }

  static long count(RunningApp app, String sql, Object... params) throws Exception {
    Row row = await(app.pool().preparedQuery(sql).execute(Tuple.from(params))).iterator().next();
    return row.getLong(0);
  }

  /**
   * Runs SQL as the embedded superuser (not the app role) and returns the first column of the first
   * row.
   */
  static String superuser(RunningApp app, String sql) throws Exception {
    DbSettings su = app.embedded().settings();
    try (Connection c = DriverManager.getConnection(su.jdbcUrl(), su.user(), su.password());
        Statement s = c.createStatement()) {
      if (!s.execute(sql)) {
        return null;
      }
      try (ResultSet rs = s.getResultSet()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }
}
