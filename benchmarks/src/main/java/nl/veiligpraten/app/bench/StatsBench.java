package nl.veiligpraten.app.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import nl.veiligpraten.infra.db.Database;
import nl.veiligpraten.infra.db.DbSettings;
import nl.veiligpraten.infra.db.EmbeddedDatabase;
import nl.veiligpraten.infra.db.Migrations;
import nl.veiligpraten.routing.stats.Publication;
import nl.veiligpraten.routing.stats.StatsQuery;
import nl.veiligpraten.routing.stats.Viewer;
import nl.veiligpraten.statistics.StatsGenerator;
import nl.veiligpraten.statistics.StatsRepository;

/**
 * Benchmark of the statistics month overview (inflow, abandonment, p50/p90 waits, waited longer
 * than 5 and 10 minutes, left before the first reply or during the chat, per help point and
 * priority; issue 22) over a generated month of 1,000,000 conversations, against a baseline
 * measured in the same run: a plain {@code count(*)} over the same rows. Prints medians and their
 * ratios: the overview of a finished month (stored once in stat_month_overview), the live
 * computation (running month), and a published chain figure. Not part of the test run: {@code
 * ./bench stats}.
 *
 * <p>Arguments: {@code [cases] [repetitions]}, defaults 1000000 and 7. Uses a throw-away embedded
 * PostgreSQL unless DATABASE_URL/PGHOST name a server (whose stat tables then get the generated
 * rows added).
 */
public final class StatsBench {

  private StatsBench() {}

  public static void main(String[] args) throws Exception {
    int cases = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int reps = args.length > 1 ? Integer.parseInt(args[1]) : 7;
    LocalDate month = LocalDate.of(2026, 10, 1);
    EmbeddedDatabase embedded = null;
    Path dir = null;
    DbSettings db;
    var external = DbSettings.external(System.getenv());
    if (external.isPresent()) {
      db = external.get();
    } else {
      dir = Files.createTempDirectory("vp-stats-bench");
      embedded = EmbeddedDatabase.start(dir.resolve("pg"), 0);
      db = embedded.settings();
    }
    Vertx vertx = Vertx.vertx();
    try {
      Migrations.migrateBlocking(db);
      Pool pool = Database.pool(vertx, db, 4);
      long t0 = System.nanoTime();
      long events = await(new StatsGenerator(pool).month(month, cases, 0.5));
      double genSeconds = (System.nanoTime() - t0) / 1e9;
      // A finished month is vacuumed by autovacuum long before anyone asks for its overview; do it
      // now.
      await(pool.query("VACUUM ANALYZE stat_case").execute());
      long rows =
          await(pool.query("SELECT count(*) FROM stat_case").execute())
              .iterator()
              .next()
              .getLong(0);
      System.out.printf(
          "generated %,d cases (%,d events) in %.1f s; stat_case holds %,d rows%n",
          cases, events, genSeconds, rows);

      StatsRepository repo = new StatsRepository(pool);
      double baseline = median(reps, () -> repo.monthBaseline(month).mapEmpty());
      double live = median(reps, () -> repo.monthOverviewLive(month).mapEmpty());
      long s0 = System.nanoTime();
      await(repo.summariseMonth(month));
      double summarise = (System.nanoTime() - s0) / 1e6;
      java.time.Instant later = StatsRepository.startOf(month.plusMonths(2)).toInstant();
      double overview = median(reps, () -> repo.monthOverview(month, later).mapEmpty());
      StatsQuery chainQuery =
          StatsQuery.parse(
              Map.of(
                  "figure",
                  "inflow",
                  "by",
                  "age_band",
                  "from",
                  month.toString(),
                  "to",
                  month.plusMonths(1).minusDays(1).toString()),
              new Viewer("chain_viewer", null));
      double published =
          median(reps, () -> repo.figure(chainQuery).map(Publication::publish).mapEmpty());
      Map<String, Double> manager = new java.util.LinkedHashMap<>();
      for (String[] f :
          new String[][] {
            {"waited", "priority", "chain_viewer"},
            {"left", "none", "chain_viewer"},
            {"inflow", "came_from", "chain_viewer"},
            {"heatmap", "none", "csg"}
          }) {
        Viewer v =
            f[2].equals("csg")
                ? new Viewer("stats_viewer", "csg")
                : new Viewer("chain_viewer", null);
        StatsQuery q =
            StatsQuery.parse(
                Map.of(
                    "figure",
                    f[0],
                    "by",
                    f[1],
                    "from",
                    month.toString(),
                    "to",
                    month.plusMonths(1).minusDays(1).toString()),
                v);
        manager.put(
            f[0] + " by " + f[1] + " (" + f[2] + ")",
            median(reps, () -> repo.figure(q).map(Publication::publish).mapEmpty()));
      }
      System.out.printf("baseline  count(*) over the month            : %8.1f ms%n", baseline);
      System.out.printf(
          "month overview, finished month (stored)      : %8.1f ms  ratio %.2f x baseline%n",
          overview, overview / baseline);
      System.out.printf(
          "month overview computed live (running month) : %8.1f ms  ratio %.2f x baseline%n",
          live, live / baseline);
      System.out.printf("storing a finished month's overview (once)   : %8.1f ms%n", summarise);
      System.out.printf(
          "chain figure inflow x age band, suppressed   : %8.1f ms  ratio %.2f x baseline%n",
          published, published / baseline);
      manager.forEach(
          (name, ms) ->
              System.out.printf(
                  "%-45s: %8.1f ms  ratio %.2f x baseline%n", "figure " + name, ms, ms / baseline));
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      if (embedded != null) {
        embedded.close();
      }
    }
  }

  private static double median(int reps, Supplier<Future<Void>> run) throws Exception {
    await(run.get());
    List<Double> times = new ArrayList<>();
    for (int i = 0; i < reps; i++) {
      long t0 = System.nanoTime();
      await(run.get());
      times.add((System.nanoTime() - t0) / 1e6);
    }
    Collections.sort(times);
    return times.get(times.size() / 2);
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.MINUTES);
  }
}
