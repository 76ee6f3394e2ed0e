package nl.veiligpraten.infra.db;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;

/** Builds the reactive connection pool shared by every verticle of one process. */
public final class Database {

  private Database() {}

  /** A pool to the given server. {@code maxSize} bounds the connections of this process. */
  public static Pool pool(Vertx vertx, DbSettings settings, int maxSize) {
    return pool(vertx, settings, maxSize, "vp-pool-");
  }

  /**
   * A pool of one connection for the readiness check, apart from the work pool: a storm of
   * reconnects can keep all 32 work connections busy for seconds, and a readiness ping queued
   * behind them would time out, so the load balancer would take a busy but healthy node out of
   * rotation exactly when the others need it most.
   */
  public static Pool healthPool(Vertx vertx, DbSettings settings) {
    return pool(vertx, settings, 1, "vp-health-");
  }

  private static Pool pool(Vertx vertx, DbSettings settings, int maxSize, String namePrefix) {
    PgConnectOptions connect =
        new PgConnectOptions()
            .setHost(settings.host())
            .setPort(settings.port())
            .setDatabase(settings.database())
            .setUser(settings.user())
            .setPassword(settings.password())
            .setPipeliningLimit(256)
            .setCachePreparedStatements(true)
            .setSslMode(io.vertx.pgclient.SslMode.of(settings.sslMode()));
    if (settings.sslRootCert() != null) {
      // verify-ca checks the chain only; verify-full also the host name (as libpq does).
      connect.setSslOptions(
          new io.vertx.core.net.ClientSSLOptions()
              .setTrustOptions(
                  new io.vertx.core.net.PemTrustOptions().addCertPath(settings.sslRootCert()))
              .setHostnameVerificationAlgorithm(
                  "verify-full".equals(settings.sslMode()) ? "HTTPS" : ""));
    } else if (!"disable".equals(settings.sslMode())) {
      // allow / prefer / require encrypt without checking the certificate, exactly as libpq does.
      connect.setSslOptions(
          new io.vertx.core.net.ClientSSLOptions()
              .setTrustAll(true)
              .setHostnameVerificationAlgorithm(""));
    }
    return PgBuilder.pool()
        .with(
            new PoolOptions()
                .setMaxSize(maxSize)
                .setShared(true)
                .setName(namePrefix + settings.port()))
        .connectingTo(connect)
        .using(vertx)
        .build();
  }

  /** Succeeds when the database answers a trivial query; used by health checks and start-up. */
  public static Future<Void> ping(Pool pool) {
    return pool.query("SELECT 1").execute().mapEmpty();
  }
}
