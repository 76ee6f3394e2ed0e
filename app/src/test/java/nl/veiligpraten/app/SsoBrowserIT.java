package nl.veiligpraten.app;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static nl.veiligpraten.app.ConsoleFixtures.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.LocatorAssertions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import nl.veiligpraten.console.sso.SsoOrganisation;
import nl.veiligpraten.console.sso.SsoSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Single sign-on through a real OpenID Connect provider process (mock-oauth2-server on loopback) in
 * headless Chromium. "Disabled at the provider" is, in this test, a provider restarted (same
 * issuer, port and signing key) with a configuration that no longer knows the person: it forgot the
 * person's refresh token and every token it now issues for this client names no person (no {@code
 * sub}). See docs/administration.md, "Single sign-on".
 */
@DisplayName(
    "Single sign-on in headless Chromium: sign in through the organisation's real provider, stay signed in "
        + "while the provider confirms the person, and lose access within the re-check interval once it no longer does")
class SsoBrowserIT {

  static final Duration RECHECK = Duration.ofSeconds(4);
  static final String SUBJECT = "f3b1c2d4-sso-collega";
  static final String CLAIMS = "{\"roles\":[\"vp-counselor\"],\"amr\":[\"pwd\",\"mfa\"]}";

  @TempDir static Path dataDir;
  static OidcProvider provider;
  static String signingKey;
  static RunningApp app;
  static Vertx client;
  static WebClient web;
  static Playwright playwright;
  static Browser browser;
  static final List<String> pageErrors = new CopyOnWriteArrayList<>();
  static final ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> log =
      new ch.qos.logback.core.read.ListAppender<>();

  /**
   * The provider as it is while the person works there: interactive sign-in, the organisation's
   * signing key.
   */
  static String enabledConfig() {
    return "{\"interactiveLogin\":true,\"tokenProvider\":{\"keyProvider\":{\"initialKeys\":"
        + OidcProvider.quoted(signingKey)
        + ",\"algorithm\":\"RS256\"}}}";
  }

  /**
   * The provider after the person was disabled: same issuer, port and key, but it knows no refresh
   * token of before and issues tokens for this issuer that name no person.
   */
  static String disabledConfig() {
    return "{\"interactiveLogin\":false,\"tokenProvider\":{\"keyProvider\":{\"initialKeys\":"
        + OidcProvider.quoted(signingKey)
        + ",\"algorithm\":\"RS256\"}},"
        + "\"tokenCallbacks\":[{\"issuerId\":\"csg\",\"requestMappings\":[]}]}";
  }

  @BeforeAll
  static void setUp() throws Exception {
    signingKey = OidcProvider.rsaSigningKey();
    provider = OidcProvider.start(enabledConfig(), dataDir);
    SsoSettings sso =
        new SsoSettings(
            List.of(
                new SsoOrganisation(
                    "csg",
                    provider.issuer("csg"),
                    "veilig-praten-console",
                    "console-client-secret",
                    "roles",
                    Map.of("vp-counselor", "counselor"),
                    true,
                    Set.of())),
            RECHECK,
            Optional.empty());
    AppSettings settings = AppSettings.forTest(dataDir);
    app = TestApp.start(settings.withSecurity(settings.security().withSso(sso)));
    log.start();
    ((ch.qos.logback.classic.Logger)
            org.slf4j.LoggerFactory.getLogger(nl.veiligpraten.console.sso.SsoService.class))
        .addAppender(log);
    client = Vertx.vertx();
    web = WebClient.create(client);
    playwright = Playwright.create();
    browser =
        playwright
            .chromium()
            .launch(
                new BrowserType.LaunchOptions()
                    .setExecutablePath(Paths.get("/usr/bin/chromium"))
                    .setHeadless(true)
                    .setArgs(
                        List.of(
                            "--no-sandbox", "--disable-gpu", "--disable-background-networking")));
  }

  @AfterAll
  static void tearDown() throws Exception {
    if (browser != null) {
      browser.close();
    }
    if (playwright != null) {
      playwright.close();
    }
    if (client != null) {
      client.close();
    }
    if (app != null) {
      app.stopBlocking();
    }
    if (provider != null) {
      provider.close();
    }
  }

  static Page newPage() {
    Page page = browser.newContext().newPage();
    page.setDefaultTimeout(20_000);
    page.onConsoleMessage(
        m -> {
          // Only the console's own page counts: the provider's sign-in page loads style sheets from
          // the internet, which
          // this machine does not reach.
          if (!page.url().startsWith(app.consoleUrl())) {
            return;
          }
          if ("error".equals(m.type()) && !m.text().matches("(?s).*status of 4\\d\\d.*")) {
            pageErrors.add(m.text());
          }
        });
    page.onPageError(e -> pageErrors.add("page error: " + e));
    return page;
  }

  /**
   * From the console's sign-in page through the provider's own sign-in form back into the console.
   */
  static void signInThroughProvider(Page page) {
    page.navigate(app.consoleUrl());
    page.click("#sso a[data-org='csg']");
    assertThat(page.locator("input[name='username']")).isVisible();
    assertTrue(page.url().startsWith(provider.issuer("csg") + "/authorize?"), page.url());
    page.fill("input[name='username']", SUBJECT);
    page.fill("textarea[name='claims']", CLAIMS);
    page.click("input[type='submit']");
    assertThat(page.locator("#app")).isVisible();
    assertThat(page.locator("#conn")).hasText("verbonden");
  }

