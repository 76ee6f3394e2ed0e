package nl.veiligpraten.statistics;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import nl.veiligpraten.routing.stats.CountTable;
import nl.veiligpraten.routing.stats.Dimension;
import nl.veiligpraten.routing.stats.Figure;
import nl.veiligpraten.routing.stats.FigureData;
import nl.veiligpraten.routing.stats.Granularity;
import nl.veiligpraten.routing.stats.RowKind;
import nl.veiligpraten.routing.stats.StatsQuery;
import nl.veiligpraten.routing.stats.ValueTable;

/**
 * Reads figures from the statistics store (stat_case, stat_event, stat_capacity_sample). Returns
 * raw {@link FigureData}; who may see what is applied afterwards by the pure {@code Publication}.
 */
public final class StatsRepository {

  /** Dutch local time: days and hours of the figures are local days and hours. */
  public static final ZoneId ZONE = ZoneId.of(StatsQueries.ZONE);

  /** Default thresholds of the "waited longer than" figure, in minutes. */
  public static final List<Integer> DEFAULT_WAIT_THRESHOLDS = List.of(5, 10);

  private final Pool pool;
  private final List<Integer> waitThresholds;
  private final Map<String, Map<Integer, Integer>> targets;

  public StatsRepository(Pool pool) {
    this(pool, DEFAULT_WAIT_THRESHOLDS, Map.of());
  }

  /**
   * @param waitThresholds minutes of the "waited longer than" figure (configuration, fixed: a
   *     viewer cannot choose them, so two close thresholds can never be subtracted from each other)
   * @param targets target first-response seconds per help point and priority (help-points.yaml)
   */
  public StatsRepository(
      Pool pool, List<Integer> waitThresholds, Map<String, Map<Integer, Integer>> targets) {
    this.pool = pool;
    this.waitThresholds = List.copyOf(waitThresholds);
    this.targets = Map.copyOf(targets);
  }

  /** Start of a local day as an instant. */
  public static OffsetDateTime startOf(LocalDate day) {
    return day.atStartOfDay(ZONE).toOffsetDateTime();
  }

  public Future<FigureData> figure(StatsQuery q) {
    Figure f = q.figure();
    if (f == Figure.WAITING) {
      return waiting(q);
    }
    if (f == Figure.REACH) {
      return reach(q);
    }
    if (f == Figure.QUEUE) {
      return queue(q);
    }
    if (f == Figure.WAITED) {
      return waited(q);
    }
    if (f == Figure.HEATMAP) {
      return heatmap(q);
    }
    if (f == Figure.REFERRED_IN) {
      String row =
          q.rows() == RowKind.TIME
              ? StatsQueries.bucket(q.granularity(), "e.at")
              : "e.to_help_point";
      return counts(
          q, "referred_in", StatsQueries.referredIn(row), StatsQueries.referredIn(row), List.of());
    }
    String rowExpr = rowExpr(q);
    if (f == Figure.OVERRIDES) {
      return counts(
          q, "overrides", StatsQueries.overrides(false), StatsQueries.overrides(true), List.of());
    }
    if (f == Figure.REFERRALS) {
      return counts(
          q,
          "referrals",
          StatsQueries.referrals(false),
          StatsQueries.referrals(true),
          List.of("accepted", "declined", "open"));
    }
    String column;
    List<String> fixed;
    if (f == Figure.ABANDONED) {
      column = StatsQueries.ABANDONED_COLUMN;
      fixed = List.of("abandoned", "not_abandoned");
    } else if (f == Figure.LEFT) {
      column = StatsQueries.LEFT_COLUMN;
      fixed = List.of("in_queue", "before_first_reply", "during_chat", "stayed");
    } else if (f == Figure.TRANSFERS) {
      column = StatsQueries.TRANSFERS_COLUMN;
      fixed = List.of("0", "1", "2", "3+");
    } else {
      column = StatsQueries.split(q.by());
      fixed = q.by().fixedValues();
    }
    boolean allChannels = q.by() == Dimension.CHANNEL;
    return counts(
        q,
        f.code(),
        StatsQueries.counts(rowExpr, column, false, allChannels),
        StatsQueries.counts(rowExpr, column, true, allChannels),
        fixed);
  }

