package nl.veiligpraten.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * axe-core for the accessibility checks, from the npm package (no webjar of it is on Maven Central
 * here). {@code ./test} installs it into {@code app/.axe}; when a test runs without that, it
 * installs it the same way once. Playwright injects the file into the page, so no third-party host
 * is contacted at run time.
 */
final class AxeCore {

  static final String VERSION = "4.11.4";
  private static final Path DIR = Path.of(".axe");
  private static final Path FILE = DIR.resolve("node_modules/axe-core/axe.min.js");
  private static String source;

  private AxeCore() {}

  static synchronized String source() throws IOException, InterruptedException {
    if (source == null) {
      if (!Files.isRegularFile(FILE)
          || !Files.readString(DIR.resolve("node_modules/axe-core/package.json"))
              .contains("\"version\": \"" + VERSION + "\"")) {
        Process npm =
            new ProcessBuilder(
                    "npm",
                    "install",
                    "--prefix",
                    DIR.toString(),
                    "--no-save",
                    "--no-audit",
                    "--no-fund",
                    "--no-package-lock",
                    "axe-core@" + VERSION)
                .inheritIO()
                .start();
        if (!npm.waitFor(120, TimeUnit.SECONDS) || npm.exitValue() != 0) {
          npm.destroyForcibly();
          throw new IllegalStateException("npm install axe-core@" + VERSION + " failed");
        }
      }
      source = Files.readString(FILE, StandardCharsets.UTF_8);
    }
    return source;
  }
}
