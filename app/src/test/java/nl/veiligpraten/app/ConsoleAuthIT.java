package nl.veiligpraten.app;

import static nl.veiligpraten.app.ConsoleFixtures.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.Tuple;
import nl.veiligpraten.infra.web.Secrets;
import nl.veiligpraten.staff.PasswordHasher;
import nl.veiligpraten.staff.StaffRepository;
import nl.veiligpraten.staff.StaffUser;
import nl.veiligpraten.staff.Totp;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName(
    "Console authentication: Argon2id, TOTP, throttling, timeouts, cookie flags, CSRF and logout")
class ConsoleAuthIT extends SharedServiceIT {

  @Test
  @DisplayName("passwords are stored as Argon2id v19 with m=19456 KiB, t=2, p=1 and a 16-byte salt")
  void argon2Parameters() throws Exception {
    StaffUser user = await(new StaffRepository(app.pool()).byUsername("csg-demo")).orElseThrow();
    assertTrue(
        user.passwordHash().startsWith("$argon2id$v=19$m=19456,t=2,p=1$"), user.passwordHash());
    String salt = user.passwordHash().split("\\$")[4];
    assertEquals(16, java.util.Base64.getDecoder().decode(salt).length);
    assertEquals(19_456, PasswordHasher.MEMORY_KIB);
    assertTrue(PasswordHasher.verify(TestApp.demoPassword(app, "csg"), user.passwordHash()));
    assertFalse(PasswordHasher.verify("wrong", user.passwordHash()));
  }

  @Test
  @DisplayName(
      "the session cookie is __Host-, Secure, HttpOnly, SameSite=Strict, Path=/ without Domain, and new at "
          + "every login")
  void cookieFlags() throws Exception {
    HttpResponse<Buffer> first =
        ConsoleFixtures.loginResponse(
            web, app, "sense-demo", TestApp.demoPassword(app, "sense"), null);
    String cookie = first.cookies().get(0);
    assertTrue(cookie.startsWith("__Host-vp_session="), cookie);
    String lower = cookie.toLowerCase();
    assertTrue(lower.contains("; secure"), cookie);
    assertTrue(lower.contains("; httponly"), cookie);
    assertTrue(lower.contains("samesite=strict"), cookie);
    assertTrue(lower.contains("path=/"), cookie);
    assertFalse(lower.contains("domain="), cookie);
    HttpResponse<Buffer> second =
        ConsoleFixtures.loginResponse(
            web, app, "sense-demo", TestApp.demoPassword(app, "sense"), null);
    assertNotEquals(
        cookie.substring(0, cookie.indexOf(';')),
        second.cookies().get(0).substring(0, second.cookies().get(0).indexOf(';')));
  }

  @Test
  @DisplayName(
      "with TOTP enrolled: no code, a wrong code, a stale code and a reused code are refused; a fresh one "
          + "works once")
  void totp() throws Exception {
    String password = "totp-user-password";
    ConsoleFixtures.createStaff(app, "mores", "mores-totp", "counselor", password, 3);
    ConsoleFixtures.Login plain = ConsoleFixtures.login(web, app, "mores-totp", password, null);
    byte[] secret = ConsoleFixtures.enrolTotp(web, app, plain);

    HttpResponse<Buffer> none =
        ConsoleFixtures.loginResponse(web, app, "mores-totp", password, null);
    assertEquals(401, none.statusCode());
    assertEquals("totp_required", none.bodyAsJsonObject().getString("error"));

    long enrolStep =
        await(
                app.pool()
                    .preparedQuery("SELECT totp_last_step FROM staff_user WHERE username = $1")
                    .execute(Tuple.of("mores-totp")))
            .iterator()
            .next()
            .getLong(0);
    long now = Totp.stepAt(System.currentTimeMillis() / 1000);
    String stale = Totp.code(secret, now - 3);
    HttpResponse<Buffer> staleResponse =
        ConsoleFixtures.loginResponse(web, app, "mores-totp", password, stale);
    assertEquals(401, staleResponse.statusCode());

    // The step used at enrolment (or an older one) is refused even though the code is correct.
    String enrolmentStepCode = Totp.code(secret, enrolStep);
    HttpResponse<Buffer> reusedEnrolment =
        ConsoleFixtures.loginResponse(web, app, "mores-totp", password, enrolmentStepCode);
    assertEquals(401, reusedEnrolment.statusCode(), reusedEnrolment.bodyAsString());

    String fresh = Totp.code(secret, enrolStep + 1);
    ConsoleFixtures.Login ok = ConsoleFixtures.login(web, app, "mores-totp", password, fresh);
    assertEquals("mores-totp", ok.user().getString("username"));
    HttpResponse<Buffer> reused =
        ConsoleFixtures.loginResponse(web, app, "mores-totp", password, fresh);
    assertEquals(401, reused.statusCode());
    assertEquals("totp_reused", reused.bodyAsJsonObject().getString("error"));
    HttpResponse<Buffer> wrongPassword =
        ConsoleFixtures.loginResponse(web, app, "mores-totp", "nope", fresh);
    assertEquals("bad_credentials", wrongPassword.bodyAsJsonObject().getString("error"));
  }