  private static String rowExpr(StatsQuery q) {
    // Codes need no language-aware ordering; byte order sorts several times faster for the
    // percentile groups.
    return q.rows() == RowKind.TIME
        ? StatsQueries.bucket(dataGranularity(q), "c.queued_at")
        : "c.help_point COLLATE \"C\"";
  }

  /**
   * Outside the organisation time rows are read per day whatever the request: Publication protects
   * the days of each month once and sums them into weeks and months, so a week never shows what its
   * days hide.
   */
  static Granularity dataGranularity(StatsQuery q) {
    return q.outside() && q.rows() == RowKind.TIME ? Granularity.DAY : q.granularity();
  }

  private Tuple all(StatsQuery q) {
    return Tuple.of(startOf(q.from()), startOf(q.to().plusDays(1)));
  }

  private Tuple own(StatsQuery q) {
    return Tuple.of(startOf(q.from()), startOf(q.to().plusDays(1)), q.orgId());
  }

  /**
   * Runs one figure statement with enough sort memory: percentiles need sorted input, and with the
   * default 4 MB a month of a large organisation spills to disk. SET LOCAL ends with the
   * transaction, so pooled connections keep the server default.
   */
  private Future<RowSet<Row>> query(String sql, Tuple params) {
    return pool.withTransaction(
        conn ->
            conn.query(StatsQueries.SORT_MEMORY)
                .execute()
                .compose(v -> conn.preparedQuery(sql).execute(params)));
  }

  /** Runs the organisation's and/or everybody's statement, as the scope needs. */
  private Future<RowSet<Row>[]> run(StatsQuery q, String allSql, String ownSql) {
    boolean needOwn = q.orgId() != null;
    boolean needAll = q.outside();
    Future<RowSet<Row>> ownRows = needOwn ? query(ownSql, own(q)) : Future.succeededFuture();
    Future<RowSet<Row>> allRows = needAll ? query(allSql, all(q)) : Future.succeededFuture();
    return Future.all(ownRows, allRows)
        .map(
            cf -> {
              @SuppressWarnings({
                "unchecked",
                "rawtypes"
              }) // Java cannot create a generic array other than raw
              RowSet<Row>[] out = new RowSet[] {cf.resultAt(0), cf.resultAt(1)};
              return out;
            });
  }

  private Future<FigureData> counts(
      StatsQuery q, String name, String allSql, String ownSql, List<String> fixed) {
    return run(q, allSql, ownSql)
        .map(
            sets -> {
              Map<String, Map<String, Long>> own = cells(sets[0], "n");
              Map<String, Map<String, Long>> all = cells(sets[1], "n");
              List<String> rows = rowLabels(q, own, all);
              List<String> columns = columnLabels(fixed, own, all);
              return new FigureData(q, List.of(split(name, rows, columns, own, all)), List.of());
            });
  }

  private Future<FigureData> waiting(StatsQuery q) {
    String rowExpr = rowExpr(q);
    // Issue 19: split by channel, the columns are chat and message (time to first answer of a
    // message left by
    // code); otherwise priorities of chats only.
    boolean byChannel = q.by() == Dimension.CHANNEL;
    String column =
        byChannel
            ? StatsQueries.split(Dimension.CHANNEL)
            : "coalesce('P' || c.priority, 'unknown')";
    return run(
            q,
            StatsQueries.waiting(rowExpr, column, false, byChannel),
            StatsQueries.waiting(rowExpr, column, true, byChannel))
        .map(
            sets -> {
              Map<String, Map<String, Long>> own = cells(sets[0], "n");
              Map<String, Map<String, Long>> all = cells(sets[1], "n");
              List<String> rows = rowLabels(q, own, all);
              List<String> columns =
                  columnLabels(
                      (byChannel ? Dimension.CHANNEL : Dimension.PRIORITY).fixedValues(), own, all);
              RowSet<Row> source = q.outside() ? sets[1] : sets[0];
              List<ValueTable> values =
                  List.of(
                      values("p50_seconds", rows, columns, source, "p50", "seconds", "waiting_n"),
                      values("p90_seconds", rows, columns, source, "p90", "seconds", "waiting_n"),
                      targetTable(q, rows, columns));
              return new FigureData(
                  q, List.of(split("waiting_n", rows, columns, own, all)), values);
            });
  }

