package nl.veiligpraten.statistics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import nl.veiligpraten.infra.db.Database;
import nl.veiligpraten.infra.db.DbSettings;
import nl.veiligpraten.infra.db.EmbeddedDatabase;
import nl.veiligpraten.infra.db.Migrations;
import nl.veiligpraten.routing.stats.DisclosureAudit;
import nl.veiligpraten.routing.stats.FigureData;
import nl.veiligpraten.routing.stats.Granularity;
import nl.veiligpraten.routing.stats.Publication;
import nl.veiligpraten.routing.stats.PublishedFigure;
import nl.veiligpraten.routing.stats.PublishedTable;
import nl.veiligpraten.routing.stats.StatsQuery;
import nl.veiligpraten.routing.stats.ValueTable;
import nl.veiligpraten.routing.stats.Viewer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A generated month of 100,000 cases in real PostgreSQL; every figure is recomputed in Java
 * straight from the raw stat_event rows (read over JDBC, not through the projection or the figure
 * SQL) and compared.
 */
@DisplayName(
    "Statistics figures over a generated month equal an independent computation from the raw events")
class StatsFiguresIT {

  static final LocalDate MONTH = LocalDate.of(2026, 10, 1);
  static final int CASES = 100_000;

  /** Target first-response seconds (as help-points.yaml would give them); triage has none. */
  static final Map<String, Map<Integer, Integer>> TARGETS =
      Map.of(
          "csg",
          Map.of(0, 60, 1, 300, 2, 900, 3, 1800),
          "veilig_thuis",
          Map.of(0, 60, 1, 300, 2, 900, 3, 1800),
          "sense",
          Map.of(2, 900, 3, 1800),
          "cvsn",
          Map.of(2, 900, 3, 1800),
          "mores",
          Map.of(2, 900, 3, 1800));

  @TempDir static Path dataDir;
  static EmbeddedDatabase db;
  static Vertx vertx;
  static Pool pool;
  static StatsRepository repo;
  static Map<UUID, Case> cases = new HashMap<>();
  static List<Ev> flows = new ArrayList<>();
  static long generateMillis;

  /** A case as rebuilt from its events. */
  static final class Case {
    OffsetDateTime queued;
    OffsetDateTime assigned;
    OffsetDateTime firstReply;
    OffsetDateTime closed;
    String org;
    String hp;
    Integer prio;
    String role;
    String age;
    String setting;
    String lang;
    String cameFrom;
    String outcome;
    boolean abandoned;
    int transfers;
  }

  /** A transfer/override/referral event. */
  record Ev(
      UUID ref,
      String kind,
      OffsetDateTime at,
      String org,
      String hp,
      String reason,
      String toOrg,
      String toHp) {}

  @BeforeAll
  static void setUp() throws Exception {
    db = EmbeddedDatabase.start(dataDir.resolve("pg"), 0);
    Migrations.migrateBlocking(db.settings());
    vertx = Vertx.vertx();
    pool = Database.pool(vertx, db.settings(), 4);
    repo = new StatsRepository(pool, List.of(5, 10), TARGETS);
    long t0 = System.nanoTime();
    long events = await(new StatsGenerator(pool).month(MONTH, CASES, 0.42));
    generateMillis = (System.nanoTime() - t0) / 1_000_000;
    System.out.println(
        "generated " + CASES + " cases, " + events + " events in " + generateMillis + " ms");
    readRawEvents(db.settings());
  }

