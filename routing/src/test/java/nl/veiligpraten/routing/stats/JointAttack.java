package nl.veiligpraten.routing.stats;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.apache.commons.math3.optim.MaxIter;
import org.apache.commons.math3.optim.PointValuePair;
import org.apache.commons.math3.optim.linear.LinearConstraint;
import org.apache.commons.math3.optim.linear.LinearConstraintSet;
import org.apache.commons.math3.optim.linear.LinearObjectiveFunction;
import org.apache.commons.math3.optim.linear.NoFeasibleSolutionException;
import org.apache.commons.math3.optim.linear.NonNegativeConstraint;
import org.apache.commons.math3.optim.linear.Relationship;
import org.apache.commons.math3.optim.linear.SimplexSolver;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;

/**
 * The attacker of issue 22: a viewer who knows its own cells exactly and the public configuration
 * (which help point belongs to which organisation), and who has requested every table it may
 * request. Everything it saw becomes one linear program over the other organisations' cells at the
 * finest level any table shows: per month and family (inflow by each split, abandoned, transfers,
 * outcomes, left before helped, came from, ...) a help point x code table; per month a day x help
 * point table; waiting, overrides and referrals as their own tables. The families of one case set
 * are tied together by their help-point totals (every split of inflow counts the same cases), the
 * day table by its help-point totals, so cross-table margins, weeks inside a month and trends over
 * months are all in the program. For every cell of another organisation below the threshold, and
 * every suppressed published entry whose other-organisation part is below it, the LP (Apache
 * Commons Math simplex) must find a solution consistent with everything seen in which that value is
 * at least the threshold. A published table the model cannot express is a failure too: then the
 * model would not cover what the viewer sees.
 */
final class JointAttack {

  static final int THRESHOLD = 10;
  static final String DAY = "day";

  /** Families of one case set: their help-point totals are equal, whatever the split. */
  static final Set<String> CASE_SET =
      Set.of(
          "inflow:none",
          "inflow:role",
          "inflow:age_band",
          "inflow:setting",
          "inflow:priority",
          "inflow:lang",
          "inflow:came_from",
          "inflow:channel",
          "abandoned",
          "transfers",
          "outcomes",
          "left");

  /** One cell of the finest model. */
  static final class Cell {
    final String family;
    final LocalDate month;
    final String row;
    final String col;
    final LocalDate day;
    long own;
    long oth;
    int var = -1;

    Cell(String family, LocalDate month, String row, String col) {
      this.family = family;
      this.month = month;
      this.row = row;
      this.col = col;
      this.day = family.equals(DAY) ? LocalDate.parse(row) : null;
    }
  }

  /** A linear expression over other-organisation cells with its true value. */
  record Expr(List<Integer> vars, long truth, String what) {}

  final Viewer viewer;
  final Set<String> viewerHps = new TreeSet<>();
  final Map<String, Cell> cells = new LinkedHashMap<>();
  final List<Cell> vars = new ArrayList<>();
  final Map<String, double[]> equalities = new LinkedHashMap<>();
  final List<Expr> sensitive = new ArrayList<>();
  final List<String> unmodelled = new ArrayList<>();
  final List<String> exposedShown = new ArrayList<>();
  int tables;
  long shownEntries;
  long suppressedEntries;

  /**
   * Information kept: interior cells shown of all interior cells, and the other organisations'
   * cases in them.
   */
  long interiorShown;

  long interiorAll;
  long casesShown;
  long casesAll;

  JointAttack(SyntheticStats data, Viewer viewer, List<LocalDate> months) {
    this.viewer = viewer;
    if (viewer.orgId() != null) {
      SyntheticStats.ORG_OF.forEach(
          (hp, org) -> {
            if (org.equals(viewer.orgId())) {
              viewerHps.add(hp);
            }
          });
    }
    for (LocalDate m : months) {
      build(data, m);
    }
    for (Cell c : cells.values()) {
      if (!viewerOwned(c)) {
        c.var = vars.size();
        vars.add(c);
        if (c.oth < THRESHOLD) {
          sensitive.add(
              new Expr(
                  List.of(c.var), c.oth, c.family + " " + c.month + " " + c.row + "/" + c.col));
        }
      } else if (c.oth != 0) {
        throw new IllegalStateException("structural zero violated at " + c.family + " " + c.row);
      }
    }
    // Ties between the families of one case set and the day table: equal help-point totals per
    // month.
    for (LocalDate m : months) {
      for (String hp : SyntheticStats.HELP_POINTS) {
        if (viewerHps.contains(hp)) {
          continue;
        }
        double[] base =
            sum(c -> c.family.equals("inflow:none") && c.month.equals(m) && c.row.equals(hp));
        for (String f : CASE_SET) {
          if (f.equals("inflow:none")
              || cells.values().stream().noneMatch(c -> c.family.equals(f))) {
            continue;
          }
          double[] other = sum(c -> c.family.equals(f) && c.month.equals(m) && c.row.equals(hp));
          tie("tie " + f + m + hp, other, base);
        }
        tie(
            "tie day" + m + hp,
            sum(c -> c.family.equals(DAY) && c.month.equals(m) && c.col.equals(hp)),
            base);
      }
    }
  }

