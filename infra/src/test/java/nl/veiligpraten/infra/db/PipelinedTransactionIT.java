package nl.veiligpraten.infra.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link PipelinedTransaction} on a real PostgreSQL, through a pool of one connection: after every
 * outcome the next user of that connection must find it outside any transaction.
 */
@DisplayName(
    "A pipelined transaction commits only when all of it succeeded and never leaves a pooled connection "
        + "inside a transaction")
class PipelinedTransactionIT {

  @TempDir static Path dataDir;
  static EmbeddedDatabase db;
  static Vertx vertx;
  static Pool pool;

  @BeforeAll
  static void setUp() throws Exception {
    db = EmbeddedDatabase.start(dataDir.resolve("pg"), 0);
    vertx = Vertx.vertx();
    pool = Database.pool(vertx, db.settings(), 1);
    await(pool.query("CREATE TABLE t (id int PRIMARY KEY, v text)").execute());
  }

  @AfterAll
  static void tearDown() throws Exception {
    await(pool.close());
    await(vertx.close());
    db.close();
  }

  @BeforeEach
  void empty() throws Exception {
    await(pool.query("TRUNCATE t").execute());
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static long rows() throws Exception {
    return await(pool.query("SELECT count(*) FROM t").execute()).iterator().next().getLong(0);
  }

  /** Fails if the pool's one connection is still inside a transaction (open or aborted). */
  private static void poolIsOutsideATransaction() throws Exception {
    await(
        pool.withConnection(
            conn -> conn.query("INSERT INTO t VALUES (1000, 'autocommit')").execute()));
    try (var jdbc =
        java.sql.DriverManager.getConnection(
            "jdbc:postgresql://127.0.0.1:" + db.port() + "/postgres",
            "postgres",
            db.settings().password())) {
      var rs = jdbc.createStatement().executeQuery("SELECT count(*) FROM t WHERE id = 1000");
      rs.next();
      assertEquals(1, rs.getLong(1), "the insert after the transaction committed on its own");
    }
  }

  @Test
  @DisplayName("statements sent behind BEGIN and ahead of COMMIT are committed together")
  void commitsTogether() throws Exception {
    String result =
        await(
            PipelinedTransaction.<String>run(
                pool,
                (conn, tx) ->
                    conn.preparedQuery("SELECT id FROM t WHERE id = $1 FOR UPDATE")
                        .execute(Tuple.of(1))
                        .compose(
                            locked -> {
                              Future<?> a =
                                  conn.preparedQuery("INSERT INTO t VALUES ($1, $2)")
                                      .execute(Tuple.of(1, "een"));
                              Future<?> b =
                                  conn.preparedQuery("INSERT INTO t VALUES ($1, $2)")
                                      .execute(Tuple.of(2, "twee"));
                              return Future.all(a, b, tx.commit()).map("done");
                            })));
    assertEquals("done", result);
    assertEquals(2, rows());
    poolIsOutsideATransaction();
  }

  @Test
  @DisplayName(
      "a failing statement ahead of a pipelined COMMIT rolls back the statements before it; the caller gets "
          + "that statement's error")
  void failingStatementRollsBack() throws Exception {
    await(pool.query("INSERT INTO t VALUES (2, 'al opgeslagen')").execute());
    ExecutionException e =
        assertThrows(
            ExecutionException.class,
            () ->
                await(
                    PipelinedTransaction.<Void>run(
                        pool,
                        (conn, tx) -> {
                          Future<?> a =
                              conn.preparedQuery("INSERT INTO t VALUES ($1, $2)")
                                  .execute(Tuple.of(1, "een"));
                          Future<?> b =
                              conn.preparedQuery("INSERT INTO t VALUES ($1, $2)")
                                  .execute(Tuple.of(2, "dubbel"));
                          Future<?> c =
                              conn.preparedQuery("INSERT INTO t VALUES ($1, $2)")
                                  .execute(Tuple.of(3, "drie"));
                          return Future.all(a, b, c, tx.commit()).mapEmpty();
                        })));
    assertInstanceOf(PgException.class, e.getCause());
    assertEquals("23505", ((PgException) e.getCause()).getSqlState());
    assertEquals(1, rows(), "only the row stored before");
    poolIsOutsideATransaction();
  }

  @Test
  @DisplayName("a body that fails before it commits leaves nothing behind")
  void failureBeforeCommitRollsBack() throws Exception {
    ExecutionException e =
        assertThrows(
            ExecutionException.class,
            () ->
                await(
                    PipelinedTransaction.<Void>run(
                        pool,
                        (conn, tx) ->
                            conn.preparedQuery("INSERT INTO t VALUES ($1, $2)")
                                .execute(Tuple.of(1, "een"))
                                .compose(
                                    inserted ->
                                        Future.failedFuture(
                                            new IllegalArgumentException(
                                                "refused by the caller"))))));
    assertEquals("refused by the caller", e.getCause().getMessage());
    assertEquals(0, rows());
    poolIsOutsideATransaction();
  }

  @Test
  @DisplayName(
      "a body that succeeds without committing is an error, and its writes are rolled back")
  void bodyWithoutCommitFails() throws Exception {
    ExecutionException e =
        assertThrows(
            ExecutionException.class,
            () ->
                await(
                    PipelinedTransaction.<Void>run(
                        pool,
                        (conn, tx) ->
                            conn.preparedQuery("INSERT INTO t VALUES ($1, $2)")
                                .execute(Tuple.of(1, "een"))
                                .mapEmpty())));
    assertInstanceOf(IllegalStateException.class, e.getCause());
    assertTrue(e.getCause().getMessage().contains("did not commit"));
    assertEquals(0, rows());
    poolIsOutsideATransaction();
  }
}