  @AfterAll
  static void tearDown() throws Exception {
    if (vertx != null) {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    if (db != null) {
      db.close();
    }
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
  }

  static void readRawEvents(DbSettings s) throws Exception {
    try (Connection c = DriverManager.getConnection(s.jdbcUrl(), s.user(), s.password());
        Statement st = c.createStatement()) {
      c.setAutoCommit(false);
      st.setFetchSize(20_000);
      try (ResultSet rs =
          st.executeQuery(
              "SELECT case_ref, kind, at, org_id, help_point, priority, role, "
                  + "age_band, setting, lang, outcome, reason, to_org, to_help_point, came_from FROM stat_event")) {
        while (rs.next()) {
          UUID ref = (UUID) rs.getObject(1);
          String kind = rs.getString(2);
          OffsetDateTime at = rs.getObject(3, OffsetDateTime.class);
          Case k = cases.computeIfAbsent(ref, x -> new Case());
          switch (kind) {
            case "queued":
              k.queued = at;
              k.org = rs.getString(4);
              k.hp = rs.getString(5);
              k.prio = (Integer) rs.getObject(6);
              k.role = rs.getString(7);
              k.age = rs.getString(8);
              k.setting = rs.getString(9);
              k.lang = rs.getString(10);
              k.cameFrom = rs.getString(15);
              break;
            case "assigned":
              k.assigned = at;
              break;
            case "first_reply":
              k.firstReply = at;
              break;
            case "closed":
              k.closed = at;
              k.outcome = rs.getString(11);
              break;
            case "abandoned":
              k.abandoned = true;
              break;
            case "transferred":
              k.transfers++;
              break;
            default:
              break;
          }
          if (kind.startsWith("referral_") || kind.equals("overridden")) {
            flows.add(
                new Ev(
                    ref,
                    kind,
                    at,
                    rs.getString(4),
                    rs.getString(5),
                    rs.getString(12),
                    rs.getString(13),
                    rs.getString(14)));
          }
        }
      }
    }
  }

  static Instant start() {
    return StatsRepository.startOf(MONTH).toInstant();
  }

  static Instant end() {
    return StatsRepository.startOf(MONTH.plusMonths(1)).toInstant();
  }

  static boolean inMonth(OffsetDateTime t) {
    return t != null && !t.toInstant().isBefore(start()) && t.toInstant().isBefore(end());
  }

  static List<Case> queuedIn(String org) {
    return cases.values().stream()
        .filter(c -> inMonth(c.queued) && c.hp != null && (org == null || org.equals(c.org)))
        .toList();
  }

  static Map<String, Map<String, Long>> count(
      List<Case> list, Function<Case, String> row, Function<Case, String> col) {
    Map<String, Map<String, Long>> out = new TreeMap<>();
    for (Case c : list) {
      out.computeIfAbsent(row.apply(c), k -> new TreeMap<>()).merge(col.apply(c), 1L, Long::sum);
    }
    return out;
  }

  static String or(String v) {
    return v == null ? "unknown" : v;
  }

  static PublishedFigure figure(Viewer viewer, String... kv) throws Exception {
    Map<String, String> params = new HashMap<>();
    params.put("from", MONTH.toString());
    params.put("to", MONTH.plusMonths(1).minusDays(1).toString());
    for (int i = 0; i < kv.length; i += 2) {
      params.put(kv[i], kv[i + 1]);
    }
    FigureData data = await(repo.figure(StatsQuery.parse(params, viewer)));
    return Publication.publish(data);
  }

  /**
   * Every cell of a published unsuppressed table equals the expected counts (missing = 0), and vice
   * versa.
   */
  static void assertTable(Map<String, Map<String, Long>> expected, PublishedTable t) {
    long total = 0;
    for (int i = 0; i < t.rows().size(); i++) {
      for (int j = 0; j < t.columns().size(); j++) {
        long want =
            expected.getOrDefault(t.rows().get(i), Map.of()).getOrDefault(t.columns().get(j), 0L);
        assertEquals(want, (long) t.cell(i, j), t.rows().get(i) + " / " + t.columns().get(j));
      }
    }
    for (Map<String, Long> row : expected.values()) {
      for (long v : row.values()) {
        total += v;
      }
    }
    assertEquals(
        total, (long) t.total(), "grand total (no expected row or column missing from the table)");
  }

  static Viewer org(String org) {
    return new Viewer("stats_viewer", org);
  }

  @Test
  @DisplayName(
      "the generator makes a plausible month: 100,000 cases over five organisations, all priorities")
  void plausibleMonth() {
    assertEquals(CASES, cases.size());
    List<Case> queued = queuedIn(null);
    assertTrue(queued.size() > 85_000, "most cases reach a queue: " + queued.size());
    Map<String, Long> perOrg = new TreeMap<>();
    Map<Integer, Long> perPrio = new TreeMap<>();
    queued.forEach(
        c -> {
          perOrg.merge(c.org, 1L, Long::sum);
          perPrio.merge(c.prio, 1L, Long::sum);
        });
    assertEquals(
        List.of("csg", "cvsn", "mores", "sense", "veilig_thuis"), new ArrayList<>(perOrg.keySet()));
    assertEquals(4, perPrio.size());
    assertTrue(perPrio.get(0) < perPrio.get(3), "P0 is rare");
    assertTrue(flows.stream().anyMatch(e -> e.kind().equals("referral_accepted")));
  }

  @Test
  @DisplayName("inflow per help point by role, and per day by priority, equal the raw events")
  void inflow() throws Exception {
    assertTable(
        count(queuedIn("csg"), c -> c.hp, c -> or(c.role)),
        figure(org("csg"), "figure", "inflow", "by", "role").table("inflow"));
    Granularity day = Granularity.DAY;
    assertTable(
        count(
            queuedIn("veilig_thuis"),
            c -> day.label(LocalDateTime.ofInstant(c.queued.toInstant(), StatsRepository.ZONE)),
            c -> "P" + c.prio),
        figure(org("veilig_thuis"), "figure", "inflow", "rows", "time", "by", "priority")
            .table("inflow"));
    assertTable(
        count(queuedIn("sense"), c -> c.hp, c -> or(c.setting)),
        figure(org("sense"), "figure", "inflow", "by", "setting").table("inflow"));
    assertTable(
        count(queuedIn("mores"), c -> c.hp, c -> or(c.age)),
        figure(org("mores"), "figure", "inflow", "by", "age_band").table("inflow"));
  }

  @Test
  @DisplayName("inflow by 'came from' (intake question QF) equals the raw events")
  void cameFrom() throws Exception {
    assertTable(
        count(queuedIn("csg"), c -> c.hp, c -> or(c.cameFrom)),
        figure(org("csg"), "figure", "inflow", "by", "came_from").table("inflow"));
    assertTrue(queuedIn("csg").stream().anyMatch(c -> "campaign".equals(c.cameFrom)));
  }

  static String left(Case c) {
    if (c.abandoned) {
      return "in_queue";
    }
    if (c.closed != null && c.firstReply == null) {
      return "before_first_reply";
    }
    return "visitor_left".equals(c.outcome) || "visitor_left_hurry".equals(c.outcome)
        ? "during_chat"
        : "stayed";
  }

  @Test
  @DisplayName(
      "left before helped (in queue, after assignment before the first reply, during the chat) equals the "
          + "raw events")
  void leftBeforeHelped() throws Exception {
    assertTable(
        count(queuedIn("veilig_thuis"), c -> c.hp, StatsFiguresIT::left),
        figure(org("veilig_thuis"), "figure", "left").table("left"));
    Map<String, Map<String, Long>> all = count(queuedIn("sense"), c -> c.hp, StatsFiguresIT::left);
    assertTrue(
        all.get("sense").get("before_first_reply") > 0 && all.get("sense").get("during_chat") > 0);
  }

  @Test
  @DisplayName(
      "waited longer than 5 and 10 minutes and service level against each help point's target equal the "
          + "raw events")
  void waitedAndServiceLevel() throws Exception {
    Instant asked = Instant.now();
    PublishedFigure f = figure(org("csg"), "figure", "waited");
    List<Case> csg = queuedIn("csg");
    assertTable(count(csg, c -> c.hp, c -> "P" + c.prio), f.table("queued"));
    for (int minutes : List.of(5, 10)) {
      List<Case> over =
          csg.stream()
              .filter(
                  c -> {
                    OffsetDateTime end = c.firstReply != null ? c.firstReply : c.closed;
                    Instant until = end == null ? asked : end.toInstant();
                    return java.time.Duration.between(c.queued.toInstant(), until).toNanos() / 1e9
                        > minutes * 60;
                  })
              .toList();
      assertTable(count(over, c -> c.hp, c -> "P" + c.prio), f.table("over_" + minutes + "m"));
      ValueTable share =
          f.values().stream()
              .filter(v -> v.name().equals("share_over_" + minutes + "m"))
              .findFirst()
              .orElseThrow();
      long n = over.stream().filter(c -> c.prio == 3).count();
      long d = csg.stream().filter(c -> c.prio == 3).count();
      assertEquals(
          Math.round(1000.0 * n / d) / 10.0, share.value(0, share.columns().indexOf("P3")), 1e-9);
    }
    List<Case> within =
        csg.stream()
            .filter(
                c ->
                    c.firstReply != null
                        && java.time.Duration.between(c.queued, c.firstReply).toNanos() / 1e9
                            <= TARGETS.get("csg").get(c.prio))
            .toList();
    assertTable(count(within, c -> c.hp, c -> "P" + c.prio), f.table("within_target"));
    ValueTable level =
        f.values().stream().filter(v -> v.name().equals("service_level")).findFirst().orElseThrow();
    long w1 = within.stream().filter(c -> c.prio == 1).count();
    long q1 = csg.stream().filter(c -> c.prio == 1).count();
    assertEquals(
        Math.round(1000.0 * w1 / q1) / 10.0, level.value(0, level.columns().indexOf("P1")), 1e-9);
    // Triage has no target configured: no service level, whatever its counts.
    PublishedFigure vt = figure(org("veilig_thuis"), "figure", "waited");
    ValueTable vtLevel =
        vt.values().stream()
            .filter(v -> v.name().equals("service_level"))
            .findFirst()
            .orElseThrow();
    assertNull(vtLevel.value(vtLevel.rows().indexOf("triage"), 0));
  }

  @Test
  @DisplayName(
      "the weekday x hour heatmap of inflow and counselors online equals the raw events and samples")
  void heatmap() throws Exception {
    PublishedFigure f = figure(org("sense"), "figure", "heatmap");
    Map<String, Map<String, Long>> expected = new TreeMap<>();
    List<String> days = List.of("mon", "tue", "wed", "thu", "fri", "sat", "sun");
    for (Case c : queuedIn("sense")) {
      LocalDateTime local = LocalDateTime.ofInstant(c.queued.toInstant(), StatsRepository.ZONE);
      expected
          .computeIfAbsent(days.get(local.getDayOfWeek().getValue() - 1), k -> new TreeMap<>())
          .merge(String.format("%02d", local.getHour()), 1L, Long::sum);
    }
    assertTable(expected, f.table("inflow"));
    assertTrue(expected.get("sat") == null, "Sense has office hours: nothing on Saturday");
    Map<String, double[]> online = new HashMap<>();
    DbSettings s = db.settings();
    try (Connection c = DriverManager.getConnection(s.jdbcUrl(), s.user(), s.password());
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT sampled_at, counselors_online FROM stat_capacity_sample WHERE "
                    + "org_id = 'sense'")) {
      while (rs.next()) {
        OffsetDateTime at = rs.getObject(1, OffsetDateTime.class);
        if (!inMonth(at)) {
          continue;
        }
        LocalDateTime local = LocalDateTime.ofInstant(at.toInstant(), StatsRepository.ZONE);
        double[] acc =
            online.computeIfAbsent(
                local.getDayOfWeek().getValue() + "/" + local.getHour(), k -> new double[2]);
        acc[0] += rs.getInt(2);
        acc[1]++;
      }
    }
    ValueTable v =
        f.values().stream()
            .filter(x -> x.name().equals("counselors_online"))
            .findFirst()
            .orElseThrow();
    for (Map.Entry<String, double[]> e : online.entrySet()) {
      String[] dh = e.getKey().split("/");
      double want = Math.round(e.getValue()[0] / e.getValue()[1] * 10) / 10.0;
      assertEquals(
          want, v.value(Integer.parseInt(dh[0]) - 1, Integer.parseInt(dh[1])), 1e-9, e.getKey());
    }
  }

