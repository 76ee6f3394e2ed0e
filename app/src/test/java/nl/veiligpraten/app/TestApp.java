package nl.veiligpraten.app;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Starts the real service (embedded PostgreSQL included) for a test, and finds demo passwords. */
final class TestApp {

  private TestApp() {}

  static RunningApp start(AppSettings settings) throws Exception {
    return Launcher.start(settings)
        .toCompletionStage()
        .toCompletableFuture()
        .get(180, TimeUnit.SECONDS);
  }

  static RunningApp start(Path dataDir) throws Exception {
    return start(AppSettings.forTest(dataDir));
  }

  /** The demo password of an organisation, from the start-up banner lines. */
  static String demoPassword(RunningApp app, String org) {
    return app.demoLogins().stream()
        .filter(l -> l.trim().startsWith(org + " "))
        .map(l -> l.substring(l.lastIndexOf(' ') + 1))
        .findFirst()
        .orElseThrow();
  }

  /** The demo password of any demo account (counselor, supervisor, admins) by user name. */
  static String demoPasswordOf(RunningApp app, String username) {
    java.util.regex.Pattern line =
        java.util.regex.Pattern.compile("user\\s+(\\S+)\\s+password\\s+(\\S+)");
    return app.demoLogins().stream()
        .map(line::matcher)
        .filter(m -> m.find() && m.group(1).equals(username))
        .map(m -> m.group(2))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no demo login " + username));
  }

  static String demoUser(String org) {
    return org.replace('_', '-') + "-demo";
  }
}
