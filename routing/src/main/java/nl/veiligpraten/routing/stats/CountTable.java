package nl.veiligpraten.routing.stats;

import java.util.List;

/**
 * A two-way table of counts with row labels and column labels, before disclosure control. Totals
 * are computed, never stored separately, so they always agree with the cells.
 */
public record CountTable(List<String> rows, List<String> columns, long[][] cells) {

  public CountTable {
    rows = List.copyOf(rows);
    columns = List.copyOf(columns);
    if (cells.length != rows.size()) {
      throw new IllegalArgumentException(
          "cells has " + cells.length + " rows, labels " + rows.size());
    }
    long[][] copy = new long[cells.length][];
    for (int i = 0; i < cells.length; i++) {
      if (cells[i].length != columns.size()) {
        throw new IllegalArgumentException("row " + i + " has " + cells[i].length + " cells");
      }
      for (long v : cells[i]) {
        if (v < 0) {
          throw new IllegalArgumentException("counts are never negative");
        }
      }
      copy[i] = cells[i].clone();
    }
    cells = copy;
  }

  public long cell(int row, int column) {
    return cells[row][column];
  }

  public long rowTotal(int row) {
    long sum = 0;
    for (long v : cells[row]) {
      sum += v;
    }
    return sum;
  }

  public long columnTotal(int column) {
    long sum = 0;
    for (long[] row : cells) {
      sum += row[column];
    }
    return sum;
  }

  public long total() {
    long sum = 0;
    for (int i = 0; i < cells.length; i++) {
      sum += rowTotal(i);
    }
    return sum;
  }

  /**
   * The table extended with its margins: entry (i, C) is row total i, (R, j) column total j, (R, C)
   * the grand total.
   */
  long[][] extended() {
    int r = rows.size();
    int c = columns.size();
    long[][] out = new long[r + 1][c + 1];
    for (int i = 0; i < r; i++) {
      for (int j = 0; j < c; j++) {
        out[i][j] = cells[i][j];
        out[i][c] += cells[i][j];
        out[r][j] += cells[i][j];
        out[r][c] += cells[i][j];
      }
    }
    return out;
  }
}
