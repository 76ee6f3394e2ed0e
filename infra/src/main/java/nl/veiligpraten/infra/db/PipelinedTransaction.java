package nl.veiligpraten.infra.db;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.util.function.BiFunction;

/**
 * A transaction whose BEGIN and COMMIT travel in the same network writes as the statements next to
 * them, for hot write paths. {@code Pool.withTransaction} waits for BEGIN before it sends the first
 * statement and for the last statement's answer before it sends COMMIT: two extra round trips to
 * PostgreSQL per transaction, each a wake-up of the backend and of the event loop. Here BEGIN is
 * sent without waiting, and the body sends COMMIT (see {@link #commit()}) right behind its last
 * statements, so a lock-then-write transaction takes two round trips.
 *
 * <p>Why this is safe: PostgreSQL runs pipelined statements in order. If any statement fails, the
 * transaction is aborted and the pipelined COMMIT rolls it back (it answers "ROLLBACK" without an
 * error), so the body must treat the transaction as committed only when every one of its statements
 * and the COMMIT succeeded. The body does that by returning all of their futures joined. If the
 * body fails or never commits, a ROLLBACK is sent before the connection goes back to the pool, so
 * no pooled connection is ever left inside a transaction.
 */
public final class PipelinedTransaction {

  private final SqlConnection connection;
  private final Future<?> begin;
  private Future<Void> commit;

  private PipelinedTransaction(SqlConnection connection) {
    this.connection = connection;
    this.begin = connection.query("BEGIN").execute();
  }

  /**
   * Runs {@code body} in one transaction on a pooled connection. The body gets the connection and
   * this transaction; it must call {@link #commit()} after its last statement and return a future
   * that succeeds only if all of its statements did. The result succeeds only if BEGIN, the body
   * and COMMIT did.
   */
  public static <T> Future<T> run(
      Pool pool, BiFunction<SqlConnection, PipelinedTransaction, Future<T>> body) {
    return pool.getConnection()
        .compose(
            conn -> {
              PipelinedTransaction tx = new PipelinedTransaction(conn);
              Future<T> result;
              try {
                result = body.apply(conn, tx);
              } catch (RuntimeException e) {
                result = Future.failedFuture(e);
              }
              return result
                  .compose(value -> tx.committed().map(value))
                  .recover(
                      e ->
                          conn.query("ROLLBACK")
                              .execute()
                              .transform(ignored -> Future.<T>failedFuture(e)))
                  .andThen(ignored -> conn.close());
            });
  }

  /**
   * Sends COMMIT now, behind every statement sent so far; the future tells whether it committed.
   */
  public Future<Void> commit() {
    if (commit == null) {
      commit = connection.query("COMMIT").execute().mapEmpty();
    }
    return commit;
  }

  private Future<Void> committed() {
    if (commit == null) {
      return Future.failedFuture(new IllegalStateException("the transaction body did not commit"));
    }
    return Future.all(begin, commit).mapEmpty();
  }
}