  private boolean viewerOwned(Cell c) {
    if (c.family.equals("referrals")) {
      String[] pair = c.row.split(">");
      return viewerHps.contains(pair[0]) || viewerHps.contains(pair[1]);
    }
    return viewerHps.contains(c.family.equals(DAY) ? c.col : c.row);
  }

  private void tie(String key, double[] a, double[] b) {
    double[] row = new double[vars.size()];
    for (int i = 0; i < row.length; i++) {
      row[i] = a[i] - b[i];
    }
    equalities.put(key, append(row, 0));
  }

  private double[] sum(Predicate<Cell> p) {
    double[] row = new double[vars.size()];
    for (Cell c : vars) {
      if (p.test(c)) {
        row[c.var] = 1;
      }
    }
    return row;
  }

  private static double[] append(double[] row, double rhs) {
    double[] out = java.util.Arrays.copyOf(row, row.length + 1);
    out[row.length] = rhs;
    return out;
  }

  private Cell cell(String family, LocalDate m, String row, String col) {
    return cells.computeIfAbsent(
        family + "|" + m + "|" + row + "|" + col, k -> new Cell(family, m, row, col));
  }

  /** The full grid of every family for one month (zeros included: they are cells too). */
  private void build(SyntheticStats data, LocalDate m) {
    List<SyntheticStats.Case> cs =
        data.cases.stream()
            .filter(c -> c.queued().toLocalDate().withDayOfMonth(1).equals(m))
            .toList();
    Map<String, java.util.function.Function<SyntheticStats.Case, String>> families =
        new LinkedHashMap<>();
    for (Dimension d :
        List.of(
            Dimension.NONE,
            Dimension.ROLE,
            Dimension.AGE_BAND,
            Dimension.SETTING,
            Dimension.PRIORITY,
            Dimension.LANG,
            Dimension.CAME_FROM,
            Dimension.CHANNEL)) {
      families.put("inflow:" + d.code(), c -> SyntheticStats.column(d, c));
    }
    families.put("left", SyntheticStats.Case::left);
    families.put("abandoned", c -> c.abandoned() ? "abandoned" : "not_abandoned");
    families.put("transfers", c -> c.transfers() >= 3 ? "3+" : "" + c.transfers());
    families.put("outcomes", c -> SyntheticStats.column(Dimension.OUTCOME, c));
    Map<String, Set<String>> columns = new HashMap<>();
    columns.put("inflow:none", Set.of("n"));
    for (Dimension d :
        List.of(
            Dimension.ROLE,
            Dimension.AGE_BAND,
            Dimension.SETTING,
            Dimension.PRIORITY,
            Dimension.LANG,
            Dimension.CAME_FROM,
            Dimension.CHANNEL)) {
      columns.put("inflow:" + d.code(), new LinkedHashSet<>(d.fixedValues()));
    }
    columns.put("left", Set.of("in_queue", "before_first_reply", "during_chat", "stayed"));
    columns.put("abandoned", Set.of("abandoned", "not_abandoned"));
    columns.put("transfers", Set.of("0", "1", "2", "3+"));
    columns.put("outcomes", new TreeSet<>());
    for (var f : families.entrySet()) {
      Set<String> cols = new TreeSet<>(columns.get(f.getKey()));
      data.cases.forEach(c -> cols.add(f.getValue().apply(c)));
      for (String hp : SyntheticStats.HELP_POINTS) {
        for (String col : cols) {
          cell(f.getKey(), m, hp, col);
        }
      }
      for (SyntheticStats.Case c : cs) {
        count(cell(f.getKey(), m, c.hp(), f.getValue().apply(c)), c.org());
      }
    }
    Map<String, Predicate<SyntheticStats.Case>> subsets = new LinkedHashMap<>();
    for (int t : SyntheticStats.THRESHOLDS) {
      subsets.put("waited:over_" + t + "m", c -> c.over(t));
    }
    subsets.put("waited:within_target", SyntheticStats.Case::withinTarget);
    for (var sub : subsets.entrySet()) {
      for (String hp : SyntheticStats.HELP_POINTS) {
        for (String p : Dimension.PRIORITY.fixedValues()) {
          cell(sub.getKey(), m, hp, p);
        }
      }
      for (SyntheticStats.Case c : cs) {
        if (sub.getValue().test(c)) {
          count(cell(sub.getKey(), m, c.hp(), "P" + c.prio()), c.org());
        }
      }
    }
    for (String hp : SyntheticStats.HELP_POINTS) {
      for (String p : Dimension.PRIORITY.fixedValues()) {
        cell("waiting", m, hp, p);
      }
      for (String ch : Dimension.CHANNEL.fixedValues()) {
        cell("waiting:channel", m, hp, ch);
      }
      for (LocalDate d = m; d.isBefore(m.plusMonths(1)); d = d.plusDays(1)) {
        cell(DAY, m, d.toString(), hp);
      }
    }
    for (SyntheticStats.Case c : cs) {
      if (c.replied()) {
        count(cell("waiting", m, c.hp(), "P" + c.prio()), c.org());
        count(
            cell("waiting:channel", m, c.hp(), SyntheticStats.column(Dimension.CHANNEL, c)),
            c.org());
      }
      count(cell(DAY, m, c.queued().toLocalDate().toString(), c.hp()), c.org());
    }
    Set<String> reasons = new TreeSet<>();
    Set<String> pairs = new TreeSet<>();
    data.flows.forEach(
        f -> {
          if (f.kind().equals("overridden")) {
            reasons.add(f.reason());
          } else {
            pairs.add(f.hp() + ">" + f.toHp());
          }
        });
    for (String hp : SyntheticStats.HELP_POINTS) {
      for (String r : reasons) {
        cell("overrides", m, hp, r);
      }
    }
    for (String pair : pairs) {
      for (String s : List.of("accepted", "declined", "open")) {
        cell("referrals", m, pair, s);
      }
    }
    StatsQuery probe =
        new StatsQuery(
            Figure.REFERRALS,
            m,
            m.plusMonths(1).minusDays(1),
            RowKind.HELP_POINT,
            Granularity.MONTH,
            Dimension.NONE,
            Scope.CHAIN,
            viewer.orgId(),
            viewer.chainRole());
    for (SyntheticStats.Flow f : data.flows) {
      if (f.kind().equals("overridden") && f.at().toLocalDate().withDayOfMonth(1).equals(m)) {
        count(cell("overrides", m, f.hp(), f.reason()), f.org());
      }
    }
    FigureData refs = data.data(probe);
    CountTable own = refs.counts().get(0).own();
    CountTable oth = refs.counts().get(0).others();
    for (int i = 0; i < own.rows().size(); i++) {
      for (int j = 0; j < own.columns().size(); j++) {
        Cell c = cell("referrals", m, own.rows().get(i), own.columns().get(j));
        c.own += own.cell(i, j);
        c.oth += oth.cell(i, j);
      }
    }
  }

