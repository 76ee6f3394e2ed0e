package nl.veiligpraten.app;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.options.ForcedColors;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * WCAG 2.1 AA for the visitor page (issue 23): axe-core on every reachable screen in every
 * language, plus the criteria axe cannot see (reflow, 200% text, target size, forced colours,
 * visible focus).
 */
@DisplayName("Visitor page accessibility (WCAG 2.1 AA) in headless Chromium on a phone")
class VisitorAccessibilityIT {

  @TempDir static Path dataDir;
  @TempDir static Path configDir;
  static RunningApp app;
  static Vertx client;
  static VisitorBrowser browser;

  /**
   * Every screen is checked in these: both Dutch modes, English, and Arabic for the other direction
   * (right to left, its own script and the longest labels in the header).
   */
  private static final List<String> LANGS = List.of("nl", "easy", "en", "ar");

  /**
   * Turkish, Polish and Ukrainian are left to right like Dutch and English and use the same markup,
   * so what axe can find per language (the document's lang, text in its own language, labels
   * present) shows on any screen; they are checked on the first question, the 112 screen, the
   * suggestions, the chat and the end (every kind of layout), and all of them on the reflow at 320
   * px and at 200% text, where their own word lengths matter. Running every one of the 19 screens
   * in all seven languages would double the time of this class for no finding axe could add.
   */
  private static final List<String> MORE_LANGS = List.of("tr", "pl", "uk");

