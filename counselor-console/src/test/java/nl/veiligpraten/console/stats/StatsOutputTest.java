package nl.veiligpraten.console.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import nl.veiligpraten.routing.stats.CountTable;
import nl.veiligpraten.routing.stats.FigureData;
import nl.veiligpraten.routing.stats.Publication;
import nl.veiligpraten.routing.stats.PublishedFigure;
import nl.veiligpraten.routing.stats.StatsQuery;
import nl.veiligpraten.routing.stats.Viewer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName(
    "Statistics output: JSON nulls, CSV long format and SVG charts carry only what was published")
class StatsOutputTest {

  static PublishedFigure chainFigure() {
    StatsQuery q =
        StatsQuery.parse(
            Map.of("figure", "inflow", "by", "role", "from", "2026-10-01", "to", "2026-10-31"),
            new Viewer("chain_viewer", null));
    CountTable zero =
        new CountTable(
            List.of("csg", "sense"), List.of("victim", "bystander"), new long[][] {{0, 0}, {0, 0}});
    CountTable all =
        new CountTable(
            List.of("csg", "sense"),
            List.of("victim", "bystander"),
            new long[][] {{120, 3}, {200, 40}});
    return Publication.publish(
        new FigureData(q, List.of(new FigureData.Counts("inflow", zero, all)), List.of()));
  }

  @Test
  @DisplayName(
      "a suppressed cell is null in JSON, empty and flagged in CSV, and not drawn in the SVG")
  void suppressedEverywhere() {
    PublishedFigure f = chainFigure();
    JsonObject json = StatsJson.of(f);
    assertEquals(10, json.getInteger("threshold"));
    JsonObject table = json.getJsonArray("tables").getJsonObject(0);
    assertEquals(null, table.getJsonArray("cells").getJsonArray(0).getValue(1));
    String csv = StatsCsv.of(f);
    assertTrue(csv.contains("\"inflow\",\"csg\",\"bystander\",,true\r\n"), csv);
    assertFalse(csv.contains(",3,"), "the small count is nowhere in the CSV");
    String svg =
        SvgChart.stackedBars(
            "t", List.of("csg"), List.of("victim", "bystander"), new Long[][] {{null, 40L}});
    assertTrue(svg.contains("suppressed"));
    assertFalse(svg.contains("style="));
    assertFalse(svg.contains("csg / victim"));
  }

  @Test
  @DisplayName("CSV fields are quoted and cannot start a spreadsheet formula; SVG text is escaped")
  void escaping() {
    assertEquals("\"'=1+1\"", StatsCsv.field("=1+1"));
    assertEquals("\"a\"\"b\"", StatsCsv.field("a\"b"));
    String svg = SvgChart.lines("<script>", List.of("a<b"), List.of("x"), new Double[][] {{1.0}});
    assertFalse(svg.contains("<script>"));
    assertTrue(svg.contains("a&lt;b"));
  }

  @Test
  @DisplayName("nice axis steps")
  void steps() {
    assertEquals(50, SvgChart.niceStep(37));
    assertEquals(1, SvgChart.niceStep(0.3));
    assertEquals(2000, SvgChart.niceStep(1500));
  }
}