  @Test
  @DisplayName("referred-in chats count in the receiver's own figures, from which help point")
  void referredIn() throws Exception {
    Map<String, Map<String, Long>> expected = new TreeMap<>();
    flows.stream()
        .filter(
            e ->
                e.kind().equals("referral_accepted") && "cvsn".equals(e.toOrg()) && inMonth(e.at()))
        .forEach(
            e ->
                expected
                    .computeIfAbsent(e.toHp(), k -> new TreeMap<>())
                    .merge(e.hp(), 1L, Long::sum));
    assertFalse(expected.isEmpty());
    assertTable(expected, figure(org("cvsn"), "figure", "referred_in").table("referred_in"));
    // Chain totals count each chat once, for the organisation that took it: the figure is not shown
    // outside.
    assertEquals(403, assertRefused(org("cvsn"), "figure", "referred_in", "scope", "chain"));
  }

  static int assertRefused(Viewer v, String... kv) {
    Map<String, String> params = new HashMap<>();
    params.put("from", MONTH.toString());
    params.put("to", MONTH.plusMonths(1).minusDays(1).toString());
    for (int i = 0; i < kv.length; i += 2) {
      params.put(kv[i], kv[i + 1]);
    }
    try {
      StatsQuery.parse(params, v);
      return 200;
    } catch (nl.veiligpraten.routing.stats.StatsRequestException e) {
      return e.status();
    }
  }

