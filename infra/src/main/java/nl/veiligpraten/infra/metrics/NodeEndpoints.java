package nl.veiligpraten.infra.metrics;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.util.concurrent.TimeUnit;
import nl.veiligpraten.infra.cluster.ClusterHealth;
import nl.veiligpraten.infra.db.Database;

/**
 * Liveness, readiness and the Prometheus scrape, mounted by the listeners with one route line each
 * (the public listeners only mount the health paths):
 *
 * <ul>
 *   <li>{@code GET /health/live}: 200 while the event loop answers (a restart is the only cure
 *       otherwise)
 *   <li>{@code GET /health/ready}: 200 only when PostgreSQL answers within 2 s (through a
 *       connection of its own, not queued behind the work pool), the node is in quorum and not
 *       draining; 503 otherwise, with the failing checks named. Load balancers route new visitors
 *       by this.
 *   <li>{@code GET /metrics}: Prometheus text (management listener only, see {@link
 *       ManagementServer})
 * </ul>
 */
public final class NodeEndpoints {

  /**
   * Per Vert.x instance: the pool the readiness check pings through, when one apart from the work
   * pool is set.
   */
  private static final java.util.Map<Vertx, Pool> HEALTH_POOLS =
      new java.util.concurrent.ConcurrentHashMap<>();

  private NodeEndpoints() {}

  /**
   * Makes {@code /health/ready} ping PostgreSQL through {@code healthPool} (see {@code
   * Database.healthPool}) instead of the listener's work pool, so readiness says whether the
   * database answers, not whether the work pool is busy.
   */
  public static void useHealthPool(Vertx vertx, Pool healthPool) {
    HEALTH_POOLS.put(vertx, healthPool);
  }

  /** Forgets the health pool of a Vert.x instance that is closing. */
  public static void forget(Vertx vertx) {
    HEALTH_POOLS.remove(vertx);
  }

  /** Answers one of the three paths; anything else is 404. */
  public static void handle(Vertx vertx, Pool pool, HttpServerRequest request) {
    String path = request.path();
    if ("/health/live".equals(path)) {
      json(request, 200, new JsonObject().put("status", "UP"));
    } else if ("/health/ready".equals(path)) {
      ready(vertx, pool, request);
    } else if ("/metrics".equals(path) && NodeMetrics.of(vertx).isPresent()) {
      request
          .response()
          .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
          .end(NodeMetrics.of(vertx).get().scrape());
    } else {
      request.response().setStatusCode(404).end();
    }
  }

  private static void ready(Vertx vertx, Pool pool, HttpServerRequest request) {
    ClusterHealth health = ClusterHealth.of(vertx);
    Future<Void> ping =
        Database.ping(HEALTH_POOLS.getOrDefault(vertx, pool)).timeout(2, TimeUnit.SECONDS);
    ping.onComplete(
        ar -> {
          boolean db = ar.succeeded();
          boolean quorum = health.inQuorum();
          boolean draining = health.draining();
          boolean ready = db && quorum && !draining;
          json(
              request,
              ready ? 200 : 503,
              new JsonObject()
                  .put("status", ready ? "READY" : "NOT_READY")
                  .put("database", db ? "UP" : "DOWN")
                  .put("clustered", health.clustered())
                  .put("clusterMembers", health.members())
                  .put("quorum", health.quorum())
                  .put("inQuorum", quorum)
                  .put("draining", draining));
        });
  }

  private static void json(HttpServerRequest request, int status, JsonObject body) {
    request
        .response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json; charset=utf-8")
        .putHeader("Cache-Control", "no-store")
        .end(body.encode());
  }
}
