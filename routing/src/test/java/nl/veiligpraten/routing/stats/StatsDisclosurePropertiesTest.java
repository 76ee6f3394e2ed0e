package nl.veiligpraten.routing.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Disclosure control: no published table, totals included, lets anyone derive a count below 10. The
 * attacker is {@link DisclosureAudit} (exact max-flow bounds); its own correctness is checked
 * against brute-force enumeration of every consistent table on small tables.
 */
class StatsDisclosurePropertiesTest {

  @Property(tries = 400)
  @Label("no entry of a protected table, margins included, can be proven below 10")
  void protectedTablesRevealNoSmallCount(@ForAll("tables") CountTable table) {
    PublishedTable published = Suppressor.protect(table);
    long[][] truth = table.extended();
    Long[][] shown = published.entries();
    for (int i = 0; i < truth.length; i++) {
      for (int j = 0; j < truth[i].length; j++) {
        if (shown[i][j] != null) {
          assertEquals(truth[i][j], (long) shown[i][j], "shown values are true values");
          assertTrue(shown[i][j] >= 10, "shown value below 10 at " + i + "," + j);
        } else if (truth[i][j] < 10) {
          assertTrue(
              DisclosureAudit.canReach(shown, i, j, 10),
              "suppressed entry " + i + "," + j + " (true " + truth[i][j] + ") provably below 10");
        }
      }
    }
  }

  @Property(tries = 200)
  @Label(
      "chain totals shown to one organisation do not reveal the other organisations' small counts")
  void chainTotalsProtectOthers(@ForAll("tablePairs") CountTable[] pair) {
    CountTable own = pair[0];
    CountTable others = pair[1];
    StatsQuery chain =
        new StatsQuery(
            Figure.INFLOW,
            java.time.LocalDate.of(2026, 10, 1),
            java.time.LocalDate.of(2026, 10, 31),
            RowKind.HELP_POINT,
            Granularity.DAY,
            Dimension.ROLE,
            Scope.CHAIN,
            "csg",
            false);
    PublishedTable published = Publication.publish(chain, new FigureData.Counts("t", own, others));
    // Lines of the published table are input rows, the viewer's own rows, or the pooled line
    // "other" (input rows
    // not listed). The viewer knows its own counts exactly, so it learns others = chain - own
    // wherever chain is
    // shown; the others' truth per published entry is the sum over the input rows behind it.
    int r = published.rows().size();
    int c = own.columns().size();
    long[][] truth = new long[r + 1][c + 1];
    Long[][] derived = new Long[r + 1][c + 1];
    long[][] ownPart = new long[r + 1][c + 1];
    boolean[][] othersBehind = new boolean[r + 1][c + 1];
    for (int k = 0; k < own.rows().size(); k++) {
      String label = own.rows().get(k);
      int line = published.rows().indexOf(label);
      if (line < 0) {
        line = published.rows().indexOf(Publication.OTHER);
      }
      if (line < 0) {
        for (int j = 0; j < c; j++) {
          assertEquals(0, own.cell(k, j) + others.cell(k, j), "only empty rows may be left out");
        }
        continue;
      }
      for (int j = 0; j < c; j++) {
        for (int[] at : new int[][] {{line, j}, {line, c}, {r, j}, {r, c}}) {
          truth[at[0]][at[1]] += others.cell(k, j);
          ownPart[at[0]][at[1]] += own.cell(k, j);
          othersBehind[at[0]][at[1]] |= others.rowTotal(k) > 0 || own.rowTotal(k) == 0;
        }
      }
    }
    boolean[][] ownLine = new boolean[r + 1][c + 1];
    for (int i = 0; i < r; i++) {
      int k = own.rows().indexOf(published.rows().get(i));
      boolean viewers = k >= 0 && others.rowTotal(k) == 0;
      for (int j = 0; j <= c; j++) {
        ownLine[i][j] = viewers;
      }
    }
    for (int i = 0; i <= r; i++) {
      for (int j = 0; j <= c; j++) {
        Long shown = published.entries()[i][j];
        derived[i][j] = shown == null ? null : shown - ownPart[i][j];
        if (shown != null) {
          assertEquals(
              truth[i][j], (long) derived[i][j], "shown values are true at " + i + "," + j);
          assertTrue(
              !othersBehind[i][j] || truth[i][j] >= 10,
              "others' part below 10 shown at " + i + "," + j);
        }
      }
    }
    // The viewer's own lines are known to be zero for the others: the audit sees them as shown
    // zeros.
    for (int i = 0; i < r; i++) {
      if (ownLine[i][0]) {
        for (int j = 0; j <= c; j++) {
          derived[i][j] = 0L;
        }
      }
    }
    for (int i = 0; i <= r; i++) {
      for (int j = 0; j <= c; j++) {
        if (derived[i][j] == null && truth[i][j] < 10) {
          assertTrue(
              DisclosureAudit.canReach(derived, i, j, 10),
              "others' entry " + i + "," + j + " (true " + truth[i][j] + ") provably below 10");
        }
      }
    }
  }

  @Property(tries = 300)
  @Label("the audit agrees with brute-force enumeration of all consistent tables")
  void auditMatchesBruteForce(@ForAll("smallPublications") Object[] input) {
    CountTable table = (CountTable) input[0];
    boolean[][] hide = (boolean[][]) input[1];
    long[][] truth = table.extended();
    Long[][] shown = new Long[truth.length][truth[0].length];
    for (int i = 0; i < truth.length; i++) {
      for (int j = 0; j < truth[i].length; j++) {
        shown[i][j] = hide[i][j] ? null : truth[i][j];
      }
    }
    long[][] max = bruteForceMax(table.rows().size(), table.columns().size(), shown, 24);
    for (int i = 0; i < truth.length; i++) {
      for (int j = 0; j < truth[i].length; j++) {
        if (shown[i][j] == null) {
          assertEquals(
              max[i][j] >= 10,
              DisclosureAudit.canReach(shown, i, j, 10),
              "entry " + i + "," + j + " brute max " + max[i][j]);
        }
      }
    }
  }