  @Test
  @DisplayName(
      "waiting time p50/p90 per help point and priority equal percentiles over the raw events")
  void waiting() throws Exception {
    PublishedFigure f = figure(org("veilig_thuis"), "figure", "waiting");
    List<Case> replied =
        queuedIn("veilig_thuis").stream().filter(c -> c.firstReply != null).toList();
    assertTable(count(replied, c -> c.hp, c -> "P" + c.prio), f.table("waiting_n"));
    ValueTable p50 = f.values().get(0);
    ValueTable p90 = f.values().get(1);
    for (int i = 0; i < p50.rows().size(); i++) {
      for (int j = 0; j < p50.columns().size(); j++) {
        String hp = p50.rows().get(i);
        String prio = p50.columns().get(j);
        List<Double> waits =
            replied.stream()
                .filter(c -> c.hp.equals(hp) && ("P" + c.prio).equals(prio))
                .map(c -> (java.time.Duration.between(c.queued, c.firstReply).toNanos() / 1e9))
                .sorted()
                .toList();
        if (waits.isEmpty()) {
          assertNull(p50.value(i, j));
          continue;
        }
        assertEquals(
            waits.get((int) Math.ceil(0.5 * waits.size()) - 1), p50.value(i, j), 1e-3, hp + prio);
        assertEquals(
            waits.get((int) Math.ceil(0.9 * waits.size()) - 1), p90.value(i, j), 1e-3, hp + prio);
        assertTrue(p90.value(i, j) >= p50.value(i, j));
      }
    }
  }

  @Test
  @DisplayName("abandoned before answer, transfers per chat and outcomes equal the raw events")
  void abandonedTransfersOutcomes() throws Exception {
    assertTable(
        count(queuedIn("sense"), c -> c.hp, c -> c.abandoned ? "abandoned" : "not_abandoned"),
        figure(org("sense"), "figure", "abandoned").table("abandoned"));
    assertTable(
        count(queuedIn("veilig_thuis"), c -> c.hp, c -> c.transfers >= 3 ? "3+" : "" + c.transfers),
        figure(org("veilig_thuis"), "figure", "transfers").table("transfers"));
    assertTable(
        count(queuedIn("csg"), c -> c.hp, c -> c.outcome == null ? "open" : c.outcome),
        figure(org("csg"), "figure", "outcomes", "by", "outcome").table("outcomes"));
    // Abandonment share is plausible: waiting longer than patience happens, but not for most.
    long abandoned = queuedIn(null).stream().filter(c -> c.abandoned).count();
    assertTrue(abandoned > 1000 && abandoned < queuedIn(null).size() / 2, "abandoned " + abandoned);
  }

