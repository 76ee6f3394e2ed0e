package nl.veiligpraten.infra.metrics;

import java.util.Map;

/**
 * Where the management listener ({@code /metrics}, {@code /health/*}) binds (issue 20, finding 9:
 * the metrics were served without login on the console listener). Loopback by default: a Prometheus
 * on the same host, or one that reaches the node over a private network after {@code
 * VP_MANAGEMENT_HOST} is set to a private interface.
 *
 * @param host {@code VP_MANAGEMENT_HOST}, default {@code 127.0.0.1}
 * @param port {@code VP_MANAGEMENT_PORT}, default 8082 (0 = any free port, for tests)
 */
public record ManagementSettings(String host, int port) {

  public static final ManagementSettings DEFAULT = new ManagementSettings("127.0.0.1", 8082);

  /** Loopback, any free port (tests). */
  public static final ManagementSettings ANY_FREE_PORT = new ManagementSettings("127.0.0.1", 0);

  public ManagementSettings {
    if (host == null || host.isBlank() || port < 0 || port > 65535) {
      throw new IllegalArgumentException(
          "management listener needs a host and a port from 0 to 65535");
    }
  }

  public static ManagementSettings from(Map<String, String> env) {
    String host = env.getOrDefault("VP_MANAGEMENT_HOST", DEFAULT.host()).trim();
    String port = env.get("VP_MANAGEMENT_PORT");
    if (port == null || port.isBlank()) {
      return new ManagementSettings(host, DEFAULT.port());
    }
    try {
      int n = Integer.parseInt(port.trim());
      if (n < 0 || n > 65535) {
        throw new NumberFormatException();
      }
      return new ManagementSettings(host, n);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "VP_MANAGEMENT_PORT must be a port number from 0 to 65535, got '" + port + "'");
    }
  }
}
