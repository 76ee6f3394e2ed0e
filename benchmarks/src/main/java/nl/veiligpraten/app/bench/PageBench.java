package nl.veiligpraten.app.bench;

import com.google.gson.JsonObject;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.CDPSession;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import nl.veiligpraten.app.AppSettings;
import nl.veiligpraten.app.Launcher;
import nl.veiligpraten.app.RunningApp;

/**
 * {@code ./bench page} (issue 23): the visitor page on a poor phone connection, in headless
 * Chromium with the DevTools protocol's throttling (400 kbit/s both ways, 400 ms round trip, CPU 4x
 * slower) and a latency proxy in front of the service that gives every WebSocket connection the
 * same 400 ms round trip and 400 kbit/s (plain HTTP passes it untouched and is throttled by the
 * browser). Whether Chromium's emulation also delays WebSocket frames is not relied on; if it does,
 * the page's figures are pessimistic.
 *
 * <p>Prints, as medians over the rounds: bytes transferred (compressed, as on the wire incl.
 * headers) and requests for the first screen and for a full intake, the time to the first tappable
 * question (the later of first contentful paint and the page's boot mark; when Chromium reports no
 * paint entry, the document's domInteractive instead) and the time from the first tap to the
 * suggestions when every question is answered at once. Baseline in the same run: static HTML pages
 * with the same texts (one page per question, links as answers, the last one the suggestions text
 * as the real page showed it), served compressed by a bare Vert.x server under the same throttling.
 * Ratios are page / baseline.
 *
 * <p>Arguments: {@code [--rounds=5] [--out=FILE]} (FILE gets the Markdown section appended).
 */
public final class PageBench {

  private static final int KBIT = 400;
  private static final int RTT_MS = 400;
  private static final int CPU = 4;

  private PageBench() {}

  /** One measured load and intake. */
  record Run(
      long firstBytes,
      int firstRequests,
      double tappableMs,
      double suggestionsMs,
      long totalBytes,
      int totalRequests,
      long wsBytes) {}