  @Test
  @DisplayName("overrides by reason and the referral matrix equal the raw events")
  void overridesAndReferrals() throws Exception {
    Map<String, Map<String, Long>> overrides = new TreeMap<>();
    flows.stream()
        .filter(e -> e.kind().equals("overridden") && "csg".equals(e.org()) && inMonth(e.at()))
        .forEach(
            e ->
                overrides
                    .computeIfAbsent(e.hp(), k -> new TreeMap<>())
                    .merge(e.reason(), 1L, Long::sum));
    assertTable(overrides, figure(org("csg"), "figure", "overrides").table("overrides"));

    Map<String, Map<String, Long>> referrals = new TreeMap<>();
    Map<String, List<Ev>> byReferral = new HashMap<>();
    flows.stream()
        .filter(e -> e.kind().startsWith("referral_") && !e.kind().equals("referral_picked_up"))
        .forEach(
            e ->
                byReferral
                    .computeIfAbsent(e.ref() + "|" + e.toHp(), k -> new ArrayList<>())
                    .add(e));
    for (List<Ev> evs : byReferral.values()) {
      Ev offered =
          evs.stream().filter(e -> e.kind().equals("referral_offered")).findFirst().orElseThrow();
      boolean mine = evs.stream().anyMatch(e -> "csg".equals(e.org()) || "csg".equals(e.toOrg()));
      if (!inMonth(offered.at()) || !mine) {
        continue;
      }
      String status =
          evs.stream().anyMatch(e -> e.kind().equals("referral_accepted"))
              ? "accepted"
              : evs.stream().anyMatch(e -> e.kind().equals("referral_declined"))
                  ? "declined"
                  : "open";
      referrals
          .computeIfAbsent(offered.hp() + ">" + offered.toHp(), k -> new TreeMap<>())
          .merge(status, 1L, Long::sum);
    }
    assertFalse(referrals.isEmpty());
    assertTable(referrals, figure(org("csg"), "figure", "referrals").table("referrals"));
  }

  @Test
  @DisplayName(
      "reach of youth, bystanders, perpetrators, easy language and English equals the raw events")
  void reach() throws Exception {
    PublishedFigure f = figure(org("cvsn"), "figure", "reach");
    Map<String, Predicate<Case>> groups =
        Map.of(
            "youth",
                c -> c.age != null && List.of("under12", "12-15", "16-17", "18-24").contains(c.age),
            "bystanders", c -> "bystander".equals(c.role),
            "perpetrators", c -> "perpetrator".equals(c.role),
            "easy_language", c -> "nl_easy".equals(c.lang),
            "english", c -> "en".equals(c.lang));
    for (Map.Entry<String, Predicate<Case>> g : groups.entrySet()) {
      assertTable(
          count(queuedIn("cvsn"), c -> c.hp, c -> g.getValue().test(c) ? g.getKey() : "other"),
          f.table(g.getKey()));
    }
  }

  @Test
  @DisplayName("queue length per hour equals a sweep over queue entries and departures")
  void queueLength() throws Exception {
    PublishedFigure f = figure(org("csg"), "figure", "queue", "granularity", "hour");
    ValueTable lengths = f.values().get(0);
    ValueTable online = f.values().get(1);
    assertEquals(List.of("csg"), lengths.columns());
    // Independent sweep: sort +1/-1 moves, apply all moves of one instant and direction together.
    List<long[]> moves = new ArrayList<>();
    for (Case c : cases.values()) {
      if (!"csg".equals(c.org) || c.queued == null) {
        continue;
      }
      OffsetDateTime leave = c.assigned != null ? c.assigned : c.closed;
      long q = micros(c.queued);
      if (q >= micros(end()) || (leave != null && micros(leave) < micros(start()))) {
        continue;
      }
      moves.add(new long[] {q, 1});
      if (leave != null && micros(leave) < micros(end())) {
        moves.add(new long[] {micros(leave), -1});
      }
    }
    moves.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
    Map<String, Long> maxPerHour = new HashMap<>();
    Map<String, Long> lastPerHour = new HashMap<>();
    long len = 0;
    long before = 0;
    for (long[] m : moves) {
      len += m[1];
      Instant t = Instant.ofEpochSecond(0, m[0] * 1000);
      if (t.isBefore(start())) {
        before = len;
        continue;
      }
      String label = Granularity.HOUR.label(LocalDateTime.ofInstant(t, StatsRepository.ZONE));
      maxPerHour.merge(label, len, Math::max);
      lastPerHour.put(label, len);
    }
    // Peers (same instant and direction) count as one step: recompute max over peer-group ends
    // only.
    maxPerHour.clear();
    len = 0;
    for (int k = 0; k < moves.size(); k++) {
      len += moves.get(k)[1];
      boolean groupEnd =
          k + 1 == moves.size()
              || moves.get(k + 1)[0] != moves.get(k)[0]
              || moves.get(k + 1)[1] != moves.get(k)[1];
      Instant t = Instant.ofEpochSecond(0, moves.get(k)[0] * 1000);
      if (groupEnd && !t.isBefore(start())) {
        maxPerHour.merge(
            Granularity.HOUR.label(LocalDateTime.ofInstant(t, StatsRepository.ZONE)),
            len,
            Math::max);
      }
    }
    long carry = before;
    long peak = 0;
    for (int i = 0; i < lengths.rows().size(); i++) {
      String hour = lengths.rows().get(i);
      long want = maxPerHour.containsKey(hour) ? Math.max(carry, maxPerHour.get(hour)) : carry;
      assertEquals((double) want, lengths.value(i, 0), hour);
      if (lastPerHour.containsKey(hour)) {
        carry = lastPerHour.get(hour);
      }
      peak = Math.max(peak, want);
    }
    assertTrue(peak >= 3, "a month has busy hours: peak " + peak);
    assertTrue(online.rows().size() == lengths.rows().size());
    assertTrue(online.value(20, 0) != null && online.value(20, 0) >= 1, "csg staffs 24/7");
  }