  /**
   * Reach: the role, age-band and language splits per row; Publication derives the target groups
   * (youth, bystanders, perpetrators, easy language, English) from them, so a group never shows
   * what its split hides.
   */
  private Future<FigureData> waited(StatsQuery q) {
    String rowExpr = rowExpr(q);
    List<String> hps = new ArrayList<>();
    List<Integer> prios = new ArrayList<>();
    List<Integer> secs = new ArrayList<>();
    targets.forEach(
        (hp, byPrio) ->
            byPrio.forEach(
                (p, t) -> {
                  hps.add(hp);
                  prios.add(p);
                  secs.add(t);
                }));
    String[] hpArr = hps.toArray(new String[0]);
    Integer[] prioArr = prios.toArray(new Integer[0]);
    Integer[] secArr = secs.toArray(new Integer[0]);
    Tuple ownParams =
        Tuple.of(startOf(q.from()), startOf(q.to().plusDays(1)), q.orgId(), hpArr, prioArr, secArr);
    Tuple allParams =
        Tuple.of(startOf(q.from()), startOf(q.to().plusDays(1)), null, hpArr, prioArr, secArr);
    Future<RowSet<Row>> ownRows =
        q.orgId() != null
            ? query(StatsQueries.waited(rowExpr, waitThresholds, true), ownParams)
            : Future.succeededFuture();
    Future<RowSet<Row>> allRows =
        q.outside()
            ? query(StatsQueries.waited(rowExpr, waitThresholds, false), allParams)
            : Future.succeededFuture();
    return Future.all(ownRows, allRows)
        .map(
            cf -> {
              RowSet<Row> ownSet = cf.resultAt(0);
              RowSet<Row> allSet = cf.resultAt(1);
              List<String> names = new ArrayList<>(List.of("queued"));
              waitThresholds.forEach(m -> names.add("over_" + m + "m"));
              names.add("within_target");
              List<FigureData.Counts> tables = new ArrayList<>();
              List<String> rows = null;
              List<String> columns = null;
              for (String name : names) {
                Map<String, Map<String, Long>> own = cells(ownSet, name);
                Map<String, Map<String, Long>> all = cells(allSet, name);
                if (rows == null) {
                  rows = rowLabels(q, own, all);
                  columns = columnLabels(Dimension.PRIORITY.fixedValues(), own, all);
                }
                tables.add(split(name, rows, columns, own, all));
              }
              return new FigureData(q, tables, List.of(targetTable(q, rows, columns)));
            });
  }

  /**
   * The configured target first response per help point and priority (configuration, not data:
   * never gated).
   */
  private ValueTable targetTable(StatsQuery q, List<String> rows, List<String> columns) {
    Double[][] target = new Double[rows.size()][columns.size()];
    for (int i = 0; i < rows.size(); i++) {
      for (int j = 0; j < columns.size(); j++) {
        String p = columns.get(j);
        Integer t =
            q.rows() == RowKind.HELP_POINT && p.startsWith("P")
                ? targets.getOrDefault(rows.get(i), Map.of()).get(Integer.parseInt(p.substring(1)))
                : null;
        target[i][j] = t == null ? null : t.doubleValue();
      }
    }
    return new ValueTable("target_seconds", rows, columns, target, "seconds", null);
  }

