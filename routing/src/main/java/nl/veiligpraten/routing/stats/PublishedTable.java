package nl.veiligpraten.routing.stats;

import java.util.List;

/**
 * A table as it is shown: every entry (cell, row total, column total, grand total) is a count or
 * {@code null} when suppressed. The layout is the extended array of {@link CountTable#extended()}:
 * the last column holds row totals, the last row column totals, the corner the grand total.
 */
public record PublishedTable(
    List<String> rows, List<String> columns, Long[][] entries, int threshold) {

  public PublishedTable {
    rows = List.copyOf(rows);
    columns = List.copyOf(columns);
    Long[][] copy = new Long[entries.length][];
    for (int i = 0; i < entries.length; i++) {
      copy[i] = entries[i].clone();
    }
    entries = copy;
  }

  /** A table shown inside the owning organisation: nothing suppressed. */
  public static PublishedTable unsuppressed(CountTable table) {
    long[][] ext = table.extended();
    Long[][] out = new Long[ext.length][ext[0].length];
    for (int i = 0; i < ext.length; i++) {
      for (int j = 0; j < ext[i].length; j++) {
        out[i][j] = ext[i][j];
      }
    }
    return new PublishedTable(table.rows(), table.columns(), out, 0);
  }

  public Long cell(int row, int column) {
    return entries[row][column];
  }

  public Long rowTotal(int row) {
    return entries[row][columns.size()];
  }

  public Long columnTotal(int column) {
    return entries[rows.size()][column];
  }

  public Long total() {
    return entries[rows.size()][columns.size()];
  }

  /** Number of suppressed entries, margins included. */
  public int suppressedCount() {
    int n = 0;
    for (Long[] row : entries) {
      for (Long v : row) {
        if (v == null) {
          n++;
        }
      }
    }
    return n;
  }
}
