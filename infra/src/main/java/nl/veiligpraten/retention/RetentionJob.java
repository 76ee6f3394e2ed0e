package nl.veiligpraten.retention;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import nl.veiligpraten.infra.crypto.KeyId;
import nl.veiligpraten.infra.crypto.OrganisationKeyStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enforces transcript retention by crypto-shredding. Runs on every node; each step is idempotent
 * SQL, and key-store changes happen under a PostgreSQL advisory lock so only one node changes the
 * store at a time.
 *
 * <ol>
 *   <li>For each organisation with a retention, delete its wrapped keys of conversations closed
 *       longer ago.
 *   <li>Delete the sealed messages of closed conversations no organisation holds a key for (audit
 *       row each).
 *   <li>KEK epochs: rotate an organisation's KEK once the current version is older than {@link
 *       RetentionSettings#kekEpoch()}; destroy (in the key store, outside the database) every
 *       superseded version no wrapped key refers to any more. That makes wrapped keys in database
 *       dumps taken before the shred useless as well.
 * </ol>
 *
 * The clock is injected so tests can move time forward.
 */
public final class RetentionJob {

  private static final Logger LOG = LoggerFactory.getLogger(RetentionJob.class);

  private final Vertx vertx;
  private final Pool pool;
  private final OrganisationKeyStore keyStore;
  private final RetentionPolicy policy;
  private final RetentionSettings settings;
  private final Clock clock;
  private final Shredder shredder;
  private boolean running;

  /**
   * Outcome of one run. {@code keyStoreMaintained} is false when another node (or run) held the
   * key-store lock, so rotation and destruction were left to it.
   */
  public record Report(
      List<UUID> keysDeletedFor,
      List<UUID> shredded,
      List<String> rotated,
      List<String> destroyed,
      boolean keyStoreMaintained) {}

  public RetentionJob(
      Vertx vertx,
      Pool pool,
      OrganisationKeyStore keyStore,
      RetentionPolicy policy,
      RetentionSettings settings,
      Clock clock) {
    this.vertx = vertx;
    this.pool = pool;
    this.keyStore = keyStore;
    this.policy = policy;
    this.settings = settings;
    this.clock = clock;
    this.shredder = new Shredder(pool);
  }

  /**
   * Schedules the job on this node (first run after {@link RetentionSettings#firstRun()}); returns
   * the timer id.
   */
  public long schedule() {
    vertx
        .eventBus()
        .consumer(
            nl.veiligpraten.infra.bus.Addresses.KEY_STORE_CHANGED,
            m ->
                vertx
                    .executeBlocking(
                        () -> {
                          keyStore.reloadIfChanged();
                          return null;
                        },
                        false)
                    .onFailure(e -> LOG.warn("key store reload failed: {}", e.getMessage())));
    return vertx.setPeriodic(
        Math.max(1, settings.firstRun().toMillis()),
        settings.interval().toMillis(),
        t ->
            runOnce()
                .onFailure(
                    e ->
                        LOG.warn(
                            "retention run failed: {}: {}",
                            e.getClass().getName(),
                            e.getMessage())));
  }

  /**
   * One full run. A run that is still busy makes an overlapping call fail fast instead of piling
   * up.
   */
  public synchronized Future<Report> runOnce() {
    if (running) {
      return Future.failedFuture(
          new IllegalStateException("a retention run is already in progress"));
    }
    running = true;
    Instant now = clock.instant();
    List<UUID> keysDeleted = new ArrayList<>();
    List<String> rotated = new ArrayList<>();
    List<String> destroyed = new ArrayList<>();
    // Every node re-reads the shared key store file each run, so a missed bus notice is caught
    // within an interval.
    Future<Report> result =
        vertx
            .executeBlocking(
                () -> {
                  keyStore.reloadIfChanged();
                  return null;
                },
                false)
            .compose(v -> deleteExpiredKeys(now, keysDeleted))
            .compose(v -> shredder.shredKeyless(now, settings.batch()))
            .compose(
                shredded ->
                    maintainKeyStore(now, rotated, destroyed)
                        .map(
                            maintained ->
                                new Report(
                                    List.copyOf(keysDeleted),
                                    List.copyOf(shredded),
                                    List.copyOf(rotated),
                                    List.copyOf(destroyed),
                                    maintained)))
            .onSuccess(this::announce)
            .onSuccess(
                report -> {
                  if (!report.rotated().isEmpty() || !report.destroyed().isEmpty()) {
                    vertx
                        .eventBus()
                        .publish(nl.veiligpraten.infra.bus.Addresses.KEY_STORE_CHANGED, "changed");
                  }
                });
    return result.andThen(
        ar -> {
          synchronized (this) {
            running = false;
          }
        });
  }

  private Future<Void> deleteExpiredKeys(Instant now, List<UUID> keysDeleted) {
    Future<Void> chain = Future.succeededFuture();
    for (var entry : policy.daysByOrganisation().entrySet()) {
      Instant cutoff = now.minus(Duration.ofDays(entry.getValue()));
      chain =
          chain.compose(
              v ->
                  shredder
                      .deleteExpiredKeys(entry.getKey(), cutoff, settings.batch())
                      .map(
                          ids -> {
                            keysDeleted.addAll(ids);
                            return null;
                          }));
    }
    return chain;
  }