  /** Weekday x hour inflow of the organisation, mean chats per hour and mean counselors online. */
  private Future<FigureData> heatmap(StatsQuery q) {
    Tuple params = own(q);
    Future<RowSet<Row>> inflow = query(StatsQueries.HEATMAP_INFLOW, params);
    Future<RowSet<Row>> online = query(StatsQueries.HEATMAP_ONLINE, params);
    return Future.all(inflow, online)
        .map(
            cf -> {
              List<String> rows = List.of("mon", "tue", "wed", "thu", "fri", "sat", "sun");
              List<String> columns = new ArrayList<>();
              for (int h = 0; h < 24; h++) {
                columns.add(String.format("%02d", h));
              }
              long[][] counts = new long[7][24];
              for (Row row : cf.<RowSet<Row>>resultAt(0)) {
                counts[row.getInteger("d") - 1][row.getInteger("h")] = row.getLong("n");
              }
              // How often each weekday occurs in the period, to turn counts into a mean per hour.
              int[] days = new int[7];
              for (LocalDate d = q.from(); !d.isAfter(q.to()); d = d.plusDays(1)) {
                days[d.getDayOfWeek().getValue() - 1]++;
              }
              Double[][] perHour = new Double[7][24];
              Double[][] onlineMean = new Double[7][24];
              for (int d = 0; d < 7; d++) {
                for (int h = 0; h < 24; h++) {
                  perHour[d][h] =
                      days[d] == 0 ? null : Math.round(10.0 * counts[d][h] / days[d]) / 10.0;
                }
              }
              for (Row row : cf.<RowSet<Row>>resultAt(1)) {
                onlineMean[row.getInteger("d") - 1][row.getInteger("h")] =
                    Math.round(row.getDouble("online") * 10) / 10.0;
              }
              CountTable own = new CountTable(rows, columns, counts);
              return new FigureData(
                  q,
                  List.of(
                      new FigureData.Counts(
                          "inflow", own, new CountTable(rows, columns, new long[7][24]))),
                  List.of(
                      new ValueTable("inflow_per_hour", rows, columns, perHour, "chats", null),
                      new ValueTable(
                          "counselors_online", rows, columns, onlineMean, "counselors", null)));
            });
  }

  private Future<FigureData> reach(StatsQuery q) {
    String rowExpr = rowExpr(q);
    List<Dimension> splits = List.of(Dimension.ROLE, Dimension.AGE_BAND, Dimension.LANG);
    List<Future<FigureData.Counts>> parts = new ArrayList<>();
    for (Dimension d : splits) {
      String column = StatsQueries.split(d);
      parts.add(
          run(
                  q,
                  StatsQueries.counts(rowExpr, column, false),
                  StatsQueries.counts(rowExpr, column, true))
              .map(
                  sets -> {
                    Map<String, Map<String, Long>> own = cells(sets[0], "n");
                    Map<String, Map<String, Long>> all = cells(sets[1], "n");
                    return split(
                        d.code(),
                        rowLabels(q, own, all),
                        columnLabels(d.fixedValues(), own, all),
                        own,
                        all);
                  }));
    }
    return Future.all(parts).map(cf -> new FigureData(q, cf.list(), List.of()));
  }

  private Future<FigureData> queue(StatsQuery q) {
    Tuple params = own(q);
    Future<RowSet<Row>> lengths = query(StatsQueries.queueLength(q.granularity()), params);
    Future<RowSet<Row>> online = query(StatsQueries.counselorsOnline(q.granularity()), params);
    return Future.all(lengths, online)
        .map(
            cf -> {
              RowSet<Row> lengthRows = cf.resultAt(0);
              RowSet<Row> onlineRows = cf.resultAt(1);
              List<String> rows = q.granularity().labels(q.from(), q.to());
              Set<String> hps = new TreeSet<>();
              Map<String, Map<String, long[]>> byRow = new HashMap<>();
              for (Row row : lengthRows) {
                String hp = row.getString("k");
                hps.add(hp);
                byRow
                    .computeIfAbsent(
                        row.getString("r") == null ? "" : row.getString("r"), k -> new HashMap<>())
                    .put(hp, new long[] {row.getLong("maxlen"), row.getLong("lastlen")});
              }
              List<String> columns = new ArrayList<>(hps);
              Double[][] max = new Double[rows.size()][columns.size()];
              for (int j = 0; j < columns.size(); j++) {
                long[] before = byRow.getOrDefault("", Map.of()).get(columns.get(j));
                long carry = before == null ? 0 : before[1];
                for (int i = 0; i < rows.size(); i++) {
                  long[] here = byRow.getOrDefault(rows.get(i), Map.of()).get(columns.get(j));
                  long value = here == null ? carry : Math.max(carry, here[0]);
                  max[i][j] = (double) value;
                  if (here != null) {
                    carry = here[1];
                  }
                }
              }
              Map<String, Double> onlineByRow = new HashMap<>();
              for (Row row : onlineRows) {
                onlineByRow.put(
                    row.getString("r"), Math.round(row.getDouble("online") * 10) / 10.0);
              }
              Double[][] onlineValues = new Double[rows.size()][1];
              for (int i = 0; i < rows.size(); i++) {
                onlineValues[i][0] = onlineByRow.get(rows.get(i));
              }
              return new FigureData(
                  q,
                  List.of(),
                  List.of(
                      new ValueTable("queue_length_max", rows, columns, max, "chats", null),
                      new ValueTable(
                          "counselors_online",
                          rows,
                          List.of("online"),
                          onlineValues,
                          "counselors",
                          null)));
            });
  }