  private void count(Cell c, String org) {
    if (org.equals(viewer.orgId())) {
      c.own++;
    } else {
      c.oth++;
    }
  }

  /**
   * The family and cell filter behind one published table, or null when the model cannot express
   * it.
   */
  private record Source(String family, java.util.function.BiPredicate<Cell, String[]> match) {}

  private Source source(StatsQuery q, String table, List<String> rows, List<String> cols) {
    boolean hpRows = q.rows() == RowKind.HELP_POINT;
    Predicate<Cell> inPeriod =
        c -> !c.month.isBefore(q.from().withDayOfMonth(1)) && !c.month.isAfter(q.to());
    java.util.function.BiPredicate<String, String> hpMatch =
        (hp, label) ->
            label == null
                || label.equals(hp)
                || (label.equals("other") && !rows.contains(hp) && !cols.contains(hp));
    if (hpRows) {
      String family =
          switch (q.figure()) {
            case INFLOW -> "inflow:" + q.by().code();
            case WAITING -> q.by() == Dimension.CHANNEL ? "waiting:channel" : "waiting";
            case ABANDONED, TRANSFERS, OUTCOMES, OVERRIDES, REFERRALS, LEFT -> q.figure().code();
            case WAITED -> table.equals("queued") ? "inflow:priority" : "waited:" + table;
            case REACH ->
                switch (table) {
                  case "youth" -> "inflow:age_band";
                  case "bystanders", "perpetrators" -> "inflow:role";
                  default -> "inflow:lang";
                };
            default -> null;
          };
      if (family == null) {
        return null;
      }
      Predicate<String> group =
          switch (table) {
            case "youth" -> v -> List.of("under12", "12-15", "16-17", "18-24").contains(v);
            case "bystanders" -> v -> v.equals("bystander");
            case "perpetrators" -> v -> v.equals("perpetrator");
            case "easy_language" -> v -> v.equals("nl_easy");
            case "english" -> v -> v.equals("en");
            default -> null;
          };
      return new Source(
          family,
          (c, rc) ->
              inPeriod.test(c)
                  && hpMatch.test(c.row, rc[0])
                  && (rc[1] == null
                      || (group == null
                          ? rc[1].equals(c.col)
                          : rc[1].equals("other") ? !group.test(c.col) : group.test(c.col))));
    }
    if (q.figure() != Figure.INFLOW
        || (q.by() != Dimension.NONE && q.by() != Dimension.HELP_POINT)) {
      return null;
    }
    boolean byHp = q.by() == Dimension.HELP_POINT;
    return new Source(
        DAY,
        (c, rc) -> {
          LocalDate day = c.day;
          if (day.isBefore(q.from()) || day.isAfter(q.to())) {
            return false;
          }
          if (rc[0] != null && !q.granularity().label(day.atStartOfDay()).equals(rc[0])) {
            return false;
          }
          return !byHp || hpMatch.test(c.col, rc[1]);
        });
  }

