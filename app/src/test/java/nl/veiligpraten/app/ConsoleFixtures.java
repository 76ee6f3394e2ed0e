package nl.veiligpraten.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import nl.veiligpraten.staff.PasswordHasher;
import nl.veiligpraten.staff.StaffRepository;
import nl.veiligpraten.staff.StaffUser;
import nl.veiligpraten.staff.Totp;

/** Helpers for console tests: extra staff, logins (with TOTP), visitors waiting in a queue. */
final class ConsoleFixtures {

  private ConsoleFixtures() {}

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /** A logged-in session: cookie header value and CSRF token. */
  record Login(String cookie, String csrf, JsonObject user) {}

  /** Creates a staff user directly (hashing on the test thread) and returns it. */
  static StaffUser createStaff(
      RunningApp app, String org, String username, String role, String password, int capacity)
      throws Exception {
    StaffRepository staff = new StaffRepository(app.pool());
    StaffUser user =
        await(
            staff.createUser(
                org, username, "Medewerker " + username, role, PasswordHasher.hash(password)));
    await(
        app.pool()
            .preparedQuery("UPDATE staff_user SET capacity = $2 WHERE id = $1")
            .execute(Tuple.of(user.id(), capacity)));
    return user;
  }

  static HttpResponse<Buffer> loginResponse(
      WebClient web, RunningApp app, String user, String password, String totp) throws Exception {
    JsonObject body = new JsonObject().put("username", user).put("password", password);
    if (totp != null) {
      body.put("totp", totp);
    }
    return await(web.post(app.consolePort(), "127.0.0.1", "/api/login").sendJsonObject(body));
  }

  static Login login(WebClient web, RunningApp app, String user, String password, String totp)
      throws Exception {
    HttpResponse<Buffer> r = loginResponse(web, app, user, password, totp);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    String setCookie = r.cookies().get(0);
    return new Login(
        setCookie.substring(0, setCookie.indexOf(';')),
        r.bodyAsJsonObject().getString("csrfToken"),
        r.bodyAsJsonObject().getJsonObject("user"));
  }

  static Login loginDemo(WebClient web, RunningApp app, String org) throws Exception {
    return login(web, app, TestApp.demoUser(org), TestApp.demoPassword(app, org), null);
  }

  static String origin(RunningApp app) {
    return "http://127.0.0.1:" + app.consolePort();
  }

  static HttpResponse<Buffer> post(
      WebClient web, RunningApp app, Login login, String path, JsonObject body) throws Exception {
    var req =
        web.post(app.consolePort(), "127.0.0.1", path)
            .putHeader("Cookie", login.cookie())
            .putHeader("X-CSRF-Token", login.csrf())
            .putHeader("Origin", origin(app));
    return await(body == null ? req.send() : req.sendJsonObject(body));
  }

  static HttpResponse<Buffer> get(WebClient web, RunningApp app, Login login, String path)
      throws Exception {
    return await(
        web.get(app.consolePort(), "127.0.0.1", path).putHeader("Cookie", login.cookie()).send());
  }

  /** Enrols TOTP for a logged-in user and returns the secret; the confirming step is used up. */
  static byte[] enrolTotp(WebClient web, RunningApp app, Login login) throws Exception {
    HttpResponse<Buffer> r = post(web, app, login, "/api/totp/enrol", null);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    byte[] secret = base32(r.bodyAsJsonObject().getString("secret"));
    String code = Totp.code(secret, Totp.stepAt(System.currentTimeMillis() / 1000));
    HttpResponse<Buffer> c =
        post(web, app, login, "/api/totp/confirm", new JsonObject().put("code", code));
    assertEquals(200, c.statusCode(), c.bodyAsString());
    return secret;
  }

  /**
   * A code for the next step: valid now (drift window) and newer than the step used at enrolment.
   */
  static String nextCode(byte[] secret) {
    return Totp.code(secret, Totp.stepAt(System.currentTimeMillis() / 1000) + 1);
  }

  static byte[] base32(String s) {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    int buffer = 0;
    int bits = 0;
    for (char c : s.toCharArray()) {
      buffer = (buffer << 5) | alphabet.indexOf(c);
      bits += 5;
      if (bits >= 8) {
        out.write((buffer >> (bits - 8)) & 0xff);
        bits -= 8;
      }
    }
    return out.toByteArray();
  }

  /**
   * A visitor socket that has chosen a help point and waits in the queue; returns the probe and
   * conversation id.
   */
  /**
   * A visitor's socket and chat; {@code firstFrame} is the frame {@code queuedVisitor} consumed
   * (queued, or assigned or closed when auto-assignment won the race), so a test does not wait for
   * a frame that was already read.
   */
  record Visitor(WsProbe probe, UUID conversationId, String firstFrame) {
    Visitor(WsProbe probe, UUID conversationId) {
      this(probe, conversationId, null);
    }
  }

  static Visitor queuedVisitor(
      io.vertx.core.Vertx client, RunningApp app, String helpPoint, JsonObject answers)
      throws Exception {
    return queuedVisitor(client, app, helpPoint, answers, null);
  }

  /**
   * As above, with the page's reading mode ({@code nl}, {@code nl_easy}, {@code en}) in the choose
   * frame.
   */
  static Visitor queuedVisitor(
      io.vertx.core.Vertx client, RunningApp app, String helpPoint, JsonObject answers, String lang)
      throws Exception {
    WsProbe v =
        WsProbe.connect(
            client, app.visitorPort(), "/ws", "http://127.0.0.1:" + app.visitorPort(), null);
    v.send(new JsonObject().put("type", "hello").put("v", 1));
    String token = v.awaitType("welcome").getString("resumeToken");
    JsonObject choose = new JsonObject().put("type", "choose").put("helpPoint", helpPoint);
    if (answers != null) {
      choose.put("answers", answers);
    }
    if (lang != null) {
      choose.put("lang", lang);
    }
    v.send(choose);
    // With auto-assignment a chat may be assigned (even closed) before its "queued" frame would be
    // sent.
    String first =
        v.await(
                f -> List.of("queued", "assigned", "closed").contains(f.getString("type")),
                Duration.ofSeconds(20))
            .getString("type");
    UUID id =
        await(
                app.pool()
                    .preparedQuery("SELECT id FROM conversation WHERE resume_hash = $1")
                    .execute(
                        Tuple.of(Buffer.buffer(nl.veiligpraten.infra.web.Secrets.sha256(token)))))
            .iterator()
            .next()
            .getUUID("id");
    return new Visitor(v, id, first);
  }
}
