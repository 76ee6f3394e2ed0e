package nl.veiligpraten.routing.stats;

import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * What an attacker can derive from a published two-way table with margins: for one suppressed
 * entry, whether the published values (and the fact that counts are non-negative integers) still
 * allow that entry to be at least a given value. If not, the attacker can prove the entry is below
 * it.
 *
 * <p>Method: the unknown entries of a table with margins form a transportation problem. "Is there a
 * non-negative table, consistent with every shown value, in which entry e is at least t?" is a
 * feasible-circulation question with lower bounds, decided exactly with a max-flow (network
 * matrices are totally unimodular, so real and integer answers agree). Rows, columns and the grand
 * total are nodes/edges; shown entries are folded into the residuals.
 */
public final class DisclosureAudit {

  private static final long INF = Long.MAX_VALUE / 8;

  private DisclosureAudit() {}

  /**
   * Whether entry (row, column) of the extended array (margins at index R / C) can be at least
   * {@code atLeast} in some table consistent with the shown entries. Shown entries are consistent
   * by construction.
   */
  public static boolean canReach(Long[][] ext, int row, int column, long atLeast) {
    int r = ext.length - 1;
    int c = ext[0].length - 1;
    if (ext[row][column] != null) {
      return ext[row][column] >= atLeast;
    }
    // Node numbering: S = 0, rows 1..r, columns r+1..r+c, T = r+c+1.
    int s = 0;
    int t = r + c + 1;
    Circulation net = new Circulation(r + c + 2);
    long shownInterior = 0;
    long[] shownInRow = new long[r];
    long[] shownInColumn = new long[c];
    for (int i = 0; i < r; i++) {
      for (int j = 0; j < c; j++) {
        Long v = ext[i][j];
        if (v != null) {
          shownInRow[i] += v;
          shownInColumn[j] += v;
          shownInterior += v;
        } else {
          long lo = (i == row && j == column) ? atLeast : 0;
          net.edge(1 + i, 1 + r + j, lo, INF);
        }
      }
    }
    for (int i = 0; i < r; i++) {
      Long total = ext[i][c];
      if (total != null) {
        long residual = total - shownInRow[i];
        net.edge(s, 1 + i, residual, residual);
      } else {
        long lo = (i == row && column == c) ? Math.max(0, atLeast - shownInRow[i]) : 0;
        net.edge(s, 1 + i, lo, INF);
      }
    }
    for (int j = 0; j < c; j++) {
      Long total = ext[r][j];
      if (total != null) {
        long residual = total - shownInColumn[j];
        net.edge(1 + r + j, t, residual, residual);
      } else {
        long lo = (row == r && j == column) ? Math.max(0, atLeast - shownInColumn[j]) : 0;
        net.edge(1 + r + j, t, lo, INF);
      }
    }
    Long grand = ext[r][c];
    if (grand != null) {
      long residual = grand - shownInterior;
      net.edge(t, s, residual, residual);
    } else {
      long lo = (row == r && column == c) ? Math.max(0, atLeast - shownInterior) : 0;
      net.edge(t, s, lo, INF);
    }
    return net.feasible();
  }

  /**
   * True when no suppressed entry whose true value is below {@code threshold} can be proven to be
   * below it.
   */
  public static boolean safe(long[][] trueExtended, Long[][] published, int threshold) {
    for (int i = 0; i < published.length; i++) {
      for (int j = 0; j < published[i].length; j++) {
        if (published[i][j] == null) {
          if (trueExtended[i][j] < threshold && !canReach(published, i, j, threshold)) {
            return false;
          }
        } else if (published[i][j] < threshold) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * Feasible circulation with lower bounds, reduced to one max-flow (Edmonds-Karp on a capacity
   * matrix).
   */
  private static final class Circulation {
    private final int n;
    private final long[][] cap;
    private final long[] excess;

    Circulation(int nodes) {
      this.n = nodes + 2;
      this.cap = new long[n][n];
      this.excess = new long[n];
    }

    void edge(int from, int to, long lo, long hi) {
      if (lo > hi || lo < 0) {
        // Shown values inconsistent with non-negative unknowns: impossible table.
        excess[0] = Long.MIN_VALUE;
        return;
      }
      cap[from][to] = sat(cap[from][to] + (hi - lo));
      excess[to] += lo;
      excess[from] -= lo;
    }

    boolean feasible() {
      if (excess[0] == Long.MIN_VALUE) {
        return false;
      }
      int ss = n - 2;
      int tt = n - 1;
      long need = 0;
      for (int v = 0; v < n - 2; v++) {
        if (excess[v] > 0) {
          cap[ss][v] += excess[v];
          need += excess[v];
        } else if (excess[v] < 0) {
          cap[v][tt] += -excess[v];
        }
      }
      return maxFlow(ss, tt, need) >= need;
    }

    private long maxFlow(int src, int dst, long limit) {
      long flow = 0;
      int[] parent = new int[n];
      while (flow < limit) {
        Arrays.fill(parent, -1);
        parent[src] = src;
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        queue.add(src);
        while (!queue.isEmpty() && parent[dst] < 0) {
          int u = queue.poll();
          for (int v = 0; v < n; v++) {
            if (parent[v] < 0 && cap[u][v] > 0) {
              parent[v] = u;
              queue.add(v);
            }
          }
        }
        if (parent[dst] < 0) {
          break;
        }
        long push = limit - flow;
        for (int v = dst; v != src; v = parent[v]) {
          push = Math.min(push, cap[parent[v]][v]);
        }
        for (int v = dst; v != src; v = parent[v]) {
          cap[parent[v]][v] -= push;
          cap[v][parent[v]] = sat(cap[v][parent[v]] + push);
        }
        flow += push;
      }
      return flow;
    }

    private static long sat(long v) {
      return v < 0 || v > INF ? INF : v;
    }
  }
}