  private Map<String, List<Cell>> byFamily;

  /** Adds everything one published figure shows to the attacker's knowledge. */
  void see(PublishedFigure figure) {
    if (byFamily == null) {
      byFamily = new HashMap<>();
      cells
          .values()
          .forEach(c -> byFamily.computeIfAbsent(c.family, k -> new ArrayList<>()).add(c));
    }
    StatsQuery q = figure.query();
    for (PublishedFigure.Named named : figure.tables()) {
      PublishedTable t = named.table();
      tables++;
      Source src = source(q, named.name(), t.rows(), t.columns());
      if (src == null) {
        unmodelled.add(
            q.figure().code()
                + " rows="
                + q.rows().code()
                + " by="
                + q.by().code()
                + " "
                + q.granularity().code()
                + " "
                + named.name());
        continue;
      }
      int r = t.rows().size();
      int k = t.columns().size();
      for (int i = 0; i <= r; i++) {
        for (int j = 0; j <= k; j++) {
          String[] rc = {i == r ? null : t.rows().get(i), j == k ? null : t.columns().get(j)};
          double[] row = new double[vars.size()];
          long own = 0;
          long truth = 0;
          List<Integer> vs = new ArrayList<>();
          for (Cell c : byFamily.get(src.family)) {
            if (src.match.test(c, rc)) {
              own += c.own;
              truth += c.oth;
              if (c.var >= 0) {
                row[c.var] = 1;
                vs.add(c.var);
              }
            }
          }
          String what =
              q.figure().code()
                  + "/"
                  + q.by().code()
                  + "/"
                  + q.rows().code()
                  + "/"
                  + q.granularity().code()
                  + " "
                  + q.from()
                  + ".."
                  + q.to()
                  + " "
                  + named.name()
                  + " "
                  + (rc[0] == null ? "total" : rc[0])
                  + "/"
                  + (rc[1] == null ? "total" : rc[1]);
          Long shown = t.entries()[i][j];
          if (i < r && j < k && !vs.isEmpty()) {
            interiorAll++;
            casesAll += truth;
            if (shown != null) {
              interiorShown++;
              casesShown += truth;
            }
          }
          if (shown == null) {
            suppressedEntries++;
            if (!vs.isEmpty() && truth < THRESHOLD) {
              sensitive.add(new Expr(vs, truth, what));
            }
            continue;
          }
          shownEntries++;
          if (shown - own != truth) {
            throw new IllegalStateException(
                "published value is not true: "
                    + what
                    + " shown "
                    + shown
                    + " own "
                    + own
                    + " others "
                    + truth);
          }
          if (!vs.isEmpty() && truth < THRESHOLD) {
            exposedShown.add(what + " shows others' part " + truth);
          }
          if (!vs.isEmpty()) {
            equalities.put(java.util.Arrays.toString(row) + "=" + truth, append(row, truth));
          }
        }
      }
    }
  }

