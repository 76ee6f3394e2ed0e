package nl.veiligpraten.console;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import nl.veiligpraten.infra.bus.Addresses;
import nl.veiligpraten.presence.LivenessSettings;
import nl.veiligpraten.presence.Presence;
import nl.veiligpraten.presence.PresenceRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's share of counselor presence: counts the live console sockets per staff user on this
 * node and keeps the node's lease rows in PostgreSQL in step (first socket opened, last socket
 * closed, and a full renewal every third of the lease, which also repairs a write that failed). At
 * start it clears what this node's previous run held; on every renewal it also removes rows whose
 * lease ran out (a node that died). Writes are chained, so they reach PostgreSQL in the order the
 * sockets opened and closed. Runs on the console verticle's event loop.
 */
final class ConsolePresence {

  private static final Logger LOG = LoggerFactory.getLogger(ConsolePresence.class);

  private final Vertx vertx;
  private final PresenceRepository repository;
  private final LivenessSettings settings;
  private final Consumer<String> onPresent;
  private final Consumer<String> onChange;
  private final Map<Long, Integer> socketsPerUser = new HashMap<>();
  private Future<?> chain = Future.succeededFuture();
  private long timer = -1;

  /**
   * @param onPresent called with the organisation when one of its counselors became present on this
   *     node (the auto-assigner runs at once instead of at its next sweep)
   * @param onChange called with the organisation whenever one of its counselors came or went
   *     (waiting visitors recompute whether their queue is staffed)
   */
  ConsolePresence(
      Vertx vertx,
      PresenceRepository repository,
      LivenessSettings settings,
      Consumer<String> onPresent,
      Consumer<String> onChange) {
    this.vertx = vertx;
    this.repository = repository;
    this.settings = settings;
    this.onPresent = onPresent;
    this.onChange = onChange;
  }

  /** Clears this node's previous run, then renews every third of the lease. */
  Future<Void> start() {
    return repository
        .claimNode(settings.nodeId())
        .map(
            gone -> {
              if (!gone.isEmpty()) {
                LOG.info(
                    "cleared the presence of {} counselor(s) held by this node's previous run",
                    gone.size());
              }
              announce(gone);
              long every = Math.max(500, settings.presenceLeaseSeconds() * 1000L / 3);
              timer = vertx.setPeriodic(every, t -> renew());
              return null;
            });
  }

  void stop() {
    vertx.cancelTimer(timer);
  }

  /** A console socket of the user opened on this node. */
  void opened(long userId, String orgId) {
    int sockets = socketsPerUser.merge(userId, 1, Integer::sum);
    if (sockets == 1) {
      then(
              () -> repository.hold(userId, settings.nodeId(), 1, settings.presenceLeaseSeconds()),
              "hold")
          .onSuccess(
              v -> {
                publish(new Presence.Change(orgId, userId, true));
                onPresent.accept(orgId);
              });
    }
  }

  /**
   * A console socket of the user closed on this node (normally, or by the server after the
   * configured silence).
   */
  void closed(long userId, String orgId) {
    Integer left = socketsPerUser.merge(userId, -1, Integer::sum);
    if (left != null && left <= 0) {
      socketsPerUser.remove(userId);
      then(() -> repository.release(userId, settings.nodeId()), "release")
          .onSuccess(v -> publish(new Presence.Change(orgId, userId, false)));
    }
  }

  /** Open console sockets on this node per staff user (a copy). */
  Map<Long, Integer> sockets() {
    return Map.copyOf(socketsPerUser);
  }

  private void renew() {
    Map<Long, Integer> now = Map.copyOf(socketsPerUser);
    then(() -> repository.renew(settings.nodeId(), now, settings.presenceLeaseSeconds()), "renew");
    then(repository::expire, "expire").onSuccess(this::announce);
  }

  private <T> Future<T> then(java.util.function.Supplier<Future<T>> write, String what) {
    Future<T> next = chain.transform(ignored -> write.get());
    chain = next;
    // Logged without ids: the renewal repairs whatever this write left undone.
    return next.onFailure(e -> LOG.warn("presence {} failed: {}", what, e.getClass().getName()));
  }

  private void announce(List<Presence.Change> changes) {
    changes.forEach(this::publish);
  }

  private void publish(Presence.Change change) {
    vertx.eventBus().publish(Addresses.PRESENCE, change.toJson());
    if (change.orgId() != null) {
      onChange.accept(change.orgId());
    }
  }
}
