package nl.veiligpraten.infra.stats;

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
 * Reads figures from the statistics store (stat_case, stat_event, stat_capacity_sample). Returns raw
 * {@link FigureData}; who may see what is applied afterwards by the pure {@code Publication}.
 */
public final class StatsRepository {

    /** Dutch local time: days and hours of the figures are local days and hours. */
    public static final ZoneId ZONE = ZoneId.of(StatsQueries.ZONE);

    private final Pool pool;

    public StatsRepository(Pool pool) {
        this.pool = pool;
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
        String rowExpr = rowExpr(q);
        if (f == Figure.OVERRIDES) {
            return counts(q, "overrides", StatsQueries.overrides(false), StatsQueries.overrides(true), List.of());
        }
        if (f == Figure.REFERRALS) {
            return counts(q, "referrals", StatsQueries.referrals(false), StatsQueries.referrals(true),
                List.of("accepted", "declined", "open"));
        }
        String column;
        List<String> fixed;
        if (f == Figure.ABANDONED) {
            column = StatsQueries.ABANDONED_COLUMN;
            fixed = List.of("abandoned", "not_abandoned");
        } else if (f == Figure.TRANSFERS) {
            column = StatsQueries.TRANSFERS_COLUMN;
            fixed = List.of("0", "1", "2", "3+");
        } else {
            column = StatsQueries.split(q.by());
            fixed = q.by().fixedValues();
        }
        return counts(q, f.code(), StatsQueries.counts(rowExpr, column, false),
            StatsQueries.counts(rowExpr, column, true), fixed);
    }

    private static String rowExpr(StatsQuery q) {
        // Codes need no language-aware ordering; byte order sorts several times faster for the percentile groups.
        return q.rows() == RowKind.TIME ? StatsQueries.bucket(dataGranularity(q), "c.queued_at")
            : "c.help_point COLLATE \"C\"";
    }

    /**
     * Outside the organisation time rows are read per day whatever the request: Publication protects the days of
     * each month once and sums them into weeks and months, so a week never shows what its days hide.
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
     * Runs one figure statement with enough sort memory: percentiles need sorted input, and with the default 4 MB a
     * month of a large organisation spills to disk. SET LOCAL ends with the transaction, so pooled connections keep
     * the server default.
     */
    private Future<RowSet<Row>> query(String sql, Tuple params) {
        return pool.withTransaction(conn -> conn.query(StatsQueries.SORT_MEMORY).execute()
            .compose(v -> conn.preparedQuery(sql).execute(params)));
    }

    /** Runs the organisation's and/or everybody's statement, as the scope needs. */
    private Future<RowSet<Row>[]> run(StatsQuery q, String allSql, String ownSql) {
        boolean needOwn = q.orgId() != null;
        boolean needAll = q.outside();
        Future<RowSet<Row>> ownRows = needOwn ? query(ownSql, own(q)) : Future.succeededFuture();
        Future<RowSet<Row>> allRows = needAll ? query(allSql, all(q)) : Future.succeededFuture();
        return Future.all(ownRows, allRows).map(cf -> {
            @SuppressWarnings("unchecked")
            RowSet<Row>[] out = new RowSet[] {cf.resultAt(0), cf.resultAt(1)};
            return out;
        });
    }

    private Future<FigureData> counts(StatsQuery q, String name, String allSql, String ownSql, List<String> fixed) {
        return run(q, allSql, ownSql).map(sets -> {
            Map<String, Map<String, Long>> own = cells(sets[0], "n");
            Map<String, Map<String, Long>> all = cells(sets[1], "n");
            List<String> rows = rowLabels(q, own, all);
            List<String> columns = columnLabels(fixed, own, all);
            return new FigureData(q, List.of(split(name, rows, columns, own, all)), List.of());
        });
    }