  @Test
  @DisplayName(
      "after five failed logins from one source the next attempts for that user name from there are "
          + "throttled with 429, even with the right password")
  void throttling() throws Exception {
    ConsoleFixtures.createStaff(app, "cvsn", "cvsn-throttle", "counselor", "right-password", 3);
    for (int i = 0; i < 5; i++) {
      assertEquals(
          401,
          ConsoleFixtures.loginResponse(web, app, "cvsn-throttle", "wrong-" + i, null)
              .statusCode());
    }
    assertEquals(
        401,
        ConsoleFixtures.loginResponse(web, app, "cvsn-throttle", "wrong-6", null).statusCode());
    HttpResponse<Buffer> throttled =
        ConsoleFixtures.loginResponse(web, app, "cvsn-throttle", "right-password", null);
    assertEquals(429, throttled.statusCode(), throttled.bodyAsString());
    assertEquals("throttled", throttled.bodyAsJsonObject().getString("error"));
  }

  @Test
  @DisplayName("a session idle for more than 30 minutes or older than 12 hours is over")
  void timeouts() throws Exception {
    ConsoleFixtures.Login idle = ConsoleFixtures.loginDemo(web, app, "veilig_thuis");
    assertEquals(200, ConsoleFixtures.get(web, app, idle, "/api/me").statusCode());
    byte[] hash = Secrets.sha256(idle.cookie().substring(idle.cookie().indexOf('=') + 1));
    await(
        app.pool()
            .preparedQuery(
                "UPDATE staff_session SET last_seen_at = now() - interval '31 minutes' "
                    + "WHERE id_hash = $1")
            .execute(Tuple.of(Buffer.buffer(hash))));
    assertEquals(401, ConsoleFixtures.get(web, app, idle, "/api/me").statusCode());

    ConsoleFixtures.Login old = ConsoleFixtures.loginDemo(web, app, "veilig_thuis");
    byte[] oldHash = Secrets.sha256(old.cookie().substring(old.cookie().indexOf('=') + 1));
    await(
        app.pool()
            .preparedQuery(
                "UPDATE staff_session SET created_at = now() - interval '12 hours 1 minute' "
                    + "WHERE id_hash = $1")
            .execute(Tuple.of(Buffer.buffer(oldHash))));
    assertEquals(401, ConsoleFixtures.get(web, app, old, "/api/me").statusCode());
  }

  @Test
  @DisplayName(
      "state-changing requests need the CSRF token and an allowed Origin; logout closes the session's "
          + "sockets and ends the session")
  void csrfAndLogout() throws Exception {
    ConsoleFixtures.Login login = ConsoleFixtures.loginDemo(web, app, "csg");
    HttpResponse<Buffer> noToken =
        await(
            web.post(app.consolePort(), "127.0.0.1", "/api/status")
                .putHeader("Cookie", login.cookie())
                .sendJsonObject(new JsonObject().put("status", "busy")));
    assertEquals(403, noToken.statusCode());
    HttpResponse<Buffer> foreign =
        await(
            web.post(app.consolePort(), "127.0.0.1", "/api/status")
                .putHeader("Cookie", login.cookie())
                .putHeader("X-CSRF-Token", login.csrf())
                .putHeader("Origin", "https://evil.example")
                .sendJsonObject(new JsonObject().put("status", "busy")));
    assertEquals(403, foreign.statusCode());
    String status =
        await(
                app.pool()
                    .preparedQuery("SELECT status FROM staff_user WHERE username = 'csg-demo'")
                    .execute())
            .iterator()
            .next()
            .getString(0);
    assertEquals("away", status);

    WsProbe socket =
        WsProbe.connect(
            client, app.consolePort(), "/ws", ConsoleFixtures.origin(app), login.cookie());
    socket.awaitType("hello");
    assertEquals(200, ConsoleFixtures.post(web, app, login, "/api/logout", null).statusCode());
    long deadline = System.currentTimeMillis() + 10_000;
    while (socket.closeCode == null && System.currentTimeMillis() < deadline) {
      Thread.sleep(50);
    }
    assertEquals((short) 4401, socket.closeCode);
    assertEquals(401, ConsoleFixtures.get(web, app, login, "/api/me").statusCode());
  }
}
