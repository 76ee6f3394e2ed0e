package nl.veiligpraten.retention;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Crypto-shredding in the database: first the wrapped data keys go (that alone makes the sealed
 * messages unreadable), then the sealed rows themselves. The conversation row stays with its
 * structured codes.
 */
public final class Shredder {

  private final Pool pool;

  public Shredder(Pool pool) {
    this.pool = pool;
  }

  /** What a delete on request removed. */
  public record Erased(UUID conversationId, String orgId, Long counselorId) {}

  /**
   * Deletes one conversation at once - wrapped keys first (crypto-shred), then its messages, then
   * the row itself - and writes a {@code delete_on_request} audit row, in one transaction. Empty
   * when there is no such conversation.
   */
  public Future<Optional<Erased>> eraseOnRequest(UUID id, Instant now) {
    return pool.withTransaction(
        conn ->
            conn.preparedQuery(ShredQueries.ERASE_LOCK)
                .execute(Tuple.of(id))
                .compose(lock -> conn.preparedQuery(ShredQueries.ERASE_KEYS).execute(Tuple.of(id)))
                .compose(
                    keys -> conn.preparedQuery(ShredQueries.ERASE_MESSAGES).execute(Tuple.of(id)))
                .compose(
                    messages ->
                        conn.preparedQuery(ShredQueries.ERASE_CONVERSATION).execute(Tuple.of(id)))
                .compose(
                    rows -> {
                      if (rows.rowCount() == 0) {
                        return Future.succeededFuture(Optional.<Erased>empty());
                      }
                      Row row = rows.iterator().next();
                      Erased erased =
                          new Erased(id, row.getString("org_id"), row.getLong("counselor_id"));
                      return conn.preparedQuery(ShredQueries.AUDIT_ERASE)
                          .execute(Tuple.of(erased.orgId(), id))
                          .map(ignored -> Optional.of(erased));
                    }));
  }

  /**
   * Deletes the wrapped keys this organisation holds for conversations closed before {@code
   * cutoff}, in batches.
   *
   * @return ids of the conversations whose key for this organisation was deleted
   */
  public Future<List<UUID>> deleteExpiredKeys(String orgId, Instant cutoff, int batch) {
    List<UUID> all = new ArrayList<>();
    return loop(
        () ->
            pool.preparedQuery(ShredQueries.DELETE_EXPIRED_KEYS)
                .execute(Tuple.of(orgId, cutoff.atOffset(ZoneOffset.UTC), batch)),
        all,
        batch);
  }

  /**
   * Deletes closed conversations (messages included) that no organisation holds a key for any more,
   * in batches.
   *
   * @return ids of the conversations shredded in this call
   */
  public Future<List<UUID>> shredKeyless(Instant now, int batch) {
    List<UUID> all = new ArrayList<>();
    return loop(
        () ->
            pool.withTransaction(
                conn ->
                    conn.preparedQuery(ShredQueries.KEYLESS_VICTIMS)
                        .execute(Tuple.of(now.atOffset(ZoneOffset.UTC), batch))
                        .compose(
                            victims -> {
                              UUID[] ids = new UUID[victims.rowCount()];
                              int i = 0;
                              for (Row r : victims) {
                                ids[i++] = r.getUUID(0);
                              }
                              Tuple param = Tuple.of(ids);
                              return conn.preparedQuery(ShredQueries.UNLINK_STATISTICS)
                                  .execute(param)
                                  .compose(
                                      v ->
                                          conn.preparedQuery(ShredQueries.DELETE_MESSAGES)
                                              .execute(param))
                                  .compose(
                                      v ->
                                          conn.preparedQuery(ShredQueries.DELETE_CONVERSATIONS)
                                              .execute(param));
                            })),
        all,
        batch);
  }

  private static Future<List<UUID>> loop(
      java.util.function.Supplier<Future<RowSet<Row>>> step, List<UUID> all, int batch) {
    return step.get()
        .compose(
            rows -> {
              rows.forEach(r -> all.add(r.getUUID(0)));
              return rows.rowCount() >= batch
                  ? loop(step, all, batch)
                  : Future.succeededFuture(all);
            });
  }
}