  public static void main(String[] args) throws Exception {
    int rounds = 5;
    Path out = null;
    for (String a : args) {
      if (a.startsWith("--rounds=")) {
        rounds = Integer.parseInt(a.substring(9));
      } else if (a.startsWith("--out=")) {
        out = Paths.get(a.substring(6));
      } else if (!"page".equals(a)) {
        throw new IllegalArgumentException(
            "unknown argument " + a + " (known: --rounds=N --out=FILE)");
      }
    }
    String loadBefore = Files.readString(Path.of("/proc/loadavg")).trim();
    Path dir = Files.createTempDirectory("vp-page-bench");
    Vertx vertx = Vertx.vertx();
    int proxyPort = AppSettings.freePort();
    AppSettings base = AppSettings.forTest(dir.resolve("data"));
    Set<String> origins = new LinkedHashSet<>(base.visitorOrigins());
    origins.add("http://127.0.0.1:" + proxyPort);
    AppSettings settings =
        new AppSettings(
            base.visitorHost(),
            base.visitorPort(),
            base.consoleHost(),
            base.consolePort(),
            base.dataDir(),
            base.configDir(),
            base.demo(),
            base.externalDb(),
            base.embeddedDbPort(),
            origins,
            base.consoleOrigins(),
            base.neutralExitUrl(),
            base.queueGraceSeconds(),
            base.visitorInstances(),
            base.clock(),
            base.security(),
            base.abuse(),
            base.waits(),
            base.liveness(),
            base.management(),
            base.transferOfferSeconds());
    RunningApp app =
        Launcher.start(settings)
            .toCompletionStage()
            .toCompletableFuture()
            .get(180, TimeUnit.SECONDS);
    NetServer proxy = LatencyProxy.start(vertx, proxyPort, app.visitorPort(), RTT_MS, KBIT * 1000);
    List<Run> page = new ArrayList<>();
    List<Run> baseline = new ArrayList<>();
    try (Playwright playwright = Playwright.create();
        Browser browser =
            playwright
                .chromium()
                .launch(
                    new BrowserType.LaunchOptions()
                        .setExecutablePath(Paths.get("/usr/bin/chromium"))
                        .setHeadless(true)
                        .setArgs(
                            List.of(
                                "--no-sandbox",
                                "--disable-gpu",
                                "--disable-background-networking")))) {
      // One unmeasured load first: the service's and the browser's first-use costs (JIT, class
      // loading) are not
      // what a visitor on a slow line waits for.
      Intake warm = intake(browser, "http://127.0.0.1:" + proxyPort + "/", false);
      StaticSite site = StaticSite.start(vertx, warm.screens(), warm.suggestionsText());
      intake(browser, site.url(), true);
      for (int i = 0; i < rounds; i++) {
        page.add(intake(browser, "http://127.0.0.1:" + proxyPort + "/", false).run());
        baseline.add(intake(browser, site.url(), true).run());
      }
      site.server().close();
    } finally {
      proxy.close();
      app.stopBlocking();
      vertx.close();
    }
    String loadAfter = Files.readString(Path.of("/proc/loadavg")).trim();
    String report = report(page, baseline, rounds, loadBefore, loadAfter);
    System.out.println(report);
    if (out != null) {
      Files.writeString(
          out,
          report,
          java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
    }
  }

  /**
   * The screens of one intake as the visitor saw them (for the static baseline) and the measured
   * run.
   */
  record Intake(Run run, List<Screen> screens, String suggestionsText) {}

  /** One question screen: its title and answer texts, and which answer was tapped. */
  record Screen(String title, List<String> answers, int chosen) {}

  // In-page instrumentation (a measuring probe, not part of the page): when the first tap happened
  // and when the
  // suggestions (or the static baseline's last page) showed.
  private static final String PROBE =
      "(() => {"
          + " const mark = () => { const s = document.getElementById('screen');"
          + "   if (s && s.getAttribute('data-screen') === 'suggestions' && !window.__vpSuggestions) {"
          + "     window.__vpSuggestions = performance.timeOrigin + performance.now(); } };"
          + " new MutationObserver(mark).observe(document, {subtree: true, childList: true, attributes: true,"
          + "   attributeFilter: ['data-screen']});"
          + " document.addEventListener('click', () => { if (!sessionStorage.getItem('__vpTap'))"
          + "   sessionStorage.setItem('__vpTap', String(performance.timeOrigin + performance.now())); }, true);"
          + " document.addEventListener('DOMContentLoaded', mark);"
          + "})();";

  private static Intake intake(Browser browser, String url, boolean isStatic) {
    try (BrowserContext context =
        browser.newContext(
            new Browser.NewContextOptions()
                .setViewportSize(390, 844)
                .setIsMobile(true)
                .setHasTouch(true)
                .setLocale("nl-NL"))) {
      context.addInitScript(PROBE);
      Page page = context.newPage();
      CDPSession cdp = context.newCDPSession(page);
      cdp.send("Network.enable");
      JsonObject net = new JsonObject();
      net.addProperty("offline", false);
      net.addProperty("latency", RTT_MS);
      net.addProperty("downloadThroughput", KBIT * 1000 / 8);
      net.addProperty("uploadThroughput", KBIT * 1000 / 8);
      cdp.send("Network.emulateNetworkConditions", net);
      JsonObject cpu = new JsonObject();
      cpu.addProperty("rate", CPU);
      cdp.send("Emulation.setCPUThrottlingRate", cpu);
      AtomicLong bytes = new AtomicLong();
      AtomicLong wsBytes = new AtomicLong();
      List<String> requests = Collections.synchronizedList(new ArrayList<>());
      cdp.on(
          "Network.requestWillBeSent",
          e -> {
            String u = e.getAsJsonObject("request").get("url").getAsString();
            if (!u.startsWith("data:")) {
              requests.add(u);
            }
          });
      cdp.on(
          "Network.loadingFinished", e -> bytes.addAndGet(e.get("encodedDataLength").getAsLong()));
      cdp.on(
          "Network.webSocketFrameSent",
          e ->
              wsBytes.addAndGet(
                  e.getAsJsonObject("response")
                      .get("payloadData")
                      .getAsString()
                      .getBytes(java.nio.charset.StandardCharsets.UTF_8)
                      .length));
      cdp.on(
          "Network.webSocketFrameReceived",
          e ->
              wsBytes.addAndGet(
                  e.getAsJsonObject("response")
                      .get("payloadData")
                      .getAsString()
                      .getBytes(java.nio.charset.StandardCharsets.UTF_8)
                      .length));
      page.navigate(url);
      page.waitForLoadState(com.microsoft.playwright.options.LoadState.LOAD);
      double tappable =
          ((Number)
                  page.evaluate(
                      "() => { const fcp = performance.getEntriesByName("
                          + "'first-contentful-paint')[0]; const boot = performance.getEntriesByName('vp-tappable')[0];"
                          + " const nav = performance.getEntriesByType('navigation')[0];"
                          + " return Math.max(fcp ? fcp.startTime : nav.domInteractive, boot ? boot.startTime : 0); }"))
              .doubleValue();
      long firstBytes = bytes.get();
      int firstRequests = requests.size();
      List<Screen> screens = new ArrayList<>();
      String suggestionsText;
      if (isStatic) {
        for (int i = 0; ; i++) {
          if (page.locator("#screen[data-screen=suggestions]").count() > 0) {
            break;
          }
          page.locator("#screen a[data-chosen]").click();
          page.waitForURL("**/s" + (i + 1) + ".html");
          page.waitForLoadState(com.microsoft.playwright.options.LoadState.LOAD);
        }
        suggestionsText = null;
      } else {
        page.locator("#screen button[data-code=no]").click();
        screens.add(
            new Screen(
                page.evaluate("() => document.getElementById('screen-title').textContent")
                    .toString(),
                List.of("Ja, er is nu gevaar", "Nee", "Weet ik niet"),
                1));
        for (int i = 0; i < 30; i++) {
          page.waitForSelector("#screen[data-screen=question], #screen[data-screen=suggestions]");
          if (page.locator("#screen[data-screen=suggestions]").count() > 0) {
            break;
          }
          String id = page.locator("#screen").getAttribute("data-question");
          List<String> answers = page.locator("#screen .choices button").allTextContents();
          String title = page.locator("#screen-title").textContent();
          // A full intake: every question answered; "Er is iets met mij gebeurd" on Q1, the first
          // answer elsewhere.
          int chosen = 0;
          page.locator("#screen .choices button").nth(chosen).click();
          if (page.locator("#next").count() > 0) {
            page.locator("#next").click();
          }
          screens.add(new Screen(title, answers, chosen));
          page.waitForFunction(
              "q => document.getElementById('screen').getAttribute('data-question') !== q", id);
        }
        page.waitForSelector("#screen[data-screen=suggestions]");
        suggestionsText = page.locator("#screen").innerText();
      }
      page.waitForFunction("() => !!window.__vpSuggestions");
      double suggestions =
          ((Number)
                  page.evaluate(
                      "() => window.__vpSuggestions - Number(sessionStorage.getItem('__vpTap'))"))
              .doubleValue();
      page.waitForTimeout(300); // the last response's loadingFinished event
      return new Intake(
          new Run(
              firstBytes,
              firstRequests,
              tappable,
              suggestions,
              bytes.get() + wsBytes.get(),
              requests.size(),
              wsBytes.get()),
          screens,
          suggestionsText);
    }
  }

  private static double median(List<Run> runs, java.util.function.ToDoubleFunction<Run> f) {
    double[] v = runs.stream().mapToDouble(f).sorted().toArray();
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  private static String report(
      List<Run> page, List<Run> baseline, int rounds, String loadBefore, String loadAfter) {
    StringBuilder s = new StringBuilder();
    s.append("\n## Visitor page on a poor connection (`./bench page`, issue 23)\n\n");
    s.append(
        String.format(
            Locale.ROOT,
            "Headless Chromium 390x844, CDP throttling %d kbit/s both ways, %d ms round "
                + "trip, CPU %dx slower; WebSocket through a latency proxy with the same round trip and rate (if Chromium's "
                + "emulation also delays WebSocket frames, the page's figures are pessimistic). Tappable: the later of first "
                + "contentful paint (domInteractive when Chromium reports none) and the page's boot mark. Medians of %d "
                + "rounds after one warm-up. Baseline: static HTML pages with the same texts (one page per question, the "
                + "answers as links, the last page the suggestions text), compressed, same throttling. Load average before: "
                + "%s; after: %s (2 cores, shared with other builds).%n%n",
            KBIT,
            RTT_MS,
            CPU,
            rounds,
            loadBefore,
            loadAfter));
    s.append("| figure | page | static baseline | ratio | goal |\n|---|---:|---:|---:|---|\n");
    row(
        s,
        "first screen: bytes (compressed, headers incl.)",
        median(page, r -> r.firstBytes()),
        median(baseline, r -> r.firstBytes()),
        "%.0f",
        "");
    row(
        s,
        "first screen: requests",
        median(page, r -> r.firstRequests()),
        median(baseline, r -> r.firstRequests()),
        "%.0f",
        "");
    row(
        s,
        "first question tappable (ms after navigation start)",
        median(page, Run::tappableMs),
        median(baseline, Run::tappableMs),
        "%.0f",
        "<= 1200");
    row(
        s,
        "suggestions after the first tap of a full intake (ms)",
        median(page, Run::suggestionsMs),
        median(baseline, Run::suggestionsMs),
        "%.0f",
        "<= 4000");
    row(
        s,
        "full intake: bytes (HTTP compressed + WebSocket payloads)",
        median(page, r -> r.totalBytes()),
        median(baseline, r -> r.totalBytes()),
        "%.0f",
        "<= 40960");
    row(
        s,
        "  of which WebSocket payload bytes",
        median(page, r -> r.wsBytes()),
        median(baseline, r -> r.wsBytes()),
        "%.0f",
        "");
    row(
        s,
        "full intake: requests",
        median(page, r -> r.totalRequests()),
        median(baseline, r -> r.totalRequests()),
        "%.0f",
        "");
    s.append("\nEach round (page | baseline): ");
    for (int i = 0; i < page.size(); i++) {
      s.append(
          String.format(
              Locale.ROOT,
              "%s%.0f/%.0f ms | %.0f/%.0f ms",
              i == 0 ? "" : "; ",
              page.get(i).tappableMs(),
              page.get(i).suggestionsMs(),
              baseline.get(i).tappableMs(),
              baseline.get(i).suggestionsMs()));
    }
    s.append(" (tappable/suggestions).\n");
    return s.toString();
  }

  private static void row(
      StringBuilder s, String name, double page, double base, String fmt, String goal) {
    s.append("| ")
        .append(name)
        .append(" | ")
        .append(String.format(Locale.ROOT, fmt, page))
        .append(" | ")
        .append(String.format(Locale.ROOT, fmt, base))
        .append(" | ")
        .append(base == 0 ? "-" : String.format(Locale.ROOT, "%.2f", page / base))
        .append(" | ")
        .append(goal)
        .append(" |\n");
  }

  /**
   * The static baseline: one HTML page per question with the same title and answers (the chosen one
   * links on), then a page with the suggestions text. Served compressed with no-store, like the
   * real page.
   */
  record StaticSite(HttpServer server, String url) {
    static StaticSite start(Vertx vertx, List<Screen> screens, String suggestionsText)
        throws Exception {
      Map<String, String> pages = new LinkedHashMap<>();
      for (int i = 0; i < screens.size(); i++) {
        Screen q = screens.get(i);
        StringBuilder b =
            new StringBuilder(
                "<!doctype html><html lang=\"nl\"><head><meta charset=\"utf-8\">"
                    + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Weer</title></head><body>"
                    + "<main><section id=\"screen\" data-screen=\"question\"><h1>"
                    + esc(q.title())
                    + "</h1><ul>");
        for (int a = 0; a < q.answers().size(); a++) {
          b.append("<li><a href=\"s")
              .append(i + 1)
              .append(".html\"")
              .append(a == q.chosen() ? " data-chosen" : "")
              .append(">")
              .append(esc(q.answers().get(a)))
              .append("</a></li>");
        }
        b.append("</ul><p><a href=\"s")
            .append(i + 1)
            .append(".html\">Deze vraag overslaan</a></p></section></main>" + "</body></html>");
        pages.put("/s" + i + ".html", b.toString());
      }
      pages.put(
          "/s" + screens.size() + ".html",
          "<!doctype html><html lang=\"nl\"><head><meta charset=\"utf-8\">"
              + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Weer</title></head><body>"
              + "<main><section id=\"screen\" data-screen=\"suggestions\"><pre>"
              + esc(suggestionsText)
              + "</pre></section></main></body></html>");
      int port = AppSettings.freePort();
      HttpServer server =
          vertx
              .createHttpServer(new HttpServerOptions().setCompressionSupported(true))
              .requestHandler(
                  req -> {
                    String body = pages.get(req.path());
                    if (body == null) {
                      req.response().setStatusCode(404).end();
                    } else {
                      req.response()
                          .putHeader("Content-Type", "text/html; charset=utf-8")
                          .putHeader("Cache-Control", "no-store")
                          .end(body);
                    }
                  });
      server
          .listen(port, "127.0.0.1")
          .toCompletionStage()
          .toCompletableFuture()
          .get(10, TimeUnit.SECONDS);
      return new StaticSite(server, "http://127.0.0.1:" + port + "/s0.html");
    }

    private static String esc(String s) {
      return s.replace("&", "&amp;")
          .replace("<", "&lt;")
          .replace(">", "&gt;")
          .replace("\"", "&quot;");
    }
  }

  /**
   * A TCP proxy in front of the visitor listener. A connection that starts with {@code GET /ws}
   * (the page's WebSocket) gets half the round trip added in each direction and the given rate per
   * direction, in order; any other connection (plain HTTP, which the browser's own throttling
   * already slows) passes unchanged.
   */
  static final class LatencyProxy {
    private LatencyProxy() {}

    static NetServer start(Vertx vertx, int port, int target, int rttMs, int bitsPerSecond)
        throws Exception {
      NetServer server =
          vertx
              .createNetServer()
              .connectHandler(
                  in -> {
                    in.pause();
                    vertx
                        .createNetClient()
                        .connect(target, "127.0.0.1")
                        .onSuccess(
                            outSock -> {
                              Direction up =
                                  new Direction(vertx, outSock, rttMs / 2, bitsPerSecond);
                              Direction down = new Direction(vertx, in, rttMs / 2, bitsPerSecond);
                              boolean[] decided = {false};
                              boolean[] slow = {false};
                              in.handler(
                                  buf -> {
                                    if (!decided[0]) {
                                      decided[0] = true;
                                      slow[0] =
                                          buf.toString(java.nio.charset.StandardCharsets.ISO_8859_1)
                                              .startsWith("GET /ws");
                                    }
                                    if (slow[0]) {
                                      up.send(buf);
                                    } else {
                                      outSock.write(buf);
                                    }
                                  });
                              outSock.handler(
                                  buf -> {
                                    if (slow[0]) {
                                      down.send(buf);
                                    } else {
                                      in.write(buf);
                                    }
                                  });
                              in.closeHandler(v -> outSock.close());
                              outSock.closeHandler(v -> in.close());
                              in.resume();
                            })
                        .onFailure(e -> in.close());
                  });
      server
          .listen(port, "127.0.0.1")
          .toCompletionStage()
          .toCompletableFuture()
          .get(10, TimeUnit.SECONDS);
      return server;
    }

    /**
     * One direction of a slowed connection: each chunk leaves after the delay plus its time on a
     * line of the rate.
     */
    static final class Direction {
      private final Vertx vertx;
      private final NetSocket to;
      private final long delayNanos;
      private final double nanosPerByte;
      private final ArrayDeque<Object[]> queue = new ArrayDeque<>();
      private long lineFreeAt;

      Direction(Vertx vertx, NetSocket to, int delayMs, int bitsPerSecond) {
        this.vertx = vertx;
        this.to = to;
        this.delayNanos = delayMs * 1_000_000L;
        this.nanosPerByte = 8e9 / bitsPerSecond;
      }

      void send(Buffer buf) {
        long now = System.nanoTime();
        lineFreeAt = Math.max(lineFreeAt, now) + (long) (buf.length() * nanosPerByte);
        queue.add(new Object[] {lineFreeAt + delayNanos, buf});
        if (queue.size() == 1) {
          schedule();
        }
      }

      private void schedule() {
        Object[] head = queue.peek();
        if (head == null) {
          return;
        }
        long waitMs = Math.max(1, ((long) head[0] - System.nanoTime()) / 1_000_000L);
        vertx.setTimer(
            waitMs,
            t -> {
              long now = System.nanoTime();
              while (!queue.isEmpty() && (long) queue.peek()[0] <= now + 500_000L) {
                to.write((Buffer) queue.poll()[1]);
              }
              schedule();
            });
      }
    }
  }
}