  private void announce(Report report) {
    java.util.Set<UUID> forget = new java.util.LinkedHashSet<>(report.keysDeletedFor());
    forget.addAll(report.shredded());
    forget.forEach(
        id ->
            vertx
                .eventBus()
                .publish(nl.veiligpraten.infra.bus.Addresses.PRIVACY_SHREDDED, id.toString()));
    if (!report.shredded().isEmpty()
        || !report.rotated().isEmpty()
        || !report.destroyed().isEmpty()) {
      // Counts and key ids only: which conversations were shredded is in the audit log.
      LOG.info(
          "retention: {} wrapped keys deleted, {} conversations shredded, KEKs rotated {} destroyed {}",
          report.keysDeletedFor().size(),
          report.shredded().size(),
          report.rotated(),
          report.destroyed());
    }
  }

  /**
   * Rotation and destruction of KEK versions, on one connection holding the cluster-wide advisory
   * lock.
   */
  private Future<Boolean> maintainKeyStore(
      Instant now, List<String> rotated, List<String> destroyed) {
    return pool.withTransaction(
        conn ->
            conn.query(ShredQueries.KEY_STORE_LOCK)
                .execute()
                .compose(
                    rows -> {
                      if (!rows.iterator().next().getBoolean("locked")) {
                        return Future.succeededFuture(false);
                      }
                      // Another node may have rotated or destroyed since this run began: work on
                      // the file's current state.
                      Future<Void> chain =
                          vertx.executeBlocking(
                              () -> {
                                keyStore.reloadIfChanged();
                                return null;
                              },
                              false);
                      // Only organisations with a retention rotate: without one, transcripts are
                      // kept and nothing is ever destroyed.
                      for (String org : keyStore.organisations()) {
                        if (policy.days(org).isEmpty()) {
                          continue;
                        }
                        chain =
                            chain.compose(
                                v -> maintainOrganisation(conn, org, now, rotated, destroyed));
                      }
                      return chain.map(true);
                    }));
  }

  private Future<Void> maintainOrganisation(
      SqlConnection conn, String org, Instant now, List<String> rotated, List<String> destroyed) {
    OffsetDateTime at = now.atOffset(ZoneOffset.UTC);
    KeyId current = keyStore.currentKeyId(org);
    // Register every version we see: the current one as created now (if new), older ones as
    // superseded now.
    Future<Void> chain = Future.succeededFuture();
    for (KeyId id : keyStore.keyIds(org)) {
      OffsetDateTime superseded = id.equals(current) ? null : at;
      chain =
          chain.compose(
              v ->
                  conn.preparedQuery(ShredQueries.REGISTER_KEK)
                      .execute(Tuple.of(id.toString(), org, at, superseded))
                      .mapEmpty());
      if (superseded != null) {
        // Also covers a version registered as current before someone rotated outside this job.
        chain =
            chain.compose(
                v ->
                    conn.preparedQuery(ShredQueries.SUPERSEDE_KEK)
                        .execute(Tuple.of(id.toString(), at))
                        .mapEmpty());
      }
    }
    return chain
        .compose(
            v -> conn.preparedQuery(ShredQueries.KEK_CREATED).execute(Tuple.of(current.toString())))
        .compose(
            rows -> {
              OffsetDateTime created = rows.iterator().next().getOffsetDateTime("created_at");
              if (Duration.between(created.toInstant(), now).compareTo(settings.kekEpoch()) < 0) {
                return Future.succeededFuture();
              }
              return vertx
                  .executeBlocking(() -> keyStore.rotate(org), false)
                  .compose(
                      next ->
                          conn.preparedQuery(ShredQueries.REGISTER_KEK)
                              .execute(Tuple.of(next.toString(), org, at, null))
                              .compose(
                                  r ->
                                      conn.preparedQuery(ShredQueries.SUPERSEDE_KEK)
                                          .execute(Tuple.of(current.toString(), at)))
                              .map(
                                  r -> {
                                    rotated.add(next.toString());
                                    return null;
                                  }));
            })
        .compose(
            v ->
                conn.preparedQuery(ShredQueries.UNUSED_KEKS)
                    .execute(
                        Tuple.of(org, now.minus(settings.kekGrace()).atOffset(ZoneOffset.UTC))))
        .compose(
            rows -> {
              Future<Void> destroy = Future.succeededFuture();
              for (Row row : rows) {
                KeyId id = KeyId.parse(row.getString("key_id"));
                destroy =
                    destroy.compose(
                        v ->
                            vertx
                                .executeBlocking(() -> keyStore.destroy(id), false)
                                .compose(
                                    gone ->
                                        conn.preparedQuery(ShredQueries.DESTROYED_KEK)
                                            .execute(Tuple.of(id.toString(), at)))
                                .map(
                                    r -> {
                                      destroyed.add(id.toString());
                                      return null;
                                    }));
              }
              return destroy;
            });
  }
}
