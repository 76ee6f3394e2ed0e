package nl.veiligpraten.app;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import nl.veiligpraten.infra.db.Database;
import nl.veiligpraten.infra.db.EmbeddedDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The configuration screen in headless Chromium on a real two-node cluster (two JVMs, Hazelcast,
 * one PostgreSQL): admins work in the console of node 0, the visitor uses the page of node 1,
 * nobody restarts anything.
 */
@DisplayName(
    "Configuration edited live in the browser on a two-node cluster: a new organisation's help point takes "
        + "chats, changed hours reach the other node's visitor page, a rollback undoes them")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LiveConfigBrowserIT {

  @TempDir static Path dir;
  static EmbeddedDatabase db;
  static ClusterNodes nodes;
  static Vertx client;
  static Pool pool;
  static Playwright playwright;
  static Browser browser;
  static final List<String> pageErrors = new CopyOnWriteArrayList<>();
  static final String NOTICE = "Tijdelijk gesloten wegens verbouwing.";

  /**
   * The persona of a victim raped today: the suggestions include the sexual assault centre (csg).
   */
  static final Map<String, Object> RAPED_TODAY =
      VisitorRoutingBrowserIT.answers(
          "Q1",
          "victim",
          "Q2",
          "16-17",
          "Q3",
          "today",
          "Q4",
          List.of("physical"),
          "Q5",
          "street",
          "Q7",
          List.of("police"));

  @BeforeAll
  static void setUp() {
    db = EmbeddedDatabase.start(dir.resolve("pg"), 0);
    nodes =
        ClusterNodes.start(
            db.settings(),
            dir.resolve("data"),
            Path.of("target", "cluster-logs", "LiveConfigBrowserIT"),
            1,
            1);
    client = Vertx.vertx();
    pool = Database.pool(client, db.settings(), 2);
    // The shared 2-core machine runs two node JVMs and Chromium here: a key store write can take
    // seconds.
    com.microsoft.playwright.assertions.PlaywrightAssertions.setDefaultAssertionTimeout(30_000);
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
      client.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    if (nodes != null) {
      nodes.close();
    }
    if (db != null) {
      db.close();
    }
  }

  /** Signs in on node 0's console and opens the configuration screen. */
  static Page configScreen(String username) throws Exception {
    Page page =
        browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 900)).newPage();
    page.setDefaultTimeout(30_000);
    page.onConsoleMessage(
        m -> {
          // 401 before sign-in and the refusals the test provokes show as 4xx resources.
          if ("error".equals(m.type()) && !m.text().matches("(?s).*status of 4\\d\\d.*")) {
            pageErrors.add(m.text());
          }
        });
    page.onPageError(e -> pageErrors.add("page error: " + e));
    page.navigate(nodes.url(0, "/"));
    page.fill("#login-user", username);
    page.fill("#login-pass", nodes.demoPasswordOf(username));
    page.click("#login-submit");
    assertThat(page.locator("#app")).isVisible();
    page.navigate(nodes.url(0, "/config.html"));
    assertThat(page.locator("#config")).isVisible();
    return page;
  }

  static String visitorUrl() {
    return "http://127.0.0.1:" + nodes.visitorPorts.get(1) + "/";
  }

  static BrowserContext phone() {
    return browser.newContext(
        new Browser.NewContextOptions()
            .setViewportSize(390, 844)
            .setIsMobile(true)
            .setHasTouch(true)
            .setLocale("nl-NL"));
  }

  /**
   * Saves the help point editor's text after {@code edit} and waits for the new version's
   * confirmation.
   */
  static void saveHelpPoint(
      Page page,
      String id,
      java.util.function.UnaryOperator<String> edit,
      String reason,
      int expectVersion) {
    page.selectOption("#hp-select", id);
    page.fill("#hp-yaml", edit.apply(page.inputValue("#hp-yaml")));
    page.fill("#hp-reason", reason);
    page.click("#hp-save");
    assertThat(page.locator("#hp-result"))
        .containsText("Versie " + expectVersion + " is opgeslagen");
  }

  /**
   * The conversation on that help point, waited for: the page shows its waiting screen as soon as
   * the visitor taps, before the node has routed the chat, so the row may be committed a moment
   * after the screen shows.
   */
  static Row conversationOnHelpPoint(String helpPoint) throws Exception {
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(20).toNanos();
    while (true) {
      var rows =
          ConsoleFixtures.await(
              pool.preparedQuery(
                      "SELECT org_id, status FROM conversation " + "WHERE help_point = $1")
                  .execute(io.vertx.sqlclient.Tuple.of(helpPoint)));
      if (rows.size() > 0 || System.nanoTime() > deadline) {
        assertEquals(1, rows.size(), "one conversation on " + helpPoint);
        return rows.iterator().next();
      }
      Thread.sleep(100);
    }
  }

  @Test
  @Order(1)
  @DisplayName(
      "a platform admin adds an organisation, its queue help point and a route to it; a visitor on the "
          + "other node is offered it and waits in its queue, without a restart")
  void newOrganisationTakesChats() throws Exception {
    Page admin = configScreen("demo-platform-admin");
    assertThat(admin.locator("#config-version")).containsText("Actieve versie 1");
    // The organisation and its key first (admin screen), then its help point and a route
    // (configuration screen).
    admin.navigate(nodes.url(0, "/admin.html"));
    admin.fill("#org-id", "zeeland_hulp");
    admin.fill("#org-name", "Hulplijn Zeeland");
    admin.click("#org-submit");
    assertThat(admin.locator("#org-result")).containsText("zeeland_hulp");
    admin.click("a[href='/config.html']");
    assertThat(admin.locator("#config")).isVisible();
    admin.selectOption("#hp-select", "__new__");
    admin.fill("#hp-new-id", "zeeland_hulp");
    admin.fill(
        "#hp-yaml",
        """
        id: zeeland_hulp
        kind: queue
        name: Hulplijn Zeeland
        cost: free
        description:
          nl: Hulp voor iedereen in Zeeland.
          nl_easy: Hulp voor iedereen in Zeeland.
          en: Help for everyone in Zeeland.
          ar: مساعدة لكل شخص في زيلاند.
          tr: Zeeland'daki herkes için yardım.
          pl: Pomoc dla wszystkich w Zelandii.
          uk: Допомога для всіх у Зеландії.
        openingHours: "24/7"
        retentionDays: 30
        targetFirstResponseSeconds: {P0: 30, P1: 60, P2: 600, P3: 1800}
        queueCap: 10
        """);
    admin.fill("#hp-reason", "Nieuwe organisatie Hulplijn Zeeland");
    admin.click("#hp-save");
    assertThat(admin.locator("#hp-result")).containsText("Versie 2 is opgeslagen");
    // A route to it: general triage for a visitor who skips every question (rule R20) goes to the
    // new help point.
    admin.selectOption("#file-select", "routing-rules.yaml");
    admin.click("#file-load");
    assertThat(admin.locator("#file-yaml")).not().isEmpty();
    String rules = admin.inputValue("#file-yaml");
    String r20 =
        "    target: triage\n    priority: P3\n    why:\n      nl: Een hulpverlener praat eerst met je. Samen";
    assertEquals(
        1, rules.split(java.util.regex.Pattern.quote(r20), -1).length - 1, "R20 found once");
    String routed = rules.replace(r20, r20.replace("target: triage", "target: zeeland_hulp"));
    // Changed rules under the old version string are refused (every decision records the rules
    // version).
    admin.fill("#file-yaml", routed);
    admin.fill("#file-reason", "Algemene vragen gaan naar Zeeland");
    admin.click("#file-save");
    assertThat(admin.locator("#file-error")).containsText("verhoog 'version'");
    java.util.regex.Matcher version =
        java.util.regex.Pattern.compile("(?m)^version: \"([^\"]+)\"").matcher(routed);
    assertTrue(version.find(), "rules version line");
    admin.fill("#file-yaml", version.replaceFirst("version: \"" + version.group(1) + "-zeeland\""));
    admin.fill("#file-reason", "Algemene vragen gaan naar Zeeland");
    admin.click("#file-save");
    assertThat(admin.locator("#file-result")).containsText("Versie 3 is opgeslagen");

    try (BrowserContext context = phone()) {
      Page visitor = context.newPage();
      visitor.setDefaultTimeout(30_000);
      visitor.navigate(visitorUrl());
      VisitorRoutingBrowserIT.walk(visitor, Map.of());
      Locator card = visitor.locator("#screen article[data-help-point=zeeland_hulp]").first();
      assertThat(card).containsText("Hulplijn Zeeland");
      card.locator("button[data-help-point=zeeland_hulp]").click();
      assertThat(visitor.locator("#screen[data-screen=waiting], #screen[data-screen=chat]").first())
          .isVisible();
      // Checked while the page is still open: closing it before the node routed the chat would end
      // the chat.
      Row conversation = conversationOnHelpPoint("zeeland_hulp");
      assertEquals("zeeland_hulp", conversation.getString("org_id"));
      assertTrue(
          List.of("queued", "assigned").contains(conversation.getString("status")),
          conversation.toString());
    }
    assertEquals(List.of(), pageErrors);
  }

  @Test
  @Order(2)
  @DisplayName(
      "an organisation admin closes its help point with a notice; the visitor page on the other node shows "
          + "it closed with the notice, and open again without it after a platform admin rolls the change back")
  void editHoursThenRollBack() throws Exception {
    Page csgAdmin = configScreen("csg-demo-admin");
    assertThat(csgAdmin.locator("#hp-select option")).hasCount(2); // csg and "new"
    try (BrowserContext context = phone()) {
      Page visitor = context.newPage();
      visitor.setDefaultTimeout(30_000);
      visitor.navigate(visitorUrl());
      VisitorRoutingBrowserIT.walk(visitor, RAPED_TODAY);
      assertThat(visitor.locator("#screen article[data-help-point=csg]").first())
          .hasAttribute("data-open-now", "true");
    }
    saveHelpPoint(
        csgAdmin,
        "csg",
        yaml ->
            yaml.replace(
                "openingHours: \"24/7\"",
                "openingHours: {mon: closed, "
                    + "tue: closed, wed: closed, thu: closed, fri: closed, sat: closed, sun: closed}\nnotice:\n  nl: "
                    + NOTICE
                    + "\n  nl_easy: We zijn even dicht.\n  en: Temporarily closed for building work."),
        "Gesloten wegens verbouwing",
        4);
    // Node 1 applies the version within seconds; a fresh visitor page there shows the help point
    // closed.
    try (BrowserContext context = phone()) {
      Page visitor = context.newPage();
      visitor.setDefaultTimeout(30_000);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
      String open;
      do {
        visitor.navigate(visitorUrl());
        VisitorRoutingBrowserIT.walk(visitor, RAPED_TODAY);
        open =
            visitor
                .locator("#screen article[data-help-point=csg]")
                .first()
                .getAttribute("data-open-now");
      } while (!"false".equals(open) && System.nanoTime() < deadline);
      assertEquals("false", open, "csg shown closed on node 1");
      assertThat(visitor.locator("#screen article[data-help-point=csg] .notice-note").first())
          .hasText(NOTICE);
    }

    Page platform = configScreen("demo-platform-admin");
    platform.fill("#rollback-reason", "Verbouwing uitgesteld");
    platform.click("#history-rows tr[data-version='3'] button");
    assertThat(platform.locator("#rollback-result")).containsText("Versie 5 is opgeslagen");
    assertThat(platform.locator("#history-rows tr").first())
        .containsText("teruggezet (naar versie 3)");
    try (BrowserContext context = phone()) {
      Page visitor = context.newPage();
      visitor.setDefaultTimeout(30_000);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
      String open;
      do {
        visitor.navigate(visitorUrl());
        VisitorRoutingBrowserIT.walk(visitor, RAPED_TODAY);
        open =
            visitor
                .locator("#screen article[data-help-point=csg]")
                .first()
                .getAttribute("data-open-now");
      } while (!"true".equals(open) && System.nanoTime() < deadline);
      assertEquals("true", open, "csg open again on node 1");
      assertThat(visitor.locator("#screen article[data-help-point=csg] .notice-note")).hasCount(0);
    }
    // Both admins' actions are in the admin audit trail, with who and why.
    var trail =
        ConsoleFixtures.await(
            pool.query(
                    "SELECT actor_name, action, outcome, "
                        + "coalesce(reason, detail->>'reason') AS reason "
                        + "FROM admin_audit WHERE action IN ('create_organisation', 'edit_config', 'rollback_config') ORDER BY id")
                .execute());
    List<String> rows = new java.util.ArrayList<>();
    trail.forEach(
        r ->
            rows.add(
                r.getString("actor_name")
                    + " "
                    + r.getString("action")
                    + " "
                    + r.getString("outcome")
                    + " "
                    + r.getString("reason")));
    assertEquals(
        List.of(
            "demo-platform-admin create_organisation done null",
            "demo-platform-admin edit_config done Nieuwe organisatie Hulplijn Zeeland",
            "demo-platform-admin edit_config refused rules_version",
            "demo-platform-admin edit_config done Algemene vragen gaan naar Zeeland",
            "csg-demo-admin edit_config done Gesloten wegens verbouwing",
            "demo-platform-admin rollback_config done Verbouwing uitgesteld"),
        rows);
    ConsoleBrowserIT.assertNoAxeViolations(platform, "configuration screen");
    assertEquals(List.of(), pageErrors);
  }
}
