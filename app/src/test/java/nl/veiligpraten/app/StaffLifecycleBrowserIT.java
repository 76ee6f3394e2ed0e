package nl.veiligpraten.app;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static nl.veiligpraten.app.ConsoleFixtures.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import io.vertx.sqlclient.Tuple;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import nl.veiligpraten.staff.Totp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

@DisplayName(
    "Staff lifecycle in headless Chromium: create-admin on an empty database, invite, enrol, sign in, "
        + "disable closes the open console")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StaffLifecycleBrowserIT {

  @TempDir static Path dataDir;
  static AppSettings settings;
  static RunningApp app;
  static String firstAdminOutput;
  static int secondRunExit;
  static Playwright playwright;
  static Browser browser;
  static final List<String> pageErrors = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void setUp() throws Exception {
    settings = AppSettings.forTest(dataDir);
    // The command runs on the empty data directory before any node started, with the node's
    // environment.
    Map<String, String> env =
        Map.of(
            "VP_DATA_DIR",
            dataDir.toString(),
            "VP_CONSOLE_HOST",
            "127.0.0.1",
            "VP_CONSOLE_PORT",
            String.valueOf(settings.consolePort()));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit =
        CreateAdminCommand.run(
            env,
            new String[] {"eerste-beheerder"},
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(0, exit, err.toString(StandardCharsets.UTF_8));
    firstAdminOutput = out.toString(StandardCharsets.UTF_8);
    ByteArrayOutputStream err2 = new ByteArrayOutputStream();
    secondRunExit =
        CreateAdminCommand.run(
            env,
            new String[] {"tweede-beheerder"},
            new PrintStream(new ByteArrayOutputStream()),
            new PrintStream(err2, true, StandardCharsets.UTF_8));
    app = TestApp.start(settings);
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
  static void tearDown() {
    if (browser != null) {
      browser.close();
    }
    if (playwright != null) {
      playwright.close();
    }
    if (app != null) {
      app.stopBlocking();
    }
  }

  static Page newPage() {
    Page page = browser.newContext().newPage();
    page.setDefaultTimeout(15_000);
    page.onConsoleMessage(
        m -> {
          // 401 on /api/me before sign-in is expected; refusals the test provokes show as 4xx
          // resources.
          if ("error".equals(m.type()) && !m.text().matches("(?s).*status of 4\\d\\d.*")) {
            pageErrors.add(m.text());
          }
        });
    page.onPageError(e -> pageErrors.add("page error: " + e));
    return page;
  }

  /**
   * Opens an enrolment link, sets the password and the TOTP code computed from the key the page
   * shows.
   */
  static byte[] enrolInBrowser(String link, String password) throws Exception {
    Page page = newPage();
    page.navigate(link);
    assertThat(page.locator("#enrol-form")).isVisible();
    assertThat(page.locator("#enrol-qr")).isVisible();
    ConsoleBrowserIT.assertNoAxeViolations(page, "enrolment link");
    assertTrue(
        !page.url().contains("#t="), "the token is removed from the address bar: " + page.url());
    byte[] secret = ConsoleFixtures.base32(page.locator("#enrol-key").textContent().trim());
    page.fill("#enrol-pass", password);
    page.fill("#enrol-pass2", password);
    page.fill("#enrol-code", Totp.code(secret, Totp.stepAt(System.currentTimeMillis() / 1000)));
    page.click("#enrol-submit");
    assertThat(page.locator("#enrol-done")).isVisible();
    page.context().close();
    return secret;
  }

  static Page signIn(String username, String password, byte[] secret) {
    Page page = newPage();
    page.navigate(app.consoleUrl());
    page.fill("#login-user", username);
    page.fill("#login-pass", password);
    page.click("#login-submit");
    if (secret != null) {
      assertThat(page.locator("#totp-row")).isVisible();
      page.fill("#login-totp", ConsoleFixtures.nextCode(secret));
      page.click("#login-submit");
    }
    assertThat(page.locator("#app")).isVisible();
    return page;
  }

  @Test
  @Order(1)
  @DisplayName(
      "create-admin on an empty database prints a one-time link that works in the browser: the first "
          + "platform admin sets a password and TOTP, signs in and reaches the admin screen; a second run is refused")
  void createAdminOnEmptyDatabase() throws Exception {
    String link =
        firstAdminOutput
            .lines()
            .filter(l -> l.contains("/enrol.html#t="))
            .findFirst()
            .orElseThrow();
    assertTrue(link.startsWith(app.consoleUrl() + "enrol.html#t="), link);
    assertEquals(
        3, secondRunExit, "a second platform admin is invited in the console, not by the command");

    byte[] secret = enrolInBrowser(link, "eerste-beheerder-wachtwoord");
    Page page = signIn("eerste-beheerder", "eerste-beheerder-wachtwoord", secret);
    assertThat(page.locator("#admin-link")).isVisible();
    page.click("#admin-link");
    assertThat(page.locator("#admin")).isVisible();
    assertThat(page.locator("#org-section")).isVisible();
    assertThat(page.locator("#staff-rows tr[data-username='eerste-beheerder']"))
        .containsText("platform");
    // The trail shows the command and the enrolment.
    assertThat(page.locator("#audit-rows")).containsText("eerste beheerder");
    assertThat(page.locator("#audit-rows")).containsText("account ingesteld");
    // The link is used up.
    Page again = newPage();
    again.navigate(link);
    assertThat(again.locator("#enrol-error")).containsText("al gebruikt");
    page.context().close();
    again.context().close();
  }

  @Test
  @Order(2)
  @DisplayName(
      "an organisation admin invites a counselor on the admin screen; the counselor enrols from the link "
          + "(QR code and manual key, TOTP computed in the test), signs in with the console connected; the admin "
          + "disables the account and the open console closes at once; the trail shows both")
  void inviteEnrolSignInDisable() throws Exception {
    Page admin = signIn("csg-demo-admin", TestApp.demoPasswordOf(app, "csg-demo-admin"), null);
    admin.click("#admin-link");
    assertThat(admin.locator("#admin")).isVisible();
    admin.fill("#invite-username", "browser-csg");
    admin.fill("#invite-name", "Browser Collega");
    admin.selectOption("#invite-role", "counselor");
    admin.locator("#invite-skills input[value='youth']").check();
    admin.locator("#invite-languages input[value='en']").check();
    admin.fill("#invite-capacity", "2");
    admin.click("#invite-submit");
    Locator linkBox = admin.locator("#invite-link");
    assertThat(linkBox).isVisible();
    String link = linkBox.textContent().trim();
    assertTrue(link.startsWith(app.consoleUrl() + "enrol.html#t="), link);
    Locator row = admin.locator("#staff-rows tr[data-username='browser-csg']");
    assertThat(row).containsText("uitgenodigd");

    byte[] secret = enrolInBrowser(link, "browser-wachtwoord-1");
    Page counselor = signIn("browser-csg", "browser-wachtwoord-1", secret);
    assertThat(counselor.locator("#conn")).hasText("verbonden");

    admin.reload();
    assertThat(row).containsText("actief, online");
    assertThat(row).containsText("jongeren");
    assertThat(row).containsText("Engels");
    admin.onDialog(d -> d.accept());
    row.locator("button", new Locator.LocatorOptions().setHasText("Uitschakelen")).click();
    assertThat(admin.locator("#action-result")).containsText("uitgeschakeld");
    // The counselor's open console closes at once: back on the sign-in screen with the notice.
    assertThat(counselor.locator("#login")).isVisible();
    assertThat(counselor.locator("#login-notice")).containsText("sessie is beëindigd");
    assertThat(row).containsText("uitgeschakeld");
    assertThat(admin.locator("#audit-rows tr").first()).containsText("uitgeschakeld");
    ConsoleBrowserIT.assertNoAxeViolations(admin, "admin");
    assertThat(admin.locator("#audit-rows")).containsText("uitgenodigd");
    assertEquals(
        0L,
        await(
                app.pool()
                    .preparedQuery(
                        "SELECT count(*) FROM staff_session s JOIN staff_user u "
                            + "ON u.id = s.user_id WHERE u.username = $1")
                    .execute(Tuple.of("browser-csg")))
            .iterator()
            .next()
            .getLong(0),
        "no session of the disabled account is left");
    assertEquals(List.of(), pageErrors);
  }
}
