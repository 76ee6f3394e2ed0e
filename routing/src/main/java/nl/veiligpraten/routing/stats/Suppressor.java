package nl.veiligpraten.routing.stats;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Disclosure control for tables shown outside the owning organisation: primary suppression of every
 * entry below the threshold (cells and totals, zero included: "nobody in group X" is also a
 * disclosure), then complementary suppression until {@link DisclosureAudit} finds no suppressed
 * entry that can be proven to be below the threshold from the shown cells and totals.
 *
 * <p>Complements are interior cells where possible, so totals stay visible; a margin entry is
 * protected with other margins of its line first, so the suppression of help-point totals mostly
 * depends on those totals alone and is the same in every table that shares them. The loop ends
 * because every round suppresses one more entry, and a fully suppressed table is safe.
 */
public final class Suppressor {

  /**
   * The threshold of the brief: cells with n &lt; 10 are not shown outside the owning organisation.
   */
  public static final int THRESHOLD = 10;

  private Suppressor() {}

  public static PublishedTable protect(CountTable table) {
    return protect(table, THRESHOLD);
  }

  public static PublishedTable protect(CountTable table, int threshold) {
    return protect(table, threshold, null);
  }

  /**
   * Protects a table of which some entries are fixed beforehand: {@code preset[i][j]} TRUE = shown,
   * FALSE = suppressed, null = decided here. Fixed entries are never chosen as complements; that is
   * how margins shared with other tables (help-point totals, day totals) keep one pattern in every
   * table of a month. When no free entry is left to repair an exposure, every free entry is
   * suppressed; with all fixed shown entries at or above the threshold that is always safe.
   */
  public static PublishedTable protect(CountTable table, int threshold, Boolean[][] preset) {
    long[][] ext = table.extended();
    int r = ext.length - 1;
    int c = ext[0].length - 1;
    Long[][] shown = new Long[r + 1][c + 1];
    for (int i = 0; i <= r; i++) {
      for (int j = 0; j <= c; j++) {
        Boolean fixed = preset == null ? null : preset[i][j];
        if (fixed == null) {
          shown[i][j] = ext[i][j] < threshold ? null : ext[i][j];
        } else if (fixed) {
          if (ext[i][j] < threshold) {
            throw new IllegalStateException("an entry below the threshold was fixed as shown");
          }
          shown[i][j] = ext[i][j];
        } else {
          shown[i][j] = null;
        }
      }
    }
    try {
      complement(ext, shown, preset, threshold);
    } catch (NothingLeft e) {
      for (int i = 0; i <= r; i++) {
        for (int j = 0; j <= c; j++) {
          if (preset == null || preset[i][j] == null) {
            shown[i][j] = null;
          }
        }
      }
    }
    return new PublishedTable(table.rows(), table.columns(), shown, threshold);
  }

  /** No free entry is left to suppress while an entry is still exposed. */
  private static final class NothingLeft extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NothingLeft() {
      super(null, null, false, false);
    }
  }

  private static void complement(long[][] ext, Long[][] shown, Boolean[][] preset, int threshold) {
    int r = ext.length - 1;
    int c = ext[0].length - 1;
    boolean changed = true;
    while (changed) {
      changed = false;
      for (int i = 0; i <= r && !changed; i++) {
        for (int j = 0; j <= c && !changed; j++) {
          if (shown[i][j] == null
              && ext[i][j] < threshold
              && !DisclosureAudit.canReach(shown, i, j, threshold)) {
            suppressComplement(shown, preset, i, j, threshold);
            changed = true;
          }
        }
      }
    }
  }

  private static final int MAX_TRIALS = 64;

  /**
   * Suppresses one more entry to protect the exposed one. Candidates, in order: interior cells in
   * the same row or column; interior cells in any line that already has a suppressed interior cell
   * (closing a cycle there protects the whole group); margins in the same line; anything. Within a
   * group the smallest value first. The first candidate that, once suppressed, makes the exposed
   * entry safe wins; if none does alone, the first candidate is taken and the loop continues.
   */
  private static void suppressComplement(
      Long[][] shown, Boolean[][] preset, int row, int column, int threshold) {
    int r = shown.length - 1;
    int c = shown[0].length - 1;
    boolean[] rowHasHidden = new boolean[r + 1];
    boolean[] columnHasHidden = new boolean[c + 1];
    for (int i = 0; i < r; i++) {
      for (int j = 0; j < c; j++) {
        if (shown[i][j] == null) {
          rowHasHidden[i] = true;
          columnHasHidden[j] = true;
        }
      }
    }
    List<long[]> candidates = new ArrayList<>();
    for (int i = 0; i <= r; i++) {
      for (int j = 0; j <= c; j++) {
        if (shown[i][j] == null || (preset != null && preset[i][j] != null)) {
          continue;
        }
        boolean interior = i < r && j < c;
        boolean sameLine = i == row || j == column;
        int group =
            interior && sameLine
                ? 0
                : interior && (rowHasHidden[i] || columnHasHidden[j]) ? 1 : sameLine ? 2 : 3;
        if (row == r || column == c) {
          // A margin entry is protected by margins of its own line first (see class comment).
          group = !interior && sameLine ? 0 : group + 1;
        }
        candidates.add(new long[] {group, shown[i][j], i, j});
      }
    }
    if (candidates.isEmpty()) {
      throw new NothingLeft();
    }
    candidates.sort(
        Comparator.<long[]>comparingLong(x -> x[0])
            .thenComparingLong(x -> x[1])
            .thenComparingLong(x -> x[2])
            .thenComparingLong(x -> x[3]));
    long[] chosen = candidates.get(0);
    for (int k = 0; k < Math.min(MAX_TRIALS, candidates.size()); k++) {
      long[] cand = candidates.get(k);
      Long saved = shown[(int) cand[2]][(int) cand[3]];
      shown[(int) cand[2]][(int) cand[3]] = null;
      boolean fixes = DisclosureAudit.canReach(shown, row, column, threshold);
      shown[(int) cand[2]][(int) cand[3]] = saved;
      if (fixes) {
        chosen = cand;
        break;
      }
    }
    shown[(int) chosen[2]][(int) chosen[3]] = null;
  }
}
