package nl.veiligpraten.app;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static nl.veiligpraten.app.ConsoleFixtures.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import nl.veiligpraten.staff.StaffRepository;
import nl.veiligpraten.staff.StaffUser;
import nl.veiligpraten.staff.Totp;
import nl.veiligpraten.staff.TotpSealer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 20, finding 6: TOTP is mandatory for local staff (enrolment forced at the first sign-in),
 * replacing it needs the password and a current code, and the secrets are stored sealed under the
 * key store. One app with TOTP required, as in production.
 */
@DisplayName(
    "TOTP policy: enrolment forced at first sign-in, re-enrolment with password and code, sealed secrets")
class TotpPolicyIT {

  @TempDir static Path dataDir;
  static RunningApp app;
  static Vertx client;
  static WebClient web;

  @BeforeAll
  static void setUp() throws Exception {
    app =
        TestApp.start(
            AppSettings.forTest(dataDir)
                .withSecurity(SecuritySettings.DEFAULT.withRequireTotp(true)));
    client = Vertx.vertx();
    web = WebClient.create(client);
  }

  @AfterAll
  static void tearDown() throws Exception {
    app.stopBlocking();
    client.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  static int upgradeStatus(ConsoleFixtures.Login login) throws Exception {
    try {
      var ws =
          await(
              client
                  .createWebSocketClient()
                  .connect(
                      new WebSocketConnectOptions()
                          .setHost("127.0.0.1")
                          .setPort(app.consolePort())
                          .setURI("/ws")
                          .addHeader("Origin", ConsoleFixtures.origin(app))
                          .addHeader("Cookie", login.cookie())));
      ws.close();
      return 101;
    } catch (java.util.concurrent.ExecutionException e) {
      String m = String.valueOf(e.getCause().getMessage());
      java.util.regex.Matcher status = java.util.regex.Pattern.compile("(\\d{3})").matcher(m);
      return status.find() ? Integer.parseInt(status.group(1)) : -1;
    }
  }

  @Test
  @DisplayName(
      "production requires TOTP by default and a demo instance does not; an account without TOTP can only "
          + "enrol after its first sign-in, then everything works and the next sign-in needs a code")
  void enrolmentForcedAtFirstSignIn() throws Exception {
    assertTrue(
        AppSettings.from(Map.of(), new String[0]).security().totpRequired(false),
        "production default");
    AppSettings demo = AppSettings.from(Map.of(), new String[] {"--demo"});
    assertFalse(demo.security().totpRequired(demo.demo()), "demo default");
    assertTrue(
        AppSettings.from(Map.of("VP_REQUIRE_TOTP", "true"), new String[] {"--demo"})
            .security()
            .totpRequired(true));

    ConsoleFixtures.createStaff(app, "csg", "new-counselor", "counselor", "first-password", 3);
    ConsoleFixtures.Login first =
        ConsoleFixtures.login(web, app, "new-counselor", "first-password", null);
    assertTrue(first.user() != null);
    HttpResponse<Buffer> me = ConsoleFixtures.get(web, app, first, "/api/me");
    assertEquals(200, me.statusCode());
    assertTrue(me.bodyAsJsonObject().getBoolean("totpEnrolmentRequired"));
    HttpResponse<Buffer> queue = ConsoleFixtures.get(web, app, first, "/api/queue");
    assertEquals(403, queue.statusCode());
    assertEquals("totp_enrolment_required", queue.bodyAsJsonObject().getString("error"));
    assertEquals(
        403,
        ConsoleFixtures.post(web, app, first, "/api/status", new JsonObject().put("status", "busy"))
            .statusCode());
    assertEquals(403, upgradeStatus(first), "the console socket before enrolment");

    byte[] secret = ConsoleFixtures.enrolTotp(web, app, first);
    assertEquals(200, ConsoleFixtures.get(web, app, first, "/api/queue").statusCode());
    assertFalse(
        ConsoleFixtures.get(web, app, first, "/api/me")
            .bodyAsJsonObject()
            .getBoolean("totpEnrolmentRequired"));
    assertEquals(101, upgradeStatus(first));

    HttpResponse<Buffer> noCode =
        ConsoleFixtures.loginResponse(web, app, "new-counselor", "first-password", null);
    assertEquals(401, noCode.statusCode());
    assertEquals("totp_required", noCode.bodyAsJsonObject().getString("error"));
    ConsoleFixtures.login(
        web, app, "new-counselor", "first-password", ConsoleFixtures.nextCode(secret));
  }

  @Test
  @DisplayName(
      "replacing an enrolled TOTP secret needs the password and a current code; the session cookie alone, "
          + "a wrong password or a wrong code change nothing")
  void reEnrolmentNeedsPasswordAndCode() throws Exception {
    ConsoleFixtures.createStaff(app, "sense", "re-enrol", "counselor", "re-password", 3);
    ConsoleFixtures.Login login = ConsoleFixtures.login(web, app, "re-enrol", "re-password", null);
    byte[] secret = ConsoleFixtures.enrolTotp(web, app, login);
    Row before =
        await(
                app.pool()
                    .preparedQuery(
                        "SELECT totp_secret, totp_pending FROM staff_user "
                            + "WHERE username = 're-enrol'")
                    .execute())
            .iterator()
            .next();

    HttpResponse<Buffer> cookieOnly =
        ConsoleFixtures.post(web, app, login, "/api/totp/enrol", null);
    assertEquals(403, cookieOnly.statusCode());
    assertEquals("reauth_required", cookieOnly.bodyAsJsonObject().getString("error"));
    long step = Totp.stepAt(System.currentTimeMillis() / 1000) + 1;
    HttpResponse<Buffer> wrongPassword =
        ConsoleFixtures.post(
            web,
            app,
            login,
            "/api/totp/enrol",
            new JsonObject().put("password", "not-it").put("code", Totp.code(secret, step)));
    assertEquals(403, wrongPassword.statusCode());
    HttpResponse<Buffer> wrongCode =
        ConsoleFixtures.post(
            web,
            app,
            login,
            "/api/totp/enrol",
            new JsonObject()
                .put("password", "re-password")
                .put("code", "000000".equals(Totp.code(secret, step)) ? "111111" : "000000"));
    assertEquals(403, wrongCode.statusCode());
    Row unchanged =
        await(
                app.pool()
                    .preparedQuery(
                        "SELECT totp_secret, totp_pending FROM staff_user "
                            + "WHERE username = 're-enrol'")
                    .execute())
            .iterator()
            .next();
    assertArrayEquals(before.getBuffer(0).getBytes(), unchanged.getBuffer(0).getBytes());
    assertEquals(null, unchanged.getBuffer(1), "a refused re-enrolment stored a pending secret");

    HttpResponse<Buffer> ok =
        ConsoleFixtures.post(
            web,
            app,
            login,
            "/api/totp/enrol",
            new JsonObject().put("password", "re-password").put("code", Totp.code(secret, step)));
    assertEquals(200, ok.statusCode(), ok.bodyAsString());
    assertTrue(ok.bodyAsJsonObject().getString("secret").length() >= 32);
    // The same code cannot be used twice.
    HttpResponse<Buffer> replay =
        ConsoleFixtures.post(
            web,
            app,
            login,
            "/api/totp/enrol",
            new JsonObject().put("password", "re-password").put("code", Totp.code(secret, step)));
    assertEquals(403, replay.statusCode());
    assertEquals("totp_reused", replay.bodyAsJsonObject().getString("error"));
  }

  @Test
  @DisplayName(
      "TOTP secrets are stored sealed (not the plain secret), and a plain secret from before is sealed at "
          + "start-up and still signs in")
  void secretsAreSealed() throws Exception {
    ConsoleFixtures.createStaff(app, "cvsn", "sealed-one", "counselor", "sealed-password", 3);
    ConsoleFixtures.Login login =
        ConsoleFixtures.login(web, app, "sealed-one", "sealed-password", null);
    byte[] secret = ConsoleFixtures.enrolTotp(web, app, login);
    byte[] stored =
        await(
                app.pool()
                    .query("SELECT totp_secret FROM staff_user WHERE username = 'sealed-one'")
                    .execute())
            .iterator()
            .next()
            .getBuffer(0)
            .getBytes();
    assertTrue(TotpSealer.isSealed(stored));
    assertFalse(
        java.util.HexFormat.of()
            .formatHex(stored)
            .contains(java.util.HexFormat.of().formatHex(secret)),
        "the plain secret is in the stored value");

    // A plain secret as an older version stored it; the start-up step seals it.
    StaffUser old =
        ConsoleFixtures.createStaff(app, "cvsn", "plain-one", "counselor", "plain-password", 3);
    byte[] plain = Totp.newSecret();
    await(
        app.pool()
            .preparedQuery(
                "UPDATE staff_user SET totp_secret = $2, totp_last_step = 0 WHERE id = $1")
            .execute(Tuple.of(old.id(), Buffer.buffer(plain))));
    assertEquals(1, await(new StaffRepository(app.pool()).sealPlainTotpSecrets(app.totpSealer())));
    assertEquals(
        0,
        await(new StaffRepository(app.pool()).sealPlainTotpSecrets(app.totpSealer())),
        "idempotent");
    byte[] migrated =
        await(
                app.pool()
                    .preparedQuery("SELECT totp_secret FROM staff_user WHERE id = $1")
                    .execute(Tuple.of(old.id())))
            .iterator()
            .next()
            .getBuffer(0)
            .getBytes();
    assertTrue(TotpSealer.isSealed(migrated));
    assertArrayEquals(plain, app.totpSealer().open(old.id(), migrated));
    ConsoleFixtures.login(web, app, "plain-one", "plain-password", ConsoleFixtures.nextCode(plain));
  }

  @Test
  @DisplayName(
      "the console offers re-enrolment: with an app already set up, the two-step button asks for the "
          + "password and the old app's code (a wrong code is refused in Dutch), then shows a new QR code; the new app's "
          + "code of the same 30 seconds confirms it; afterwards only the new app signs in (headless Chromium, 0 axe "
          + "violations)")
  void reEnrolmentInTheConsole() throws Exception {
    StaffUser user =
        ConsoleFixtures.createStaff(app, "csg", "re-enrol-ui", "counselor", "ui-password-1", 3);
    byte[] old = Totp.newSecret();
    await(
        app.pool()
            .preparedQuery(
                "UPDATE staff_user SET totp_secret = $2, totp_last_step = 0 WHERE id = $1")
            .execute(Tuple.of(user.id(), Buffer.buffer(app.totpSealer().seal(user.id(), old)))));
    // Codes a person would type: sign-in with the current code, re-authorisation with the old app's
    // next code, and
    // the new app's code of that same step (a person who scans the new QR code at once); all within
    // the server's
    // drift window for 60 seconds from here.
    long now = Totp.stepAt(System.currentTimeMillis() / 1000);
    byte[] fresh;
    try (Playwright playwright = Playwright.create()) {
      Browser browser =
          playwright
              .chromium()
              .launch(
                  new BrowserType.LaunchOptions()
                      .setExecutablePath(Paths.get("/usr/bin/chromium"))
                      .setHeadless(true)
                      .setArgs(
                          List.of(
                              "--no-sandbox", "--disable-gpu", "--disable-background-networking")));
      List<String> errors = new ArrayList<>();
      Page page = browser.newContext().newPage();
      page.setDefaultTimeout(15_000);
      page.onPageError(e -> errors.add("page error: " + e));
      page.onConsoleMessage(
          m -> {
            if ("error".equals(m.type()) && !m.text().matches("(?s).*status of 4\\d\\d.*")) {
              errors.add(m.text());
            }
          });
      page.navigate(app.consoleUrl());
      page.fill("#login-user", "re-enrol-ui");
      page.fill("#login-pass", "ui-password-1");
      page.click("#login-submit");
      assertThat(page.locator("#totp-row")).isVisible();
      page.fill("#login-totp", Totp.code(old, now));
      page.click("#login-submit");
      assertThat(page.locator("#app")).isVisible();

      page.click("#enrol-btn");
      assertThat(page.locator("#reenrol-form")).isVisible();
      assertThat(page.locator("#enrol-title")).hasText("Nieuwe authenticator-app instellen");
      assertThat(page.locator("#enrol-new")).isHidden();
      ConsoleBrowserIT.assertNoAxeViolations(page, "re-enrolment");
      page.fill("#reenrol-pass", "ui-password-1");
      page.fill("#reenrol-code", "000000".equals(Totp.code(old, now + 1)) ? "111111" : "000000");
      page.click("#reenrol-submit");
      assertThat(page.locator("#reenrol-error")).containsText("wachtwoord of de code klopt niet");
      assertThat(page.locator("#enrol-new")).isHidden();

      page.fill("#reenrol-pass", "ui-password-1");
      page.fill("#reenrol-code", Totp.code(old, now + 1));
      page.click("#reenrol-submit");
      assertThat(page.locator("#enrol-qr")).isVisible();
      assertThat(page.locator("#reenrol-form")).isHidden();
      fresh = ConsoleFixtures.base32(page.locator("#enrol-secret").textContent().trim());
      assertFalse(java.util.Arrays.equals(old, fresh));
      ConsoleBrowserIT.assertNoAxeViolations(page, "re-enrolment QR code");
      page.fill("#enrol-code", Totp.code(fresh, now + 1));
      page.click("#enrol-confirm");
      assertThat(page.locator("#enrol-result")).containsText("nieuwe app");
      page.click("#enrol-close");
      assertThat(page.locator("#enrol")).isHidden();
      assertEquals(List.of(), errors);
      browser.close();
    }
    // Only the new app signs in now. Its next code (now + 2) is valid once the clock is in step now
    // + 1: wait for the
    // clock (at most one step), then the old app's code of that step is refused and the new app's
    // accepted.
    while (Totp.stepAt(System.currentTimeMillis() / 1000) < now + 1) {
      Thread.sleep(250);
    }
    HttpResponse<Buffer> oldApp =
        ConsoleFixtures.loginResponse(
            web, app, "re-enrol-ui", "ui-password-1", Totp.code(old, now + 2));
    assertEquals(401, oldApp.statusCode(), oldApp.bodyAsString());
    byte[] stored =
        await(
                app.pool()
                    .preparedQuery("SELECT totp_secret FROM staff_user WHERE id = $1")
                    .execute(Tuple.of(user.id())))
            .iterator()
            .next()
            .getBuffer(0)
            .getBytes();
    assertArrayEquals(
        fresh, app.totpSealer().open(user.id(), stored), "the new secret is the active one");
    ConsoleFixtures.login(web, app, "re-enrol-ui", "ui-password-1", Totp.code(fresh, now + 2));
  }
}
