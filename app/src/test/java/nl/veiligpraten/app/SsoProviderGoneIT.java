package nl.veiligpraten.app;

import static nl.veiligpraten.app.ConsoleFixtures.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import nl.veiligpraten.console.sso.SsoOrganisation;
import nl.veiligpraten.console.sso.SsoService;
import nl.veiligpraten.console.sso.SsoSettings;
import nl.veiligpraten.staff.SsoAccounts;
import nl.veiligpraten.staff.StaffUser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A single sign-on session fails closed: a refresh the provider answers with an error ends it at
 * that re-check; when nobody can confirm it with the provider any more (the provider is gone, or
 * the node holding the refresh token is), it counts as over everywhere after twice the re-check
 * interval plus one interval of grace.
 */
@DisplayName(
    "Single sign-on fails closed: a refresh answered with an error ends the session at once; a session the "
        + "provider cannot confirm ends after twice the re-check interval plus one interval, and not before")
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class SsoProviderGoneIT {

  static final Duration RECHECK = Duration.ofSeconds(2);

  @TempDir static Path dataDir;
  static OidcProvider provider;
  static RunningApp app;
  static final HttpClient http =
      HttpClient.newBuilder()
          .followRedirects(HttpClient.Redirect.NEVER)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  @BeforeAll
  static void setUp() throws Exception {
    // Issuer "csg" confirms its person on every request; issuer "refuse" signs its person in but
    // answers every refresh
    // with an error (a claims mapping the provider cannot turn into a token: it answers 500
    // server_error).
    provider =
        OidcProvider.start(
            "{\"interactiveLogin\":false,\"tokenCallbacks\":[{\"issuerId\":\"csg\","
                + "\"requestMappings\":[{\"requestParam\":\"grant_type\",\"match\":\"*\",\"claims\":{\"sub\":\"p-1\","
                + "\"roles\":[\"vp-counselor\"],\"amr\":[\"mfa\"]}}]},{\"issuerId\":\"refuse\",\"requestMappings\":["
                + "{\"requestParam\":\"grant_type\",\"match\":\"authorization_code\",\"claims\":{\"sub\":\"p-2\","
                + "\"roles\":[\"vp-counselor\"],\"amr\":[\"mfa\"]}},{\"requestParam\":\"grant_type\","
                + "\"match\":\"refresh_token\",\"claims\":{\"exp\":\"ingetrokken\"}}]}]}",
            dataDir);
    SsoSettings sso =
        new SsoSettings(
            List.of(
                new SsoOrganisation(
                    "csg",
                    provider.issuer("csg"),
                    "console",
                    "secret",
                    "roles",
                    Map.of("vp-counselor", "counselor"),
                    true,
                    Set.of()),
                new SsoOrganisation(
                    "mores",
                    provider.issuer("refuse"),
                    "console",
                    "secret",
                    "roles",
                    Map.of("vp-counselor", "counselor"),
                    true,
                    Set.of())),
            RECHECK,
            Optional.empty());
    AppSettings settings = AppSettings.forTest(dataDir);
    app = TestApp.start(settings.withSecurity(settings.security().withSso(sso)));
    StaffUser u =
        ConsoleFixtures.createStaff(
            app, "csg", "sso-weg", "counselor", "niet-gebruikt-wachtwoord", 2);
    assertTrue(
        await(new SsoAccounts(app.pool()).bind(u.id(), "p-1")) instanceof SsoAccounts.Bound.Done);
    StaffUser m =
        ConsoleFixtures.createStaff(app, "mores", "sso-geweigerd", "counselor", "niet-gebruikt", 2);
    assertTrue(
        await(new SsoAccounts(app.pool()).bind(m.id(), "p-2")) instanceof SsoAccounts.Bound.Done);
    log.start();
    ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(SsoService.class))
        .addAppender(log);
  }

  static final ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> log =
      new ch.qos.logback.core.read.ListAppender<>();

  /** Signs in through the provider (no interaction configured) and answers the session cookie. */
  static String signIn(String org) throws Exception {
    HttpResponse<String> start = get(app.consoleUrl() + "sso/start?org=" + org, null);
    String attempt =
        start.headers().allValues("Set-Cookie").stream()
            .filter(c -> c.startsWith(SsoService.ATTEMPT_COOKIE + "="))
            .findFirst()
            .orElseThrow();
    String callback =
        get(start.headers().firstValue("Location").orElseThrow(), null)
            .headers()
            .firstValue("Location")
            .orElseThrow();
    HttpResponse<String> back = get(callback, attempt.substring(0, attempt.indexOf(';')));
    assertEquals("/", back.headers().firstValue("Location").orElseThrow());
    String session =
        back.headers().allValues("Set-Cookie").stream()
            .filter(c -> c.startsWith("__Host-vp_session="))
            .findFirst()
            .orElseThrow();
    return session.substring(0, session.indexOf(';'));
  }

  @Test
  @org.junit.jupiter.api.Order(1)
  @DisplayName(
      "the provider answers the refresh with an error: the session ends at the first re-check")
  void refreshAnsweredWithAnError() throws Exception {
    String cookie = signIn("mores");
    long signedIn = System.nanoTime();
    assertEquals(200, get(app.consoleUrl() + "api/me", cookie).statusCode());
    long endedMs = -1;
    while (System.nanoTime() - signedIn < RECHECK.multipliedBy(5).toNanos()) {
      if (get(app.consoleUrl() + "api/me", cookie).statusCode() == 401) {
        endedMs = (System.nanoTime() - signedIn) / 1_000_000;
        break;
      }
      Thread.sleep(100);
    }
    System.out.printf(
        "SSO session whose refresh the provider refused ended %d ms after sign-in (re-check %d ms)%n",
        endedMs, RECHECK.toMillis());
    assertTrue(
        endedMs > 0 && endedMs <= RECHECK.toMillis() + 1500,
        "ended at the first re-check: " + endedMs);
    assertTrue(
        log.list.stream()
            .anyMatch(
                e ->
                    e.getFormattedMessage()
                        .contains("ended by the re-check: " + "refresh_refused")),
        "the reason is in the log");
  }

  @AfterAll
  static void tearDown() throws Exception {
    if (app != null) {
      app.stopBlocking();
    }
    if (provider != null) {
      provider.close();
    }
  }

  static HttpResponse<String> get(String url, String cookie) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20));
    if (cookie != null) {
      b.header("Cookie", cookie);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  @org.junit.jupiter.api.Order(2)
  @DisplayName(
      "the provider stops: the session keeps working through the first failed re-checks and is refused once "
          + "it has gone unconfirmed for 2 intervals + 1")
  void providerGone() throws Exception {
    String cookie = signIn("csg");
    assertEquals(200, get(app.consoleUrl() + "api/me", cookie).statusCode());

    // The provider confirms the session once more, then goes away.
    long until = System.nanoTime() + RECHECK.multipliedBy(10).toNanos();
    boolean confirmed = false;
    while (!confirmed && System.nanoTime() < until) {
      confirmed =
          await(
                      app.pool()
                          .query(
                              "SELECT count(*) FROM staff_session WHERE sso_checked_at > created_at "
                                  + "+ interval '1 second'")
                          .execute())
                  .iterator()
                  .next()
                  .getLong(0)
              >= 1;
      Thread.sleep(100);
    }
    assertTrue(confirmed, "the provider confirmed the session");
    provider.close();
    long gone = System.nanoTime();
    java.time.OffsetDateTime lastConfirmed =
        await(app.pool().query("SELECT max(sso_checked_at) FROM staff_session").execute())
            .iterator()
            .next()
            .getOffsetDateTime(0);

    // Within two intervals of the last confirmation the session still works (the re-checks fail,
    // the person stays).
    long refusedAfter = -1;
    boolean workedAfterAFailedCheck = false;
    while (System.nanoTime() - gone < RECHECK.multipliedBy(10).toNanos()) {
      int status = get(app.consoleUrl() + "api/me", cookie).statusCode();
      long sinceConfirmedMs =
          Duration.between(lastConfirmed, java.time.OffsetDateTime.now()).toMillis();
      if (status == 401) {
        refusedAfter = sinceConfirmedMs;
        break;
      }
      assertEquals(200, status);
      workedAfterAFailedCheck |= sinceConfirmedMs > RECHECK.toMillis() + 500;
      Thread.sleep(100);
    }
    System.out.printf(
        "SSO session with an unreachable provider refused %d ms after its last confirmation "
            + "(re-check %d ms)%n",
        refusedAfter, RECHECK.toMillis());
    assertTrue(workedAfterAFailedCheck, "the session outlived a failed re-check");
    assertTrue(
        refusedAfter >= RECHECK.multipliedBy(3).toMillis() - 200
            && refusedAfter <= RECHECK.multipliedBy(3).toMillis() + 1500,
        "refused after 3 intervals: " + refusedAfter);
    assertEquals(
        0L,
        await(
                app.pool()
                    .query("SELECT count(*) FROM staff_session WHERE sso_checked_at IS NOT NULL")
                    .execute())
            .iterator()
            .next()
            .getLong(0),
        "the unconfirmed session is deleted");
  }
}