    private Future<FigureData> waiting(StatsQuery q) {
        String rowExpr = rowExpr(q);
        return run(q, StatsQueries.waiting(rowExpr, false), StatsQueries.waiting(rowExpr, true)).map(sets -> {
            Map<String, Map<String, Long>> own = cells(sets[0], "n");
            Map<String, Map<String, Long>> all = cells(sets[1], "n");
            List<String> rows = rowLabels(q, own, all);
            List<String> columns = columnLabels(Dimension.PRIORITY.fixedValues(), own, all);
            RowSet<Row> source = q.outside() ? sets[1] : sets[0];
            List<ValueTable> values = List.of(
                values("p50_seconds", rows, columns, source, "p50", "seconds", "waiting_n"),
                values("p90_seconds", rows, columns, source, "p90", "seconds", "waiting_n"));
            return new FigureData(q, List.of(split("waiting_n", rows, columns, own, all)), values);
        });
    }

    /**
     * Reach: the role, age-band and language splits per row; Publication derives the target groups (youth,
     * bystanders, perpetrators, easy language, English) from them, so a group never shows what its split hides.
     */
    private Future<FigureData> reach(StatsQuery q) {
        String rowExpr = rowExpr(q);
        List<Dimension> splits = List.of(Dimension.ROLE, Dimension.AGE_BAND, Dimension.LANG);
        List<Future<FigureData.Counts>> parts = new ArrayList<>();
        for (Dimension d : splits) {
            String column = StatsQueries.split(d);
            parts.add(run(q, StatsQueries.counts(rowExpr, column, false), StatsQueries.counts(rowExpr, column, true))
                .map(sets -> {
                    Map<String, Map<String, Long>> own = cells(sets[0], "n");
                    Map<String, Map<String, Long>> all = cells(sets[1], "n");
                    return split(d.code(), rowLabels(q, own, all), columnLabels(d.fixedValues(), own, all), own, all);
                }));
        }
        return Future.all(parts).map(cf -> new FigureData(q, cf.list(), List.of()));
    }

    private Future<FigureData> queue(StatsQuery q) {
        Tuple params = own(q);
        Future<RowSet<Row>> lengths = query(StatsQueries.queueLength(q.granularity()), params);
        Future<RowSet<Row>> online = query(StatsQueries.counselorsOnline(q.granularity()), params);
        return Future.all(lengths, online).map(cf -> {
            RowSet<Row> lengthRows = cf.resultAt(0);
            RowSet<Row> onlineRows = cf.resultAt(1);
            List<String> rows = q.granularity().labels(q.from(), q.to());
            Set<String> hps = new TreeSet<>();
            Map<String, Map<String, long[]>> byRow = new HashMap<>();
            for (Row row : lengthRows) {
                String hp = row.getString("k");
                hps.add(hp);
                byRow.computeIfAbsent(row.getString("r") == null ? "" : row.getString("r"), k -> new HashMap<>())
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
                onlineByRow.put(row.getString("r"), Math.round(row.getDouble("online") * 10) / 10.0);
            }
            Double[][] onlineValues = new Double[rows.size()][1];
            for (int i = 0; i < rows.size(); i++) {
                onlineValues[i][0] = onlineByRow.get(rows.get(i));
            }
            return new FigureData(q, List.of(), List.of(
                new ValueTable("queue_length_max", rows, columns, max, "chats", null),
                new ValueTable("counselors_online", rows, List.of("online"), onlineValues, "counselors", null)));
        });
    }

