package nl.veiligpraten.routing.stats;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Applies the "who sees what" rules of brief §6 to raw figures (see docs/statistics.md §4 for the
 * attacker model).
 *
 * <ul>
 *   <li>Own scope: the organisation's own counts, unsuppressed.
 *   <li>Chain scope: chain value = own + protect(others). The viewer knows its own counts exactly,
 *       so only the other organisations' part needs protection, and the viewer's own lines (its
 *       help points, referrals it sent or received: the others' part there is zero by
 *       configuration) never serve as complements.
 *   <li>One pattern per month for what tables share. Every split of a figure counts the same cases,
 *       so tables share their help-point totals; the day table and its weeks share day totals.
 *       These shared margins are protected once, from the margin vector alone ({@link #canonical}),
 *       and fixed in every table: help points whose total must be hidden are merged into one line
 *       {@value #OTHER} (whose total is then at least the threshold), so every help-point total and
 *       the month total is shown in every table. Given shown shared margins, the tables of a month
 *       are independent linear systems, so protecting each one against its own margins protects
 *       them together.
 *   <li>Coarser tables are derived, never protected anew: weeks and months are sums of the
 *       protected days (a sum is shown only when all its parts are), reach groups are sums of
 *       protected split cells, a trend is its months. A derived value is a function of published
 *       values, so it adds nothing an attacker did not have.
 * </ul>
 *
 * Value tables (percentiles) are shown only where the count they rest on is shown.
 */
public final class Publication {

  /** Label of the line that pools help points whose own total would have to be hidden. */
  public static final String OTHER = "other";

  /** Reach groups: which codes of which split make up each group. */
  static final Map<String, Map.Entry<String, Set<String>>> REACH = reachGroups();

  private Publication() {}

  private static Map<String, Map.Entry<String, Set<String>>> reachGroups() {
    Map<String, Map.Entry<String, Set<String>>> m = new LinkedHashMap<>();
    m.put("youth", Map.entry("age_band", Set.of("under12", "12-15", "16-17", "18-24")));
    m.put("bystanders", Map.entry("role", Set.of("bystander")));
    m.put("perpetrators", Map.entry("role", Set.of("perpetrator")));
    m.put("easy_language", Map.entry("lang", Set.of("nl_easy")));
    m.put("english", Map.entry("lang", Set.of("en")));
    return m;
  }

  public static PublishedFigure publish(FigureData data) {
    Map<String, PublishedTable> base = new LinkedHashMap<>();
    for (FigureData.Counts counts : data.counts()) {
      base.put(counts.name(), publish(data.query(), counts));
    }
    List<PublishedFigure.Named> tables = new ArrayList<>();
    if (data.query().figure() == Figure.REACH) {
      for (Map.Entry<String, Map.Entry<String, Set<String>>> g : REACH.entrySet()) {
        tables.add(
            new PublishedFigure.Named(
                g.getKey(),
                group(base.get(g.getValue().getKey()), g.getKey(), g.getValue().getValue())));
      }
    } else {
      base.forEach((name, t) -> tables.add(new PublishedFigure.Named(name, t)));
    }
    List<ValueTable> values = new ArrayList<>();
    for (ValueTable v : data.values()) {
      values.add(gate(v, tables));
    }
    if (data.query().figure() == Figure.WAITED) {
      values.addAll(shares(base, data.values()));
    }
    return new PublishedFigure(data.query(), tables, values);
  }

  static PublishedTable publish(StatsQuery query, FigureData.Counts counts) {
    if (!query.outside()) {
      return PublishedTable.unsuppressed(counts.own());
    }
    CountTable own = counts.own();
    CountTable others = counts.others();
    boolean viewerIsOrg = query.orgId() != null;
    if (query.rows() == RowKind.HELP_POINT) {
      return block(own, others, viewerIsOrg, false);
    }
    // Time rows outside arrive per day (see StatsRepository): protect each month's days, then sum
    // to the
    // requested buckets.
    Map<LocalDate, List<Integer>> months = new LinkedHashMap<>();
    for (int i = 0; i < own.rows().size(); i++) {
      months
          .computeIfAbsent(
              LocalDate.parse(own.rows().get(i)).withDayOfMonth(1), k -> new ArrayList<>())
          .add(i);
    }
    boolean hpColumns = query.by() == Dimension.HELP_POINT;
    List<PublishedTable> blocks = new ArrayList<>();
    for (Map.Entry<LocalDate, List<Integer>> m : months.entrySet()) {
      CountTable o = subRows(own, m.getValue());
      CountTable x = subRows(others, m.getValue());
      PublishedTable days =
          hpColumns
              ? transpose(block(transpose(o), transpose(x), viewerIsOrg, true))
              : dayBlock(o, x);
      // A whole month is its shown month total, not the sum of its days (one hidden day would hide
      // it).
      blocks.add(query.granularity() == Granularity.MONTH ? monthRow(days, m.getKey()) : days);
    }
    PublishedTable stacked = stack(blocks);
    return query.granularity() == Granularity.MONTH
        ? stacked
        : bucket(stacked, query.granularity());
  }

  /**
   * Protects one table whose rows are help points (or referral pairs); {@code timeColumns} when its
   * columns are days (a transposed day x help point table), whose totals then follow the month's
   * day pattern.
   */
  private static PublishedTable block(
      CountTable own, CountTable others, boolean viewerIsOrg, boolean timeColumns) {
    int r = own.rows().size();
    int c = own.columns().size();
    List<Integer> viewerLines = new ArrayList<>();
    List<Integer> otherLines = new ArrayList<>();
    for (int i = 0; i < r; i++) {
      boolean othersEmpty = true;
      boolean ownAny = false;
      for (int j = 0; j < c; j++) {
        othersEmpty &= others.cell(i, j) == 0;
        ownAny |= own.cell(i, j) > 0;
      }
      if (othersEmpty && !ownAny) {
        continue;
      }
      (viewerIsOrg && othersEmpty ? viewerLines : otherLines).add(i);
    }
    // The month's help-point totals, protected on their own: the pattern every table of the month
    // shares.
    long[] totals = otherLines.stream().mapToLong(others::rowTotal).toArray();
    Boolean[] shownTotal = canonical(totals);
    boolean allHidden = totals.length == 0 || sum(totals) < Suppressor.THRESHOLD;
    List<String> labels = new ArrayList<>();
    List<long[]> cells = new ArrayList<>();
    List<long[]> ownCells = new ArrayList<>();
    long[] merged = new long[c];
    long[] mergedOwn = new long[c];
    boolean anyMerged = false;
    for (int k = 0; k < otherLines.size(); k++) {
      int i = otherLines.get(k);
      if (shownTotal[k]) {
        labels.add(own.rows().get(i));
        cells.add(others.cells()[i].clone());
        ownCells.add(own.cells()[i].clone());
      } else {
        anyMerged = true;
        for (int j = 0; j < c; j++) {
          merged[j] += others.cell(i, j);
          mergedOwn[j] += own.cell(i, j);
        }
      }
    }
    if (anyMerged) {
      labels.add(OTHER);
      cells.add(merged);
      ownCells.add(mergedOwn);
    }
    Long[][] protectedOthers;
    if (labels.isEmpty()) {
      // No other organisation has a line here (by configuration): its part is zero, not a hidden
      // count.
      protectedOthers = new Long[][] {new Long[c + 1]};
      java.util.Arrays.fill(protectedOthers[0], 0L);
    } else if (allHidden) {
      protectedOthers = new Long[labels.size() + 1][c + 1];
    } else {
      CountTable table = new CountTable(labels, own.columns(), cells.toArray(new long[0][]));
      Boolean[][] preset = new Boolean[labels.size() + 1][c + 1];
      for (int i = 0; i <= labels.size(); i++) {
        preset[i][c] = Boolean.TRUE;
      }
      if (timeColumns) {
        long[] days = new long[c];
        for (int j = 0; j < c; j++) {
          days[j] = table.columnTotal(j);
        }
        Boolean[] dayShown = canonical(days);
        for (int j = 0; j < c; j++) {
          preset[labels.size()][j] = dayShown[j];
        }
      }
      protectedOthers = Suppressor.protect(table, Suppressor.THRESHOLD, preset).entries();
    }
    // Put the viewer's own lines back (exact: the others' part there is zero) and add own parts
    // everywhere.
    List<String> outRows = new ArrayList<>();
    viewerLines.forEach(i -> outRows.add(own.rows().get(i)));
    outRows.addAll(labels);
    Long[][] out = new Long[outRows.size() + 1][c + 1];
    int n = 0;
    long[] ownColumnTotals = new long[c + 1];
    for (int i : viewerLines) {
      for (int j = 0; j < c; j++) {
        out[n][j] = own.cell(i, j);
        ownColumnTotals[j] += own.cell(i, j);
      }
      out[n][c] = own.rowTotal(i);
      ownColumnTotals[c] += own.rowTotal(i);
      n++;
    }
    for (int k = 0; k < labels.size(); k++) {
      long rowOwn = 0;
      for (int j = 0; j < c; j++) {
        long o = ownCells.get(k)[j];
        rowOwn += o;
        ownColumnTotals[j] += o;
        ownColumnTotals[c] += o;
        out[n][j] = plus(protectedOthers[k][j], o);
      }
      out[n][c] = plus(protectedOthers[k][c], rowOwn);
      n++;
    }
    for (int j = 0; j <= c; j++) {
      out[n][j] = plus(protectedOthers[labels.size()][j], ownColumnTotals[j]);
    }
    return new PublishedTable(outRows, own.columns(), out, Suppressor.THRESHOLD);
  }

  /** The month of a protected day block as one row: its column totals. */
  private static PublishedTable monthRow(PublishedTable days, LocalDate month) {
    Long[] totals = days.entries()[days.rows().size()];
    return new PublishedTable(
        List.of(Granularity.MONTH.label(month.atStartOfDay())),
        days.columns(),
        new Long[][] {totals.clone(), totals.clone()},
        days.threshold());
  }

  /**
   * A day table without help-point columns: the month's day totals, protected as the shared day
   * pattern.
   */
  private static PublishedTable dayBlock(CountTable own, CountTable others) {
    int r = own.rows().size();
    int c = own.columns().size();
    long[] days = new long[r];
    for (int i = 0; i < r; i++) {
      days[i] = others.rowTotal(i);
    }
    Boolean[] dayShown = canonical(days);
    boolean allHidden = sum(days) < Suppressor.THRESHOLD;
    Long[][] p;
    if (allHidden) {
      p = new Long[r + 1][c + 1];
    } else {
      Boolean[][] preset = new Boolean[r + 1][c + 1];
      for (int i = 0; i < r; i++) {
        preset[i][c] = dayShown[i];
        if (c == 1) {
          preset[i][0] = dayShown[i];
        }
      }
      preset[r][c] = Boolean.TRUE;
      p = Suppressor.protect(others, Suppressor.THRESHOLD, preset).entries();
    }
    long[][] ownExt = own.extended();
    Long[][] out = new Long[r + 1][c + 1];
    for (int i = 0; i <= r; i++) {
      for (int j = 0; j <= c; j++) {
        out[i][j] = plus(p[i][j], ownExt[i][j]);
      }
    }
    return new PublishedTable(own.rows(), own.columns(), out, Suppressor.THRESHOLD);
  }

  /**
   * The shared pattern of a margin vector (help-point totals of a month, or its day totals):
   * protected as a one-row table with its total, so every hidden small entry can still be 10 or
   * more. Deterministic in the vector alone, so every table of the month that shows these margins
   * shows the same ones.
   */
  static Boolean[] canonical(long[] vector) {
    Boolean[] out = new Boolean[vector.length];
    long hidden = 0;
    int small = 0;
    for (int j = 0; j < vector.length; j++) {
      out[j] = vector[j] >= Suppressor.THRESHOLD;
      if (!out[j]) {
        hidden += vector[j];
        small++;
      }
    }
    // With the total shown, the hidden entries add up to a known sum; each can be 10 or more
    // exactly when that
    // sum is. Hide the smallest shown entries until it is (a lone hidden entry would be the total
    // minus the rest).
    while (small > 0 && hidden < Suppressor.THRESHOLD) {
      int next = -1;
      for (int j = 0; j < vector.length; j++) {
        if (out[j] && (next < 0 || vector[j] < vector[next])) {
          next = j;
        }
      }
      if (next < 0) {
        break;
      }
      out[next] = false;
      hidden += vector[next];
    }
    return out;
  }

  private static long sum(long[] v) {
    long s = 0;
    for (long x : v) {
      s += x;
    }
    return s;
  }

  private static Long plus(Long shown, long own) {
    return shown == null ? null : shown + own;
  }

  private static CountTable subRows(CountTable t, List<Integer> idx) {
    List<String> rows = new ArrayList<>();
    long[][] cells = new long[idx.size()][];
    for (int k = 0; k < idx.size(); k++) {
      rows.add(t.rows().get(idx.get(k)));
      cells[k] = t.cells()[idx.get(k)];
    }
    return new CountTable(rows, t.columns(), cells);
  }

  private static CountTable transpose(CountTable t) {
    long[][] cells = new long[t.columns().size()][t.rows().size()];
    for (int i = 0; i < t.rows().size(); i++) {
      for (int j = 0; j < t.columns().size(); j++) {
        cells[j][i] = t.cell(i, j);
      }
    }
    return new CountTable(t.columns(), t.rows(), cells);
  }

  private static PublishedTable transpose(PublishedTable t) {
    Long[][] e = t.entries();
    Long[][] out = new Long[e[0].length][e.length];
    for (int i = 0; i < e.length; i++) {
      for (int j = 0; j < e[i].length; j++) {
        out[j][i] = e[i][j];
      }
    }
    return new PublishedTable(t.columns(), t.rows(), out, t.threshold());
  }

  /**
   * Months one under the other; columns are the union (a help point merged in one month is hidden
   * there).
   */
  private static PublishedTable stack(List<PublishedTable> blocks) {
    if (blocks.size() == 1) {
      return blocks.get(0);
    }
    List<String> cols = new ArrayList<>();
    List<String> rows = new ArrayList<>();
    for (PublishedTable b : blocks) {
      b.columns().stream().filter(x -> !cols.contains(x)).forEach(cols::add);
      rows.addAll(b.rows());
    }
    if (cols.remove(OTHER)) {
      cols.add(OTHER);
    }
    Long[][] out = new Long[rows.size() + 1][cols.size() + 1];
    int n = 0;
    for (PublishedTable b : blocks) {
      for (int i = 0; i < b.rows().size(); i++, n++) {
        for (int j = 0; j < cols.size(); j++) {
          int bj = b.columns().indexOf(cols.get(j));
          out[n][j] = bj < 0 ? null : b.cell(i, bj);
        }
        out[n][cols.size()] = b.rowTotal(i);
      }
    }
    for (int j = 0; j <= cols.size(); j++) {
      out[rows.size()][j] = columnSum(out, rows.size(), j);
    }
    return new PublishedTable(rows, cols, out, Suppressor.THRESHOLD);
  }

  /** Sum of a column over rows 0..r-1, or null when any part is hidden. */
  private static Long columnSum(Long[][] e, int r, int j) {
    long s = 0;
    for (int i = 0; i < r; i++) {
      if (e[i][j] == null) {
        return null;
      }
      s += e[i][j];
    }
    return s;
  }

  /**
   * Day rows summed into the requested buckets; a bucket value is shown only when all its days are.
   */
  private static PublishedTable bucket(PublishedTable days, Granularity g) {
    if (g == Granularity.DAY) {
      return days;
    }
    int c = days.columns().size();
    Map<String, Long[]> sums = new LinkedHashMap<>();
    for (int i = 0; i < days.rows().size(); i++) {
      String label = g.label(LocalDate.parse(days.rows().get(i)).atStartOfDay());
      Long[] acc = sums.get(label);
      Long[] row = days.entries()[i];
      if (acc == null) {
        sums.put(label, row.clone());
        continue;
      }
      for (int j = 0; j <= c; j++) {
        acc[j] = acc[j] == null || row[j] == null ? null : acc[j] + row[j];
      }
    }
    List<String> rows = new ArrayList<>(sums.keySet());
    Long[][] out = new Long[rows.size() + 1][];
    for (int i = 0; i < rows.size(); i++) {
      out[i] = sums.get(rows.get(i));
    }
    out[rows.size()] = days.entries()[days.rows().size()].clone();
    return new PublishedTable(rows, days.columns(), out, days.threshold());
  }

  /**
   * A reach group derived from a published split table: group = sum of its codes, other = line
   * total - group.
   */
  private static PublishedTable group(PublishedTable split, String name, Set<String> codes) {
    int r = split.rows().size();
    int c = split.columns().size();
    Long[][] out = new Long[r + 1][3];
    for (int i = 0; i <= r; i++) {
      Long g = 0L;
      for (int j = 0; j < c; j++) {
        if (codes.contains(split.columns().get(j))) {
          Long v = split.entries()[i][j];
          g = g == null || v == null ? null : g + v;
        }
      }
      Long total = split.entries()[i][c];
      out[i][0] = g;
      out[i][1] = g == null || total == null ? null : total - g;
      out[i][2] = total;
    }
    return new PublishedTable(split.rows(), List.of(name, "other"), out, split.threshold());
  }

  /**
   * Shares of the waiting figure, derived from published counts only (a share is shown only where
   * both its counts are): per threshold the percentage of queued chats that waited longer; the
   * service level is the percentage answered within the help point's target, where a target is
   * configured.
   */
  private static List<ValueTable> shares(Map<String, PublishedTable> base, List<ValueTable> raw) {
    PublishedTable queued = base.get("queued");
    ValueTable target =
        raw.stream().filter(v -> v.name().equals("target_seconds")).findFirst().orElse(null);
    List<ValueTable> out = new ArrayList<>();
    for (Map.Entry<String, PublishedTable> e : base.entrySet()) {
      boolean over = e.getKey().startsWith("over_");
      boolean within = e.getKey().equals("within_target");
      if (!over && !within) {
        continue;
      }
      PublishedTable t = e.getValue();
      Double[][] v = new Double[queued.rows().size()][queued.columns().size()];
      for (int i = 0; i < v.length; i++) {
        int ti = t.rows().indexOf(queued.rows().get(i));
        int vi = target == null ? -1 : target.rows().indexOf(queued.rows().get(i));
        for (int j = 0; j < v[i].length; j++) {
          Long d = queued.cell(i, j);
          Long n = ti < 0 ? null : t.cell(ti, j);
          int vj = target == null ? -1 : target.columns().indexOf(queued.columns().get(j));
          boolean hasTarget = vi >= 0 && vj >= 0 && target.value(vi, vj) != null;
          v[i][j] =
              d == null || n == null || d == 0 || (within && !hasTarget)
                  ? null
                  : Math.round(1000.0 * n / d) / 10.0;
        }
      }
      out.add(
          new ValueTable(
              over ? "share_" + e.getKey() : "service_level",
              queued.rows(),
              queued.columns(),
              v,
              "percent",
              null));
    }
    return out;
  }

  private static ValueTable gate(ValueTable v, List<PublishedFigure.Named> tables) {
    if (v.countsTable() == null) {
      return v;
    }
    PublishedTable counts =
        tables.stream()
            .filter(t -> t.name().equals(v.countsTable()))
            .map(PublishedFigure.Named::table)
            .findFirst()
            .orElseThrow();
    Double[][] out = new Double[counts.rows().size()][counts.columns().size()];
    for (int i = 0; i < out.length; i++) {
      int vi = v.rows().indexOf(counts.rows().get(i));
      for (int j = 0; j < out[i].length; j++) {
        int vj = v.columns().indexOf(counts.columns().get(j));
        Long n = counts.cell(i, j);
        out[i][j] = n == null || n == 0 || vi < 0 || vj < 0 ? null : v.value(vi, vj);
      }
    }
    return new ValueTable(
        v.name(), counts.rows(), counts.columns(), out, v.unit(), v.countsTable());
  }
}
