package nl.veiligpraten.console.stats;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import nl.veiligpraten.routing.stats.PublishedFigure;
import nl.veiligpraten.routing.stats.PublishedTable;
import nl.veiligpraten.routing.stats.StatsQuery;
import nl.veiligpraten.routing.stats.ValueTable;

/**
 * JSON form of a published figure (documented in docs/statistics.md). A suppressed entry is {@code
 * null}.
 */
final class StatsJson {

  private StatsJson() {}

  static JsonObject of(PublishedFigure figure) {
    StatsQuery q = figure.query();
    JsonObject out =
        new JsonObject()
            .put("figure", q.figure().code())
            .put("title", q.figure().title())
            .put("scope", q.scope().name().toLowerCase())
            .put("organisation", q.orgId())
            .put("from", q.from().toString())
            .put("to", q.to().toString())
            .put("rows", q.rows().code())
            .put("granularity", q.granularity().code())
            .put("by", q.by().code())
            .put("threshold", q.outside() ? 10 : 0);
    JsonArray tables = new JsonArray();
    for (PublishedFigure.Named named : figure.tables()) {
      tables.add(table(named.name(), named.table()));
    }
    JsonArray values = new JsonArray();
    for (ValueTable v : figure.values()) {
      JsonArray rows = new JsonArray();
      for (int i = 0; i < v.rows().size(); i++) {
        JsonArray cells = new JsonArray();
        for (int j = 0; j < v.columns().size(); j++) {
          cells.add(v.value(i, j));
        }
        rows.add(cells);
      }
      values.add(
          new JsonObject()
              .put("name", v.name())
              .put("unit", v.unit())
              .put("rows", new JsonArray(v.rows()))
              .put("columns", new JsonArray(v.columns()))
              .put("values", rows));
    }
    return out.put("tables", tables).put("values", values);
  }

  static JsonObject table(String name, PublishedTable t) {
    JsonArray cells = new JsonArray();
    JsonArray rowTotals = new JsonArray();
    for (int i = 0; i < t.rows().size(); i++) {
      JsonArray row = new JsonArray();
      for (int j = 0; j < t.columns().size(); j++) {
        row.add(t.cell(i, j));
      }
      cells.add(row);
      rowTotals.add(t.rowTotal(i));
    }
    JsonArray columnTotals = new JsonArray();
    for (int j = 0; j < t.columns().size(); j++) {
      columnTotals.add(t.columnTotal(j));
    }
    return new JsonObject()
        .put("name", name)
        .put("rows", new JsonArray(t.rows()))
        .put("columns", new JsonArray(t.columns()))
        .put("cells", cells)
        .put("rowTotals", rowTotals)
        .put("columnTotals", columnTotals)
        .put("total", t.total())
        .put("suppressed", t.suppressedCount());
  }
}
