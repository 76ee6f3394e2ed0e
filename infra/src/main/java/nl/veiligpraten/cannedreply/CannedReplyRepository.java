package nl.veiligpraten.cannedreply;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * Canned replies counselors insert into a chat: platform defaults and the organisation's own, which
 * its organisation admin adds and deletes. Their own feature, apart from staff accounts.
 */
public final class CannedReplyRepository {

  private final Pool pool;

  public CannedReplyRepository(Pool pool) {
    this.pool = pool;
  }

  /** Canned replies an organisation sees: platform defaults and its own. */
  public Future<List<CannedReply>> of(String orgId) {
    return pool.preparedQuery(CannedReplyQueries.OF)
        .execute(Tuple.of(orgId))
        .map(
            rows -> {
              List<CannedReply> out = new ArrayList<>();
              for (Row r : rows) {
                out.add(
                    new CannedReply(
                        r.getLong("id"),
                        r.getString("org_id"),
                        r.getString("title"),
                        r.getString("body")));
              }
              return out;
            });
  }

  /** Adds one of the organisation's own canned replies; resolves with its id. */
  public Future<Long> add(String orgId, String title, String body) {
    return pool.preparedQuery(CannedReplyQueries.INSERT)
        .execute(Tuple.of(orgId, title, body))
        .map(rows -> rows.iterator().next().getLong(0));
  }

  /**
   * Deletes one of the organisation's own canned replies; false when it is not theirs (or a
   * default).
   */
  public Future<Boolean> delete(long id, String orgId) {
    return pool.preparedQuery(CannedReplyQueries.DELETE)
        .execute(Tuple.of(id, orgId))
        .map(rows -> rows.rowCount() == 1);
  }

  /** A canned reply; {@code orgId} null for platform defaults. */
  public record CannedReply(long id, String orgId, String title, String body) {}
}
