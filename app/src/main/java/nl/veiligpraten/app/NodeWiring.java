package nl.veiligpraten.app;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import nl.veiligpraten.infra.cluster.ClusterHealth;
import nl.veiligpraten.infra.metrics.NodeMetrics;

/**
 * Metrics and shutdown bookkeeping of one node, kept out of the launcher so its wiring stays
 * readable.
 */
final class NodeWiring {

  private NodeWiring() {}

  /**
   * Registers the node's metrics: connection gauges, queue poller, persist timings, bus counters.
   */
  static void attach(RunningApp.Builder app) {
    NodeMetrics metrics = new NodeMetrics();
    NodeMetrics.register(app.vertx, metrics);
    metrics.connections("visitor", app.visitor::connectionCount);
    metrics.connections("console", app.console::connectionCount);
    app.transcripts.appendListener(metrics);
    var conversations = app.transcripts.conversations();
    metrics.appendBatches(
        conversations::appendBatches,
        conversations::appendBatchItems,
        conversations::appendsWaiting,
        conversations::appendBatchLookupRetries);
    metrics.transcriptReads(app.transcripts::memoryReads, app.transcripts::databaseReads);
    metrics.start(app.vertx, app.pool, ClusterHealth.of(app.vertx));
  }

  /**
   * Resolves when no message append is between "started" and "committed or failed" any more, or
   * after {@code maxMillis}. Sockets are closed by then, so an ack may not reach its client; the
   * client resends with the same client id elsewhere and gets the stored sequence number back.
   */
  static Future<Void> awaitWritesFinished(Vertx vertx, long maxMillis) {
    NodeMetrics metrics = NodeMetrics.of(vertx).orElse(null);
    if (metrics == null || metrics.inFlight() <= 0) {
      return Future.succeededFuture();
    }
    Promise<Void> done = Promise.promise();
    long deadline = System.currentTimeMillis() + maxMillis;
    vertx.setPeriodic(
        20,
        id -> {
          if (metrics.inFlight() <= 0 || System.currentTimeMillis() > deadline) {
            vertx.cancelTimer(id);
            done.tryComplete();
          }
        });
    return done.future();
  }

  static void detach(Vertx vertx) {
    NodeMetrics.unregister(vertx);
    ClusterHealth.unregister(vertx);
  }
}
