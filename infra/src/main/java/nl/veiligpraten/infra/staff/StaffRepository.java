package nl.veiligpraten.infra.staff;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.Optional;

/** Organisations, staff users and their console sessions. */
public final class StaffRepository {

  private final Pool pool;

  public StaffRepository(Pool pool) {
    this.pool = pool;
  }

  public Future<Void> createOrganisation(String id, String name) {
    return pool.preparedQuery(StaffQueries.INSERT_ORG).execute(Tuple.of(id, name)).mapEmpty();
  }

  public Future<Long> countOrganisations() {
    return pool.query(StaffQueries.COUNT_ORGS).execute().map(rows -> rows.iterator().next().getLong(0));
  }

  /** Creates a user with an already hashed password (hash on a worker thread first). */
  public Future<StaffUser> createUser(String orgId, String username, String displayName, String role, String hash) {
    return pool.preparedQuery(StaffQueries.INSERT_USER).execute(Tuple.of(orgId, username, displayName, role, hash))
        .map(rows -> StaffUser.from(rows.iterator().next()));
  }

  public Future<Optional<StaffUser>> byUsername(String username) {
    return pool.preparedQuery(StaffQueries.BY_USERNAME).execute(Tuple.of(username))
        .map(rows -> rows.rowCount() == 0 ? Optional.empty() : Optional.of(StaffUser.from(rows.iterator().next())));
  }

  public Future<Optional<StaffUser>> byId(long id) {
    return pool.preparedQuery(StaffQueries.BY_ID).execute(Tuple.of(id))
        .map(rows -> rows.rowCount() == 0 ? Optional.empty() : Optional.of(StaffUser.from(rows.iterator().next())));
  }

  public Future<Void> createSession(byte[] idHash, long userId, String csrfToken) {
    return pool.preparedQuery(StaffQueries.INSERT_SESSION).execute(Tuple.of(Buffer.buffer(idHash), userId, csrfToken))
        .mapEmpty();
  }

  public Future<Optional<SessionRow>> session(byte[] idHash) {
    return pool.preparedQuery(StaffQueries.SESSION).execute(Tuple.of(Buffer.buffer(idHash))).map(rows -> {
      if (rows.rowCount() == 0) {
        return Optional.empty();
      }
      Row row = rows.iterator().next();
      return Optional.of(new SessionRow(StaffUser.from(row), row.getString("csrf_token"),
          row.getOffsetDateTime("created_at"), row.getOffsetDateTime("last_seen_at")));
    });
  }

  public Future<Void> touchSession(byte[] idHash) {
    return pool.preparedQuery(StaffQueries.TOUCH_SESSION).execute(Tuple.of(Buffer.buffer(idHash))).mapEmpty();
  }

  public Future<Void> deleteSession(byte[] idHash) {
    return pool.preparedQuery(StaffQueries.DELETE_SESSION).execute(Tuple.of(Buffer.buffer(idHash))).mapEmpty();
  }

  /** A stored session joined with its user. */
  public record SessionRow(StaffUser user, String csrfToken, OffsetDateTime createdAt, OffsetDateTime lastSeenAt) {
  }
}
