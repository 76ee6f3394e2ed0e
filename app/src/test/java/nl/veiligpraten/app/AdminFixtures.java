package nl.veiligpraten.app;

import static nl.veiligpraten.app.ConsoleFixtures.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import nl.veiligpraten.staff.Totp;

/**
 * Helpers for staff-lifecycle tests: enrolment through the public API, admin requests, the admin
 * audit trail.
 */
final class AdminFixtures {

  private AdminFixtures() {}

  /** The token of an enrolment link ({@code .../enrol.html#t=TOKEN}). */
  static String token(String enrolmentUrl) {
    return enrolmentUrl.substring(enrolmentUrl.indexOf("#t=") + 3);
  }

  static HttpResponse<Buffer> enrolment(WebClient web, RunningApp app, String step, JsonObject body)
      throws Exception {
    return await(
        web.post(app.consolePort(), "127.0.0.1", "/api/enrolment/" + step)
            .putHeader("Origin", ConsoleFixtures.origin(app))
            .sendJsonObject(body));
  }

  /**
   * Opens the link, sets {@code password} and a TOTP code computed here; returns the TOTP secret.
   */
  static byte[] enrol(WebClient web, RunningApp app, String enrolmentUrl, String password)
      throws Exception {
    String token = token(enrolmentUrl);
    HttpResponse<Buffer> start = enrolment(web, app, "start", new JsonObject().put("token", token));
    assertEquals(200, start.statusCode(), start.bodyAsString());
    byte[] secret = ConsoleFixtures.base32(start.bodyAsJsonObject().getString("secret"));
    String code = Totp.code(secret, Totp.stepAt(System.currentTimeMillis() / 1000));
    HttpResponse<Buffer> finish =
        enrolment(
            web,
            app,
            "finish",
            new JsonObject().put("token", token).put("password", password).put("code", code));
    assertEquals(200, finish.statusCode(), finish.bodyAsString());
    return secret;
  }

  static HttpResponse<Buffer> patch(
      WebClient web, RunningApp app, ConsoleFixtures.Login login, String path, JsonObject body)
      throws Exception {
    return await(
        web.patch(app.consolePort(), "127.0.0.1", path)
            .putHeader("Cookie", login.cookie())
            .putHeader("X-CSRF-Token", login.csrf())
            .putHeader("Origin", ConsoleFixtures.origin(app))
            .sendJsonObject(body));
  }

  /** The admin audit trail as the given admin reads it, newest first. */
  static JsonArray trail(WebClient web, RunningApp app, ConsoleFixtures.Login admin)
      throws Exception {
    HttpResponse<Buffer> r = ConsoleFixtures.get(web, app, admin, "/api/admin/audit?limit=500");
    assertEquals(200, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject().getJsonArray("entries");
  }
}
