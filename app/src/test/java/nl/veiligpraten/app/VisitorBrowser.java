package nl.veiligpraten.app;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

/** Real headless Debian Chromium on a phone-sized viewport, for the visitor page tests. */
final class VisitorBrowser implements AutoCloseable {

  static final Path SCREENSHOTS = Paths.get("target", "screenshots");

  final Playwright playwright;
  final Browser browser;

  VisitorBrowser() {
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

  /** A fresh context (no shared cookies or storage) with a 390×844 phone viewport. */
  BrowserContext phone() {
    return browser.newContext(
        new Browser.NewContextOptions()
            .setViewportSize(390, 844)
            .setDeviceScaleFactor(1)
            .setIsMobile(true)
            .setHasTouch(true)
            .setLocale("nl-NL"));
  }

  static void screenshot(Page page, String name) throws Exception {
    Files.createDirectories(SCREENSHOTS);
    page.screenshot(
        new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve(name + ".png")).setFullPage(true));
  }

  @Override
  public void close() {
    browser.close();
    playwright.close();
  }
}