  static long micros(OffsetDateTime t) {
    return micros(t.toInstant());
  }

  static long micros(Instant t) {
    return t.getEpochSecond() * 1_000_000 + t.getNano() / 1000;
  }

  @Test
  @DisplayName("the stored overview of a finished month equals the live one and the raw events")
  void monthOverview() throws Exception {
    List<StatsRepository.OverviewRow> live = await(repo.monthOverviewLive(MONTH));
    List<StatsRepository.OverviewRow> stored =
        await(repo.monthOverview(MONTH, StatsRepository.startOf(MONTH.plusMonths(2)).toInstant()));
    assertEquals(live, stored);
    for (StatsRepository.OverviewRow row : stored) {
      List<Case> group =
          queuedIn(null).stream()
              .filter(c -> c.hp.equals(row.helpPoint()) && c.prio == row.priority())
              .toList();
      assertEquals(group.size(), row.inflow(), row.toString());
      assertEquals(
          group.stream().filter(c -> c.abandoned).count(), row.abandoned(), row.toString());
      List<Double> waits =
          group.stream()
              .filter(c -> c.firstReply != null)
              .map(c -> java.time.Duration.between(c.queued, c.firstReply).toNanos() / 1e9)
              .sorted()
              .toList();
      assertEquals(waits.size(), row.replied());
      assertEquals(waits.get((int) Math.ceil(0.9 * waits.size()) - 1), row.p90(), 1e-3);
      Instant now = Instant.now();
      for (int minutes : List.of(5, 10)) {
        long over =
            group.stream()
                .filter(
                    c -> {
                      OffsetDateTime e = c.firstReply != null ? c.firstReply : c.closed;
                      return java.time.Duration.between(
                                      c.queued.toInstant(), e == null ? now : e.toInstant())
                                  .toNanos()
                              / 1e9
                          > minutes * 60;
                    })
                .count();
        assertEquals(over, minutes == 5 ? row.over5m() : row.over10m(), row + " over " + minutes);
      }
      assertEquals(
          group.stream().filter(c -> left(c).equals("before_first_reply")).count(),
          row.leftBeforeReply(),
          row.toString());
      assertEquals(
          group.stream().filter(c -> left(c).equals("during_chat")).count(),
          row.leftDuringChat(),
          row.toString());
    }
    assertEquals(
        queuedIn(null).size(),
        stored.stream().mapToLong(StatsRepository.OverviewRow::inflow).sum());
  }

  @Test
  @DisplayName(
      "a chain role sees monthly help-point tables where shown cells are true and nothing small derives")
  void chainRoleIsProtected() throws Exception {
    Viewer ministry = new Viewer("chain_viewer", null);
    for (String by : List.of("age_band", "role", "setting", "lang", "priority")) {
      PublishedTable t = figure(ministry, "figure", "inflow", "by", by).table("inflow");
      Map<String, Map<String, Long>> truth =
          count(
              queuedIn(null),
              c -> c.hp,
              c -> {
                if (by.equals("priority")) {
                  return "P" + c.prio;
                }
                return or(
                    by.equals("age_band")
                        ? c.age
                        : by.equals("role") ? c.role : by.equals("setting") ? c.setting : c.lang);
              });
      long[][] ext = new long[t.rows().size() + 1][t.columns().size() + 1];
      for (int i = 0; i < t.rows().size(); i++) {
        for (int j = 0; j < t.columns().size(); j++) {
          long v =
              truth.getOrDefault(t.rows().get(i), Map.of()).getOrDefault(t.columns().get(j), 0L);
          ext[i][j] = v;
          ext[i][t.columns().size()] += v;
          ext[t.rows().size()][j] += v;
          ext[t.rows().size()][t.columns().size()] += v;
        }
      }
      for (int i = 0; i < ext.length; i++) {
        for (int j = 0; j < ext[i].length; j++) {
          Long shown = t.entries()[i][j];
          if (shown != null) {
            assertEquals(ext[i][j], (long) shown, by + " " + i + "," + j);
          }
        }
      }
      assertTrue(
          DisclosureAudit.safe(ext, t.entries(), 10),
          "chain table by " + by + " leaks a small count");
      assertEquals(
          (long) queuedIn(null).size(), (long) t.total(), "the month total is large and shown");
    }
  }

