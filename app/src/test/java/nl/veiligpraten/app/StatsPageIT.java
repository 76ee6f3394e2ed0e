package nl.veiligpraten.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Download;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import nl.veiligpraten.staff.PasswordHasher;
import nl.veiligpraten.staff.StaffRepository;
import nl.veiligpraten.statistics.StatsGenerator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The statistics page and API on the real console listener: rights (own org, chain role,
 * counselor), bad input, disclosure control in the JSON, CSV and SVG; and a stats viewer in
 * headless Chromium who sees the charts and exports CSV (screenshots under app/target/screenshots).
 */
@DisplayName(
    "Statistics page and API: a stats viewer sees charts and exports CSV; bad input and other orgs are refused")
class StatsPageIT {

  static final String FROM = "2026-10-01";
  static final String TO = "2026-10-31";
  static final String PASSWORD = "stats-pass-" + System.nanoTime();

  @TempDir static Path dataDir;
  static RunningApp app;
  static Vertx client;
  static WebClient web;

  @BeforeAll
  static void setUp() throws Exception {
    app = TestApp.start(dataDir);
    client = Vertx.vertx();
    web = WebClient.create(client);
    StaffRepository staff = new StaffRepository(app.pool());
    String hash = PasswordHasher.hash(PASSWORD);
    await(staff.createUser("csg", "csg-stats", "Statistiek CSG", "stats_viewer", hash));
    await(staff.createUser(null, "ministry", "Ministerie", "chain_viewer", hash));
    await(staff.createUser("csg", "csg-counselor2", "Hulpverlener", "counselor", hash));
    await(new StatsGenerator(app.pool()).month(LocalDate.parse(FROM), 20_000, 0.17));
  }

