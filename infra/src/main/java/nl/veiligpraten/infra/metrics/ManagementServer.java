package nl.veiligpraten.infra.metrics;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.sqlclient.Pool;

/**
 * The node's management listener: {@code GET /metrics} (Prometheus text) and the health checks, on
 * their own port, bound to loopback unless configured otherwise ({@link ManagementSettings}). The
 * public listeners do not serve {@code /metrics}: queue lengths and connection counts are
 * operational information an outsider should not read.
 */
public final class ManagementServer {

  private final HttpServer server;

  private ManagementServer(HttpServer server) {
    this.server = server;
  }

  public static Future<ManagementServer> start(
      Vertx vertx, Pool pool, ManagementSettings settings) {
    return vertx
        .createHttpServer(
            new HttpServerOptions()
                .setHost(settings.host())
                .setPort(settings.port())
                .setIdleTimeout(30))
        .requestHandler(
            request -> {
              if (!"GET".equals(request.method().name())) {
                request.response().setStatusCode(405).end();
                return;
              }
              request.response().putHeader("X-Content-Type-Options", "nosniff");
              NodeEndpoints.handle(vertx, pool, request);
            })
        .listen()
        .map(ManagementServer::new);
  }

  public int actualPort() {
    return server.actualPort();
  }

  public Future<Void> close() {
    return server.close();
  }
}
