package nl.veiligpraten.routing.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 22's attack, replayed: a viewer requests every table it may request over two generated
 * months (every figure, split, row kind and granularity, each month, and the trend over both), adds
 * its own exact counts, and runs one linear program over all of it ({@link JointAttack}). No cell
 * of another organisation below 10, and no suppressed entry whose other-organisation part is below
 * 10, may be provably below 10 (which includes "pinned to 0").
 */
class StatsAttackTest {

  static final LocalDate SEP = LocalDate.of(2026, 9, 1);
  static final LocalDate OCT = LocalDate.of(2026, 10, 1);

  static SyntheticStats month(long seed) {
    Map<LocalDate, Integer> sizes = new LinkedHashMap<>();
    sizes.put(SEP, 1100);
    sizes.put(OCT, 1500);
    return new SyntheticStats(seed, sizes);
  }

  /**
   * Every request the viewer may make in chain scope over the two months (refused ones are left
   * out).
   */
  static List<StatsQuery> everyRequest(Viewer viewer) {
    Set<StatsQuery> out = new LinkedHashSet<>();
    List<LocalDate[]> periods =
        List.of(
            new LocalDate[] {SEP, SEP.plusMonths(1).minusDays(1)},
            new LocalDate[] {OCT, OCT.plusMonths(1).minusDays(1)},
            new LocalDate[] {SEP, OCT.plusMonths(1).minusDays(1)},
            new LocalDate[] {OCT, OCT.plusDays(6)});
    for (LocalDate[] p : periods) {
      for (Figure f : Figure.values()) {
        for (String rows : List.of("help_point", "time")) {
          for (Granularity g : Granularity.values()) {
            for (Dimension by : f.splits()) {
              Map<String, String> params = new HashMap<>();
              params.put("figure", f.code());
              params.put("from", p[0].toString());
              params.put("to", p[1].toString());
              params.put("rows", rows);
              params.put("granularity", g.code());
              params.put("by", by.code());
              params.put("scope", "chain");
              try {
                StatsQuery q = StatsQuery.parse(params, viewer);
                out.add(
                    q.rows() == RowKind.HELP_POINT
                        ? new StatsQuery(
                            q.figure(),
                            q.from(),
                            q.to(),
                            q.rows(),
                            Granularity.MONTH,
                            q.by(),
                            q.scope(),
                            q.orgId(),
                            q.chainRole())
                        : q);
              } catch (StatsRequestException refused) {
                // Not requestable, so not part of what the viewer sees.
              }
            }
          }
        }
      }
    }
    return new ArrayList<>(out);
  }

  @org.junit.jupiter.api.Test
  @DisplayName(
      "the alternative 'chain totals only where every organisation has 10 or more' keeps less")
  void everyOrganisationTenOrMoreKeepsLess() {
    SyntheticStats data = month(20261022L);
    int columns = 0;
    int kept = 0;
    for (Dimension d :
        List.of(
            Dimension.ROLE,
            Dimension.AGE_BAND,
            Dimension.SETTING,
            Dimension.PRIORITY,
            Dimension.LANG)) {
      for (LocalDate m : List.of(SEP, OCT)) {
        Map<String, Map<String, Long>> perCode = new HashMap<>();
        data.cases.stream()
            .filter(c -> c.queued().toLocalDate().withDayOfMonth(1).equals(m))
            .forEach(
                c ->
                    perCode
                        .computeIfAbsent(SyntheticStats.column(d, c), k -> new HashMap<>())
                        .merge(c.org(), 1L, Long::sum));
        for (String code : d.fixedValues()) {
          columns++;
          Map<String, Long> orgs = perCode.getOrDefault(code, Map.of());
          if (Set.copyOf(SyntheticStats.ORG_OF.values()).stream()
              .allMatch(o -> orgs.getOrDefault(o, 0L) >= 10)) {
            kept++;
          }
        }
      }
    }
    System.out.printf(
        "every organisation >= 10: %d of %d chain totals per split code shown (%.1f%%)%n",
        kept, columns, 100.0 * kept / columns);
    assertTrue(
        kept < columns / 2,
        "most chain totals fail the every-organisation rule on small organisations");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"csg", "cvsn", "chain_viewer"})
  @DisplayName(
      "a viewer who knows its own cells and requests every table learns no other organisation's small "
          + "count, by LP over all tables together")
  void everyTableTogetherRevealsNoSmallCount(String who) {
    Viewer viewer =
        who.equals("chain_viewer")
            ? new Viewer("chain_viewer", null)
            : new Viewer("stats_viewer", who);
    SyntheticStats data = month(20261022L);
    long t0 = System.nanoTime();
    JointAttack attack = new JointAttack(data, viewer, List.of(SEP, OCT));
    List<StatsQuery> requests = everyRequest(viewer);
    for (StatsQuery q : requests) {
      attack.see(Publication.publish(data.data(q)));
    }
    List<String> leaks = attack.leaks();
    System.out.printf(
        "attack by %s: %d requests, %d tables, %d shown / %d suppressed entries, %d variables, "
            + "%d sensitive values, %d leaks, %d ms%n",
        who,
        requests.size(),
        attack.tables,
        attack.shownEntries,
        attack.suppressedEntries,
        attack.vars.size(),
        attack.sensitive.size(),
        leaks.size(),
        (System.nanoTime() - t0) / 1_000_000);
    System.out.printf(
        "information kept for %s: %d of %d cells with other organisations' cases shown (%.1f%%), "
            + "holding %.1f%% of those cases%n",
        who,
        attack.interiorShown,
        attack.interiorAll,
        100.0 * attack.interiorShown / attack.interiorAll,
        100.0 * attack.casesShown / attack.casesAll);
    leaks.stream().limit(15).forEach(l -> System.out.println("  leak: " + l));
    attack.exposedShown.stream().limit(15).forEach(l -> System.out.println("  shown: " + l));
    attack.unmodelled.stream().limit(5).forEach(l -> System.out.println("  unmodelled: " + l));
    assertTrue(requests.size() > 20, "the viewer can request many tables: " + requests.size());
    assertEquals(List.of(), attack.unmodelled, "published tables the attack model does not cover");
    assertEquals(
        List.of(), attack.exposedShown, "shown entries whose other-organisation part is below 10");
    assertEquals(List.of(), leaks, "suppressed values provably below 10");
  }
}
