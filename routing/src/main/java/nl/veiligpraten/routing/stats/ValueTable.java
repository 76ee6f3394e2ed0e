package nl.veiligpraten.routing.stats;

import java.util.List;

/**
 * A table of measured values that are not counts (waiting-time percentiles in seconds, queue
 * length, counselors online). A value is {@code null} when there is nothing to show or when the
 * count it rests on is suppressed.
 *
 * @param countsTable name of the count table whose cell (same row and column) gates each value, or
 *     {@code null}
 */
public record ValueTable(
    String name,
    List<String> rows,
    List<String> columns,
    Double[][] values,
    String unit,
    String countsTable) {

  public ValueTable {
    rows = List.copyOf(rows);
    columns = List.copyOf(columns);
    Double[][] copy = new Double[values.length][];
    for (int i = 0; i < values.length; i++) {
      copy[i] = values[i].clone();
    }
    values = copy;
  }

  public Double value(int row, int column) {
    return values[row][column];
  }
}
