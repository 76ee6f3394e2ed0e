package nl.veiligpraten.routing.stats;

import java.util.List;

/**
 * A figure as it leaves the server: count tables after disclosure control, and gated value tables.
 */
public record PublishedFigure(StatsQuery query, List<Named> tables, List<ValueTable> values) {

  public PublishedFigure {
    tables = List.copyOf(tables);
    values = List.copyOf(values);
  }

  /** A published count table with its name. */
  public record Named(String name, PublishedTable table) {}

  public PublishedTable table(String name) {
    return tables.stream()
        .filter(t -> t.name().equals(name))
        .map(Named::table)
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no table " + name));
  }
}