  private static ValueTable values(
      String name,
      List<String> rows,
      List<String> columns,
      RowSet<Row> set,
      String column,
      String unit,
      String gate) {
    Double[][] out = new Double[rows.size()][columns.size()];
    if (set != null) {
      for (Row row : set) {
        int i = rows.indexOf(row.getString("r"));
        int j = columns.indexOf(row.getString("k"));
        if (i >= 0 && j >= 0) {
          out[i][j] = row.getDouble(column);
        }
      }
    }
    return new ValueTable(name, rows, columns, out, unit, gate);
  }

  private static Map<String, Map<String, Long>> cells(RowSet<Row> set, String column) {
    Map<String, Map<String, Long>> out = new HashMap<>();
    if (set == null) {
      return out;
    }
    for (Row row : set) {
      out.computeIfAbsent(row.getString("r"), k -> new HashMap<>())
          .merge(row.getString("k"), row.getLong(column), Long::sum);
    }
    return out;
  }

  private static List<String> rowLabels(
      StatsQuery q, Map<String, Map<String, Long>> own, Map<String, Map<String, Long>> all) {
    if (q.rows() == RowKind.TIME) {
      return dataGranularity(q).labels(q.from(), q.to());
    }
    Set<String> rows = new TreeSet<>(own.keySet());
    rows.addAll(all.keySet());
    return new ArrayList<>(rows);
  }

  private static List<String> columnLabels(
      List<String> fixed, Map<String, Map<String, Long>> own, Map<String, Map<String, Long>> all) {
    Set<String> out = new LinkedHashSet<>(fixed);
    Set<String> extra = new TreeSet<>();
    own.values().forEach(m -> extra.addAll(m.keySet()));
    all.values().forEach(m -> extra.addAll(m.keySet()));
    out.addAll(extra);
    return new ArrayList<>(out);
  }

  /** Own table and others = all - own (for chain roles own is empty, so others = all). */
  private static FigureData.Counts split(
      String name,
      List<String> rows,
      List<String> columns,
      Map<String, Map<String, Long>> own,
      Map<String, Map<String, Long>> all) {
    long[][] ownCells = new long[rows.size()][columns.size()];
    long[][] otherCells = new long[rows.size()][columns.size()];
    for (int i = 0; i < rows.size(); i++) {
      for (int j = 0; j < columns.size(); j++) {
        long o = own.getOrDefault(rows.get(i), Map.of()).getOrDefault(columns.get(j), 0L);
        long a = all.getOrDefault(rows.get(i), Map.of()).getOrDefault(columns.get(j), 0L);
        ownCells[i][j] = o;
        otherCells[i][j] = all.isEmpty() ? 0 : Math.max(0, a - o);
      }
    }
    return new FigureData.Counts(
        name, new CountTable(rows, columns, ownCells), new CountTable(rows, columns, otherCells));
  }

