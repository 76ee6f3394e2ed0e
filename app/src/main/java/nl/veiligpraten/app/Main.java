package nl.veiligpraten.app;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Entry point: {@code serve} (default) starts the service; {@code explain FILE} explains a routing decision. */
public final class Main {

  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  private Main() {
  }

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && "explain".equals(args[0])) {
      nl.veiligpraten.routing.cli.ExplainCommand.main(java.util.Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    String[] serveArgs = args.length > 0 && "serve".equals(args[0])
        ? java.util.Arrays.copyOfRange(args, 1, args.length) : args;
    AppSettings settings;
    try {
      settings = AppSettings.from(System.getenv(), serveArgs);
    } catch (IllegalArgumentException e) {
      System.err.println("Configuration error: " + e.getMessage());
      System.exit(2);
      return;
    }
    RunningApp app;
    try {
      app = Launcher.start(settings).toCompletionStage().toCompletableFuture().get();
    } catch (Exception e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      System.err.println("Veilig Praten could not start: " + cause.getMessage());
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(app::stopBlocking, "vp-shutdown"));
    StringBuilder banner = new StringBuilder("\n  Veilig Praten is running\n");
    banner.append("  Visitor page:    ").append(app.visitorUrl()).append('\n');
    banner.append("  Counselor console: ").append(app.consoleUrl()).append('\n');
    banner.append("  Database:        ").append(app.embedded() != null ? "embedded PostgreSQL, data in "
        + app.embedded().dataDir() : app.db()).append('\n');
    if (!app.demoLogins().isEmpty()) {
      banner.append("  Demo counselor logins (development only):\n");
      app.demoLogins().forEach(line -> banner.append(line).append('\n'));
    }
    banner.append("  Stop with Ctrl+C.\n");
    System.out.println(banner);
    LOG.info("started");
  }
}