  @Test
  @DisplayName("a lone small cell gets a complement in its row and column, and totals stay shown")
  void loneSmallCellGetsComplements() {
    CountTable t =
        new CountTable(List.of("a", "b"), List.of("x", "y"), new long[][] {{3, 40}, {50, 60}});
    PublishedTable p = Suppressor.protect(t);
    assertEquals(null, p.cell(0, 0));
    assertEquals(4, p.suppressedCount(), "the whole 2x2 cycle is suppressed");
    assertNotNull(p.rowTotal(0));
    assertNotNull(p.total());
    assertTrue(DisclosureAudit.safe(t.extended(), p.entries(), 10));
  }

  @Test
  @DisplayName("a table without small counts is shown whole")
  void bigCountsShownWhole() {
    CountTable t =
        new CountTable(List.of("a", "b"), List.of("x", "y"), new long[][] {{30, 40}, {50, 60}});
    assertEquals(0, Suppressor.protect(t).suppressedCount());
  }

  /**
   * Maximum of every entry over all non-negative integer tables (cells ≤ bound) consistent with the
   * shown ones.
   */
  static long[][] bruteForceMax(int r, int c, Long[][] shown, int bound) {
    long[][] max = new long[r + 1][c + 1];
    for (long[] row : max) {
      java.util.Arrays.fill(row, -1);
    }
    int n = r * c;
    long[] cells = new long[n];
    enumerate(0, n, r, c, cells, shown, bound, max);
    return max;
  }

  private static void enumerate(
      int k, int n, int r, int c, long[] cells, Long[][] shown, int bound, long[][] max) {
    if (k == n) {
      long[][] ext = new long[r + 1][c + 1];
      for (int i = 0; i < r; i++) {
        for (int j = 0; j < c; j++) {
          long v = cells[i * c + j];
          ext[i][j] = v;
          ext[i][c] += v;
          ext[r][j] += v;
          ext[r][c] += v;
        }
      }
      for (int i = 0; i <= r; i++) {
        for (int j = 0; j <= c; j++) {
          if (shown[i][j] != null && shown[i][j] != ext[i][j]) {
            return;
          }
        }
      }
      for (int i = 0; i <= r; i++) {
        for (int j = 0; j <= c; j++) {
          max[i][j] = Math.max(max[i][j], ext[i][j]);
        }
      }
      return;
    }
    int i = k / c;
    int j = k % c;
    if (shown[i][j] != null) {
      cells[k] = shown[i][j];
      enumerate(k + 1, n, r, c, cells, shown, bound, max);
      return;
    }
    for (int v = 0; v <= bound; v++) {
      cells[k] = v;
      enumerate(k + 1, n, r, c, cells, shown, bound, max);
    }
  }

  @Provide
  Arbitrary<CountTable> tables() {
    return Combinators.combine(
            Arbitraries.integers().between(1, 6),
            Arbitraries.integers().between(1, 6),
            Arbitraries.longs().between(0, 1L << 40))
        .as(StatsDisclosurePropertiesTest::table);
  }

  @Provide
  Arbitrary<CountTable[]> tablePairs() {
    return Combinators.combine(
            Arbitraries.integers().between(1, 5),
            Arbitraries.integers().between(1, 5),
            Arbitraries.longs().between(0, 1L << 40),
            Arbitraries.longs().between(0, 1L << 40))
        .as((r, c, s1, s2) -> new CountTable[] {table(r, c, s1), table(r, c, s2)});
  }

  @Provide
  Arbitrary<Object[]> smallPublications() {
    Arbitrary<int[]> shapes =
        Arbitraries.of(
            new int[] {2, 2},
            new int[] {1, 3},
            new int[] {3, 1},
            new int[] {1, 4},
            new int[] {1, 2},
            new int[] {2, 1});
    return Combinators.combine(shapes, Arbitraries.longs().between(0, 1L << 40))
        .as(
            (shape, seed) -> {
              java.util.Random rnd = new java.util.Random(seed);
              long[][] cells = new long[shape[0]][shape[1]];
              for (long[] row : cells) {
                for (int j = 0; j < row.length; j++) {
                  row[j] = rnd.nextInt(7);
                }
              }
              boolean[][] hide = new boolean[shape[0] + 1][shape[1] + 1];
              for (boolean[] row : hide) {
                for (int j = 0; j < row.length; j++) {
                  row[j] = rnd.nextInt(3) > 0;
                }
              }
              return new Object[] {
                new CountTable(labels("r", shape[0]), labels("c", shape[1]), cells), hide
              };
            });
  }

  /** Skewed counts: many small ones (the dangerous case), some zeros, some large. */
  static CountTable table(int r, int c, long seed) {
    java.util.Random rnd = new java.util.Random(seed);
    long[][] cells = new long[r][c];
    for (long[] row : cells) {
      for (int j = 0; j < c; j++) {
        int kind = rnd.nextInt(4);
        row[j] =
            kind == 0
                ? 0
                : kind == 1
                    ? 1 + rnd.nextInt(9)
                    : kind == 2 ? 10 + rnd.nextInt(30) : rnd.nextInt(500);
      }
    }
    return new CountTable(labels("r", r), labels("c", c), cells);
  }

  static List<String> labels(String prefix, int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(prefix + i);
    }
    return out;
  }
}
