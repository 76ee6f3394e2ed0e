package nl.veiligpraten.statistics;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.LocalDate;

/**
 * Fills the statistics store with a realistic month of cases for tests, demos and the benchmark.
 * Events are inserted directly (not through WebSockets) in batches of at most {@link #BATCH} cases,
 * one transaction each; the projection trigger builds {@code stat_case} as it would for live
 * traffic. Deterministic for a seed (case refs are random).
 */
public final class StatsGenerator {

  /** Cases per transaction: keeps the trigger's transition table and sort memory moderate. */
  public static final int BATCH = 100_000;

  private final Pool pool;

  public StatsGenerator(Pool pool) {
    this.pool = pool;
  }

  /**
   * Generates {@code cases} cases spread over the month that starts on {@code firstDay}; resolves
   * with events.
   */
  public Future<Long> month(LocalDate firstDay, int cases, double seed) {
    int days = firstDay.lengthOfMonth();
    Future<Long> chain =
        pool.withTransaction(
            conn ->
                conn.preparedQuery(GeneratorQueries.CAPACITY)
                    .execute(Tuple.of(StatsRepository.startOf(firstDay), days))
                    .map(0L));
    int remaining = cases;
    int batchNo = 0;
    while (remaining > 0) {
      int n = Math.min(BATCH, remaining);
      double batchSeed = ((seed * 7919 + batchNo) % 2.0) - 1.0;
      chain =
          chain.compose(total -> batch(firstDay, days, n, batchSeed).map(added -> total + added));
      remaining -= n;
      batchNo++;
    }
    return chain;
  }

  private Future<Long> batch(LocalDate firstDay, int days, int n, double seed) {
    return pool.withTransaction(
        conn ->
            conn.preparedQuery(GeneratorQueries.SEED)
                .execute(Tuple.of(seed))
                .compose(
                    v ->
                        conn.preparedQuery(GeneratorQueries.EVENTS)
                            .execute(Tuple.of(StatsRepository.startOf(firstDay), days, n)))
                .map(rows -> (long) rows.rowCount()));
  }
}
