package nl.veiligpraten.app;

import nl.veiligpraten.infra.cluster.ClusterSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point: {@code serve} (default) starts the service; {@code explain FILE} explains a routing
 * decision; {@code keys ...} changes the shared organisation key store while the nodes run; {@code
 * create-admin NAME} prints a one-time enrolment link for the first platform admin.
 */
public final class Main {

  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  private Main() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && "explain".equals(args[0])) {
      nl.veiligpraten.routing.cli.ExplainCommand.main(
          java.util.Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    if (args.length > 0 && "create-admin".equals(args[0])) {
      CreateAdminCommand.main(java.util.Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    if (args.length > 0 && "keys".equals(args[0])) {
      KeysCommand.main(java.util.Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    String[] serveArgs =
        args.length > 0 && "serve".equals(args[0])
            ? java.util.Arrays.copyOfRange(args, 1, args.length)
            : args;
    boolean clusterFlag = java.util.Arrays.asList(serveArgs).contains(ClusterSettings.FLAG);
    serveArgs =
        java.util.Arrays.stream(serveArgs)
            .filter(a -> !ClusterSettings.FLAG.equals(a))
            .toArray(String[]::new);
    AppSettings settings;
    ClusterSettings cluster;
    try {
      cluster = ClusterSettings.from(System.getenv(), clusterFlag);
      settings = AppSettings.from(System.getenv(), serveArgs);
      cluster.requireSafeFor(settings.demo());
    } catch (IllegalArgumentException e) {
      System.err.println("Configuration error: " + e.getMessage());
      System.exit(2);
      return;
    }
    RunningApp app;
    try {
      app = Launcher.start(settings, cluster).toCompletionStage().toCompletableFuture().get();
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
    banner
        .append("  Database:        ")
        .append(
            app.embedded() != null
                ? "embedded PostgreSQL, data in " + app.embedded().dataDir()
                : app.db())
        .append('\n');
    if (settings.demo()) {
      banner.insert(
          0,
          "\n  ***************************************************************************\n"
              + "  *  DEMO MODE (--demo): demo organisations and logins, a published key-store  *\n"
              + "  *  passphrase. Never use this instance for real conversations. Production:  *\n"
              + "  *  start without --demo and set VP_KEYSTORE_PASSPHRASE_FILE.                 *\n"
              + "  ***************************************************************************\n");
    }
    if (!app.demoLogins().isEmpty()) {
      banner.append("  Demo logins (development only): counselors, then supervisors and admins:\n");
      app.demoLogins().forEach(line -> banner.append(line).append('\n'));
    }
    if (cluster.enabled()) {
      banner
          .append("  Cluster:         ")
          .append(cluster.clusterName())
          .append(", Hazelcast ")
          .append(cluster.host())
          .append(':')
          .append(cluster.hazelcastPort())
          .append(", quorum ")
          .append(cluster.quorum())
          .append('\n');
    }
    banner.append("  Stop with Ctrl+C.\n");
    System.out.println(banner);
    LOG.info("started");
  }
}
