package nl.veiligpraten.console.stats;

import nl.veiligpraten.routing.stats.PublishedFigure;
import nl.veiligpraten.routing.stats.PublishedTable;
import nl.veiligpraten.routing.stats.ValueTable;

/**
 * CSV export in long format, one line per entry: {@code table,row,column,value,suppressed}. Totals
 * use the label {@code total}. Suppressed entries have an empty value and {@code suppressed=true}
 * (no "&lt;10" marker: a complementary suppression is not below 10, and saying which is which would
 * undo it).
 */
final class StatsCsv {

  private StatsCsv() {}

  static String of(PublishedFigure figure) {
    StringBuilder out = new StringBuilder("table,row,column,value,suppressed\r\n");
    for (PublishedFigure.Named named : figure.tables()) {
      PublishedTable t = named.table();
      int r = t.rows().size();
      int c = t.columns().size();
      for (int i = 0; i <= r; i++) {
        for (int j = 0; j <= c; j++) {
          Long v = t.entries()[i][j];
          line(
              out,
              named.name(),
              i == r ? "total" : t.rows().get(i),
              j == c ? "total" : t.columns().get(j),
              v == null ? "" : v.toString(),
              v == null);
        }
      }
    }
    for (ValueTable v : figure.values()) {
      for (int i = 0; i < v.rows().size(); i++) {
        for (int j = 0; j < v.columns().size(); j++) {
          Double d = v.value(i, j);
          line(
              out,
              v.name(),
              v.rows().get(i),
              v.columns().get(j),
              d == null ? "" : number(d),
              d == null && v.countsTable() != null);
        }
      }
    }
    return out.toString();
  }

  private static String number(double d) {
    return d == Math.rint(d)
        ? Long.toString((long) d)
        : String.format(java.util.Locale.ROOT, "%.1f", d);
  }

  private static void line(
      StringBuilder out,
      String table,
      String row,
      String column,
      String value,
      boolean suppressed) {
    out.append(field(table))
        .append(',')
        .append(field(row))
        .append(',')
        .append(field(column))
        .append(',')
        .append(value)
        .append(',')
        .append(suppressed)
        .append("\r\n");
  }

  /**
   * Quotes a field, and defuses spreadsheet formulas (a label never starts with = + - @, but be
   * sure).
   */
  static String field(String s) {
    String v = s == null ? "" : s;
    if (!v.isEmpty() && "=+-@".indexOf(v.charAt(0)) >= 0) {
      v = "'" + v;
    }
    return "\"" + v.replace("\"", "\"\"") + "\"";
  }
}
