package nl.veiligpraten.infra.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 20, finding 10: {@code sslmode} of an external PostgreSQL is honoured (it used to be
 * dropped, so {@code sslmode=require} connected in plain text). The embedded server here has no
 * TLS: {@code require} must fail on both the reactive pool and Flyway's JDBC URL, {@code disable}
 * and {@code prefer} must work.
 */
@DisplayName(
    "External PostgreSQL: sslmode from DATABASE_URL or PGSSLMODE is honoured by the pool and by JDBC")
class DbSslModeIT {

  @TempDir static Path dataDir;
  static EmbeddedDatabase db;
  static Vertx vertx;

  @BeforeAll
  static void start() {
    db = EmbeddedDatabase.start(dataDir.resolve("pg"), 0);
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    db.close();
  }

  static DbSettings from(String query, Map<String, String> extra) {
    java.util.HashMap<String, String> env = new java.util.HashMap<>(extra);
    env.put(
        "DATABASE_URL",
        "postgresql://postgres:"
            + db.settings().password()
            + "@127.0.0.1:"
            + db.settings().port()
            + "/postgres"
            + query);
    return DbSettings.external(env).orElseThrow();
  }

  static void ping(DbSettings settings) throws Exception {
    Pool pool = Database.pool(vertx, settings, 1);
    try {
      Database.ping(pool).toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    } finally {
      pool.close();
    }
  }

  @Test
  @DisplayName(
      "require fails against a server without TLS (pool and JDBC); disable and prefer connect; unknown "
          + "modes and verify-* without a root certificate are refused at start-up")
  void sslModeIsHonoured() throws Exception {
    DbSettings require = from("?sslmode=require", Map.of());
    assertEquals("require", require.sslMode());
    assertThrows(
        ExecutionException.class, () -> ping(require), "sslmode=require connected without TLS");
    assertThrows(
        java.sql.SQLException.class,
        () ->
            java.sql.DriverManager.getConnection(
                    require.jdbcUrl(), require.user(), require.password())
                .close());
    DbSettings fromEnv = from("", Map.of("PGSSLMODE", "require"));
    assertThrows(
        ExecutionException.class, () -> ping(fromEnv), "PGSSLMODE=require connected without TLS");

    ping(from("?sslmode=disable", Map.of()));
    DbSettings prefer = from("", Map.of());
    assertEquals("prefer", prefer.sslMode());
    ping(prefer);
    try (var c =
        java.sql.DriverManager.getConnection(prefer.jdbcUrl(), prefer.user(), prefer.password())) {
      assertTrue(c.isValid(5));
    }
    assertThrows(IllegalArgumentException.class, () -> from("?sslmode=sometimes", Map.of()));
    assertThrows(IllegalArgumentException.class, () -> from("?sslmode=verify-full", Map.of()));
    assertEquals(
        "/etc/ca.pem",
        from("?sslmode=verify-full&sslrootcert=%2Fetc%2Fca.pem", Map.of()).sslRootCert());
  }
}