  @BeforeAll
  static void setUp() throws Exception {
    // Mores is closed all week here, so the "closed" screen can be reached at any time of day.
    String helpPoints;
    try (var in =
        VisitorAccessibilityIT.class
            .getClassLoader()
            .getResourceAsStream("config/help-points.yaml")) {
      helpPoints = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    int mores = helpPoints.indexOf("- id: mores");
    int hours = helpPoints.indexOf("openingHours:", mores);
    int end = helpPoints.indexOf("retentionDays:", hours);
    String closed =
        "openingHours:\n"
            + "      mon: closed\n      tue: closed\n      wed: closed\n      thu: closed\n      fri: closed\n"
            + "      sat: closed\n      sun: closed\n    ";
    java.nio.file.Files.writeString(
        configDir.resolve("help-points.yaml"),
        helpPoints.substring(0, hours) + closed + helpPoints.substring(end));
    app = TestApp.start(AppSettings.forTest(dataDir).withConfigDir(configDir));
    client = Vertx.vertx();
    browser = new VisitorBrowser();
  }

  @AfterAll
  static void tearDown() throws Exception {
    browser.close();
    client.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    app.stopBlocking();
  }

  private static String url() {
    return "http://127.0.0.1:" + app.visitorPort() + "/";
  }

  private static Locator screen(Page page, String name) {
    Locator screen = page.locator("#screen[data-screen=" + name + "]");
    assertThat(screen).isVisible(new LocatorAssertions.IsVisibleOptions().setTimeout(10_000));
    return screen;
  }

  /**
   * axe-core with 0 violations of any impact, in Dutch, easy-read Dutch, English and Arabic; ends
   * in Dutch again.
   */
  private static void axeInEveryLanguage(Page page, String name) throws Exception {
    axeIn(page, name, LANGS);
  }

  /**
   * As {@link #axeInEveryLanguage}, and in Turkish, Polish and Ukrainian too (see {@link
   * #MORE_LANGS}).
   */
  private static void axeInAllSeven(Page page, String name) throws Exception {
    List<String> all = new java.util.ArrayList<>(LANGS);
    all.addAll(MORE_LANGS);
    axeIn(page, name, all);
  }

  private static void axeIn(Page page, String name, List<String> langs) throws Exception {
    for (String lang : langs) {
      choose(page, lang);
      ConsoleBrowserIT.assertNoAxeViolations(page, name + " (" + lang + ")");
    }
    choose(page, "nl");
  }

  /** Picks the page language; the document then carries its lang and direction. */
  private static void choose(Page page, String lang) {
    page.locator("button[data-lang=" + lang + "]").click();
    assertThat(page.locator("button[data-lang=" + lang + "]")).hasAttribute("aria-pressed", "true");
    assertThat(page.locator("html")).hasAttribute("dir", "ar".equals(lang) ? "rtl" : "ltr");
    assertThat(page.locator("html")).hasAttribute("lang", "easy".equals(lang) ? "nl" : lang);
  }

  /**
   * The intake of VisitorPageIT that leads to the CSG chat (acute physical violence today, 18-24).
   */
  static Locator toCsgSuggestions(Page page) {
    page.locator("button[data-code=no]").click();
    page.locator("button[data-code=victim]").click();
    assertThat(page.locator("#screen-title")).hasText("Hoe oud ben je?");
    page.locator("button[data-code='18-24']").click();
    assertThat(page.locator("#screen-title")).hasText("Wanneer is het gebeurd?");
    page.locator("button[data-code=today]").click();
    assertThat(page.locator("#screen-title")).containsText("Wat is er gebeurd?");
    page.locator("button[data-code=physical]").click();
    page.locator("#next").click();
    Locator suggestions = toSuggestions(page, null, false);
    assertThat(suggestions.locator("article[data-help-point=csg]")).isVisible();
    return suggestions;
  }

  private static Locator toSuggestions(Page page, String q5) {
    return toSuggestions(page, q5, true);
  }

  /** Answers Q0 'no', then skips (or answers {@code answers}) until the suggestions show. */
  private static Locator toSuggestions(Page page, String q5, boolean fromStart) {
    if (fromStart) {
      page.locator("button[data-code=no]").click();
    }
    for (int i = 0; i < 14; i++) {
      page.waitForSelector("#screen[data-screen=question], #screen[data-screen=suggestions]");
      if (page.locator("#screen[data-screen=suggestions]").count() > 0) {
        break;
      }
      String question = page.locator("#screen").getAttribute("data-question");
      if (q5 != null && "Q5".equals(question)) {
        page.locator("button[data-code=" + q5 + "]").click();
      } else {
        page.locator("#skip").click();
      }
      page.waitForFunction(
          "q => document.getElementById('screen').getAttribute('data-question') !== q", question);
    }
    return screen(page, "suggestions");
  }

  @Test
  @DisplayName(
      "axe-core finds 0 violations of any impact on the first question, a single- and a multi-choice "
          + "question, the 112 screen, resume by code, the suggestions, a closed help point, the queue, the chat, the "
          + "referral question, the pause screen, leaving a message, the message inbox, the end and a deleted chat, in Dutch, easy-read Dutch, English "
          + "and Arabic (right to left), and five of them in Turkish, Polish and Ukrainian")
  void axeOnEveryScreen() throws Exception {
    try (BrowserContext context = browser.phone()) {
      Page page = context.newPage();
      page.navigate(url());
      screen(page, "question");
      axeInAllSeven(page, "first question (Q0)");

      page.locator("button[data-code=yes]").click();
      screen(page, "emergency");
      axeInAllSeven(page, "112");
      page.locator("#emergency-continue").click();
      screen(page, "question");
      assertThat(page.locator("#keep-112")).isVisible();
      axeInEveryLanguage(page, "single-choice question with the 112 line");
    }
    try (BrowserContext context = browser.phone()) {
      Page page = context.newPage();
      page.navigate(url());
      screen(page, "question");
      page.locator("#have-code").click();
      screen(page, "resume");
      axeInEveryLanguage(page, "resume by code");
    }
    try (BrowserContext context = browser.phone()) {
      Page page = context.newPage();
      page.navigate(url());
      page.locator("button[data-code=no]").click();
      assertThat(page.locator("#screen-title")).hasText("Waarover wil je praten?");
      axeInEveryLanguage(page, "single-choice question");
      page.locator("button[data-code=victim]").click();
      assertThat(page.locator("#screen-title")).hasText("Hoe oud ben je?");
      page.locator("button[data-code='18-24']").click();
      page.locator("button[data-code=today]").click();
      assertThat(page.locator("#screen-title")).containsText("Wat is er gebeurd?");
      page.locator("button[data-code=physical]").click();
      assertThat(page.locator("button[data-code=physical]")).hasAttribute("aria-pressed", "true");
      axeInEveryLanguage(page, "multi-choice question with an answer chosen");
    }
    String cookie = WalkingSkeletonIT.login(WebClient.create(client), app, "veilig_thuis");
    try (BrowserContext context = browser.phone();
        WsProbe triage =
            WsProbe.connect(
                client,
                app.consolePort(),
                "/ws",
                "http://127.0.0.1:" + app.consolePort(),
                cookie)) {
      triage.send(new JsonObject().put("type", "status").put("status", "available"));
      triage.awaitType("status");
      Page page = context.newPage();
      page.navigate(url());
      Locator suggestions = toSuggestions(page, "culture_media");
      assertThat(suggestions.locator("article[data-help-point=mores]")).isVisible();
      axeInAllSeven(page, "suggestions");
      suggestions.locator("button[data-help-point=mores]").click();
      screen(page, "unavailable");
      axeInEveryLanguage(page, "closed help point");
    }
    try (BrowserContext context = browser.phone()) {
      Page page = context.newPage();
      page.navigate(url());
      Locator suggestions = toCsgSuggestions(page);
      suggestions.locator("button[data-help-point=csg]").click();
      screen(page, "chat");
      assertThat(page.locator("#status")).containsText("Je bent nummer");
      axeInEveryLanguage(page, "queued");
      String consoleCookie = WalkingSkeletonIT.login(WebClient.create(client), app, "csg");
      try (WsProbe counselor =
          WsProbe.connect(
              client,
              app.consolePort(),
              "/ws",
              "http://127.0.0.1:" + app.consolePort(),
              consoleCookie)) {
        String conversationId = takeNewestCsgChat(counselor);
        assertThat(page.locator("#status")).containsText("Je praat nu met");
        page.locator("#message").fill("Hallo");
        page.locator("#send").click();
        assertThat(page.locator("#log li.me .meta")).hasText("verstuurd");
        counselor.send(
            new JsonObject()
                .put("type", "message")
                .put("conversationId", conversationId)
                .put("clientId", "a-1")
                .put("body", "Fijn dat je er bent."));
        assertThat(page.locator("#log li.them")).containsText("Fijn dat je er bent.");
        assertBubblesMirror(page);
        axeInAllSeven(page, "chat");
        counselor.send(
            new JsonObject()
                .put("type", "refer")
                .put("conversationId", conversationId)
                .put("helpPoint", "veilig_thuis"));
        assertThat(page.locator("#referral")).containsText("Mag ik dit gesprek doorsturen naar");
        axeInEveryLanguage(page, "referral question");
        page.locator("#referral-no").click();
        assertThat(page.locator("#notice")).containsText("Er is niets doorgestuurd");
        axeInEveryLanguage(page, "chat after a declined referral");
        // The neutral pause screen hides the header (and with it the language buttons): checked as
        // it is.
        page.locator("#pause").click();
        screen(page, "paused");
        ConsoleBrowserIT.assertNoAxeViolations(page, "paused");
        page.locator("#pause-back").click();
        screen(page, "chat");
        page.locator("#stop").click();
        axeInEveryLanguage(page, "chat asking to confirm the end");
        page.locator("#stop-yes").click();
        screen(page, "ended");
        axeInAllSeven(page, "ended");
      }
    }
    try (BrowserContext context = browser.phone()) {
      Page page = context.newPage();
      page.navigate(url());
      toCsgSuggestions(page).locator("button[data-leave=csg]").click();
      screen(page, "leave");
      axeInEveryLanguage(page, "leave a message");
      page.locator("#leave-body").fill("Ik wil graag een bericht achterlaten.");
      page.locator("#leave-send").click();
      screen(page, "inbox");
      axeInEveryLanguage(page, "message left (inbox)");
    }
    try (BrowserContext context = browser.phone()) {
      Page page = context.newPage();
      page.navigate(url());
      toCsgSuggestions(page).locator("button[data-help-point=csg]").click();
      screen(page, "chat");
      page.locator("#delete").click();
      page.locator("#delete-yes").click();
      screen(page, "ended");
      assertThat(page.locator("#screen")).containsText("Je gesprek is gewist.");
      axeInEveryLanguage(page, "deleted");
    }
  }

  /**
   * Own messages sit at the end side (right in Dutch, left in Arabic), the counselor's at the start
   * side.
   */
  private static void assertBubblesMirror(Page page) {
    String edges =
        "() => { const log = document.getElementById('log').getBoundingClientRect(); "
            + "const me = document.querySelector('#log li.me').getBoundingClientRect(); "
            + "const them = document.querySelector('#log li.them').getBoundingClientRect(); "
            + "return JSON.stringify({meLeft: me.left - log.left, meRight: log.right - me.right, "
            + "themLeft: them.left - log.left, themRight: log.right - them.right}); }";
    choose(page, "nl");
    JsonObject ltr = new JsonObject((String) page.evaluate(edges));
    assertTrue(
        ltr.getDouble("meRight") < 1 && ltr.getDouble("themLeft") < 1,
        "nl bubbles " + ltr.encode());
    choose(page, "ar");
    JsonObject rtl = new JsonObject((String) page.evaluate(edges));
    assertTrue(
        rtl.getDouble("meLeft") < 1 && rtl.getDouble("themRight") < 1,
        "ar bubbles " + rtl.encode());
    choose(page, "nl");
  }

  @Test
  @DisplayName(
      "in Arabic the document is right to left and the layout mirrors: the quick exit moves to the other "
          + "side, answers start at the right, targets stay 44×44 px; a chat chosen in Arabic stores 'ar' and the queue "
          + "says in Arabic that nobody who speaks it is on shift and that the counselor will write Dutch")
  void rightToLeft() throws Exception {
    try (BrowserContext context = browser.phone()) {
      Page page = context.newPage();
      page.navigate(url());
      screen(page, "question");
      String sides =
          "() => { const x = document.getElementById('exit').getBoundingClientRect(); "
              + "const l = document.getElementById('langs').getBoundingClientRect(); "
              + "return JSON.stringify({exit: x.left, langs: l.left}); }";
      JsonObject ltr = new JsonObject((String) page.evaluate(sides));
      assertTrue(ltr.getDouble("exit") < ltr.getDouble("langs"), "nl header " + ltr.encode());
      choose(page, "ar");
      assertThat(page.locator("#screen-title")).hasText("هل أنت أو شخص آخر في خطر الآن؟");
      assertThat(page.locator("#exit-label")).hasText("خروج سريع");
      JsonObject rtl = new JsonObject((String) page.evaluate(sides));
      assertTrue(rtl.getDouble("exit") > rtl.getDouble("langs"), "ar header " + rtl.encode());
      String answer =
          "e => { const s = getComputedStyle(e); return s.direction + ' ' + s.textAlign; }";
      assertEquals("rtl start", page.locator("button[data-code=no]").evaluate(answer));
      assertTargets(page, "first question in Arabic");
      // The language buttons name themselves in their own language and script.
      assertThat(page.locator("button[data-lang=ar]")).hasAttribute("lang", "ar");
      assertThat(page.locator("button[data-lang=uk]")).hasText("Українська");
      choose(page, "nl");
      Locator suggestions = toCsgSuggestions(page);
      choose(page, "ar");
      suggestions.locator("button[data-help-point=csg]").click();
      screen(page, "chat");
      // Nobody of CSG is online in this test: the queue line says so in Arabic, with the honest
      // language note.
      assertThat(page.locator("#status")).containsText("دورك رقم");
      assertThat(page.locator("#status")).containsText("لا يوجد الآن أحد متصل يتكلم لغتك");
      assertNoHorizontalScroll(page, "queued chat in Arabic");
      // Phone numbers keep their own direction inside an Arabic sentence (0800-0188, not
      // 0188-0800).
      assertTrue(
          page.locator("a[href='tel:08000188']")
              .first()
              .textContent()
              .contains("\u20680800-0188\u2069"),
          page.locator("a[href='tel:08000188']").first().textContent());
      String lang =
          ConsoleFixtures.await(
                  app.pool()
                      .query(
                          "SELECT intake ->> 'lang' AS lang FROM conversation "
                              + "WHERE help_point = 'csg' AND status = 'queued' ORDER BY created_at DESC LIMIT 1")
                      .execute())
              .iterator()
              .next()
              .getString("lang");
      assertEquals("ar", lang, "the language travels with the chat");
      VisitorBrowser.screenshot(page, "visitor-a11y-arabic-queued");
      page.locator("#stop").click();
      page.locator("#stop-yes").click();
      screen(page, "ended");
    }
  }

  @Test
  @DisplayName(
      "axe-core finds 0 violations on the privacy screen, on the 113 card a counselor sends (in the chat "
          + "and on the ended screen) and on the chat after an accepted referral, in Dutch, easy-read Dutch and English")
  void axeOnPrivacyAndTheUrgentCard() throws Exception {
    try (BrowserContext context = browser.phone()) {
      Page page = context.newPage();
      page.navigate(url());
      screen(page, "question");
      page.locator("#privacy-link").click();
      screen(page, "privacy");
      // The retention per organisation comes with /api/config, which this screen loads when it
      // opens.
      assertThat(page.locator("#privacy-retention li").first()).isVisible();
      axeInEveryLanguage(page, "privacy");
    }
    try (BrowserContext context = browser.phone()) {
      Page page = context.newPage();
      page.navigate(url());
      toCsgSuggestions(page).locator("button[data-help-point=csg]").click();
      screen(page, "chat");
      String consoleCookie = WalkingSkeletonIT.login(WebClient.create(client), app, "csg");
      try (WsProbe counselor =
          WsProbe.connect(
              client,
              app.consolePort(),
              "/ws",
              "http://127.0.0.1:" + app.consolePort(),
              consoleCookie)) {
        String conversationId = takeNewestCsgChat(counselor);
        assertThat(page.locator("#status")).containsText("Je praat nu met");
        counselor.send(
            new JsonObject().put("type", "suicide-risk").put("conversationId", conversationId));
        assertThat(page.locator("#urgent-card"))
            .containsText("113", new LocatorAssertions.ContainsTextOptions().setTimeout(10_000));
        axeInEveryLanguage(page, "113 card in the chat");
        // Forwarding after "ja": the chat goes to Veilig Thuis and the page says so.
        counselor.send(
            new JsonObject()
                .put("type", "refer")
                .put("conversationId", conversationId)
                .put("helpPoint", "veilig_thuis"));
        assertThat(page.locator("#referral")).containsText("Mag ik dit gesprek doorsturen naar");
        page.locator("#referral-yes").click();
        assertThat(page.locator("#notice")).containsText("Het gesprek is doorgestuurd");
        axeInEveryLanguage(page, "chat after an accepted referral");
        page.locator("#stop").click();
        page.locator("#stop-yes").click();
        screen(page, "ended");
        assertThat(page.locator("#urgent-card")).isVisible();
        axeInEveryLanguage(page, "113 card on the ended screen");
      }
    }
  }

  @Test
  @DisplayName(
      "the quick-exit button does not claim a single Shift as its shortcut (it is Shift three times)")
  void noWrongKeyShortcut() {
    try (BrowserContext context = browser.phone()) {
      Page page = context.newPage();
      page.navigate(url());
      screen(page, "question");
      assertEquals(null, page.locator("#exit").getAttribute("aria-keyshortcuts"));
    }
  }

  /**
   * Horizontal overflow of the page: the document scrolls sideways when scrollWidth exceeds
   * clientWidth.
   */
  /**
   * The document scrolls sideways when its scrollWidth exceeds its clientWidth; names the widest
   * elements.
   */
  static void assertNoHorizontalScroll(Page page, String what) {
    JsonObject w =
        new JsonObject(
            (String)
                page.evaluate(
                    "() => JSON.stringify({scroll: "
                        + "document.documentElement.scrollWidth, client: document.documentElement.clientWidth, "
                        + "wide: [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > "
                        + "document.documentElement.clientWidth + 0.5 && getComputedStyle(e).position !== 'absolute')"
                        + ".slice(0, 5).map(e => e.tagName + '#' + e.id + '.' + e.className)})"));
    assertTrue(w.getInteger("scroll") <= w.getInteger("client"), what + ": " + w.encode());
  }

  /** {@code setup} is script run on each load (the reload in the middle resets what it changed). */
  private void walkForReflow(Page page, String what, String setup) throws Exception {
    screen(page, "question");
    assertNoHorizontalScroll(page, what + ", first question");
    page.locator("button[data-code=no]").click();
    assertThat(page.locator("#screen-title")).hasText("Waarover wil je praten?");
    List<String> all = new java.util.ArrayList<>(LANGS);
    all.addAll(MORE_LANGS);
    for (String lang : all) {
      choose(page, lang);
      assertNoHorizontalScroll(page, what + ", question in " + lang);
    }
    choose(page, "nl");
    page.reload();
    screen(page, "question");
    page.evaluate(setup);
    Locator suggestions = toCsgSuggestions(page);
    assertNoHorizontalScroll(page, what + ", suggestions");
    suggestions.locator("button[data-help-point=csg]").click();
    screen(page, "chat");
    assertThat(page.locator("#status")).containsText("Je bent nummer");
    assertNoHorizontalScroll(page, what + ", queued chat");
    VisitorBrowser.screenshot(page, "visitor-a11y-" + what.replace(' ', '-'));
  }

  @Test
  @DisplayName("at 320 CSS px wide the page reflows without horizontal scrolling (WCAG 1.4.10)")
  void reflowAt320() throws Exception {
    try (BrowserContext context =
        browser.browser.newContext(
            new Browser.NewContextOptions()
                .setViewportSize(320, 640)
                .setIsMobile(true)
                .setHasTouch(true)
                .setLocale("nl-NL"))) {
      Page page = context.newPage();
      page.navigate(url());
      walkForReflow(page, "320px", "0");
    }
  }

  @Test
  @DisplayName(
      "with text at 200% the page still fits a 390 px phone without horizontal scrolling and the language "
          + "buttons stay on screen (WCAG 1.4.4)")
  void textAt200Percent() throws Exception {
    try (BrowserContext context = browser.phone()) {
      Page page = context.newPage();
      page.navigate(url());
      screen(page, "question");
      // The browser's text-size setting scales the root font size; through the CSSOM (the CSP
      // allows no inline style).
      String doubleText = "document.documentElement.style.fontSize = '36px'";
      page.evaluate(doubleText);
      for (String lang : List.of("nl", "easy", "en", "ar", "tr", "pl", "uk")) {
        Locator button = page.locator("button[data-lang=" + lang + "]");
        JsonObject box =
            new JsonObject(
                (String)
                    button.evaluate(
                        "b => { const r = b.getBoundingClientRect(); "
                            + "return JSON.stringify({left: r.left, right: r.right}); }"));
        assertTrue(
            box.getDouble("left") >= 0 && box.getDouble("right") <= 390,
            lang + " button " + box.encode());
      }
      walkForReflow(page, "200pct text", doubleText);
    }
  }

  /** Every visible button, link and field on the screen measures at least 44×44 CSS px. */
  /** Every visible button, link and field is at least 44×44 CSS px. */
  static void assertTargets(Page page, String what) {
    JsonArray small =
        new JsonArray(
            (String)
                page.evaluate(
                    "() => JSON.stringify([...document.querySelectorAll("
                        + "'button, a[href], input, textarea, select')].filter(e => e.offsetParent !== null || "
                        + "getComputedStyle(e).position === 'fixed').map(e => { const r = e.getBoundingClientRect(); "
                        + "return {el: e.tagName + '#' + e.id + ' ' + (e.textContent || '').trim().slice(0, 30), "
                        + "w: Math.round(r.width), h: Math.round(r.height)}; }).filter(b => b.w < 44 || b.h < 44))"));
    assertTrue(
        small.isEmpty(), what + ": targets smaller than 44×44 px: " + small.encodePrettily());
  }

  @Test
  @DisplayName(
      "every button, link and field is at least 44×44 px on the questions, 112, suggestions, closed, "
          + "queue and chat screens (the 'Bel 0800-…' link too)")
  void targetSize() throws Exception {
    try (BrowserContext context = browser.phone()) {
      Page page = context.newPage();
      page.navigate(url());
      screen(page, "question");
      assertTargets(page, "first question");
      page.locator("button[data-code=yes]").click();
      screen(page, "emergency");
      assertTargets(page, "112");
      page.locator("#emergency-continue").click();
      screen(page, "question");
      assertTargets(page, "question with the 112 line");
    }
    try (BrowserContext context = browser.phone()) {
      Page page = context.newPage();
      page.navigate(url());
      Locator suggestions = toSuggestions(page, "culture_media");
      assertThat(suggestions.locator("a[href^='tel:08']").first()).isVisible();
      assertTargets(page, "suggestions");
      suggestions.locator("button[data-help-point=mores]").click();
      screen(page, "unavailable");
      assertTargets(page, "closed help point");
    }
    try (BrowserContext context = browser.phone()) {
      Page page = context.newPage();
      page.navigate(url());
      toCsgSuggestions(page).locator("button[data-help-point=csg]").click();
      screen(page, "chat");
      assertThat(page.locator("#status")).containsText("Je bent nummer");
      assertTargets(page, "queued");
    }
  }

  @Test
  @DisplayName(
      "in forced colours (Windows high contrast) a chosen answer and the chosen language look different from "
          + "the others by their border, and the quick exit, talk-now and 112 buttons keep a visible outline")
  void forcedColours() throws Exception {
    try (BrowserContext context =
        browser.browser.newContext(
            new Browser.NewContextOptions()
                .setViewportSize(390, 844)
                .setIsMobile(true)
                .setHasTouch(true)
                .setLocale("nl-NL")
                .setForcedColors(ForcedColors.ACTIVE))) {
      Page page = context.newPage();
      page.navigate(url());
      screen(page, "question");
      assertTrue((Boolean) page.evaluate("matchMedia('(forced-colors: active)').matches"));
      String style =
          "e => { const s = getComputedStyle(e); return [s.borderTopStyle, s.borderTopWidth, "
              + "s.outlineStyle, s.outlineWidth].join(' '); }";
      for (String id : List.of("#exit", "#talk-now")) {
        String s = (String) page.locator(id).evaluate(style);
        assertTrue(
            !s.startsWith("none") && !s.startsWith("hidden") && !s.contains(" 0px "),
            id + ": " + s);
      }
      assertTrue(
          !page.locator("button[data-lang=nl]")
              .evaluate(style)
              .equals(page.locator("button[data-lang=en]").evaluate(style)),
          "chosen language looks the same");
      page.locator("button[data-code=no]").click();
      page.locator("button[data-code=victim]").click();
      page.locator("button[data-code='18-24']").click();
      page.locator("button[data-code=today]").click();
      assertThat(page.locator("#screen-title")).containsText("Wat is er gebeurd?");
      page.locator("button[data-code=physical]").click();
      assertThat(page.locator("button[data-code=physical]")).hasAttribute("aria-pressed", "true");
      // Move focus away so the focus ring does not count as the difference.
      page.locator("#screen-title").focus();
      Object chosen = page.locator("button[data-code=physical]").evaluate(style);
      Object other = page.locator("button[aria-pressed=false]").first().evaluate(style);
      assertTrue(!chosen.equals(other), "chosen " + chosen + " vs not chosen " + other);
      VisitorBrowser.screenshot(page, "visitor-a11y-forced-colours");
    }
    try (BrowserContext context =
        browser.browser.newContext(
            new Browser.NewContextOptions()
                .setViewportSize(390, 844)
                .setForcedColors(ForcedColors.ACTIVE))) {
      Page page = context.newPage();
      page.navigate(url());
      page.locator("button[data-code=yes]").click();
      screen(page, "emergency");
      String s =
          (String)
              page.locator("#call-112")
                  .evaluate(
                      "e => { const s = getComputedStyle(e); "
                          + "return [s.borderTopStyle, s.borderTopWidth].join(' '); }");
      assertTrue(!s.startsWith("none") && !s.endsWith(" 0px"), "112 button: " + s);
    }
  }

  /**
   * Tabs through {@code stops} focus stops; each focused control must show an outline of at least 2
   * px.
   */
  private static int assertFocusVisible(Page page, String what, int stops) {
    int seen = 0;
    for (int i = 0; i < stops; i++) {
      page.keyboard().press("Tab");
      JsonObject f =
          new JsonObject(
              (String)
                  page.evaluate(
                      "() => { const e = document.activeElement; "
                          + "const s = getComputedStyle(e); return JSON.stringify({el: e.tagName + '#' + e.id + ' ' + "
                          + "(e.textContent || '').trim().slice(0, 20), style: s.outlineStyle, width: parseFloat(s.outlineWidth)}); }"));
      if (f.getString("el").startsWith("BODY")) {
        continue;
      }
      seen++;
      assertTrue(
          !"none".equals(f.getString("style")) && f.getDouble("width") >= 2,
          what + ": focus not visible: " + f);
    }
    return seen;
  }

  @Test
  @DisplayName(
      "every control reached with Tab shows a focus outline of at least 2 px, on a question, the "
          + "suggestions and the chat")
  void visibleFocus() throws Exception {
    try (BrowserContext context =
        browser.browser.newContext(
            new Browser.NewContextOptions().setViewportSize(390, 844).setLocale("nl-NL"))) {
      Page page = context.newPage();
      page.navigate(url());
      screen(page, "question");
      page.locator("button[data-code=no]").click();
      assertThat(page.locator("#screen-title")).hasText("Waarover wil je praten?");
      assertTrue(
          assertFocusVisible(page, "question", 25) >= 8,
          "Tab reached too few controls on a question");
      page.reload();
      screen(page, "question");
      Locator suggestions = toCsgSuggestions(page);
      assertTrue(
          assertFocusVisible(page, "suggestions", 30) >= 8,
          "Tab reached too few controls on the suggestions");
      suggestions.locator("button[data-help-point=csg]").click();
      screen(page, "chat");
      assertThat(page.locator("#status")).containsText("Je bent nummer");
      assertTrue(
          assertFocusVisible(page, "chat", 15) >= 6, "Tab reached too few controls in the chat");
    }
  }

  @Test
  @DisplayName("the page shows the 112 line without JavaScript (it is in the static HTML)")
  void emergencyLineInStaticHtml() throws Exception {
    try (BrowserContext context =
        browser.browser.newContext(
            new Browser.NewContextOptions()
                .setViewportSize(390, 844)
                .setJavaScriptEnabled(false))) {
      Page page = context.newPage();
      page.navigate(url());
      assertThat(page.locator("main a[href='tel:112']")).isVisible();
      assertThat(page.locator("main")).containsText("112");
    }
  }

  @Test
  @DisplayName(
      "the visitor listener compresses the page's files when the browser asks, keeps Cache-Control: "
          + "no-store, never compresses API or SockJS answers, and its static index.html holds the 112 line")
  void compressedAndNotCached() throws Exception {
    // No automatic decompression: the test sees the bytes as they travel.
    var options = new io.vertx.ext.web.client.WebClientOptions();
    options.setDecompressionSupported(false);
    WebClient web = WebClient.create(client, options);
    int compressedTotal = 0;
    int plainTotal = 0;
    for (String path : List.of("/", "/app.js", "/app.css")) {
      var gz =
          web.get(app.visitorPort(), "127.0.0.1", path)
              .putHeader("Accept-Encoding", "gzip")
              .send()
              .toCompletionStage()
              .toCompletableFuture()
              .get(10, TimeUnit.SECONDS);
      var plain =
          web.get(app.visitorPort(), "127.0.0.1", path)
              .send()
              .toCompletionStage()
              .toCompletableFuture()
              .get(10, TimeUnit.SECONDS);
      assertEquals(200, gz.statusCode(), path);
      assertEquals("gzip", gz.getHeader("Content-Encoding"), path);
      assertEquals(null, plain.getHeader("Content-Encoding"), path);
      assertTrue(
          gz.getHeader("Cache-Control").contains("no-store"),
          path + ": " + gz.getHeader("Cache-Control"));
      assertTrue(plain.getHeader("Cache-Control").contains("no-store"), path);
      byte[] unzipped;
      try (var in =
          new java.util.zip.GZIPInputStream(
              new java.io.ByteArrayInputStream(gz.body().getBytes()))) {
        unzipped = in.readAllBytes();
      }
      assertEquals(
          plain.body().toString(),
          new String(unzipped, java.nio.charset.StandardCharsets.UTF_8),
          path);
      assertTrue(gz.body().length() < plain.body().length(), path);
      compressedTotal += gz.body().length();
      plainTotal += plain.body().length();
      if ("/".equals(path)) {
        assertTrue(
            plain.body().toString().contains("href=\"tel:112\""), "112 link in the static HTML");
      }
    }
    // Chat frames (SockJS fallback) and API answers are never compressed: their compressed length
    // could leak content.
    for (String path : List.of("/api/config", "/sockjs/info")) {
      var answer =
          web.get(app.visitorPort(), "127.0.0.1", path)
              .putHeader("Accept-Encoding", "gzip")
              .putHeader("Origin", "http://127.0.0.1:" + app.visitorPort())
              .send()
              .toCompletionStage()
              .toCompletableFuture()
              .get(10, TimeUnit.SECONDS);
      assertEquals(200, answer.statusCode(), path + ": " + answer.bodyAsString());
      String encoding = answer.getHeader("Content-Encoding");
      assertTrue(encoding == null || "identity".equals(encoding), path + " came " + encoding);
    }
    System.out.printf(
        "visitor page (index.html, app.js, app.css): %d bytes plain, %d bytes gzip%n",
        plainTotal, compressedTotal);
  }

  /**
   * Takes the newest queued CSG chat: this visitor's (other tests of the class leave chats in the
   * queue).
   */
  private static String takeNewestCsgChat(WsProbe counselor) throws Exception {
    counselor.awaitType("hello");
    String id =
        ConsoleFixtures.await(
                app.pool()
                    .query(
                        "SELECT id FROM conversation WHERE help_point = 'csg' "
                            + "AND status = 'queued' ORDER BY created_at DESC LIMIT 1")
                    .execute())
            .iterator()
            .next()
            .getUUID("id")
            .toString();
    counselor.send(new JsonObject().put("type", "take").put("conversationId", id));
    counselor.await(
        f -> "assigned".equals(f.getString("type")) && id.equals(f.getString("conversationId")),
        java.time.Duration.ofSeconds(10));
    return id;
  }

  /**
   * Presses Tab until the focused element matches {@code selector}; fails when it is not reached in
   * 40 stops.
   */
  private static void tabTo(Page page, String selector) {
    for (int i = 0; i < 40; i++) {
      page.keyboard().press("Tab");
      if ((Boolean)
          page.evaluate(
              "s => !!document.activeElement && document.activeElement.matches(s)", selector)) {
        return;
      }
    }
    throw new AssertionError("Tab never reached " + selector);
  }

  @Test
  @DisplayName(
      "the whole intake, the choice of a help point and the chat can be done with the keyboard alone")
  void keyboardOnly() throws Exception {
    try (BrowserContext context =
        browser.browser.newContext(
            new Browser.NewContextOptions().setViewportSize(390, 844).setLocale("nl-NL"))) {
      Page page = context.newPage();
      page.navigate(url());
      screen(page, "question");
      tabTo(page, "button[data-code=no]");
      page.keyboard().press("Enter");
      assertThat(page.locator("#screen-title")).hasText("Waarover wil je praten?");
      tabTo(page, "button[data-code=victim]");
      page.keyboard().press("Enter");
      assertThat(page.locator("#screen-title")).hasText("Hoe oud ben je?");
      tabTo(page, "button[data-code='18-24']");
      page.keyboard().press("Enter");
      assertThat(page.locator("#screen-title")).hasText("Wanneer is het gebeurd?");
      tabTo(page, "button[data-code=today]");
      page.keyboard().press("Enter");
      assertThat(page.locator("#screen-title")).containsText("Wat is er gebeurd?");
      tabTo(page, "button[data-code=physical]");
      page.keyboard().press("Space");
      assertThat(page.locator("button[data-code=physical]")).hasAttribute("aria-pressed", "true");
      tabTo(page, "#next");
      page.keyboard().press("Enter");
      for (int i = 0; i < 14; i++) {
        page.waitForSelector("#screen[data-screen=question], #screen[data-screen=suggestions]");
        if (page.locator("#screen[data-screen=suggestions]").count() > 0) {
          break;
        }
        String question = page.locator("#screen").getAttribute("data-question");
        tabTo(page, "#skip");
        page.keyboard().press("Enter");
        page.waitForFunction(
            "q => document.getElementById('screen').getAttribute('data-question') !== q", question);
      }
      screen(page, "suggestions");
      tabTo(page, "button[data-help-point=csg]");
      page.keyboard().press("Enter");
      screen(page, "chat");
      String consoleCookie = WalkingSkeletonIT.login(WebClient.create(client), app, "csg");
      try (WsProbe counselor =
          WsProbe.connect(
              client,
              app.consolePort(),
              "/ws",
              "http://127.0.0.1:" + app.consolePort(),
              consoleCookie)) {
        takeNewestCsgChat(counselor);
        assertThat(page.locator("#status")).containsText("Je praat nu met");
        tabTo(page, "#message");
        page.keyboard().type("Alleen met het toetsenbord.");
        page.keyboard().press("Enter");
        JsonObject received =
            counselor.await(
                f -> "message".equals(f.getString("type")) && "visitor".equals(f.getString("from")),
                java.time.Duration.ofSeconds(10));
        assertEquals("Alleen met het toetsenbord.", received.getString("body"));
        assertThat(page.locator("#log li.me .meta")).hasText("verstuurd");
        tabTo(page, "#stop");
        page.keyboard().press("Enter");
        tabTo(page, "#stop-yes");
        page.keyboard().press("Enter");
        screen(page, "ended");
      }
    }
  }
}
