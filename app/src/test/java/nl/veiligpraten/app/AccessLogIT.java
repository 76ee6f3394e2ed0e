package nl.veiligpraten.app;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static nl.veiligpraten.app.ConsoleFixtures.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Download;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import nl.veiligpraten.audit.AuditAction;
import nl.veiligpraten.audit.AuditContext;
import nl.veiligpraten.audit.AuditLog;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

@DisplayName(
    "Access log viewer (issue 21): an organisation sees only its own reads, filtered; the CSV and the feed "
        + "hold the same rows as the JSON; every read of the log is itself a row; bad or cross-organisation requests are "
        + "refused and write nothing to the log")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AccessLogIT extends SharedServiceIT {

  /**
   * A reason a spreadsheet would run as a formula, with a comma, quotes and a line break: CSV
   * escaping is tested.
   */
  static final String NASTY_REASON = "=HYPERLINK(\"x\"), \"klacht\" van 3-12\nvervolg";

  static ConsoleFixtures.Login csgAdmin;
  static ConsoleFixtures.Login vtAdmin;
  static ConsoleFixtures.Login platformAdmin;
  static ConsoleFixtures.Login counselor;
  static long csgCounselorA;
  static long csgCounselorB;
  static long senseCounselor;
  static UUID conv1 = UUID.randomUUID();
  static UUID conv2 = UUID.randomUUID();
  static UUID senseConv = UUID.randomUUID();

  @BeforeAll
  static void rows() throws Exception {
    csgCounselorA =
        ConsoleFixtures.createStaff(app, "csg", "log-csg-a", "counselor", "log-password-a", 2).id();
    csgCounselorB =
        ConsoleFixtures.createStaff(app, "csg", "log-csg-b", "counselor", "log-password-b", 2).id();
    long supervisor =
        ConsoleFixtures.createStaff(app, "csg", "log-csg-super", "supervisor", "log-password-s", 2)
            .id();
    senseCounselor =
        ConsoleFixtures.createStaff(app, "sense", "log-sense", "counselor", "log-password-x", 2)
            .id();
    ConsoleFixtures.createStaff(app, "csg", "log-csg-admin", "org_admin", "log-admin-password", 1);
    ConsoleFixtures.createStaff(
        app, "veilig_thuis", "log-vt-admin", "org_admin", "log-admin-password", 1);
    ConsoleFixtures.createStaff(
        app, null, "log-platform", "platform_admin", "log-admin-password", 1);
    ConsoleFixtures.createStaff(app, "csg", "log-csg-c", "counselor", "log-password-c", 2);
    // Rows written by the real access-log writer, as the transcript service writes them.
    AuditLog log = new AuditLog(app.pool());
    for (int i = 0; i < 3; i++) {
      await(
          log.record(
              AuditContext.staff(csgCounselorA, "counselor", "csg"),
              AuditAction.READ_TRANSCRIPT,
              conv1,
              (long) i,
              (long) i + 1,
              1));
    }
    await(
        log.record(
            new AuditContext(supervisor, "supervisor", "csg", NASTY_REASON),
            AuditAction.READ_TRANSCRIPT,
            conv1,
            0L,
            3L,
            3));
    await(
        log.record(
            AuditContext.staff(csgCounselorB, "counselor", "csg"),
            AuditAction.READ_TRANSCRIPT,
            conv2,
            0L,
            2L,
            2));
    await(
        log.record(
            AuditContext.staff(csgCounselorB, "counselor", "csg"),
            AuditAction.EXPORT_TRANSCRIPT,
            conv2,
            0L,
            2L,
            2));
    // Another organisation's rows, also one about csg's conversation id (a refused read there is
    // logged there).
    await(
        log.record(
            AuditContext.staff(senseCounselor, "counselor", "sense"),
            AuditAction.READ_TRANSCRIPT,
            senseConv,
            0L,
            4L,
            4));
    await(
        log.record(
            AuditContext.staff(senseCounselor, "counselor", "sense"),
            AuditAction.READ_TRANSCRIPT,
            conv1,
            0L,
            null,
            0));
    csgAdmin = ConsoleFixtures.login(web, app, "log-csg-admin", "log-admin-password", null);
    vtAdmin = ConsoleFixtures.login(web, app, "log-vt-admin", "log-admin-password", null);
    platformAdmin = ConsoleFixtures.login(web, app, "log-platform", "log-admin-password", null);
    counselor = ConsoleFixtures.login(web, app, "log-csg-c", "log-password-c", null);
  }

  static HttpResponse<Buffer> get(ConsoleFixtures.Login who, String path) throws Exception {
    return ConsoleFixtures.get(web, app, who, path);
  }

  static JsonObject page(ConsoleFixtures.Login who, String query) throws Exception {
    HttpResponse<Buffer> r = get(who, "/api/audit?" + query);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject();
  }

  static long count(String sql, Object... params) throws Exception {
    return PrivacySupport.count(app, sql, params);
  }

  static long logReads() throws Exception {
    return count("SELECT count(*) FROM audit_log WHERE action = 'read_audit_log'");
  }

  @Test
  @Order(1)
  @DisplayName(
      "an organisation admin sees only the own organisation's rows, whatever the filter names; reading "
          + "writes its own read_audit_log row, which is the newest row of the very answer")
  void ownOrganisationOnly() throws Exception {
    JsonObject all = page(csgAdmin, "limit=500");
    JsonArray entries = all.getJsonArray("entries");
    assertEquals("csg", all.getString("organisation"));
    assertEquals(count("SELECT count(*) FROM audit_log WHERE org_id = 'csg'"), entries.size());
    for (Object o : entries) {
      assertEquals("csg", ((JsonObject) o).getString("organisation"), o.toString());
      assertFalse(senseConv.toString().equals(((JsonObject) o).getString("conversationId")));
    }
    JsonObject own = entries.getJsonObject(0);
    assertEquals("read_audit_log", own.getString("action"));
    assertEquals("org_admin", own.getString("role"));
    assertEquals("Medewerker log-csg-admin", own.getString("staffName"));
    assertEquals("json", own.getJsonObject("detail").getString("format"));

    // Filters naming the other organisation's staff or conversation find nothing of it.
    assertEquals(0, page(csgAdmin, "staff=" + senseCounselor).getJsonArray("entries").size());
    assertEquals(0, page(csgAdmin, "conversation=" + senseConv).getJsonArray("entries").size());
    JsonArray conv1Rows = page(csgAdmin, "conversation=" + conv1).getJsonArray("entries");
    assertEquals(
        4,
        conv1Rows.size(),
        "csg's four reads of conv1, not sense's refused one: " + conv1Rows.encode());

    // Veilig Thuis has none of these rows: only its own reads of its log.
    JsonArray vt = page(vtAdmin, "limit=500").getJsonArray("entries");
    assertTrue(vt.size() >= 1);
    for (Object o : vt) {
      assertEquals("veilig_thuis", ((JsonObject) o).getString("organisation"));
      assertEquals("read_audit_log", ((JsonObject) o).getString("action"));
    }
  }

  @Test
  @Order(2)
  @DisplayName(
      "asking for another organisation's log (org=...) is refused with 403 in JSON, CSV and feed: no row of "
          + "it in the answer, nothing written to the access log, the attempt in the admin audit trail")
  void crossOrganisationRefused() throws Exception {
    long logBefore = count("SELECT count(*) FROM audit_log");
    long refusedBefore =
        count(
            "SELECT count(*) FROM admin_audit WHERE action = 'read_access_log' "
                + "AND outcome = 'refused' AND actor_name = 'log-csg-admin'");
    for (String path :
        List.of(
            "/api/audit?org=sense",
            "/api/audit/export.csv?org=sense",
            "/api/audit/feed?org=sense&after=0")) {
      HttpResponse<Buffer> r = get(csgAdmin, path);
      assertEquals(403, r.statusCode(), path);
      assertEquals("other_organisation", r.bodyAsJsonObject().getString("error"));
      assertFalse(r.bodyAsString().contains(senseConv.toString()));
      assertFalse(r.bodyAsString().contains("log-sense"));
    }
    assertEquals(
        logBefore,
        count("SELECT count(*) FROM audit_log"),
        "a refused request writes no access-log row");
    assertEquals(
        refusedBefore + 3,
        count(
            "SELECT count(*) FROM admin_audit WHERE action = 'read_access_log' "
                + "AND outcome = 'refused' AND reason = 'other_organisation' AND actor_name = 'log-csg-admin' "
                + "AND target_org = 'sense'"));
    // The own organisation named explicitly is fine.
    assertEquals("csg", page(csgAdmin, "org=csg&limit=1").getString("organisation"));
  }

  @Test
  @Order(3)
  @DisplayName(
      "filters by counselor, conversation, period and action; paging with next; each read's filter is "
          + "kept in its own row")
  void filters() throws Exception {
    JsonArray a = page(csgAdmin, "staff=" + csgCounselorA).getJsonArray("entries");
    assertEquals(3, a.size());
    a.forEach(o -> assertEquals(csgCounselorA, ((JsonObject) o).getLong("staffId")));
    JsonArray c2 = page(csgAdmin, "conversation=" + conv2).getJsonArray("entries");
    assertEquals(2, c2.size());
    assertEquals(
        1,
        page(csgAdmin, "conversation=" + conv2 + "&action=export_transcript")
            .getJsonArray("entries")
            .size());

    LocalDate today = LocalDate.now(ZoneId.of("Europe/Amsterdam"));
    assertEquals(
        3,
        page(csgAdmin, "staff=" + csgCounselorA + "&from=" + today + "&to=" + today)
            .getJsonArray("entries")
            .size(),
        "dates are whole days, both inclusive");
    assertEquals(
        0,
        page(csgAdmin, "staff=" + csgCounselorA + "&to=" + today.minusDays(1))
            .getJsonArray("entries")
            .size());
    assertEquals(
        0,
        page(csgAdmin, "staff=" + csgCounselorA + "&from=" + today.plusDays(1))
            .getJsonArray("entries")
            .size());
    assertEquals(
        3,
        page(csgAdmin, "staff=" + csgCounselorA + "&from=2026-01-01T00:00:00Z")
            .getJsonArray("entries")
            .size());

    JsonObject first = page(csgAdmin, "conversation=" + conv1 + "&limit=3");
    assertEquals(3, first.getJsonArray("entries").size());
    JsonObject second =
        page(csgAdmin, "conversation=" + conv1 + "&limit=3&before=" + first.getLong("next"));
    assertEquals(1, second.getJsonArray("entries").size());
    assertEquals(null, second.getLong("next"));
    JsonObject exact = page(csgAdmin, "conversation=" + conv1 + "&limit=4");
    assertEquals(4, exact.getJsonArray("entries").size());
    assertEquals(null, exact.getLong("next"), "no next page when exactly the last rows were shown");

    // The read_audit_log rows name the filter that was used.
    JsonArray reads = page(csgAdmin, "action=read_audit_log&limit=20").getJsonArray("entries");
    JsonObject pageRead =
        reads.stream()
            .map(o -> (JsonObject) o)
            .filter(
                o ->
                    conv1
                        .toString()
                        .equals(
                            o.getJsonObject("detail")
                                .getJsonObject("filter")
                                .getString("conversation")))
            .findFirst()
            .orElseThrow();
    assertEquals("json", pageRead.getJsonObject("detail").getString("format"));
    JsonObject periodRead =
        reads.stream()
            .map(o -> (JsonObject) o)
            .filter(o -> o.getJsonObject("detail").getJsonObject("filter").containsKey("from"))
            .findFirst()
            .orElseThrow();
    assertEquals(
        csgCounselorA, periodRead.getJsonObject("detail").getJsonObject("filter").getLong("staff"));
  }

  @Test
  @Order(4)
  @DisplayName(
      "the CSV has the JSON's columns and rows, escaped (quotes, commas, line breaks, formulas), and the "
          + "JSON-lines feed the same rows oldest first with a cursor; each format writes one read row naming it")
  void csvAndFeedMatchJson() throws Exception {
    String filter = "conversation=" + conv1;
    long readsBefore = logReads();
    JsonArray json = page(csgAdmin, filter).getJsonArray("entries");
    HttpResponse<Buffer> csv = get(csgAdmin, "/api/audit/export.csv?" + filter);
    assertEquals(200, csv.statusCode(), csv.bodyAsString());
    assertTrue(csv.getHeader("Content-Type").startsWith("text/csv"));
    assertTrue(csv.getHeader("Content-Disposition").contains("attachment"));
    assertEquals("false", csv.getHeader("X-Truncated"));
    List<List<String>> table = parseCsv(csv.bodyAsString(StandardCharsets.UTF_8.name()));
    List<String> header = table.get(0);
    assertEquals(
        List.of(
            "id",
            "at",
            "staffId",
            "staffName",
            "role",
            "organisation",
            "conversationId",
            "action",
            "reason",
            "afterSeq",
            "lastSeq",
            "messageCount",
            "detail"),
        header);
    assertEquals(json.size() + 1, table.size(), "same rows");
    for (int i = 0; i < json.size(); i++) {
      JsonObject j = json.getJsonObject(i);
      assertEquals(
          header.size(), j.size(), "the JSON has exactly the CSV's columns: " + j.encode());
      for (int c = 0; c < header.size(); c++) {
        Object v = j.getValue(header.get(c));
        String expected = v == null ? "" : v instanceof JsonObject o ? o.encode() : v.toString();
        if (expected.startsWith("=")) {
          expected = "'" + expected; // a formula is defused, nothing else changes
        }
        assertEquals(expected, table.get(i + 1).get(c), "row " + i + " column " + header.get(c));
      }
    }
    assertTrue(
        json.stream().anyMatch(o -> NASTY_REASON.equals(((JsonObject) o).getString("reason"))));

    HttpResponse<Buffer> feed = get(csgAdmin, "/api/audit/feed?after=0&" + filter);
    assertEquals(200, feed.statusCode(), feed.bodyAsString());
    assertTrue(feed.getHeader("Content-Type").startsWith("application/x-ndjson"));
    List<JsonObject> lines = new ArrayList<>();
    feed.bodyAsString().lines().forEach(l -> lines.add(new JsonObject(l)));
    assertEquals(json.size(), lines.size());
    for (int i = 0; i < lines.size(); i++) {
      assertEquals(
          json.getJsonObject(json.size() - 1 - i), lines.get(i), "oldest first, same objects");
    }
    assertEquals(
        String.valueOf(lines.get(lines.size() - 1).getLong("id")), feed.getHeader("X-Next-After"));
    String cursor = feed.getHeader("X-Next-After");
    HttpResponse<Buffer> again = get(csgAdmin, "/api/audit/feed?" + filter + "&after=" + cursor);
    assertEquals(200, again.statusCode());
    assertEquals(
        0,
        again.body() == null ? 0 : again.body().length(),
        "nothing new about conv1 after the cursor");
    assertEquals(cursor, again.getHeader("X-Next-After"), "an empty poll keeps the cursor");

    assertEquals(readsBefore + 4, logReads(), "JSON, CSV and two feed polls each wrote one row");
    JsonArray reads = page(csgAdmin, "action=read_audit_log&limit=5").getJsonArray("entries");
    assertEquals(
        List.of("json", "jsonl", "jsonl", "csv", "json"),
        reads.stream()
            .map(o -> ((JsonObject) o).getJsonObject("detail").getString("format"))
            .toList());
  }

  @Test
  @Order(5)
  @DisplayName(
      "bad input gets 400 with a clear reason and writes nothing; counselors get 403; a platform admin must "
          + "pick an existing organisation and their read shows in that organisation's log")
  void badInputAndRoles() throws Exception {
    long before = count("SELECT count(*) FROM audit_log");
    for (String q :
        List.of(
            "from=2026-13-45",
            "to=7-12-2026",
            "from=2026-12-08&to=2026-12-01",
            "conversation=nope",
            "staff=abc",
            "limit=0",
            "limit=501",
            "before=-1",
            "action=read_everything",
            "from=2026-12-07T25:00:00Z")) {
      HttpResponse<Buffer> r = get(csgAdmin, "/api/audit?" + q);
      assertEquals(400, r.statusCode(), q + ": " + r.bodyAsString());
      assertEquals("invalid_field", r.bodyAsJsonObject().getString("error"));
      String field = q.substring(0, q.indexOf('='));
      assertTrue(
          r.bodyAsJsonObject()
              .getString("message")
              .contains(field.equals("from") && q.contains("&to") ? "to" : field),
          q + ": " + r.bodyAsString());
    }
    assertEquals(400, get(csgAdmin, "/api/audit/export.csv?limit=10001").statusCode());
    assertEquals(400, get(csgAdmin, "/api/audit/feed?after=x").statusCode());
    assertEquals(403, get(counselor, "/api/audit").statusCode());
    assertEquals(403, get(counselor, "/api/audit/export.csv").statusCode());
    assertEquals(403, get(counselor, "/api/audit/feed").statusCode());
    assertEquals(
        401, await(web.get(app.consolePort(), "127.0.0.1", "/api/audit/feed").send()).statusCode());
    assertEquals(
        400,
        get(platformAdmin, "/api/audit").statusCode(),
        "a platform admin names the organisation");
    assertEquals(404, get(platformAdmin, "/api/audit?org=bestaat_niet").statusCode());
    assertEquals(before, count("SELECT count(*) FROM audit_log"), "refused requests write nothing");

    JsonObject csg = page(platformAdmin, "org=csg&limit=1");
    assertEquals("csg", csg.getString("organisation"));
    JsonObject own = csg.getJsonArray("entries").getJsonObject(0);
    assertEquals("platform_admin", own.getString("role"));
    assertEquals("read_audit_log", own.getString("action"));
    JsonObject seen =
        page(csgAdmin, "action=read_audit_log&limit=2").getJsonArray("entries").getJsonObject(1);
    assertEquals(
        own.getLong("id"),
        seen.getLong("id"),
        "the organisation sees that the platform admin looked");
  }

  @Test
  @Order(6)
  @DisplayName(
      "the console's access-log screen in headless Chromium: filters, table, CSV download with the shown "
          + "filter, Dutch texts, 0 axe violations")
  void screen() throws Exception {
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
      Page page =
          browser.newContext(new Browser.NewContextOptions().setAcceptDownloads(true)).newPage();
      page.setDefaultTimeout(15_000);
      page.onPageError(e -> errors.add("page error: " + e));
      page.onConsoleMessage(
          m -> {
            if ("error".equals(m.type()) && !m.text().matches("(?s).*status of 4\\d\\d.*")) {
              errors.add(m.text());
            }
          });
      page.navigate(app.consoleUrl());
      page.fill("#login-user", "log-csg-admin");
      page.fill("#login-pass", "log-admin-password");
      page.click("#login-submit");
      assertThat(page.locator("#admin-link")).isVisible();
      page.click("#admin-link");
      assertThat(page.locator("#accesslog-link")).isVisible();
      page.click("#accesslog-link");
      assertThat(page.locator("#log-rows tr").first()).isVisible();
      assertThat(page.locator("h2#log-title")).hasText("Toegangslog");
      assertThat(page.locator("#log-rows tr").first()).containsText("toegangslog bekeken");

      page.selectOption("#log-staff", String.valueOf(csgCounselorA));
      page.fill("#log-conversation", conv1.toString());
      page.click("#log-submit");
      assertThat(page.locator("#log-rows tr")).hasCount(3);
      assertThat(page.locator("#log-rows tr").first()).containsText("Medewerker log-csg-a");
      assertThat(page.locator("#log-rows tr").first()).containsText("transcript gelezen");
      ConsoleBrowserIT.assertNoAxeViolations(page, "access log");

      Download download = page.waitForDownload(() -> page.click("#log-csv"));
      String csv = Files.readString(download.path(), StandardCharsets.UTF_8);
      List<List<String>> table = parseCsv(csv);
      assertEquals(4, table.size(), "header and the three shown rows: " + csv);
      for (List<String> row : table.subList(1, table.size())) {
        assertEquals(String.valueOf(csgCounselorA), row.get(2));
        assertEquals(conv1.toString(), row.get(6));
      }

      page.fill("#log-from", "2026-12-31");
      page.fill("#log-to", "2026-12-01");
      page.click("#log-submit");
      assertThat(page.locator("#log-error")).containsText("einddatum");

      page.fill("#log-from", "");
      page.fill("#log-to", "");
      page.fill("#log-conversation", "geen-id");
      page.click("#log-submit");
      assertThat(page.locator("#log-error")).containsText("gespreksnummer");
      page.screenshot(
          new Page.ScreenshotOptions().setPath(Paths.get("target/screenshots/access-log.png")));
      assertEquals(List.of(), errors);
      browser.close();
    }
    JsonObject csvRead =
        page(csgAdmin, "action=read_audit_log&limit=20").getJsonArray("entries").stream()
            .map(o -> (JsonObject) o)
            .filter(o -> "csv".equals(o.getJsonObject("detail").getString("format")))
            .findFirst()
            .orElseThrow();
    assertEquals(
        conv1.toString(),
        csvRead.getJsonObject("detail").getJsonObject("filter").getString("conversation"));
    assertNotNull(csvRead.getString("at"));
  }

  /**
   * RFC 4180 reader: quoted fields with doubled quotes, commas and line breaks; CRLF between
   * records.
   */
  static List<List<String>> parseCsv(String text) {
    List<List<String>> rows = new ArrayList<>();
    List<String> row = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < text.length(); i++) {
      char ch = text.charAt(i);
      if (quoted) {
        if (ch == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
          field.append('"');
          i++;
        } else if (ch == '"') {
          quoted = false;
        } else {
          field.append(ch);
        }
      } else if (ch == '"') {
        quoted = true;
      } else if (ch == ',') {
        row.add(field.toString());
        field.setLength(0);
      } else if (ch == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
        row.add(field.toString());
        field.setLength(0);
        rows.add(row);
        row = new ArrayList<>();
        i++;
      } else {
        field.append(ch);
      }
    }
    assertTrue(field.length() == 0 && row.isEmpty(), "the CSV ends with CRLF");
    return rows;
  }
}