    private static ValueTable values(String name, List<String> rows, List<String> columns, RowSet<Row> set,
                                     String column, String unit, String gate) {
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
            out.computeIfAbsent(row.getString("r"), k -> new HashMap<>()).merge(row.getString("k"),
                row.getLong(column), Long::sum);
        }
        return out;
    }

    private static List<String> rowLabels(StatsQuery q, Map<String, Map<String, Long>> own,
                                          Map<String, Map<String, Long>> all) {
        if (q.rows() == RowKind.TIME) {
            return dataGranularity(q).labels(q.from(), q.to());
        }
        Set<String> rows = new TreeSet<>(own.keySet());
        rows.addAll(all.keySet());
        return new ArrayList<>(rows);
    }

    private static List<String> columnLabels(List<String> fixed, Map<String, Map<String, Long>> own,
                                             Map<String, Map<String, Long>> all) {
        Set<String> out = new LinkedHashSet<>(fixed);
        Set<String> extra = new TreeSet<>();
        own.values().forEach(m -> extra.addAll(m.keySet()));
        all.values().forEach(m -> extra.addAll(m.keySet()));
        out.addAll(extra);
        return new ArrayList<>(out);
    }

    /** Own table and others = all - own (for chain roles own is empty, so others = all). */
    private static FigureData.Counts split(String name, List<String> rows, List<String> columns,
                                           Map<String, Map<String, Long>> own, Map<String, Map<String, Long>> all) {
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
        return new FigureData.Counts(name, new CountTable(rows, columns, ownCells),
            new CountTable(rows, columns, otherCells));
    }

    /** One line of the month overview. Percentiles are {@code null} without replies. */
    public record OverviewRow(String helpPoint, int priority, long inflow, long abandoned, long replied, Double p50,
                              Double p90) {
    }

    /** The month overview computed live from stat_case (seconds at a million cases: a sort per group). */
    public Future<List<OverviewRow>> monthOverviewLive(LocalDate firstDay) {
        return query(StatsQueries.MONTH_OVERVIEW, Tuple.of(startOf(firstDay), startOf(firstDay.plusMonths(1))))
            .map(StatsRepository::overviewRows);
    }

    /**
     * The month overview: for a finished month from stat_month_overview, computed and stored on first use (and again
     * while it was computed less than a day after the month ended, when late first replies and closes can still
     * arrive); for the running month live.
     */
    public Future<List<OverviewRow>> monthOverview(LocalDate firstDay, java.time.Instant now) {
        OffsetDateTime end = startOf(firstDay.plusMonths(1));
        if (!now.isAfter(end.toInstant())) {
            return monthOverviewLive(firstDay);
        }
        return pool.preparedQuery(StatsQueries.MONTH_OVERVIEW_READ).execute(Tuple.of(firstDay)).compose(rows -> {
            boolean fresh = rows.rowCount() > 0 && rows.iterator().next().getOffsetDateTime("computed_at")
                .isAfter(end.plusDays(1));
            if (fresh) {
                return Future.succeededFuture(overviewRows(rows));
            }
            return summariseMonth(firstDay).compose(v -> pool.preparedQuery(StatsQueries.MONTH_OVERVIEW_READ)
                .execute(Tuple.of(firstDay)).map(StatsRepository::overviewRows));
        });
    }

    /** (Re)computes and stores the overview of one month. */
    public Future<Void> summariseMonth(LocalDate firstDay) {
        return pool.withTransaction(conn -> conn.query(StatsQueries.SORT_MEMORY).execute()
            .compose(v -> conn.preparedQuery(StatsQueries.MONTH_OVERVIEW_DELETE).execute(Tuple.of(firstDay)))
            .compose(v -> conn.preparedQuery(StatsQueries.MONTH_OVERVIEW_STORE)
                .execute(Tuple.of(startOf(firstDay), startOf(firstDay.plusMonths(1)), firstDay)))
            .mapEmpty());
    }

    private static List<OverviewRow> overviewRows(RowSet<Row> rows) {
        List<OverviewRow> out = new ArrayList<>();
        for (Row row : rows) {
            Double[] p = row.getArrayOfDoubles("p");
            out.add(new OverviewRow(row.getString("help_point"), row.getShort("priority"), row.getLong("inflow"),
                row.getLong("abandoned"), row.getLong("replied"), p == null ? null : p[0], p == null ? null : p[1]));
        }
        out.sort(java.util.Comparator.comparing(OverviewRow::helpPoint).thenComparingInt(OverviewRow::priority));
        return out;
    }

    /** The benchmark's baseline: count(*) over the same rows. */
    public Future<Long> monthBaseline(LocalDate firstDay) {
        return query(StatsQueries.MONTH_BASELINE, Tuple.of(startOf(firstDay), startOf(firstDay.plusMonths(1))))
            .map(rows -> rows.iterator().next().getLong(0));
    }

    /** Records one capacity sample per organisation for the current minute (idempotent per minute). */
    public Future<Void> sampleCapacity(long presenceWindowSeconds) {
        return pool.preparedQuery(StatsQueries.SAMPLE_CAPACITY).execute(Tuple.of((double) presenceWindowSeconds))
            .mapEmpty();
    }
}
