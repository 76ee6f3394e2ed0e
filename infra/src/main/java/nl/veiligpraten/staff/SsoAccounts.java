package nl.veiligpraten.staff;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Staff accounts bound to a subject at their organisation's OpenID Connect provider, and their
 * sessions (issue 21). Accounts are bound explicitly by an admin; a sign-in never creates one.
 */
public final class SsoAccounts {

  private final Pool pool;

  public SsoAccounts(Pool pool) {
    this.pool = pool;
  }

  /** The active account of the organisation bound to this subject, if any. */
  public Future<Optional<StaffUser>> bySubject(String orgId, String subject) {
    return pool.preparedQuery(SsoQueries.BY_SUBJECT)
        .execute(Tuple.of(orgId, subject))
        .map(
            rows ->
                rows.rowCount() == 0
                    ? Optional.empty()
                    : Optional.of(StaffUser.from(rows.iterator().next())));
  }

  /** Outcome of binding an account: the sessions it ended, or why nothing changed. */
  public sealed interface Bound {
    /** Bound; every earlier session of the account ended (their id hashes). */
    record Done(List<byte[]> endedSessions) implements Bound {}

    /** Another account of the organisation is bound to that subject already. */
    record SubjectTaken() implements Bound {}

    /** The account is not an organisation's account (platform accounts keep password and TOTP). */
    record NotAnOrganisationAccount() implements Bound {}
  }

  /**
   * Binds the account to the subject in one transaction: open enrolment links go (they would set a
   * password) and its sessions end, so nothing signed in the old way outlives the binding.
   */
  public Future<Bound> bind(long userId, String subject) {
    return pool.withTransaction(
            conn ->
                conn.preparedQuery(SsoQueries.BIND)
                    .execute(Tuple.of(userId, subject))
                    .compose(
                        r -> {
                          if (r.rowCount() == 0) {
                            return Future.succeededFuture(
                                (Bound) new Bound.NotAnOrganisationAccount());
                          }
                          return conn.preparedQuery(StaffQueries.DROP_OPEN_ENROLMENTS)
                              .execute(Tuple.of(userId))
                              .compose(
                                  v ->
                                      conn.preparedQuery(StaffQueries.DELETE_USER_SESSIONS)
                                          .execute(Tuple.of(userId)))
                              .map(
                                  rows -> {
                                    List<byte[]> ended = new ArrayList<>();
                                    for (Row row : rows) {
                                      ended.add(row.getBuffer("id_hash").getBytes());
                                    }
                                    return (Bound) new Bound.Done(ended);
                                  });
                        }))
        .recover(
            e ->
                e instanceof PgException pg && "23505".equals(pg.getSqlState())
                    ? Future.succeededFuture(new Bound.SubjectTaken())
                    : Future.failedFuture(e));
  }

  /** A new single sign-on session, confirmed by the provider now. */
  public Future<Void> createSession(byte[] idHash, long userId, String csrfToken) {
    return pool.preparedQuery(SsoQueries.INSERT_SESSION)
        .execute(Tuple.of(Buffer.buffer(idHash), userId, csrfToken))
        .mapEmpty();
  }

  /**
   * The provider confirmed the person again (a refresh succeeded); false when the session is gone.
   */
  public Future<Boolean> confirmed(byte[] idHash) {
    return pool.preparedQuery(SsoQueries.CONFIRMED)
        .execute(Tuple.of(Buffer.buffer(idHash)))
        .map(r -> r.rowCount() == 1);
  }
}
