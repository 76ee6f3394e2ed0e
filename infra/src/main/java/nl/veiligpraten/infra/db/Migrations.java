package nl.veiligpraten.infra.db;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.flywaydb.core.Flyway;

/**
 * Applies the versioned schema (Flyway, {@code db/migration}) on a worker thread, never on the
 * event loop.
 */
public final class Migrations {

  private Migrations() {}

  /** Migrates the schema and resolves with the number of migrations applied in this run. */
  public static Future<Integer> migrate(Vertx vertx, DbSettings settings) {
    return vertx.executeBlocking(() -> migrateBlocking(settings), false);
  }

  /** Blocking form, for tools and tests that run outside Vert.x. */
  public static int migrateBlocking(DbSettings settings) {
    Flyway flyway =
        Flyway.configure()
            .dataSource(settings.jdbcUrl(), settings.user(), settings.password())
            .locations("classpath:db/migration")
            .loggers("slf4j")
            .load();
    return flyway.migrate().migrationsExecuted;
  }
}
