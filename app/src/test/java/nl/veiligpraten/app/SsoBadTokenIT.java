package nl.veiligpraten.app;

import static nl.veiligpraten.app.ConsoleFixtures.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import nl.veiligpraten.console.sso.SsoOrganisation;
import nl.veiligpraten.console.sso.SsoService;
import nl.veiligpraten.console.sso.SsoSettings;
import nl.veiligpraten.staff.SsoAccounts;
import nl.veiligpraten.staff.StaffRepository;
import nl.veiligpraten.staff.StaffUser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Bad ID tokens from a real OpenID Connect provider process (mock-oauth2-server on loopback). Each
 * organisation has its own issuer at the provider, configured to issue validly signed ID tokens
 * with one thing wrong: another issuer, another audience, a foreign nonce, no multi-factor sign-in,
 * a role the account does not have; and, after the provider restarts with new keys, a signature the
 * service cannot verify. Each is refused with its reason, nothing is stored, and the log names the
 * organisation and the reason but no code, token, nonce or secret.
 */
@DisplayName(
    "Single sign-on refuses bad ID tokens from a real provider with a clear reason, changes nothing, and logs "
        + "without secrets")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SsoBadTokenIT {

  static final String CLIENT = "veilig-praten-console";
  static final String SECRET = "geheim-client-secret-4711";

  @TempDir static Path dataDir;
  static OidcProvider provider;
  static RunningApp app;
  static final ListAppender<ILoggingEvent> log = new ListAppender<>();
  static final HttpClient http =
      HttpClient.newBuilder()
          .followRedirects(HttpClient.Redirect.NEVER)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  /** The provider's issuers: one per organisation, each with the claims of its ID tokens. */
  static String config() {
    return config("");
  }

  /**
   * The same issuers, with {@code keys} ("" or a {@code tokenProvider} member) choosing the signing
   * keys.
   */
  static String config(String keys) {
    return "{\"interactiveLogin\":false,"
        + keys
        + "\"tokenCallbacks\":["
        + issuer("ok", "\"sub\":\"p-ok\",\"roles\":[\"vp-counselor\"],\"amr\":[\"pwd\",\"mfa\"]")
        + ","
        + issuer(
            "issuer",
            "\"sub\":\"p-issuer\",\"roles\":[\"vp-counselor\"],\"amr\":[\"mfa\"],"
                + "\"iss\":\"https://elders.example/issuer\"")
        + ","
        + issuer(
            "audience",
            "\"sub\":\"p-audience\",\"roles\":[\"vp-counselor\"],\"amr\":[\"mfa\"],"
                + "\"aud\":[\"een-andere-client\"]")
        + ","
        + issuer(
            "nonce",
            "\"sub\":\"p-nonce\",\"roles\":[\"vp-counselor\"],\"amr\":[\"mfa\"],"
                + "\"nonce\":\"nonce-van-een-andere-poging\"")
        + ","
        + issuer("mfa", "\"sub\":\"p-mfa\",\"roles\":[\"vp-counselor\"],\"amr\":[\"pwd\"]")
        + ","
        + issuer(
            "escalation", "\"sub\":\"p-escalation\",\"roles\":[\"vp-admin\"],\"amr\":[\"mfa\"]")
        + "]}";
  }

  static String issuer(String id, String claims) {
    return "{\"issuerId\":\""
        + id
        + "\",\"requestMappings\":[{\"requestParam\":\"grant_type\",\"match\":\"*\","
        + "\"claims\":{"
        + claims
        + "}}]}";
  }

  static SsoOrganisation org(String orgId, String issuerId) {
    return new SsoOrganisation(
        orgId,
        provider.issuer(issuerId),
        CLIENT,
        SECRET,
        "roles",
        Map.of("vp-counselor", "counselor", "vp-admin", "org_admin"),
        true,
        Set.of());
  }

  @BeforeAll
  static void setUp() throws Exception {
    provider = OidcProvider.start(config(), dataDir);
    SsoSettings sso =
        new SsoSettings(
            List.of(
                org("csg", "ok"),
                org("veilig_thuis", "issuer"),
                org("sense", "audience"),
                org("cvsn", "nonce"),
                org("mores", "mfa"),
                org("sso_escalatie", "escalation")),
            Duration.ofMinutes(5),
            Optional.empty());
    AppSettings settings = AppSettings.forTest(dataDir);
    app = TestApp.start(settings.withSecurity(settings.security().withSso(sso)));
    StaffRepository staff = new StaffRepository(app.pool());
    await(staff.createOrganisation("sso_escalatie", "SSO escalatie"));
    SsoAccounts accounts = new SsoAccounts(app.pool());
    for (String[] a :
        List.of(
            new String[] {"csg", "p-ok"},
            new String[] {"veilig_thuis", "p-issuer"},
            new String[] {"sense", "p-audience"},
            new String[] {"cvsn", "p-nonce"},
            new String[] {"mores", "p-mfa"},
            new String[] {"sso_escalatie", "p-escalation"})) {
      StaffUser u =
          ConsoleFixtures.createStaff(
              app, a[0], "sso-" + a[1], "counselor", "niet-gebruikt-wachtwoord", 2);
      assertTrue(await(accounts.bind(u.id(), a[1])) instanceof SsoAccounts.Bound.Done);
    }
    log.start();
    ((Logger) LoggerFactory.getLogger(SsoService.class)).addAppender(log);
  }

  @AfterAll
  static void tearDown() throws Exception {
    ((Logger) LoggerFactory.getLogger(SsoService.class)).detachAppender(log);
    if (app != null) {
      app.stopBlocking();
    }
    if (provider != null) {
      provider.close();
    }
  }

  /** What one sign-in attempt ended with, and what travelled (to check the log for it). */
  record Outcome(String location, List<String> setCookies, String code, String state) {}

  static HttpResponse<String> get(String url, String cookie) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20));
    if (cookie != null) {
      b.header("Cookie", cookie);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /**
   * A sign-in as a browser does it: start, the provider's authorize (no interaction configured),
   * the callback.
   */
  static Outcome signIn(String org) throws Exception {
    HttpResponse<String> start = get(app.consoleUrl() + "sso/start?org=" + org, null);
    assertEquals(302, start.statusCode(), start.body());
    String attempt =
        start.headers().allValues("Set-Cookie").stream()
            .filter(c -> c.startsWith(SsoService.ATTEMPT_COOKIE + "="))
            .findFirst()
            .orElseThrow();
    String flags = attempt.toLowerCase(java.util.Locale.ROOT);
    assertTrue(
        flags.contains("httponly") && flags.contains("secure") && flags.contains("samesite=lax"),
        attempt);
    String cookie = attempt.substring(0, attempt.indexOf(';'));
    String authorize = start.headers().firstValue("Location").orElseThrow();
    assertTrue(
        authorize.contains("code_challenge_method=S256") && authorize.contains("nonce="),
        authorize);
    HttpResponse<String> atProvider = get(authorize, null);
    assertEquals(302, atProvider.statusCode(), atProvider.body());
    String callback = atProvider.headers().firstValue("Location").orElseThrow();
    assertTrue(callback.startsWith(app.consoleUrl() + "sso/callback?"), callback);
    HttpResponse<String> back = get(callback, cookie);
    assertEquals(303, back.statusCode(), back.body());
    return new Outcome(
        back.headers().firstValue("Location").orElseThrow(),
        back.headers().allValues("Set-Cookie"),
        param(callback, "code"),
        param(callback, "state"));
  }

  static String param(String url, String name) {
    for (String p : URI.create(url).getRawQuery().split("&")) {
      if (p.startsWith(name + "=")) {
        return java.net.URLDecoder.decode(
            p.substring(name.length() + 1), java.nio.charset.StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  static long sessions() throws Exception {
    return await(app.pool().query("SELECT count(*) FROM staff_session").execute())
        .iterator()
        .next()
        .getLong(0);
  }

  static String roleOf(String username) throws Exception {
    return await(new StaffRepository(app.pool()).byUsername(username)).orElseThrow().role();
  }

  /**
   * Refused with this code: back to the sign-in page, no session cookie, no session row, a log line
   * without secrets.
   */
  static void assertRefused(String org, String reason) throws Exception {
    long before = sessions();
    int logged = log.list.size();
    Outcome o = signIn(org);
    assertEquals("/#sso-error=" + reason, o.location(), org);
    assertTrue(
        o.setCookies().stream()
            .noneMatch(
                c -> c.startsWith("__Host-vp_session=") && !c.startsWith("__Host-vp_session=;")),
        "no session cookie: " + o.setCookies());
    assertEquals(before, sessions(), "no session stored");
    List<String> lines = new ArrayList<>();
    log.list.subList(logged, log.list.size()).forEach(e -> lines.add(e.getFormattedMessage()));
    assertTrue(
        lines.stream()
            .anyMatch(l -> l.contains("refused") && l.contains(org) && l.contains(reason)),
        lines.toString());
    for (String line : lines) {
      assertFalse(
          line.contains(o.code())
              || line.contains(o.state())
              || line.contains(SECRET)
              || line.contains("eyJ"),
          "the log holds no code, state, token or secret: " + line);
    }
  }

  @Test
  @Order(1)
  @DisplayName("a correct ID token signs the bound person in (the harness can succeed)")
  void correctTokenSignsIn() throws Exception {
    long before = sessions();
    Outcome o = signIn("csg");
    assertEquals("/", o.location());
    assertTrue(
        o.setCookies().stream()
            .map(c -> c.toLowerCase(java.util.Locale.ROOT))
            .anyMatch(
                c ->
                    c.startsWith("__host-vp_session=")
                        && c.contains("httponly")
                        && c.contains("samesite=strict")),
        o.setCookies().toString());
    assertEquals(before + 1, sessions());
    // The session is a single sign-on one: no TOTP enrolment is asked or allowed (the provider has
    // the second factor).
    String cookie =
        o.setCookies().stream()
            .filter(c -> c.startsWith("__Host-vp_session="))
            .findFirst()
            .orElseThrow();
    cookie = cookie.substring(0, cookie.indexOf(';'));
    HttpResponse<String> me = get(app.consoleUrl() + "api/me", cookie);
    assertEquals(200, me.statusCode());
    io.vertx.core.json.JsonObject body = new io.vertx.core.json.JsonObject(me.body());
    assertEquals(true, body.getBoolean("sso"));
    assertEquals(false, body.getBoolean("totpEnrolmentRequired"));
    HttpResponse<String> enrol =
        http.send(
            HttpRequest.newBuilder(URI.create(app.consoleUrl() + "api/totp/enrol"))
                .header("Cookie", cookie)
                .header("X-CSRF-Token", body.getString("csrfToken"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(409, enrol.statusCode(), enrol.body());
    assertTrue(enrol.body().contains("sso_account"), enrol.body());
  }

  @Test
  @Order(2)
  @DisplayName("an ID token from another issuer is refused (issuer)")
  void wrongIssuer() throws Exception {
    assertRefused("veilig_thuis", "issuer");
  }

  @Test
  @Order(3)
  @DisplayName("an ID token for another client is refused (audience)")
  void wrongAudience() throws Exception {
    assertRefused("sense", "audience");
  }

  @Test
  @Order(4)
  @DisplayName("an ID token with the nonce of another sign-in is refused (nonce)")
  void wrongNonce() throws Exception {
    assertRefused("cvsn", "nonce");
  }

  @Test
  @Order(5)
  @DisplayName(
      "an organisation that requires multi-factor sign-in refuses an ID token whose amr shows a password only")
  void noMultiFactor() throws Exception {
    assertRefused("mores", "mfa_required");
  }

  @Test
  @Order(6)
  @DisplayName(
      "a role claim that maps to organisation admin does not make a counselor account an admin: refused, the "
          + "account keeps its role")
  void noRoleEscalationThroughClaims() throws Exception {
    assertRefused("sso_escalatie", "role_mismatch");
    assertEquals("counselor", roleOf("sso-p-escalation"));
  }

  @Test
  @Order(7)
  @DisplayName(
      "a callback with an unknown state, from another browser, or replayed is refused (state)")
  void badState() throws Exception {
    long before = sessions();
    HttpResponse<String> unknown =
        get(app.consoleUrl() + "sso/callback?code=abc&state=onbekend", null);
    assertEquals("/#sso-error=state", unknown.headers().firstValue("Location").orElseThrow());
    // Started in one browser, finished in another (no attempt cookie): refused, and the attempt is
    // used up.
    HttpResponse<String> start = get(app.consoleUrl() + "sso/start?org=csg", null);
    String callback =
        get(start.headers().firstValue("Location").orElseThrow(), null)
            .headers()
            .firstValue("Location")
            .orElseThrow();
    assertEquals(
        "/#sso-error=state", get(callback, null).headers().firstValue("Location").orElseThrow());
    assertEquals(
        "/#sso-error=state",
        get(callback, "__Host-vp_sso=geraden").headers().firstValue("Location").orElseThrow());
    assertEquals(before, sessions());
  }

  @Test
  @Order(8)
  @DisplayName(
      "after the provider restarts with new signing keys, an ID token the service cannot verify is refused "
          + "(signature)")
  void wrongSignature() throws Exception {
    // The service keeps the keys it fetched at start; the restarted provider signs with a new key
    // it never published
    // to the service, under the same key id.
    provider.restart(
        config(
            "\"tokenProvider\":{\"keyProvider\":{\"initialKeys\":"
                + OidcProvider.quoted(OidcProvider.rsaSigningKey())
                + ",\"algorithm\":\"RS256\"}},"));
    assertRefused("csg", "signature");
  }
}
