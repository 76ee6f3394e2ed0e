package nl.veiligpraten.routing.stats;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Generated cases for the disclosure tests, and the raw {@link FigureData} of any request over
 * them, built the way {@code StatsRepository} builds it from PostgreSQL (same row and column
 * labels, own part and everybody else's). Small organisations get small monthly numbers on purpose:
 * that is where disclosure happens.
 */
final class SyntheticStats {

  /** Help points and their organisation (public configuration: the attacker knows it). */
  static final Map<String, String> ORG_OF =
      Map.of(
          "veilig_thuis",
          "veilig_thuis",
          "triage",
          "veilig_thuis",
          "csg",
          "csg",
          "sense",
          "sense",
          "cvsn",
          "cvsn",
          "mores",
          "mores");

  static final List<String> HELP_POINTS =
      List.of("csg", "cvsn", "mores", "sense", "triage", "veilig_thuis");
  static final double[] HP_SHARE = {0.30, 0.04, 0.03, 0.15, 0.13, 0.35};

  /** One case (codes only). */
  record Case(
      String org,
      String hp,
      LocalDateTime queued,
      String role,
      String age,
      String setting,
      int prio,
      String lang,
      String outcome,
      boolean abandoned,
      int transfers,
      boolean replied,
      String came,
      String left,
      long waitSec) {

    /**
     * Waited longer than the given minutes without an answer (until the reply or until leaving).
     */
    boolean over(int minutes) {
      return waitSec > minutes * 60L;
    }

    boolean withinTarget() {
      return replied && waitSec <= TARGETS.get(prio);
    }
  }

  /** Target first-response seconds per priority (the same for every help point here). */
  static final Map<Integer, Integer> TARGETS = Map.of(0, 60, 1, 300, 2, 900, 3, 1800);

  static final List<Integer> THRESHOLDS = List.of(5, 10);

  /** A routing override or a referral (flow events). */
  record Flow(
      String kind,
      LocalDateTime at,
      String org,
      String hp,
      String reason,
      String toOrg,
      String toHp) {}

  final List<Case> cases = new ArrayList<>();
  final List<Flow> flows = new ArrayList<>();

  SyntheticStats(long seed, Map<LocalDate, Integer> casesPerMonth) {
    Random rnd = new Random(seed);
    for (Map.Entry<LocalDate, Integer> m : casesPerMonth.entrySet()) {
      for (int k = 0; k < m.getValue(); k++) {
        cases.add(draw(rnd, m.getKey()));
      }
    }
    for (Case c : cases) {
      if (c.abandoned || !c.replied) {
        continue;
      }
      if (rnd.nextDouble() < 0.03) {
        flows.add(
            new Flow(
                "overridden",
                c.queued.plusMinutes(3),
                c.org,
                c.hp,
                pick(rnd, "age_mismatch", "setting_mismatch", "acute", "capacity"),
                null,
                null));
      }
      if (rnd.nextDouble() < 0.06) {
        String to = pick(rnd, "csg", "veilig_thuis", "sense", "cvsn", "mores", "slachtofferhulp");
        if (to.equals(c.hp)) {
          to = "slachtofferhulp";
        }
        String answer =
            pick(rnd, "referral_accepted", "referral_accepted", "referral_declined", "");
        flows.add(
            new Flow(
                "referral_offered",
                c.queued.plusMinutes(9),
                c.org,
                c.hp,
                null,
                ORG_OF.get(to),
                to));
        if (!answer.isEmpty()) {
          flows.add(
              new Flow(answer, c.queued.plusMinutes(11), c.org, c.hp, null, ORG_OF.get(to), to));
        }
      }
    }
  }

  private static Case draw(Random rnd, LocalDate month) {
    double u = rnd.nextDouble();
    int h = 0;
    for (double acc = HP_SHARE[0]; u > acc && h < HELP_POINTS.size() - 1; acc += HP_SHARE[++h]) {
      // walk the shares
    }
    String hp = HELP_POINTS.get(h);
    LocalDateTime at =
        month
            .atStartOfDay()
            .plusDays(rnd.nextInt(month.lengthOfMonth()))
            .plusMinutes(rnd.nextInt(24 * 60));
    int prio =
        rnd.nextDouble() < 0.03 ? 0 : rnd.nextDouble() < 0.2 ? 1 : rnd.nextDouble() < 0.6 ? 2 : 3;
    String role =
        weighted(
            rnd,
            new String[] {
              "victim", "relative", "bystander", "perpetrator", "professional", "rather_not", null
            },
            new double[] {0.55, 0.15, 0.07, 0.05, 0.1, 0.05, 0.03});
    String age =
        weighted(
            rnd,
            new String[] {
              "under12", "12-15", "16-17", "18-24", "25plus", "unknown", "rather_not", null
            },
            new double[] {0.03, 0.12, 0.13, 0.27, 0.35, 0.04, 0.03, 0.03});
    String setting =
        hp.equals("cvsn")
            ? "sport"
            : hp.equals("mores")
                ? "culture_media"
                : weighted(
                    rnd,
                    new String[] {"home", "partner", "education", "work", "street", "online", null},
                    new double[] {0.3, 0.2, 0.1, 0.1, 0.1, 0.15, 0.05});
    String lang =
        weighted(rnd, new String[] {"nl", "nl_easy", "en"}, new double[] {0.85, 0.07, 0.08});
    boolean abandoned = rnd.nextDouble() < 0.1;
    boolean replied = !abandoned && rnd.nextDouble() < 0.97;
    String left =
        abandoned
            ? "in_queue"
            : !replied ? "before_first_reply" : rnd.nextDouble() < 0.08 ? "during_chat" : "stayed";
    String outcome =
        abandoned
            ? "abandoned"
            : !replied
                ? "visitor_left"
                : pick(rnd, "listened", "advice", "referred", "police_info", "other");
    int transfers = abandoned ? 0 : rnd.nextDouble() < 0.05 ? 1 + rnd.nextInt(3) : 0;
    String came =
        weighted(
            rnd,
            new String[] {
              "gp", "school", "police", "friend_family", "search", "campaign", "other", null
            },
            new double[] {0.05, 0.08, 0.04, 0.15, 0.3, 0.08, 0.05, 0.25});
    long waitSec = (long) (-Math.log(1 - rnd.nextDouble()) * new int[] {30, 120, 400, 700}[prio]);
    return new Case(
        ORG_OF.get(hp),
        hp,
        at,
        role,
        age,
        setting,
        prio,
        lang,
        outcome,
        abandoned,
        transfers,
        replied,
        came,
        left,
        waitSec);
  }

  private static String pick(Random rnd, String... values) {
    return values[rnd.nextInt(values.length)];
  }

  private static String weighted(Random rnd, String[] values, double[] weights) {
    double u = rnd.nextDouble();
    double acc = 0;
    for (int i = 0; i < values.length; i++) {
      acc += weights[i];
      if (u < acc) {
        return values[i];
      }
    }
    return values[values.length - 1];
  }

  static String or(String v) {
    return v == null ? Dimension.UNKNOWN : v;
  }

  /** The column code of a case for a split (as StatsQueries.split). */
  static String column(Dimension d, Case c) {
    return switch (d) {
      case NONE -> "n";
      case ROLE -> or(c.role);
      case AGE_BAND -> or(c.age);
      case SETTING -> or(c.setting);
      case PRIORITY -> "P" + c.prio;
      case LANG -> or(c.lang);
      case HELP_POINT -> c.hp;
      case CAME_FROM -> or(c.came);
      case OUTCOME -> c.outcome == null ? "open" : c.outcome;
      // The synthetic cases are all chats (messages by code, issue 19, are not generated here).
      case CHANNEL -> "chat";
    };
  }

  boolean inPeriod(StatsQuery q, LocalDateTime t) {
    return !t.toLocalDate().isBefore(q.from()) && !t.toLocalDate().isAfter(q.to());
  }

  /**
   * Outside the organisation time rows come per day; publication sums them (as StatsRepository
   * does).
   */
  static Granularity dataGranularity(StatsQuery q) {
    return q.outside() && q.rows() == RowKind.TIME ? Granularity.DAY : q.granularity();
  }

  /** Raw figure data of a request, as the repository returns it. */
  FigureData data(StatsQuery q) {
    Granularity g = dataGranularity(q);
    Function<Case, String> row = q.rows() == RowKind.TIME ? c -> g.label(c.queued) : c -> c.hp;
    List<Case> period = cases.stream().filter(c -> inPeriod(q, c.queued)).toList();
    Predicate<String> mine = org -> q.orgId() != null && q.orgId().equals(org);
    switch (q.figure()) {
      case REACH:
        {
          List<FigureData.Counts> tables = new ArrayList<>();
          for (Dimension d : List.of(Dimension.ROLE, Dimension.AGE_BAND, Dimension.LANG)) {
            tables.add(
                split(
                    q,
                    d.code(),
                    period,
                    c -> c.org,
                    row,
                    c -> column(d, c),
                    d.fixedValues(),
                    mine));
          }
          return new FigureData(q, tables, List.of());
        }
      case WAITING:
        {
          List<Case> replied = period.stream().filter(c -> c.replied).toList();
          FigureData.Counts n =
              q.by() == Dimension.CHANNEL
                  ? split(
                      q,
                      "waiting_n",
                      replied,
                      c -> c.org,
                      row,
                      c -> column(Dimension.CHANNEL, c),
                      Dimension.CHANNEL.fixedValues(),
                      mine)
                  : split(
                      q,
                      "waiting_n",
                      replied,
                      c -> c.org,
                      row,
                      c -> "P" + c.prio,
                      Dimension.PRIORITY.fixedValues(),
                      mine);
          return new FigureData(q, List.of(n), List.of());
        }
      case ABANDONED:
        return new FigureData(
            q,
            List.of(
                split(
                    q,
                    "abandoned",
                    period,
                    c -> c.org,
                    row,
                    c -> c.abandoned ? "abandoned" : "not_abandoned",
                    List.of("abandoned", "not_abandoned"),
                    mine)),
            List.of());
      case LEFT:
        return new FigureData(
            q,
            List.of(
                split(
                    q,
                    "left",
                    period,
                    c -> c.org,
                    row,
                    c -> c.left,
                    List.of("in_queue", "before_first_reply", "during_chat", "stayed"),
                    mine)),
            List.of());
      case WAITED:
        {
          List<FigureData.Counts> tables = new ArrayList<>();
          tables.add(
              split(
                  q,
                  "queued",
                  period,
                  c -> c.org,
                  row,
                  c -> "P" + c.prio,
                  Dimension.PRIORITY.fixedValues(),
                  mine));
          for (int m : THRESHOLDS) {
            tables.add(
                split(
                    q,
                    "over_" + m + "m",
                    period.stream().filter(c -> c.over(m)).toList(),
                    c -> c.org,
                    row,
                    c -> "P" + c.prio,
                    Dimension.PRIORITY.fixedValues(),
                    mine));
          }
          tables.add(
              split(
                  q,
                  "within_target",
                  period.stream().filter(Case::withinTarget).toList(),
                  c -> c.org,
                  row,
                  c -> "P" + c.prio,
                  Dimension.PRIORITY.fixedValues(),
                  mine));
          return new FigureData(q, tables, List.of());
        }
      case TRANSFERS:
        return new FigureData(
            q,
            List.of(
                split(
                    q,
                    "transfers",
                    period,
                    c -> c.org,
                    row,
                    c -> c.transfers >= 3 ? "3+" : "" + c.transfers,
                    List.of("0", "1", "2", "3+"),
                    mine)),
            List.of());
      case OVERRIDES:
        {
          List<Flow> f =
              flows.stream().filter(e -> e.kind.equals("overridden") && inPeriod(q, e.at)).toList();
          return new FigureData(
              q,
              List.of(
                  splitFlows(
                      q,
                      "overrides",
                      f,
                      e -> e.hp,
                      e -> e.reason,
                      List.of(),
                      e -> mine.test(e.org))),
              List.of());
        }
      case REFERRALS:
        {
          List<Flow> offered =
              flows.stream()
                  .filter(e -> e.kind.equals("referral_offered") && inPeriod(q, e.at))
                  .toList();
          Map<Flow, String> status = new HashMap<>();
          for (Flow o : offered) {
            String s = "open";
            for (Flow e : flows) {
              if (e.at.equals(o.at.plusMinutes(2))
                  && e.hp.equals(o.hp)
                  && e.toHp.equals(o.toHp)
                  && e.org.equals(o.org)) {
                s = e.kind.equals("referral_accepted") ? "accepted" : "declined";
              }
            }
            status.put(o, s);
          }
          return new FigureData(
              q,
              List.of(
                  splitFlows(
                      q,
                      "referrals",
                      offered,
                      e -> e.hp + ">" + e.toHp,
                      status::get,
                      List.of("accepted", "declined", "open"),
                      e -> mine.test(e.org) || mine.test(e.toOrg))),
              List.of());
        }
      case QUEUE, HEATMAP, REFERRED_IN:
        throw new IllegalArgumentException(q.figure().code() + " is inside only");
      default:
        {
          Dimension d = q.by();
          Function<Case, String> col =
              q.figure() == Figure.OUTCOMES ? c -> column(Dimension.OUTCOME, c) : c -> column(d, c);
          return new FigureData(
              q,
              List.of(
                  split(
                      q,
                      q.figure().code(),
                      period,
                      c -> c.org,
                      row,
                      col,
                      q.figure() == Figure.OUTCOMES ? List.of() : d.fixedValues(),
                      mine)),
              List.of());
        }
    }
  }

  private <T> FigureData.Counts split(
      StatsQuery q,
      String name,
      List<T> items,
      Function<T, String> org,
      Function<T, String> row,
      Function<T, String> col,
      List<String> fixed,
      Predicate<String> mine) {
    return splitFlows(q, name, items, row, col, fixed, t -> mine.test(org.apply(t)));
  }

  private <T> FigureData.Counts splitFlows(
      StatsQuery q,
      String name,
      List<T> items,
      Function<T, String> row,
      Function<T, String> col,
      List<String> fixed,
      Predicate<T> own) {
    Map<String, Map<String, Long>> ownCells = new HashMap<>();
    Map<String, Map<String, Long>> allCells = new HashMap<>();
    for (T t : items) {
      boolean isOwn = own.test(t);
      if (isOwn) {
        ownCells
            .computeIfAbsent(row.apply(t), k -> new HashMap<>())
            .merge(col.apply(t), 1L, Long::sum);
      }
      if (q.outside()) {
        allCells
            .computeIfAbsent(row.apply(t), k -> new HashMap<>())
            .merge(col.apply(t), 1L, Long::sum);
      }
    }
    List<String> rows;
    if (q.rows() == RowKind.TIME) {
      rows = dataGranularity(q).labels(q.from(), q.to());
    } else {
      Set<String> r = new TreeSet<>(ownCells.keySet());
      r.addAll(allCells.keySet());
      rows = new ArrayList<>(r);
    }
    Set<String> columns = new LinkedHashSet<>(fixed);
    Set<String> extra = new TreeSet<>();
    ownCells.values().forEach(m -> extra.addAll(m.keySet()));
    allCells.values().forEach(m -> extra.addAll(m.keySet()));
    columns.addAll(extra);
    List<String> cols = new ArrayList<>(columns);
    long[][] o = new long[rows.size()][cols.size()];
    long[][] x = new long[rows.size()][cols.size()];
    for (int i = 0; i < rows.size(); i++) {
      for (int j = 0; j < cols.size(); j++) {
        long mineN = ownCells.getOrDefault(rows.get(i), Map.of()).getOrDefault(cols.get(j), 0L);
        long all = allCells.getOrDefault(rows.get(i), Map.of()).getOrDefault(cols.get(j), 0L);
        o[i][j] = mineN;
        x[i][j] = allCells.isEmpty() ? 0 : all - mineN;
      }
    }
    return new FigureData.Counts(
        name, new CountTable(rows, cols, o), new CountTable(rows, cols, x));
  }
}