  @Test
  @DisplayName("an organisation's chain view hides cells whose other-organisation part is below 10")
  void chainViewOfAnOrganisation() throws Exception {
    PublishedTable t =
        figure(org("mores"), "figure", "inflow", "scope", "chain", "by", "setting").table("inflow");
    Map<String, Map<String, Long>> all = count(queuedIn(null), c -> c.hp, c -> or(c.setting));
    Map<String, Map<String, Long>> own = count(queuedIn("mores"), c -> c.hp, c -> or(c.setting));
    int hidden = 0;
    for (int i = 0; i < t.rows().size(); i++) {
      for (int j = 0; j < t.columns().size(); j++) {
        String r = t.rows().get(i);
        String k = t.columns().get(j);
        long a = all.getOrDefault(r, Map.of()).getOrDefault(k, 0L);
        long o = own.getOrDefault(r, Map.of()).getOrDefault(k, 0L);
        Long shown = t.cell(i, j);
        if (shown == null) {
          hidden++;
        } else {
          assertEquals(a, (long) shown);
          // Mores' own help point: the others' part is zero by configuration and Mores knows its
          // own row.
          boolean ownRow = r.equals("mores");
          assertTrue(
              a - o >= 10 || (ownRow && a == o), "others' part below 10 shown at " + r + "/" + k);
        }
      }
    }
    assertTrue(hidden > 0, "culture_media outside mores is rare, so some cells are hidden");
  }

  @Test
  @DisplayName(
      "live triggers: a chat's life becomes code-only events linked by a random case ref, kept after "
          + "deletion")
  void triggersRecordCodesOnly() throws Exception {
    DbSettings s = db.settings();
    UUID id = UUID.randomUUID();
    try (Connection c = DriverManager.getConnection(s.jdbcUrl(), s.user(), s.password());
        Statement st = c.createStatement()) {
      st.execute(
          "INSERT INTO organisation (id, name) VALUES ('csg', 'CSG') ON CONFLICT DO NOTHING");
      st.execute(
          "INSERT INTO staff_user (org_id, username, display_name, role, password_hash) VALUES "
              + "('csg', 'trigger-counselor', 'T', 'counselor', 'x')");
      st.execute(
          "INSERT INTO conversation (id, resume_hash, status) VALUES ('"
              + id
              + "', '\\x01', 'intake')");
      st.execute(
          "UPDATE conversation SET status = 'queued', org_id = 'csg', help_point = 'csg', priority = 1, "
              + "rules_version = 'v7', queued_at = now(), intake = '{\"answers\": {\"Q1\": \"victim\", \"Q2\": "
              + "\"16-17\", \"Q5\": \"secret free text that is not a code\", \"QF\": \"school\"}, \"rule\": \"R1\", "
              + "\"lang\": \"en\"}' "
              + "WHERE id = '"
              + id
              + "'");
      st.execute(
          "UPDATE conversation SET status = 'assigned', counselor_id = (SELECT id FROM staff_user WHERE "
              + "username = 'trigger-counselor'), assigned_at = now() WHERE id = '"
              + id
              + "'");
      st.execute(
          "INSERT INTO message (conversation_id, seq, sender, client_id, body) VALUES ('"
              + id
              + "', 1, "
              + "'visitor', 'v1', '\\x00')");
      st.execute(
          "INSERT INTO message (conversation_id, seq, sender, client_id, body) VALUES ('"
              + id
              + "', 2, "
              + "'counselor', 'c1', '\\x00')");
      st.execute(
          "INSERT INTO message (conversation_id, seq, sender, client_id, body) VALUES ('"
              + id
              + "', 3, "
              + "'counselor', 'c2', '\\x00')");
      // What the message writer does in the same transaction as a batch holding a counselor's
      // message.
      st.execute(
          "UPDATE conversation SET next_seq = 2, first_reply_at = now() WHERE id = '" + id + "'");
      st.execute(
          "UPDATE conversation SET next_seq = 3, first_reply_at = CASE WHEN first_reply_at IS NULL "
              + "THEN now() ELSE first_reply_at END WHERE id = '"
              + id
              + "'");
      st.execute(
          "SELECT stat_emit('"
              + id
              + "', 'referral_offered', NULL, 'veilig_thuis', 'veilig_thuis')");
      st.execute(
          "UPDATE conversation SET status = 'closed', outcome = 'referred', closed_at = now() "
              + "WHERE id = '"
              + id
              + "'");
      UUID ref;
      try (ResultSet rs =
          st.executeQuery(
              "SELECT case_ref FROM stat_case_link WHERE conversation_id = '" + id + "'")) {
        assertTrue(rs.next());
        ref = (UUID) rs.getObject(1);
      }
      assertFalse(ref.equals(id), "the case ref is not the conversation id");
      st.execute("DELETE FROM conversation WHERE id = '" + id + "'");
      try (ResultSet rs =
          st.executeQuery("SELECT count(*) FROM message WHERE conversation_id = '" + id + "'")) {
        assertTrue(rs.next());
        assertEquals(0, rs.getLong(1), "deleting a conversation deletes its messages");
      }
      List<String> kinds = new ArrayList<>();
      try (ResultSet rs =
          st.executeQuery(
              "SELECT kind, row_to_json(e)::text FROM stat_event e WHERE case_ref = '"
                  + ref
                  + "' ORDER BY id")) {
        while (rs.next()) {
          kinds.add(rs.getString(1));
          String json = rs.getString(2);
          assertFalse(json.contains(id.toString()), json);
          assertFalse(json.contains("secret"), json);
        }
      }
      assertEquals(
          List.of(
              "started",
              "queued",
              "assigned",
              "first_reply",
              "referral_offered",
              "closed",
              "deleted"),
          kinds);
      try (ResultSet rs =
          st.executeQuery(
              "SELECT role, age_band, setting, lang, rule, rules_version, outcome, "
                  + "referrals, deleted, first_reply_at IS NOT NULL, came_from FROM stat_case WHERE case_ref = '"
                  + ref
                  + "'")) {
        assertTrue(rs.next());
        assertEquals("victim", rs.getString(1));
        assertEquals("16-17", rs.getString(2));
        assertNull(rs.getString(3), "free text never becomes a code");
        assertEquals("en", rs.getString(4));
        assertEquals("R1", rs.getString(5));
        assertEquals("v7", rs.getString(6));
        assertEquals("referred", rs.getString(7));
        assertEquals(1, rs.getInt(8));
        assertTrue(rs.getBoolean(9));
        assertTrue(rs.getBoolean(10));
        assertEquals("school", rs.getString(11), "came from (QF) is stored as a code");
      }
      try (ResultSet rs =
          st.executeQuery(
              "SELECT count(*) FROM stat_case_link WHERE conversation_id = '" + id + "'")) {
        rs.next();
        assertEquals(0, rs.getInt(1), "nothing links the events back after deletion");
      }
      // The capacity sampler writes one row per organisation and minute, however many nodes call
      // it.
      await(repo.sampleCapacity(300));
      await(repo.sampleCapacity(300));
      try (ResultSet rs =
          st.executeQuery(
              "SELECT count(*), max(queue_length) FROM stat_capacity_sample "
                  + "WHERE org_id = 'csg' AND sampled_at > now() - interval '2 minutes'")) {
        rs.next();
        assertTrue(
            rs.getInt(1) >= 1 && rs.getInt(1) <= 2, "one sample per minute: " + rs.getInt(1));
        assertEquals(0, rs.getInt(2), "the deleted chat is not queued");
      }
      // Append-only: the store refuses edits.
      assertTrue(
          assertThrowsSql(
              st, "UPDATE stat_event SET kind = 'closed' WHERE case_ref = '" + ref + "'"));
      assertTrue(assertThrowsSql(st, "DELETE FROM stat_event WHERE case_ref = '" + ref + "'"));
    }
  }

