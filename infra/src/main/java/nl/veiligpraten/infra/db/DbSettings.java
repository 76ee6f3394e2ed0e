package nl.veiligpraten.infra.db;

import java.net.URI;
import java.util.Map;
import java.util.Optional;

/**
 * Where the database is. Read once at start-up from the environment: {@code DATABASE_URL} or the
 * libpq-style {@code PGHOST}/{@code PGPORT}/{@code PGDATABASE}/{@code PGUSER}/{@code PGPASSWORD}.
 * When none is set the launcher starts an embedded PostgreSQL instead ({@link #external(Map)}
 * returns empty).
 *
 * <p>TLS to the server (issue 20, finding 10: {@code sslmode} used to be dropped) follows libpq:
 * {@code sslmode} and {@code sslrootcert} in the URL's query, or {@code PGSSLMODE} / {@code
 * PGSSLROOTCERT}. Modes: {@code disable}, {@code allow}, {@code prefer} (the default, as in libpq),
 * {@code require}, {@code verify-ca}, {@code verify-full} (the last two check the server
 * certificate against {@code sslrootcert}, verify-full also the host name). The reactive pool and
 * Flyway's JDBC connection use the same mode.
 */
public record DbSettings(
    String host,
    int port,
    String database,
    String user,
    String password,
    String sslMode,
    String sslRootCert) {

  /** The libpq modes accepted for {@code sslmode}. */
  public static final java.util.List<String> SSL_MODES =
      java.util.List.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full");

  public DbSettings {
    if (sslMode == null || sslMode.isBlank()) {
      sslMode = "prefer";
    }
    if (!SSL_MODES.contains(sslMode)) {
      throw new IllegalArgumentException(
          "sslmode must be one of " + SSL_MODES + ", got '" + sslMode + "'");
    }
    if (sslMode.startsWith("verify-") && (sslRootCert == null || sslRootCert.isBlank())) {
      throw new IllegalArgumentException(
          "sslmode "
              + sslMode
              + " needs sslrootcert (or PGSSLROOTCERT): the CA "
              + "certificate the server's certificate is checked against");
    }
  }

  /** Without TLS settings: libpq's default {@code prefer}. */
  public DbSettings(String host, int port, String database, String user, String password) {
    this(host, port, database, user, password, "prefer", null);
  }

  /** The same server and TLS settings with another login (the app role, the migration user). */
  public DbSettings withLogin(String otherUser, String otherPassword) {
    return new DbSettings(host, port, database, otherUser, otherPassword, sslMode, sslRootCert);
  }

  /** JDBC URL, used only by Flyway (migrations run on a worker thread, never on the event loop). */
  public String jdbcUrl() {
    String url = "jdbc:postgresql://" + host + ":" + port + "/" + database + "?sslmode=" + sslMode;
    return sslRootCert == null
        ? url
        : url
            + "&sslrootcert="
            + java.net.URLEncoder.encode(sslRootCert, java.nio.charset.StandardCharsets.UTF_8);
  }

  /**
   * Settings for an external server from the environment, or empty when the environment names none.
   */
  public static Optional<DbSettings> external(Map<String, String> env) {
    String url = env.get("DATABASE_URL");
    if (url != null && !url.isBlank()) {
      return Optional.of(fromUrl(url, env));
    }
    if (env.get("PGHOST") == null && env.get("PGDATABASE") == null) {
      return Optional.empty();
    }
    String host = env.getOrDefault("PGHOST", "127.0.0.1");
    int port = parsePort(env.getOrDefault("PGPORT", "5432"), "PGPORT");
    return Optional.of(
        new DbSettings(
            host,
            port,
            env.getOrDefault("PGDATABASE", "postgres"),
            env.getOrDefault("PGUSER", "postgres"),
            env.getOrDefault("PGPASSWORD", ""),
            env.get("PGSSLMODE"),
            env.get("PGSSLROOTCERT")));
  }

  static DbSettings fromUrl(String url) {
    return fromUrl(url, Map.of());
  }

  static DbSettings fromUrl(String url, Map<String, String> env) {
    try {
      URI uri = URI.create(url.startsWith("jdbc:") ? url.substring(5) : url);
      if (!"postgres".equals(uri.getScheme()) && !"postgresql".equals(uri.getScheme())) {
        throw new IllegalArgumentException(
            "DATABASE_URL must start with postgres:// or postgresql://");
      }
      String user = "postgres";
      String password = "";
      if (uri.getUserInfo() != null) {
        String[] parts = uri.getUserInfo().split(":", 2);
        user = parts[0];
        password = parts.length > 1 ? parts[1] : "";
      }
      String db =
          uri.getPath() == null || uri.getPath().length() <= 1
              ? "postgres"
              : uri.getPath().substring(1);
      String sslMode = env.get("PGSSLMODE");
      String rootCert = env.get("PGSSLROOTCERT");
      if (uri.getRawQuery() != null) {
        for (String pair : uri.getRawQuery().split("&")) {
          String[] kv = pair.split("=", 2);
          String value =
              kv.length > 1
                  ? java.net.URLDecoder.decode(kv[1], java.nio.charset.StandardCharsets.UTF_8)
                  : "";
          switch (kv[0]) {
            case "sslmode" -> sslMode = value;
            case "sslrootcert" -> rootCert = value;
            default -> {
              // Other libpq parameters are not used by this service.
            }
          }
        }
      }
      return new DbSettings(
          uri.getHost(),
          uri.getPort() < 0 ? 5432 : uri.getPort(),
          db,
          user,
          password,
          sslMode,
          rootCert);
    } catch (IllegalArgumentException e) {
      // Never echo the URL: it may hold a password.
      throw new IllegalArgumentException(
          "DATABASE_URL is not a valid PostgreSQL URL: " + e.getMessage());
    }
  }

  private static int parsePort(String value, String name) {
    try {
      int port = Integer.parseInt(value.trim());
      if (port < 1 || port > 65535) {
        throw new NumberFormatException();
      }
      return port;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          name + " must be a port number from 1 to 65535, got '" + value + "'");
    }
  }

  @Override
  public String toString() {
    return "DbSettings[" + user + "@" + host + ":" + port + "/" + database + "]";
  }
}