  /** One line of the month overview. Percentiles are {@code null} without replies. */
  public record OverviewRow(
      String helpPoint,
      int priority,
      long inflow,
      long abandoned,
      long replied,
      Double p50,
      Double p90,
      long over5m,
      long over10m,
      long leftBeforeReply,
      long leftDuringChat) {}

  /**
   * The month overview computed live from stat_case (seconds at a million cases: a sort per group).
   */
  public Future<List<OverviewRow>> monthOverviewLive(LocalDate firstDay) {
    return query(
            StatsQueries.MONTH_OVERVIEW,
            Tuple.of(startOf(firstDay), startOf(firstDay.plusMonths(1))))
        .map(StatsRepository::overviewRows);
  }

  /**
   * The month overview: for a finished month from stat_month_overview, computed and stored on first
   * use (and again while it was computed less than a day after the month ended, when late first
   * replies and closes can still arrive); for the running month live.
   */
  public Future<List<OverviewRow>> monthOverview(LocalDate firstDay, java.time.Instant now) {
    OffsetDateTime end = startOf(firstDay.plusMonths(1));
    if (!now.isAfter(end.toInstant())) {
      return monthOverviewLive(firstDay);
    }
    return pool.preparedQuery(StatsQueries.MONTH_OVERVIEW_READ)
        .execute(Tuple.of(firstDay))
        .compose(
            rows -> {
              boolean fresh =
                  rows.rowCount() > 0
                      && rows.iterator()
                          .next()
                          .getOffsetDateTime("computed_at")
                          .isAfter(end.plusDays(1))
                      && rows.iterator().next().getLong("over_5m") != null;
              if (fresh) {
                return Future.succeededFuture(overviewRows(rows));
              }
              return summariseMonth(firstDay)
                  .compose(
                      v ->
                          pool.preparedQuery(StatsQueries.MONTH_OVERVIEW_READ)
                              .execute(Tuple.of(firstDay))
                              .map(StatsRepository::overviewRows));
            });
  }

  /** (Re)computes and stores the overview of one month. */
  public Future<Void> summariseMonth(LocalDate firstDay) {
    return pool.withTransaction(
        conn ->
            conn.query(StatsQueries.SORT_MEMORY)
                .execute()
                .compose(
                    v ->
                        conn.preparedQuery(StatsQueries.MONTH_OVERVIEW_DELETE)
                            .execute(Tuple.of(firstDay)))
                .compose(
                    v ->
                        conn.preparedQuery(StatsQueries.MONTH_OVERVIEW_STORE)
                            .execute(
                                Tuple.of(
                                    startOf(firstDay), startOf(firstDay.plusMonths(1)), firstDay)))
                .mapEmpty());
  }

  private static List<OverviewRow> overviewRows(RowSet<Row> rows) {
    List<OverviewRow> out = new ArrayList<>();
    for (Row row : rows) {
      Double[] p = row.getArrayOfDoubles("p");
      out.add(
          new OverviewRow(
              row.getString("help_point"),
              row.getShort("priority"),
              row.getLong("inflow"),
              row.getLong("abandoned"),
              row.getLong("replied"),
              p == null ? null : p[0],
              p == null ? null : p[1],
              row.getLong("over_5m"),
              row.getLong("over_10m"),
              row.getLong("left_before_reply"),
              row.getLong("left_during_chat")));
    }
    out.sort(
        java.util.Comparator.comparing(OverviewRow::helpPoint)
            .thenComparingInt(OverviewRow::priority));
    return out;
  }

  /** The benchmark's baseline: count(*) over the same rows. */
  public Future<Long> monthBaseline(LocalDate firstDay) {
    return query(
            StatsQueries.MONTH_BASELINE,
            Tuple.of(startOf(firstDay), startOf(firstDay.plusMonths(1))))
        .map(rows -> rows.iterator().next().getLong(0));
  }

  /**
   * Records one capacity sample per organisation for the current minute (idempotent per minute).
   */
  public Future<Void> sampleCapacity(long presenceWindowSeconds) {
    return pool.preparedQuery(StatsQueries.SAMPLE_CAPACITY)
        .execute(Tuple.of((double) presenceWindowSeconds))
        .mapEmpty();
  }
}