  /** Every sensitive value that the LP proves to be below the threshold (empty = safe). */
  List<String> leaks() {
    int n = vars.size();
    double[] truth = new double[n];
    vars.forEach(c -> truth[c.var] = c.oth);
    List<double[]> eqs = new ArrayList<>(equalities.values());
    for (double[] e : eqs) {
      double s = 0;
      for (int i = 0; i < n; i++) {
        s += e[i] * truth[i];
      }
      if (Math.abs(s - e[n]) > 1e-9) {
        throw new IllegalStateException("the true table violates a published value");
      }
    }
    // Presolve (exact): an equality with one unknown left fixes it; repeat. What the attacker pins
    // down this way
    // is known to it exactly, so a sensitive value made of fixed cells only is checked directly.
    Double[] fixed = new Double[n];
    boolean changed = true;
    while (changed) {
      changed = false;
      for (double[] e : eqs) {
        int free = -1;
        int count = 0;
        double rhs = e[n];
        for (int i = 0; i < n; i++) {
          if (e[i] != 0) {
            if (fixed[i] != null) {
              rhs -= e[i] * fixed[i];
            } else {
              free = i;
              count++;
            }
          }
        }
        if (count == 1) {
          fixed[free] = rhs / e[free];
          changed = true;
        }
      }
    }
    // Components of the remaining unknowns: programs over unrelated unknowns are solved apart.
    int[] parent = new int[n];
    for (int i = 0; i < n; i++) {
      parent[i] = i;
    }
    List<double[]> live = new ArrayList<>();
    for (double[] e : eqs) {
      int first = -1;
      for (int i = 0; i < n; i++) {
        if (e[i] != 0 && fixed[i] == null) {
          if (first < 0) {
            first = i;
          } else {
            parent[find(parent, i)] = find(parent, first);
          }
        }
      }
      if (first >= 0) {
        live.add(e);
      }
    }
    List<String> out = new ArrayList<>();
    Map<Integer, List<Expr>> byComponent = new LinkedHashMap<>();
    for (Expr x : sensitive) {
      double known = 0;
      Integer comp = null;
      boolean split = false;
      for (int v : x.vars()) {
        if (fixed[v] != null) {
          known += fixed[v];
        } else if (comp == null) {
          comp = find(parent, v);
        } else if (comp != find(parent, v)) {
          split = true;
        }
      }
      if (comp == null) {
        if (known < THRESHOLD - 1e-6) {
          out.add(x.what() + " (true " + x.truth() + ") is known exactly");
        }
      } else if (split) {
        // Unknowns in several independent programs: unbounded above unless each is bounded; solve
        // them all.
        byComponent.computeIfAbsent(-1, k -> new ArrayList<>()).add(x);
      } else {
        byComponent.computeIfAbsent(comp, k -> new ArrayList<>()).add(x);
      }
    }
    for (Map.Entry<Integer, List<Expr>> group : byComponent.entrySet()) {
      List<Integer> members = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        if (fixed[i] == null && (group.getKey() < 0 || find(parent, i) == group.getKey())) {
          members.add(i);
        }
      }
      out.addAll(new Program(members, live, fixed, n).leaks(group.getValue()));
    }
    return out;
  }

  private static int find(int[] parent, int i) {
    while (parent[i] != i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  }

  /** The linear program over one component of unknowns (fixed cells substituted). */
  private static final class Program {
    final int[] index;
    final List<Integer> members;
    final List<double[]> rows = new ArrayList<>();
    final List<Double> rhs = new ArrayList<>();
    final Double[] fixed;

    Program(List<Integer> members, List<double[]> eqs, Double[] fixed, int n) {
      this.members = members;
      this.fixed = fixed;
      this.index = new int[n];
      java.util.Arrays.fill(index, -1);
      for (int k = 0; k < members.size(); k++) {
        index[members.get(k)] = k;
      }
      for (double[] e : eqs) {
        double[] row = new double[members.size()];
        double b = e[n];
        boolean touches = false;
        for (int i = 0; i < n; i++) {
          if (e[i] == 0) {
            continue;
          }
          if (fixed[i] != null) {
            b -= e[i] * fixed[i];
          } else if (index[i] >= 0) {
            row[index[i]] = e[i];
            touches = true;
          }
        }
        if (touches) {
          rows.add(row);
          rhs.add(b);
        }
      }
    }

    List<String> leaks(List<Expr> sensitive) {
      List<Expr> open = new ArrayList<>(sensitive);
      List<String> out = new ArrayList<>();
      while (!open.isEmpty()) {
        double[] w = cappedWitness(open);
        int before = open.size();
        open.removeIf(y -> value(w, y) >= THRESHOLD - 1e-6);
        if (open.size() == before) {
          break;
        }
      }
      while (!open.isEmpty()) {
        Expr x = open.remove(0);
        double[] w = solve(x);
        if (w == null) {
          out.add(x.what() + " (true " + x.truth() + ") is provably below " + THRESHOLD);
        } else {
          open.removeIf(y -> value(w, y) >= THRESHOLD - 1e-6);
        }
      }
      return out;
    }

    double value(double[] point, Expr x) {
      double s = 0;
      for (int v : x.vars()) {
        s += fixed[v] != null ? fixed[v] : index[v] >= 0 ? point[index[v]] : 0;
      }
      return s;
    }

    private double[] expr(Expr x, int width) {
      double[] row = new double[width];
      for (int v : x.vars()) {
        if (fixed[v] == null && index[v] >= 0) {
          row[index[v]] += 1;
        }
      }
      return row;
    }

    private double known(Expr x) {
      double s = 0;
      for (int v : x.vars()) {
        if (fixed[v] != null) {
          s += fixed[v];
        }
      }
      return s;
    }

    private List<LinearConstraint> base(int width) {
      List<LinearConstraint> cs = new ArrayList<>();
      for (int k = 0; k < rows.size(); k++) {
        cs.add(
            new LinearConstraint(
                java.util.Arrays.copyOf(rows.get(k), width), Relationship.EQ, rhs.get(k)));
      }
      double[] cap = new double[width];
      java.util.Arrays.fill(cap, 0, members.size(), 1);
      cs.add(new LinearConstraint(cap, Relationship.LEQ, 1e7));
      return cs;
    }

    /**
     * max sum u_k, u_k <= value_k, u_k <= threshold: pushes every open value towards the threshold
     * at once.
     */
    private double[] cappedWitness(List<Expr> open) {
      int m = members.size();
      int width = m + open.size();
      List<LinearConstraint> cs = base(width);
      double[] objective = new double[width];
      for (int k = 0; k < open.size(); k++) {
        double[] row = expr(open.get(k), width);
        for (int i = 0; i < m; i++) {
          row[i] = -row[i];
        }
        row[m + k] = 1;
        cs.add(new LinearConstraint(row, Relationship.LEQ, known(open.get(k))));
        double[] cap = new double[width];
        cap[m + k] = 1;
        cs.add(new LinearConstraint(cap, Relationship.LEQ, THRESHOLD));
        objective[m + k] = 1;
      }
      PointValuePair p =
          new SimplexSolver(1e-7, 10, 1e-11)
              .optimize(
                  new MaxIter(1_000_000),
                  new LinearObjectiveFunction(objective, 0),
                  new LinearConstraintSet(cs),
                  GoalType.MAXIMIZE,
                  new NonNegativeConstraint(true));
      return java.util.Arrays.copyOf(p.getPoint(), m);
    }

    /**
     * A point where x reaches the threshold, or null when none is consistent with what was seen.
     */
    private double[] solve(Expr x) {
      int m = members.size();
      List<LinearConstraint> cs = base(m);
      double[] e = expr(x, m);
      cs.add(new LinearConstraint(e, Relationship.GEQ, THRESHOLD - known(x)));
      try {
        return new SimplexSolver(1e-7, 10, 1e-11)
            .optimize(
                new MaxIter(1_000_000),
                new LinearObjectiveFunction(e, 0),
                new LinearConstraintSet(cs),
                GoalType.MAXIMIZE,
                new NonNegativeConstraint(true))
            .getPoint();
      } catch (NoFeasibleSolutionException ex) {
        return null;
      }
    }
  }
}
