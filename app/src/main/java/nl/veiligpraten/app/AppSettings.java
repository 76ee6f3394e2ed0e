package nl.veiligpraten.app;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import nl.veiligpraten.infra.abuse.AbuseLimits;
import nl.veiligpraten.infra.db.DbSettings;
import nl.veiligpraten.infra.metrics.ManagementSettings;
import nl.veiligpraten.infra.settings.EnvValues;
import nl.veiligpraten.presence.LivenessSettings;
import nl.veiligpraten.staffing.WaitSettings;

/**
 * Everything the launcher needs, read once from environment variables and command-line flags. Flags
 * win over the environment. Unknown flags and malformed values are refused with a message that
 * names them.
 *
 * @param visitorHost {@code VP_VISITOR_HOST} (default 127.0.0.1)
 * @param visitorPort {@code VP_VISITOR_PORT} (default 8080)
 * @param consoleHost {@code VP_CONSOLE_HOST} (default 127.0.0.1)
 * @param consolePort {@code VP_CONSOLE_PORT} (default 8081)
 * @param dataDir {@code VP_DATA_DIR}: embedded database, dev key store (default ./data)
 * @param configDir {@code VP_CONFIG_DIR}: optional directory with overriding routing/help-point
 *     files
 * @param demo create demo organisations and counselors on an empty database ({@code --no-demo} or
 *     {@code VP_DEMO=false} turns it off)
 * @param externalDb external PostgreSQL from {@code DATABASE_URL} / {@code PG*}, or empty for
 *     embedded
 * @param embeddedDbPort {@code VP_EMBEDDED_PG_PORT} (0 = any free port)
 * @param visitorOrigins {@code VP_VISITOR_ORIGINS}: comma-separated allowed Origins for the visitor
 *     WebSocket
 * @param consoleOrigins {@code VP_CONSOLE_ORIGINS}: comma-separated allowed Origins for the console
 * @param neutralExitUrl {@code VP_QUICK_EXIT_URL}: where quick exit goes (default a weather site)
 * @param queueGraceSeconds {@code VP_QUEUE_GRACE_SECONDS} (default 120)
 * @param visitorInstances {@code VP_VISITOR_INSTANCES}: visitor listener instances, one per event
 *     loop (default: the number of cores)
 * @param clock "now" for opening hours (the system clock; tests fix it so they do not depend on the
 *     time of day they run at)
 * @param security listener timeouts, connection caps and abuse budgets ({@link SecuritySettings})
 * @param abuse {@code VP_LIMIT_*}: limits on new conversations and P0 claims ({@link AbuseLimits})
 * @param waits {@code VP_WAIT_*}: how queue waits are estimated ({@link WaitSettings})
 * @param liveness socket silence, client heartbeats, presence lease, counselor and pause grace,
 *     node id ({@code VP_SOCKET_SILENCE_SECONDS} and the others in {@link LivenessSettings})
 * @param management {@code VP_MANAGEMENT_HOST} / {@code VP_MANAGEMENT_PORT}: the management
 *     listener with {@code /metrics} and the health checks (default 127.0.0.1:8082, see {@link
 *     ManagementSettings})
 * @param transferOfferSeconds {@code VP_TRANSFER_OFFER_SECONDS}: how long a warm transfer waits for
 *     the colleague to accept (default 60, 5-600)
 */