  static List<Row> sessions() throws Exception {
    List<Row> out = new java.util.ArrayList<>();
    await(
            app.pool()
                .preparedQuery(
                    "SELECT s.created_at, s.sso_checked_at FROM staff_session s JOIN staff_user u "
                        + "ON u.id = s.user_id WHERE u.username = $1")
                .execute(Tuple.of("sso-collega")))
        .forEach(out::add);
    return out;
  }

  @Test
  @DisplayName(
      "an admin binds an invited counselor to the person's subject on the admin screen; the person signs in "
          + "through the "
          + "provider (no password, no TOTP of ours), the re-check confirms them while they are enabled, logout ends the "
          + "session; disabled at the provider, the open console closes within the re-check interval and a new sign-in "
          + "is refused")
  void signInThenDisableAtTheProvider() throws Exception {
    // The admin invites the account and binds it to the person's subject at the organisation's
    // provider.
    ConsoleFixtures.Login admin =
        ConsoleFixtures.login(
            web, app, "csg-demo-admin", TestApp.demoPasswordOf(app, "csg-demo-admin"), null);
    var invited =
        ConsoleFixtures.post(
            web,
            app,
            admin,
            "/api/admin/invitations",
            new JsonObject()
                .put("username", "sso-collega")
                .put("displayName", "SSO Collega")
                .put("role", "counselor")
                .put("capacity", 2));
    assertEquals(201, invited.statusCode(), invited.bodyAsString());
    // On the admin screen: bind the invited account to the person's subject at the provider.
    Page adminPage = newPage();
    adminPage.navigate(app.consoleUrl());
    adminPage.fill("#login-user", "csg-demo-admin");
    adminPage.fill("#login-pass", TestApp.demoPasswordOf(app, "csg-demo-admin"));
    adminPage.click("#login-submit");
    assertThat(adminPage.locator("#app")).isVisible();
    adminPage.navigate(app.consoleUrl() + "admin.html");
    com.microsoft.playwright.Locator row =
        adminPage.locator("#staff-rows tr[data-username='sso-collega']");
    assertThat(row).containsText("uitgenodigd");
    adminPage.onDialog(d -> d.accept(SUBJECT));
    row.locator(
            "button",
            new com.microsoft.playwright.Locator.LocatorOptions().setHasText("Koppelen aan SSO"))
        .click();
    assertThat(adminPage.locator("#action-result")).containsText("gekoppeld");
    assertThat(row).containsText("via organisatie (SSO)");
    assertThat(
            row.locator(
                "button",
                new com.microsoft.playwright.Locator.LocatorOptions()
                    .setHasText("Tweestaps resetten")))
        .hasCount(0);
    adminPage.context().close();
    // A password sign-in of the bound account is refused like a wrong password.
    assertEquals(
        401, ConsoleFixtures.loginResponse(web, app, "sso-collega", "anything", null).statusCode());

    Page page = newPage();
    page.navigate(app.consoleUrl());
    assertThat(page.locator("#sso")).isVisible();
    ConsoleBrowserIT.assertNoAxeViolations(page, "sign-in page with single sign-on");
    signInThroughProvider(page);
    assertThat(page.locator("#me-name")).hasText("SSO Collega");
    assertThat(page.locator("#enrol-btn")).isHidden();
    assertEquals(1, sessions().size());

    // While the person is enabled, the re-check (a refresh at the provider) confirms the session
    // again and again.
    long until = System.nanoTime() + RECHECK.multipliedBy(5).toNanos();
    boolean confirmed = false;
    while (!confirmed && System.nanoTime() < until) {
      Row s = sessions().get(0);
      confirmed =
          s.getOffsetDateTime("sso_checked_at")
              .isAfter(s.getOffsetDateTime("created_at").plusSeconds(1));
      Thread.sleep(200);
    }
    assertTrue(confirmed, "the provider confirmed the session again within five intervals");
    assertThat(page.locator("#conn")).hasText("verbonden");

    // Logout ends the session (and its socket): back on the sign-in page, no session row left.
    page.click("#logout");
    assertThat(page.locator("#login")).isVisible();
    assertEquals(0, sessions().size());

    // Signed in again, then disabled at the provider.
    signInThroughProvider(page);
    long stopped = System.nanoTime();
    provider.restart(disabledConfig());
    long providerUp = System.nanoTime();
    assertThat(page.locator("#login-notice"))
        .containsText(
            "sessie is beëindigd",
            new LocatorAssertions.ContainsTextOptions()
                .setTimeout(RECHECK.multipliedBy(3).toMillis()));
    long closed = System.nanoTime();
    long afterUpMs = (closed - providerUp) / 1_000_000;
    long afterStopMs = (closed - stopped) / 1_000_000;
    System.out.printf(
        "SSO access ended %d ms after the provider answered as disabled (%d ms after the provider was "
            + "stopped for the switch; re-check interval %d ms)%n",
        afterUpMs, afterStopMs, RECHECK.toMillis());
    assertTrue(
        afterUpMs <= RECHECK.toMillis(),
        "access ended within the re-check interval: " + afterUpMs + " ms");
    assertEquals(0, sessions().size(), "the session row is gone");
    // Ended because the provider no longer answers for the person (not, say, a key or network
    // problem).
    assertTrue(
        log.list.stream()
            .anyMatch(e -> e.getFormattedMessage().contains("ended by the re-check: subject")),
        "the re-check's reason is in the log");

    // A new sign-in through the provider is refused: the provider no longer vouches for the person.
    page.click("#sso a[data-org='csg']");
    assertThat(page.locator("#login-error")).containsText("(subject)");
    assertThat(page.locator("#app")).isHidden();
    assertEquals(0, sessions().size());
    assertEquals(List.of(), pageErrors);
  }
}
