package nl.veiligpraten.infra.web;

import java.time.Duration;
import java.util.Map;
import nl.veiligpraten.infra.settings.EnvValues;

/**
 * Transport limits of one HTTP listener, read once at start-up (issue 20, finding 4: slowloris,
 * slow bodies and an unbounded number of sockets). Enforced by {@link ConnectionGuard}.
 *
 * @param headerTimeout a new connection must deliver a complete request head within this time
 * @param bodyTimeout a request body must be complete within this time after its head arrived
 * @param idleTimeout a kept-alive HTTP connection with no new request for this long is closed
 *     (WebSockets are not affected: their own protocols decide)
 * @param maxConnections open TCP connections of the listener (all its event loops together); one
 *     more is closed at once
 * @param tlsCertFile PEM certificate chain of the listener ({@code VP_TLS_CERT_FILE}), or null for
 *     plain HTTP
 * @param tlsKeyFile PEM private key ({@code VP_TLS_KEY_FILE}); both or neither
 */
public record ListenerLimits(
    Duration headerTimeout,
    Duration bodyTimeout,
    Duration idleTimeout,
    int maxConnections,
    String tlsCertFile,
    String tlsKeyFile) {

  /** Plain HTTP (TLS terminated in front, or a test). */
  public ListenerLimits(
      Duration headerTimeout, Duration bodyTimeout, Duration idleTimeout, int maxConnections) {
    this(headerTimeout, bodyTimeout, idleTimeout, maxConnections, null, null);
  }

  /** The same limits, serving TLS from these PEM files. */
  public ListenerLimits withTls(String certFile, String keyFile) {
    return new ListenerLimits(
        headerTimeout, bodyTimeout, idleTimeout, maxConnections, certFile, keyFile);
  }

  /** True when the listener serves TLS itself (and then sends HSTS). */
  public boolean tls() {
    return tlsCertFile != null;
  }

  public ListenerLimits {
    if ((tlsCertFile == null) != (tlsKeyFile == null)) {
      throw new IllegalArgumentException(
          "VP_TLS_CERT_FILE and VP_TLS_KEY_FILE go together: set both or neither");
    }
    if (headerTimeout.isNegative()
        || headerTimeout.isZero()
        || bodyTimeout.isNegative()
        || bodyTimeout.isZero()
        || idleTimeout.isNegative()
        || idleTimeout.isZero()
        || maxConnections < 1) {
      throw new IllegalArgumentException("listener limits must be positive");
    }
  }

  /**
   * Defaults of the visitor listener: sized for the 10,000-20,000 idle sessions a node is
   * benchmarked with.
   */
  public static final ListenerLimits VISITOR_DEFAULT =
      new ListenerLimits(
          Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofSeconds(30), 20_000);

  /** Defaults of the console listener: a few hundred staff at most per node. */
  public static final ListenerLimits CONSOLE_DEFAULT =
      new ListenerLimits(
          Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofSeconds(60), 2_000);

  /**
   * Reads {@code <prefix>_HEADER_TIMEOUT_SECONDS}, {@code _BODY_TIMEOUT_SECONDS}, {@code
   * _IDLE_TIMEOUT_SECONDS} and {@code _MAX_CONNECTIONS} (for example {@code
   * VP_VISITOR_MAX_CONNECTIONS}); unset ones keep the defaults.
   */
  public static ListenerLimits from(
      Map<String, String> env, String prefix, ListenerLimits defaults) {
    return new ListenerLimits(
        seconds(env, prefix + "_HEADER_TIMEOUT_SECONDS", defaults.headerTimeout()),
        seconds(env, prefix + "_BODY_TIMEOUT_SECONDS", defaults.bodyTimeout()),
        seconds(env, prefix + "_IDLE_TIMEOUT_SECONDS", defaults.idleTimeout()),
        EnvValues.wholeNumber(
            env, prefix + "_MAX_CONNECTIONS", defaults.maxConnections(), 1, 1_000_000),
        blankToNull(env.get("VP_TLS_CERT_FILE")),
        blankToNull(env.get("VP_TLS_KEY_FILE")));
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }

  private static Duration seconds(Map<String, String> env, String name, Duration fallback) {
    String value = env.get(name);
    return value == null || value.isBlank()
        ? fallback
        : Duration.ofSeconds(EnvValues.wholeNumber(env, name, 0, 1, 3600));
  }
}
