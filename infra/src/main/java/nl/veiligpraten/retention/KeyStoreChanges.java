package nl.veiligpraten.retention;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import nl.veiligpraten.infra.crypto.KeyId;
import nl.veiligpraten.infra.crypto.OrganisationKeyStore;
import nl.veiligpraten.infra.db.DbSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Organisation keys on several nodes: one key store file on shared storage, changed only under a
 * cluster-wide lock, with a change notice to every node.
 *
 * <ul>
 *   <li><b>Lock</b>: every change (create, rotate, destroy) runs inside a PostgreSQL transaction
 *       holding the advisory lock the retention job's key maintenance uses, re-reads the file first
 *       and saves it atomically (write, fsync, rename) before the transaction commits. So two
 *       nodes, or a node and the operator's {@code keys} command, never write versions from stale
 *       copies.
 *   <li><b>Notice</b>: the same transaction sends {@code NOTIFY vp_key_store_changed} (payload: key
 *       ids only). PostgreSQL delivers it at commit to every node that listens, also to nodes
 *       outside the Hazelcast cluster and from the command line. Every node also re-checks the
 *       file's modification stamp every few seconds (a {@code stat}; the slow re-read only when it
 *       changed), so a notice lost in a database failover delays a change by seconds at most.
 *   <li><b>Shredding</b>: when a reload shows that versions disappeared, the node drops every
 *       cached data key and every remembered plaintext, so a shredded transcript is unreadable on
 *       every node, not only where the shred ran.
 * </ul>
 *
 * Key material never enters PostgreSQL: a dump holds wrapped data keys only, useless once their
 * version is destroyed.
 */
public final class KeyStoreChanges {

  /** PostgreSQL notification channel of key store changes. */
  public static final String CHANNEL = "vp_key_store_changed";

  private static final Logger LOG = LoggerFactory.getLogger(KeyStoreChanges.class);

  private final Vertx vertx;
  private final Pool pool;
  private final OrganisationKeyStore keys;
  private final Object seenLock = new Object();
  private Set<KeyId> seen;

  public KeyStoreChanges(Vertx vertx, Pool pool, OrganisationKeyStore keys) {
    this.vertx = vertx;
    this.pool = pool;
    this.keys = keys;
    this.seen = snapshot(keys);
  }

  /**
   * Creates the organisation's first key-encryption key, if it has none; resolves with its current
   * key id.
   */
  public Future<KeyId> create(String orgId) {
    KeyId.requireValidOrgId(orgId);
    return change("created", () -> keys.ensureOrganisation(orgId));
  }

  /** Adds a new current version; older ones keep unwrapping what they wrapped. */
  public Future<KeyId> rotate(String orgId) {
    KeyId.requireValidOrgId(orgId);
    return change("rotated", () -> keys.rotate(orgId));
  }

  /**
   * Crypto-shreds a superseded version: every data key wrapped under it, also in dumps and backups
   * taken before, can never be unwrapped again. Resolves with whether it was still there.
   */
  public Future<Boolean> destroy(KeyId id) {
    return change("destroyed", () -> keys.destroy(id));
  }

  private <T> Future<T> change(String what, Callable<T> operation) {
    return pool.withTransaction(
            conn ->
                conn.query(ShredQueries.KEY_STORE_WAIT_LOCK)
                    .execute()
                    .compose(
                        locked ->
                            vertx.executeBlocking(
                                () -> {
                                  keys.reload();
                                  return operation.call();
                                },
                                false))
                    .compose(
                        result ->
                            conn.preparedQuery(ShredQueries.KEY_STORE_NOTIFY)
                                .execute(Tuple.of(what + " " + result))
                                .map(result)))
        .onSuccess(
            result -> {
              LOG.info("organisation key store {}: {}", what, result);
              vertx.eventBus().publish(nl.veiligpraten.infra.bus.Addresses.KEY_STORE_CHANGED, what);
            });
  }

  /**
   * Keeps this node's copy current: listens for the change notice, re-checks the file every {@code
   * pollMillis}, and calls {@code versionsRemoved} after a reload in which versions disappeared.
   * Returns the subscriber (close it on shutdown).
   */
  public static PgSubscriber watch(
      Vertx vertx,
      DbSettings db,
      OrganisationKeyStore keys,
      long pollMillis,
      Runnable versionsRemoved) {
    KeyStoreChanges watcher = new KeyStoreChanges(vertx, null, keys);
    PgSubscriber subscriber =
        PgSubscriber.subscriber(
                vertx,
                new PgConnectOptions()
                    .setHost(db.host())
                    .setPort(db.port())
                    .setDatabase(db.database())
                    .setUser(db.user())
                    .setPassword(db.password()))
            // Reconnect for ever (a database failover drops the listening connection); poll covers
            // the gap.
            .reconnectPolicy(retries -> 1_000L);
    subscriber.channel(CHANNEL).handler(payload -> watcher.refresh(versionsRemoved));
    subscriber
        .connect()
        .onFailure(
            e ->
                LOG.warn(
                    "key store change notices unavailable for now ({}); polling the "
                        + "file every {} ms",
                    e.getClass().getSimpleName(),
                    pollMillis));
    vertx
        .eventBus()
        .consumer(
            nl.veiligpraten.infra.bus.Addresses.KEY_STORE_CHANGED,
            m -> watcher.refresh(versionsRemoved));
    vertx.setPeriodic(pollMillis, t -> watcher.refresh(versionsRemoved));
    return subscriber;
  }

  /**
   * Re-reads the file if it changed and reports removed versions. Never on the event loop (PBKDF2).
   */
  Future<Void> refresh(Runnable versionsRemoved) {
    return vertx
        .<Boolean>executeBlocking(
            () -> {
              keys.reloadIfChanged();
              Set<KeyId> now = snapshot(keys);
              synchronized (seenLock) {
                Set<KeyId> removed = new HashSet<>(seen);
                removed.removeAll(now);
                boolean changed = !now.equals(seen);
                seen = now;
                if (changed) {
                  // Key ids only: never key material.
                  LOG.info(
                      "organisation key store now holds {}",
                      new java.util.TreeSet<>(now.stream().map(KeyId::toString).toList()));
                }
                return !removed.isEmpty();
              }
            },
            false)
        .onSuccess(
            removed -> {
              if (removed) {
                versionsRemoved.run();
              }
            })
        .onFailure(e -> LOG.warn("organisation key store re-read failed: {}", e.getMessage()))
        .mapEmpty();
  }

  private static Set<KeyId> snapshot(OrganisationKeyStore keys) {
    Set<KeyId> ids = new HashSet<>();
    for (String org : keys.organisations()) {
      List<KeyId> versions = keys.keyIds(org);
      ids.addAll(versions);
    }
    return ids;
  }
}