public record AppSettings(
    String visitorHost,
    int visitorPort,
    String consoleHost,
    int consolePort,
    Path dataDir,
    Optional<Path> configDir,
    boolean demo,
    Optional<DbSettings> externalDb,
    int embeddedDbPort,
    Set<String> visitorOrigins,
    Set<String> consoleOrigins,
    String neutralExitUrl,
    int queueGraceSeconds,
    int visitorInstances,
    Clock clock,
    SecuritySettings security,
    AbuseLimits abuse,
    WaitSettings waits,
    LivenessSettings liveness,
    ManagementSettings management,
    int transferOfferSeconds) {

  /** How long a colleague has to accept a warm transfer before it stays with the sender. */
  public static final int DEFAULT_TRANSFER_OFFER_SECONDS = 60;

  public static AppSettings from(Map<String, String> env, String[] args) {
    // Production is the default (issue 20, finding 5): demo data only when asked for, by --demo
    // (./run passes it)
    // or VP_DEMO=true.
    boolean demo = "true".equalsIgnoreCase(env.getOrDefault("VP_DEMO", "false").trim());
    for (String arg : args) {
      switch (arg) {
        case "--no-demo" -> demo = false;
        case "--demo" -> demo = true;
        default ->
            throw new IllegalArgumentException(
                "Unknown option '" + arg + "'. Known: --no-demo, --demo");
      }
    }
    String visitorHost = env.getOrDefault("VP_VISITOR_HOST", "127.0.0.1");
    int visitorPort = port(env, "VP_VISITOR_PORT", 8080);
    String consoleHost = env.getOrDefault("VP_CONSOLE_HOST", "127.0.0.1");
    int consolePort = port(env, "VP_CONSOLE_PORT", 8081);
    // With TLS on the listeners the pages' own origins are https.
    String scheme =
        env.get("VP_TLS_CERT_FILE") == null || env.get("VP_TLS_CERT_FILE").isBlank()
            ? "http"
            : "https";
    Set<String> visitorOrigins =
        origins(env.get("VP_VISITOR_ORIGINS"), visitorHost, visitorPort, scheme);
    Set<String> consoleOrigins =
        origins(env.get("VP_CONSOLE_ORIGINS"), consoleHost, consolePort, scheme);
    String configDir = env.get("VP_CONFIG_DIR");
    int queueGrace = EnvValues.wholeNumber(env, "VP_QUEUE_GRACE_SECONDS", 120, 5, 3600);
    return new AppSettings(
        visitorHost,
        visitorPort,
        consoleHost,
        consolePort,
        Path.of(env.getOrDefault("VP_DATA_DIR", "data")).toAbsolutePath(),
        configDir == null || configDir.isBlank()
            ? Optional.empty()
            : Optional.of(Path.of(configDir)),
        demo,
        DbSettings.external(env),
        port(env, "VP_EMBEDDED_PG_PORT", 0),
        visitorOrigins,
        consoleOrigins,
        env.getOrDefault("VP_QUICK_EXIT_URL", "https://www.buienradar.nl/"),
        queueGrace,
        EnvValues.wholeNumber(env, "VP_VISITOR_INSTANCES", defaultInstances(), 1, 64),
        Clock.systemUTC(),
        SecuritySettings.from(env),
        AbuseLimits.from(env),
        WaitSettings.from(env),
        LivenessSettings.from(env).requirePauseAtLeast(queueGrace),
        ManagementSettings.from(env),
        EnvValues.wholeNumber(
            env, "VP_TRANSFER_OFFER_SECONDS", DEFAULT_TRANSFER_OFFER_SECONDS, 5, 600));
  }

  private static int defaultInstances() {
    return Runtime.getRuntime().availableProcessors();
  }

  /** Settings for tests: ephemeral ports, a given data directory, demo data on. */
  public static AppSettings forTest(Path dataDir) {
    int visitor = freePort();
    int console = freePort();
    return new AppSettings(
        "127.0.0.1",
        visitor,
        "127.0.0.1",
        console,
        dataDir,
        Optional.empty(),
        true,
        Optional.empty(),
        0,
        origins(null, "127.0.0.1", visitor),
        origins(null, "127.0.0.1", console),
        "https://www.buienradar.nl/",
        120,
        defaultInstances(),
        Clock.systemUTC(),
        SecuritySettings.DEFAULT,
        AbuseLimits.generous(),
        WaitSettings.defaults(),
        LivenessSettings.DEFAULTS,
        ManagementSettings.ANY_FREE_PORT,
        DEFAULT_TRANSFER_OFFER_SECONDS);
  }

  /**
   * A currently free loopback port (tests only; a tiny race with other processes is acceptable
   * there).
   */
  public static int freePort() {
    try (java.net.ServerSocket socket =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  public AppSettings withQueueGraceSeconds(int seconds) {
    return new AppSettings(
        visitorHost,
        visitorPort,
        consoleHost,
        consolePort,
        dataDir,
        configDir,
        demo,
        externalDb,
        embeddedDbPort,
        visitorOrigins,
        consoleOrigins,
        neutralExitUrl,
        seconds,
        visitorInstances,
        clock,
        security,
        abuse,
        waits,
        liveness,
        management,
        transferOfferSeconds);
  }

  /** The same settings with another quick-exit target (tests point it at a local page). */
  public AppSettings withNeutralExitUrl(String url) {
    return new AppSettings(
        visitorHost,
        visitorPort,
        consoleHost,
        consolePort,
        dataDir,
        configDir,
        demo,
        externalDb,
        embeddedDbPort,
        visitorOrigins,
        consoleOrigins,
        url,
        queueGraceSeconds,
        visitorInstances,
        clock,
        security,
        abuse,
        waits,
        liveness,
        management,
        transferOfferSeconds);
  }

  /**
   * The same settings with a directory of overriding routing/help-point files (tests change opening
   * hours).
   */
  public AppSettings withConfigDir(Path dir) {
    return new AppSettings(
        visitorHost,
        visitorPort,
        consoleHost,
        consolePort,
        dataDir,
        Optional.of(dir),
        demo,
        externalDb,
        embeddedDbPort,
        visitorOrigins,
        consoleOrigins,
        neutralExitUrl,
        queueGraceSeconds,
        visitorInstances,
        clock,
        security,
        abuse,
        waits,
        liveness,
        management,
        transferOfferSeconds);
  }

  /** The same settings with another clock for opening hours (tests fix the time of day). */
  public AppSettings withClock(Clock fixed) {
    return new AppSettings(
        visitorHost,
        visitorPort,
        consoleHost,
        consolePort,
        dataDir,
        configDir,
        demo,
        externalDb,
        embeddedDbPort,
        visitorOrigins,
        consoleOrigins,
        neutralExitUrl,
        queueGraceSeconds,
        visitorInstances,
        fixed,
        security,
        abuse,
        waits,
        liveness,
        management,
        transferOfferSeconds);
  }

  /** The same settings with other listener limits (tests use short timeouts and small caps). */
  public AppSettings withSecurity(SecuritySettings other) {
    return new AppSettings(
        visitorHost,
        visitorPort,
        consoleHost,
        consolePort,
        dataDir,
        configDir,
        demo,
        externalDb,
        embeddedDbPort,
        visitorOrigins,
        consoleOrigins,
        neutralExitUrl,
        queueGraceSeconds,
        visitorInstances,
        clock,
        other,
        abuse,
        waits,
        liveness,
        management,
        transferOfferSeconds);
  }

  /** The same settings with other flood limits (tests of the limits). */
  public AppSettings withAbuseLimits(AbuseLimits limits) {
    return new AppSettings(
        visitorHost,
        visitorPort,
        consoleHost,
        consolePort,
        dataDir,
        configDir,
        demo,
        externalDb,
        embeddedDbPort,
        visitorOrigins,
        consoleOrigins,
        neutralExitUrl,
        queueGraceSeconds,
        visitorInstances,
        clock,
        security,
        limits,
        waits,
        liveness,
        management,
        transferOfferSeconds);
  }

  /** The same settings with another wait estimation (tests). */
  public AppSettings withWaits(WaitSettings w) {
    return new AppSettings(
        visitorHost,
        visitorPort,
        consoleHost,
        consolePort,
        dataDir,
        configDir,
        demo,
        externalDb,
        embeddedDbPort,
        visitorOrigins,
        consoleOrigins,
        neutralExitUrl,
        queueGraceSeconds,
        visitorInstances,
        clock,
        security,
        abuse,
        w,
        liveness,
        management,
        transferOfferSeconds);
  }

  /**
   * The same settings with other liveness timeouts (tests use short ones instead of waiting out the
   * defaults).
   */
  public AppSettings withLiveness(LivenessSettings other) {
    return new AppSettings(
        visitorHost,
        visitorPort,
        consoleHost,
        consolePort,
        dataDir,
        configDir,
        demo,
        externalDb,
        embeddedDbPort,
        visitorOrigins,
        consoleOrigins,
        neutralExitUrl,
        queueGraceSeconds,
        visitorInstances,
        clock,
        security,
        abuse,
        waits,
        other,
        management,
        transferOfferSeconds);
  }

  /**
   * The same settings with another warm-transfer offer time (tests do not wait out the default).
   */
  public AppSettings withTransferOfferSeconds(int seconds) {
    return new AppSettings(
        visitorHost,
        visitorPort,
        consoleHost,
        consolePort,
        dataDir,
        configDir,
        demo,
        externalDb,
        embeddedDbPort,
        visitorOrigins,
        consoleOrigins,
        neutralExitUrl,
        queueGraceSeconds,
        visitorInstances,
        clock,
        security,
        abuse,
        waits,
        liveness,
        management,
        seconds);
  }

  /**
   * The same settings on an external PostgreSQL (tests that restart the service on a database that
   * stays up).
   */
  public AppSettings withExternalDb(DbSettings db) {
    return new AppSettings(
        visitorHost,
        visitorPort,
        consoleHost,
        consolePort,
        dataDir,
        configDir,
        demo,
        Optional.of(db),
        embeddedDbPort,
        visitorOrigins,
        consoleOrigins,
        neutralExitUrl,
        queueGraceSeconds,
        visitorInstances,
        clock,
        security,
        abuse,
        waits,
        liveness,
        management,
        transferOfferSeconds);
  }

  /**
   * The same settings with other allowed console origins (tests put a proxy in front of the
   * listener).
   */
  public AppSettings withConsoleOrigins(Set<String> origins) {
    return new AppSettings(
        visitorHost,
        visitorPort,
        consoleHost,
        consolePort,
        dataDir,
        configDir,
        demo,
        externalDb,
        embeddedDbPort,
        visitorOrigins,
        origins,
        neutralExitUrl,
        queueGraceSeconds,
        visitorInstances,
        clock,
        security,
        abuse,
        waits,
        liveness,
        management,
        transferOfferSeconds);
  }

  /**
   * The same settings with other allowed visitor origins (tests put a proxy in front of the
   * listener).
   */
  public AppSettings withVisitorOrigins(Set<String> origins) {
    return new AppSettings(
        visitorHost,
        visitorPort,
        consoleHost,
        consolePort,
        dataDir,
        configDir,
        demo,
        externalDb,
        embeddedDbPort,
        origins,
        consoleOrigins,
        neutralExitUrl,
        queueGraceSeconds,
        visitorInstances,
        clock,
        security,
        abuse,
        waits,
        liveness,
        management,
        transferOfferSeconds);
  }

  /** Allowed origins default to the listener's own address (both spellings of loopback). */
  static Set<String> origins(String configured, String host, int port) {
    return origins(configured, host, port, "http");
  }

  static Set<String> origins(String configured, String host, int port, String scheme) {
    Set<String> out = new LinkedHashSet<>();
    if (configured != null && !configured.isBlank()) {
      Arrays.stream(configured.split(","))
          .map(String::trim)
          .filter(s -> !s.isEmpty())
          .forEach(out::add);
      return out;
    }
    for (String h : List.of(host, "127.0.0.1", "localhost")) {
      out.add(scheme + "://" + h + ":" + port);
    }
    return out;
  }

  private static int port(Map<String, String> env, String name, int fallback) {
    return EnvValues.wholeNumber(env, name, fallback, 0, 65535);
  }
}
