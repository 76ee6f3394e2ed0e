package nl.veiligpraten.liveconfig;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import java.util.function.Consumer;
import nl.veiligpraten.infra.db.DbSettings;
import nl.veiligpraten.routing.config.ConfigException;
import nl.veiligpraten.routing.config.RoutingConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one node on the live configuration version: listens for {@code NOTIFY
 * vp_routing_config_changed} (sent when a version is stored, by any node), and re-checks the latest
 * version number every few seconds, so a notice lost in a database failover delays a change by
 * seconds at most (the same pattern as the key store's change notice). A newer version is read,
 * validated off the event loop by the start-up loader, and handed to {@code apply} on this watch's
 * event-loop context, which swaps the node's immutable configuration snapshot in one reference
 * write.
 *
 * <p>A stored version that does not load (possible only after a software upgrade tightened a rule)
 * is logged and skipped: the node keeps serving the version it has.
 */
public final class ConfigWatch {

  private static final Logger LOG = LoggerFactory.getLogger(ConfigWatch.class);

  /**
   * Thrown by a {@code prepare} step when the node cannot apply a version yet (e.g. the key of a
   * new organisation has not reached this node's key store): the version is tried again at the next
   * notice or check, not skipped.
   */
  public static final class NotReadyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NotReadyException(String message) {
      super(message, null, false, false);
    }
  }

  /** A validated version, ready to swap in. */
  public record Applied(ConfigVersions.Info info, RoutingConfig config) {}

  private final Vertx vertx;
  private final Context context;
  private final ConfigVersions versions;
  private final Consumer<Applied> apply;
  private final Consumer<RoutingConfig> prepare;
  private int applied;
  private int skipped;
  private boolean checking;
  private boolean again;
  private long timer = -1;
  private PgSubscriber subscriber;

  private ConfigWatch(
      Vertx vertx,
      ConfigVersions versions,
      int applied,
      Consumer<RoutingConfig> prepare,
      Consumer<Applied> apply) {
    this.prepare = prepare;
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.versions = versions;
    this.applied = applied;
    this.apply = apply;
  }

  /**
   * Starts watching; {@code applied} is the version the node runs now. {@code prepare} runs on a
   * worker thread with a validated version before it is applied (blocking work such as loading the
   * keys of its organisations); {@code apply} runs on one event-loop context, one version at a
   * time, never with an older version than before.
   */
  public static ConfigWatch start(
      Vertx vertx,
      DbSettings db,
      ConfigVersions versions,
      int applied,
      long pollMillis,
      Consumer<RoutingConfig> prepare,
      Consumer<Applied> apply) {
    ConfigWatch watch = new ConfigWatch(vertx, versions, applied, prepare, apply);
    watch.subscriber =
        PgSubscriber.subscriber(
                vertx,
                new PgConnectOptions()
                    .setHost(db.host())
                    .setPort(db.port())
                    .setDatabase(db.database())
                    .setUser(db.user())
                    .setPassword(db.password()))
            // Reconnect for ever (a database failover drops the listening connection); the poll
            // covers the gap.
            .reconnectPolicy(retries -> 1_000L);
    watch
        .subscriber
        .channel(ConfigVersions.CHANNEL)
        .handler(payload -> watch.context.runOnContext(v -> watch.check()));
    watch
        .subscriber
        .connect()
        .onFailure(
            e ->
                LOG.warn(
                    "configuration change notices unavailable for now ({}); "
                        + "checking every {} ms",
                    e.getClass().getSimpleName(),
                    pollMillis));
    watch.context.runOnContext(
        v -> watch.timer = vertx.setPeriodic(pollMillis, t -> watch.check()));
    return watch;
  }

  /** The version this node runs. */
  public synchronized int applied() {
    return applied;
  }

  /**
   * Applies the latest version if it is newer than the applied one. Runs on this watch's context.
   */
  void check() {
    if (checking) {
      again = true;
      return;
    }
    checking = true;
    versions
        .latestNumber()
        .compose(
            latest ->
                latest <= applied() || latest == skipped
                    ? Future.succeededFuture()
                    : versions
                        .get(latest)
                        .compose(
                            found ->
                                found.isEmpty()
                                    ? Future.succeededFuture()
                                    : vertx
                                        .executeBlocking(
                                            () -> {
                                              RoutingConfig config =
                                                  RoutingConfig.parse(
                                                      found.get().texts(), "version " + latest);
                                              prepare.accept(config);
                                              return new Applied(found.get().info(), config);
                                            },
                                            false)
                                        .map(
                                            ready -> {
                                              context.runOnContext(v -> swap(ready));
                                              return null;
                                            })
                                        .recover(
                                            e -> {
                                              if (e instanceof NotReadyException) {
                                                LOG.info(
                                                    "configuration version {} waits: {}",
                                                    latest,
                                                    e.getMessage());
                                                return Future.succeededFuture();
                                              }
                                              if (e instanceof ConfigException) {
                                                skipped = latest;
                                                LOG.error(
                                                    "configuration version {} does not load and is not applied: {}",
                                                    latest,
                                                    e.getMessage());
                                                return Future.succeededFuture();
                                              }
                                              return Future.failedFuture(e);
                                            })))
        .onFailure(
            e -> LOG.warn("configuration version check failed: {}", e.getClass().getSimpleName()))
        .onComplete(
            r ->
                context.runOnContext(
                    v -> {
                      checking = false;
                      if (again) {
                        again = false;
                        check();
                      }
                    }));
  }

  private void swap(Applied ready) {
    synchronized (this) {
      if (ready.info().version() <= applied) {
        return;
      }
      applied = ready.info().version();
    }
    apply.accept(ready);
    LOG.info(
        "configuration version {} applied ({} by {}, rules {})",
        ready.info().version(),
        ready.info().kind(),
        ready.info().authorName(),
        ready.config().rules().version());
  }

  /** Stops listening and polling. */
  public Future<Void> close() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    return subscriber == null ? Future.succeededFuture() : subscriber.close();
  }
}
