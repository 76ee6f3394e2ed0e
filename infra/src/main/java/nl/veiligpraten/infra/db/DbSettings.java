package nl.veiligpraten.infra.db;

import java.net.URI;
import java.util.Map;
import java.util.Optional;

/**
 * Where the database is. Read once at start-up from the environment: {@code DATABASE_URL} or the libpq-style
 * {@code PGHOST}/{@code PGPORT}/{@code PGDATABASE}/{@code PGUSER}/{@code PGPASSWORD}. When none is set the launcher
 * starts an embedded PostgreSQL instead ({@link #external(Map)} returns empty).
 */
public record DbSettings(String host, int port, String database, String user, String password) {

  /** JDBC URL, used only by Flyway (migrations run on a worker thread, never on the event loop). */
  public String jdbcUrl() {
    return "jdbc:postgresql://" + host + ":" + port + "/" + database;
  }

  /** Settings for an external server from the environment, or empty when the environment names none. */
  public static Optional<DbSettings> external(Map<String, String> env) {
    String url = env.get("DATABASE_URL");
    if (url != null && !url.isBlank()) {
      return Optional.of(fromUrl(url));
    }
    if (env.get("PGHOST") == null && env.get("PGDATABASE") == null) {
      return Optional.empty();
    }
    String host = env.getOrDefault("PGHOST", "127.0.0.1");
    int port = parsePort(env.getOrDefault("PGPORT", "5432"), "PGPORT");
    return Optional.of(new DbSettings(host, port, env.getOrDefault("PGDATABASE", "postgres"),
        env.getOrDefault("PGUSER", "postgres"), env.getOrDefault("PGPASSWORD", "")));
  }

  static DbSettings fromUrl(String url) {
    try {
      URI uri = URI.create(url.startsWith("jdbc:") ? url.substring(5) : url);
      if (!"postgres".equals(uri.getScheme()) && !"postgresql".equals(uri.getScheme())) {
        throw new IllegalArgumentException("DATABASE_URL must start with postgres:// or postgresql://");
      }
      String user = "postgres";
      String password = "";
      if (uri.getUserInfo() != null) {
        String[] parts = uri.getUserInfo().split(":", 2);
        user = parts[0];
        password = parts.length > 1 ? parts[1] : "";
      }
      String db = uri.getPath() == null || uri.getPath().length() <= 1 ? "postgres" : uri.getPath().substring(1);
      return new DbSettings(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(), db, user, password);
    } catch (IllegalArgumentException e) {
      // Never echo the URL: it may hold a password.
      throw new IllegalArgumentException("DATABASE_URL is not a valid PostgreSQL URL: " + e.getMessage());
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
      throw new IllegalArgumentException(name + " must be a port number from 1 to 65535, got '" + value + "'");
    }
  }

  @Override
  public String toString() {
    return "DbSettings[" + user + "@" + host + ":" + port + "/" + database + "]";
  }
}
