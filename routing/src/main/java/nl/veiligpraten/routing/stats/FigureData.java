package nl.veiligpraten.routing.stats;

import java.util.List;

/**
 * Raw figures of one request, before publication: for every count table the viewer's own
 * organisation's counts and the counts of all other organisations (same rows and columns). For
 * chain roles {@code own} is all zeros.
 */
public record FigureData(StatsQuery query, List<Counts> counts, List<ValueTable> values) {

  public FigureData {
    counts = List.copyOf(counts);
    values = List.copyOf(values);
  }

  /** One count table split into the viewer's own part and everybody else's. */
  public record Counts(String name, CountTable own, CountTable others) {}
}