  @AfterAll
  static void tearDown() throws Exception {
    if (app != null) {
      app.stopBlocking();
    }
    if (client != null) {
      client.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  static String login(String user) throws Exception {
    HttpResponse<Buffer> r =
        await(
            web.post(app.consolePort(), "127.0.0.1", "/api/login")
                .sendJsonObject(new JsonObject().put("username", user).put("password", PASSWORD)));
    assertEquals(200, r.statusCode(), r.bodyAsString());
    String setCookie = r.cookies().get(0);
    return setCookie.substring(0, setCookie.indexOf(';'));
  }

  static HttpResponse<Buffer> get(String cookie, String pathAndQuery) throws Exception {
    var request = web.get(app.consolePort(), "127.0.0.1", pathAndQuery);
    if (cookie != null) {
      request.putHeader("Cookie", cookie);
    }
    return await(request.send());
  }

  static String month(String rest) {
    return "from=" + FROM + "&to=" + TO + (rest.isEmpty() ? "" : "&" + rest);
  }

  @Test
  @DisplayName(
      "API: own figures unsuppressed, chain figures suppressed, CSV and SVG served, bad input refused")
  void api() throws Exception {
    String viewer = login("csg-stats");
    HttpResponse<Buffer> own = get(viewer, "/api/stats/figure?figure=inflow&by=role&" + month(""));
    assertEquals(200, own.statusCode(), own.bodyAsString());
    JsonObject body = own.bodyAsJsonObject();
    assertEquals("own", body.getString("scope"));
    assertEquals(0, body.getInteger("threshold"));
    JsonObject table = body.getJsonArray("tables").getJsonObject(0);
    assertEquals(List.of("csg"), table.getJsonArray("rows").getList());
    assertEquals(0, table.getInteger("suppressed"));
    assertTrue(table.getLong("total") > 2000, "csg has about a fifth of 20,000 chats");

    JsonObject chain =
        get(viewer, "/api/stats/figure?figure=inflow&by=setting&scope=chain&" + month(""))
            .bodyAsJsonObject();
    assertEquals(10, chain.getInteger("threshold"));
    JsonObject chainTable = chain.getJsonArray("tables").getJsonObject(0);
    assertTrue(chainTable.getInteger("suppressed") > 0, "rare settings are suppressed outside");
    JsonArray chainRows = chainTable.getJsonArray("rows");
    for (int i = 0; i < chainRows.size(); i++) {
      if (chainRows.getString(i).equals("csg")) {
        continue; // the viewer's own help point: its own counts, known to it, others' part zero
      }
      for (Object v : chainTable.getJsonArray("cells").getJsonArray(i)) {
        assertTrue(v == null || ((Number) v).longValue() >= 10, "no shown count below 10: " + v);
      }
    }

    HttpResponse<Buffer> csv =
        get(viewer, "/api/stats/export.csv?figure=outcomes&by=outcome&" + month(""));
    assertEquals(200, csv.statusCode());
    assertTrue(csv.getHeader("Content-Type").startsWith("text/csv"));
    assertTrue(csv.getHeader("Content-Disposition").contains("attachment"));
    assertTrue(csv.bodyAsString().startsWith("table,row,column,value,suppressed\r\n"));
    assertTrue(csv.bodyAsString().contains("\"outcomes\",\"csg\",\"listened\","));

    HttpResponse<Buffer> svg =
        get(viewer, "/api/stats/chart.svg?figure=waiting&table=p90_seconds&" + month(""));
    assertEquals(200, svg.statusCode(), svg.bodyAsString());
    assertTrue(
        svg.bodyAsString().contains("class=\"target\""),
        "waiting-time bars carry the help point's target");
    HttpResponse<Buffer> heat =
        get(viewer, "/api/stats/chart.svg?figure=heatmap&table=counselors_online&" + month(""));
    assertEquals(200, heat.statusCode(), heat.bodyAsString());
    assertTrue(heat.bodyAsString().contains("mon 20: "), "a weekday x hour grid");
    assertTrue(svg.getHeader("Content-Type").startsWith("image/svg+xml"));
    assertTrue(
        svg.bodyAsString().startsWith("<svg") && svg.bodyAsString().contains("csg / P1: "),
        "a bar per help point and priority");
    HttpResponse<Buffer> line =
        get(
            viewer,
            "/api/stats/chart.svg?figure=queue&rows=time&table=queue_length_max&" + month(""));
    assertTrue(line.bodyAsString().contains("<polyline"), "queue length over time is a line");
    assertFalse(svg.bodyAsString().contains("style="), "no inline styles under the CSP");

    assertRefused(viewer, "figure=inflow&by=postcode&" + month(""), 400, "unknown_dimension");
    assertRefused(viewer, "figure=inflow&from=2026-10-31&to=2026-10-01", 400, "reversed_range");
    assertRefused(viewer, "figure=inflow&from=2016-10-31&to=2026-10-01", 400, "range_too_long");
    assertRefused(viewer, "figure=inflow&org=veilig_thuis&" + month(""), 403, "other_organisation");
    assertRefused(
        viewer,
        "figure=inflow&scope=chain&rows=time&granularity=hour&" + month(""),
        400,
        "granularity_not_allowed");
    assertRefused(viewer, "figure=inflow&figure=waiting&" + month(""), 400, "repeated_parameter");
    assertRefused(login("csg-counselor2"), "figure=inflow&" + month(""), 403, "no_statistics_role");
    assertEquals(401, get(null, "/api/stats/figure?figure=inflow&" + month("")).statusCode());

    String ministry = login("ministry");
    JsonObject m =
        get(ministry, "/api/stats/figure?figure=inflow&by=age_band&" + month(""))
            .bodyAsJsonObject();
    assertEquals("chain", m.getString("scope"));
    assertNull(m.getString("organisation"));
    assertEquals(
        6,
        m.getJsonArray("tables").getJsonObject(0).getJsonArray("rows").size(),
        "six help points");
    assertRefused(
        ministry,
        "figure=inflow&rows=time&granularity=day&" + month(""),
        400,
        "granularity_not_allowed");
    assertRefused(ministry, "figure=queue&" + month(""), 403, "inside_only");
    assertRefused(ministry, "figure=inflow&from=2026-10-02&to=2026-10-31", 400, "whole_months");
  }

  static void assertRefused(String cookie, String query, int status, String code) throws Exception {
    HttpResponse<Buffer> r = get(cookie, "/api/stats/figure?" + query);
    assertEquals(status, r.statusCode(), r.bodyAsString());
    assertEquals(code, r.bodyAsJsonObject().getString("error"));
    assertFalse(r.bodyAsJsonObject().getString("message").isBlank(), "a reason for people");
  }

  @Test
  @DisplayName(
      "browser: a stats viewer opens the page, sees SVG charts, exports CSV; a ministry user sees months")
  void browser() throws Exception {
    Path shots = Paths.get("target", "screenshots");
    Files.createDirectories(shots);
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
      BrowserContext context =
          browser.newContext(
              new com.microsoft.playwright.Browser.NewContextOptions()
                  .setAcceptDownloads(true)
                  .setViewportSize(1280, 1400));
      Page page = context.newPage();
      String base = "http://127.0.0.1:" + app.consolePort();
      page.navigate(base + "/stats/");
      page.waitForSelector("#login:not([hidden])");
      logIn(page, "csg-stats");
      page.navigate(base + "/stats/");
      page.waitForSelector("#filters:not([hidden])");
      assertTrue(page.textContent("#who").contains("stats_viewer"));
      page.fill("#from", FROM);
      page.fill("#to", TO);
      page.selectOption("#figure", "inflow");
      page.selectOption("#rows", "time");
      page.selectOption("#by", "priority");
      page.click("#show");
      page.waitForSelector("body[data-state=ready]");
      page.waitForFunction(
          "() => { const imgs = document.querySelectorAll('#charts img');"
              + " return imgs.length > 0 && [...imgs].every(i => i.complete && i.naturalWidth > 0); }");
      assertEquals(31 + 2, page.locator("#tables table tr").count(), "header, 31 days, totals");
      // The empty corner cell is a td (axe: no empty header cells), so every th of the first row is
      // a column.
      assertEquals(
          5, page.locator("#tables table tr").first().locator("th").count(), "P0..P3 and total");
      page.screenshot(
          new Page.ScreenshotOptions()
              .setPath(shots.resolve("stats-inflow-per-day.png"))
              .setFullPage(true));

      Download download = page.waitForDownload(() -> page.click("#csv"));
      String csv = Files.readString(download.path());
      assertTrue(
          csv.startsWith("table,row,column,value,suppressed"),
          csv.substring(0, Math.min(80, csv.length())));
      assertTrue(
          csv.contains("\"inflow\",\"2026-10-15\",\"P1\","), "one line per day and priority");
      download.saveAs(shots.resolve("stats-inflow-per-day.csv"));

      page.selectOption("#figure", "waiting");
      page.selectOption("#rows", "help_point");
      page.click("#show");
      page.waitForSelector("body[data-state=ready]");
      page.waitForFunction(
          "() => { const imgs = document.querySelectorAll('#charts img');"
              + " return imgs.length === 4 && [...imgs].every(i => i.complete && i.naturalWidth > 0); }");
      assertTrue(
          page.textContent("#tables").contains("niets weggelaten"),
          "one sentence under each table, Dutch");
      page.screenshot(
          new Page.ScreenshotOptions()
              .setPath(shots.resolve("stats-waiting.png"))
              .setFullPage(true));

      page.selectOption("#figure", "inflow");
      page.selectOption("#rows", "help_point");
      page.selectOption("#by", "setting");
      page.selectOption("#scope", "chain");
      page.click("#show");
      page.waitForSelector("body[data-state=ready]");
      page.waitForSelector("#tables td.suppressed");
      page.screenshot(
          new Page.ScreenshotOptions()
              .setPath(shots.resolve("stats-chain-suppressed.png"))
              .setFullPage(true));

      page.selectOption("#scope", "chain");
      page.selectOption("#rows", "time");
      page.selectOption("#granularity", "hour");
      page.click("#show");
      page.waitForSelector("#error:not([hidden])");
      assertTrue(page.textContent("#error").contains("per day"), page.textContent("#error"));

      BrowserContext ministry =
          browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 1200));
      Page mp = ministry.newPage();
      mp.navigate(base + "/stats/");
      mp.waitForSelector("#login:not([hidden])");
      logIn(mp, "ministry");
      mp.navigate(base + "/stats/");
      mp.waitForSelector("#filters:not([hidden])");
      mp.fill("#from", FROM);
      mp.fill("#to", TO);
      mp.selectOption("#by", "role");
      mp.click("#show");
      mp.waitForSelector("body[data-state=ready]");
      mp.waitForFunction(
          "() => { const imgs = document.querySelectorAll('#charts img');"
              + " return imgs.length > 0 && [...imgs].every(i => i.complete && i.naturalWidth > 0); }");
      assertEquals(
          List.of("maand"), mp.locator("#granularity option").allTextContents(), "Dutch first");
      mp.screenshot(
          new Page.ScreenshotOptions()
              .setPath(shots.resolve("stats-ministry.png"))
              .setFullPage(true));
      browser.close();
    }
    assertTrue(Files.size(shots.resolve("stats-inflow-per-day.png")) > 10_000);
  }

  /**
   * Logs in from the page itself, so the browser stores the session cookie as it would after the
   * login form.
   */
  static void logIn(Page page, String user) {
    Object status =
        page.evaluate(
            "async ([u, p]) => (await fetch('/api/login', {method: 'POST', headers: "
                + "{'Content-Type': 'application/json'}, body: JSON.stringify({username: u, password: p})})).status",
            List.of(user, PASSWORD));
    assertEquals(200, ((Number) status).intValue());
  }
}