  @Test
  @DisplayName(
      "delete on request records 'deleted' and unlinks the case; a retention shred unlinks first and is "
          + "not counted as a deletion")
  void deletionUnlinks() throws Exception {
    DbSettings s = db.settings();
    UUID requested = UUID.randomUUID();
    UUID expired = UUID.randomUUID();
    try (Connection c = DriverManager.getConnection(s.jdbcUrl(), s.user(), s.password());
        Statement st = c.createStatement()) {
      st.execute(
          "INSERT INTO organisation (id, name) VALUES ('sense', 'Sense') ON CONFLICT DO NOTHING");
      UUID requestedRef = queued(st, requested, "\\x02");
      UUID expiredRef = queued(st, expired, "\\x04");
      // The privacy module's delete on request removes keys, messages and the row in one
      // transaction.
      st.execute("DELETE FROM conversation WHERE id = '" + requested + "'");
      assertEquals(List.of("started", "queued", "deleted"), kinds(st, requestedRef));
      // Its retention job unlinks statistics first (ShredQueries.UNLINK_STATISTICS), then deletes
      // the row.
      st.execute("DELETE FROM stat_case_link WHERE conversation_id = '" + expired + "'");
      st.execute("DELETE FROM conversation WHERE id = '" + expired + "'");
      assertEquals(List.of("started", "queued"), kinds(st, expiredRef));
      try (ResultSet rs =
          st.executeQuery(
              "SELECT count(*) FROM stat_case_link WHERE conversation_id IN ('"
                  + requested
                  + "', '"
                  + expired
                  + "')")) {
        rs.next();
        assertEquals(0, rs.getInt(1), "no case stays linked to a deleted conversation");
      }
    }
  }

  private static UUID queued(Statement st, UUID id, String resumeHash)
      throws java.sql.SQLException {
    st.execute(
        "INSERT INTO conversation (id, resume_hash, status) VALUES ('"
            + id
            + "', '"
            + resumeHash
            + "', 'intake')");
    st.execute(
        "UPDATE conversation SET status = 'queued', org_id = 'sense', help_point = 'sense', "
            + "priority = 3, queued_at = now(), intake = '{\"answers\": {\"Q1\": \"bystander\"}}' WHERE id = '"
            + id
            + "'");
    try (ResultSet rs =
        st.executeQuery(
            "SELECT case_ref FROM stat_case_link WHERE conversation_id = '" + id + "'")) {
      assertTrue(rs.next());
      return (UUID) rs.getObject(1);
    }
  }

  private static List<String> kinds(Statement st, UUID ref) throws java.sql.SQLException {
    List<String> kinds = new ArrayList<>();
    try (ResultSet rs =
        st.executeQuery("SELECT kind FROM stat_event WHERE case_ref = '" + ref + "' ORDER BY id")) {
      while (rs.next()) {
        kinds.add(rs.getString(1));
      }
    }
    return kinds;
  }

  static boolean assertThrowsSql(Statement st, String sql) {
    try {
      st.execute(sql);
      return false;
    } catch (java.sql.SQLException e) {
      return e.getMessage().contains("append-only");
    }
  }
}
