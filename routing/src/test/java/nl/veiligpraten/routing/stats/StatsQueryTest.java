package nl.veiligpraten.routing.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Statistics requests are validated against fixed lists and the viewer's rights")
class StatsQueryTest {

  static final Viewer CSG = new Viewer("stats_viewer", "csg");
  static final Viewer MINISTRY = new Viewer("chain_viewer", null);

  static Map<String, String> params(String... kv) {
    Map<String, String> m = new HashMap<>();
    m.put("figure", "inflow");
    m.put("from", "2026-10-01");
    m.put("to", "2026-10-31");
    for (int i = 0; i < kv.length; i += 2) {
      if (kv[i + 1] == null) {
        m.remove(kv[i]);
      } else {
        m.put(kv[i], kv[i + 1]);
      }
    }
    return m;
  }

  static StatsRequestException refused(Map<String, String> p, Viewer v) {
    return assertThrows(StatsRequestException.class, () -> StatsQuery.parse(p, v));
  }

  @Test
  @DisplayName("an organisation viewer gets its own figures by default, hour buckets allowed")
  void ownDefaults() {
    StatsQuery q =
        StatsQuery.parse(params("rows", "time", "granularity", "hour", "by", "role"), CSG);
    assertEquals(Scope.OWN, q.scope());
    assertEquals("csg", q.orgId());
    assertEquals(Dimension.ROLE, q.by());
    assertEquals(Granularity.HOUR, q.granularity());
  }

  @Test
  @DisplayName("reversed, huge and malformed date ranges are refused with 400 and a reason")
  void badRanges() {
    assertEquals(
        "reversed_range", refused(params("from", "2026-10-31", "to", "2026-10-01"), CSG).code());
    assertEquals(
        "range_too_long", refused(params("from", "2020-01-01", "to", "2026-10-01"), CSG).code());
    assertEquals(
        "range_too_long",
        refused(
                params(
                    "from",
                    "2026-01-01",
                    "to",
                    "2026-03-01",
                    "rows",
                    "time",
                    "granularity",
                    "hour"),
                CSG)
            .code());
    assertEquals("bad_date", refused(params("from", "yesterday"), CSG).code());
    assertEquals("missing_to", refused(params("to", null), CSG).code());
    assertEquals(400, refused(params("from", "2026-13-01"), CSG).status());
  }

  @Test
  @DisplayName(
      "unknown figures, dimensions, parameters and splits a figure does not have are refused")
  void unknownNames() {
    assertEquals("unknown_figure", refused(params("figure", "names"), CSG).code());
    assertEquals("unknown_dimension", refused(params("by", "postcode"), CSG).code());
    assertEquals(
        "dimension_not_allowed", refused(params("figure", "waiting", "by", "role"), CSG).code());
    assertEquals("dimension_not_allowed", refused(params("by", "help_point"), CSG).code());
    assertEquals("unknown_parameter", refused(params("ip", "1.2.3.4"), CSG).code());
    StatsRequestException e = refused(params("by", "<script>alert(1)</script>"), CSG);
    assertTrue(!e.getMessage().contains("<script>"), e.getMessage());
  }

  @Test
  @DisplayName("another organisation is 403; counselors have no statistics role")
  void rights() {
    StatsRequestException other = refused(params("org", "veilig_thuis"), CSG);
    assertEquals(403, other.status());
    assertEquals("other_organisation", other.code());
    assertEquals(403, refused(params(), new Viewer("counselor", "csg")).status());
    assertEquals(
        "csg", StatsQuery.parse(params("org", "csg"), new Viewer("supervisor", "csg")).orgId());
  }

  @Test
  @DisplayName("outside the organisation times are per day at most and queue figures stay inside")
  void outside() {
    assertEquals(
        "granularity_not_allowed",
        refused(params("scope", "chain", "rows", "time", "granularity", "hour"), CSG).code());
    assertEquals(403, refused(params("scope", "chain", "figure", "queue"), CSG).status());
    assertTrue(StatsQuery.parse(params("scope", "chain", "rows", "time"), CSG).outside());
    assertEquals("single_month", refused(params("scope", "chain", "to", "2026-10-30"), CSG).code());
    assertEquals("single_month", refused(params("scope", "chain", "to", "2026-11-30"), CSG).code());
  }

  @Test
  @DisplayName("chain roles see whole months per help point and never one organisation")
  void chainRole() {
    StatsQuery q = StatsQuery.parse(params("by", "age_band"), MINISTRY);
    assertEquals(Scope.CHAIN, q.scope());
    assertEquals(null, q.orgId());
    assertEquals("whole_months", refused(params("to", "2026-10-15"), MINISTRY).code());
    assertEquals(
        "granularity_not_allowed",
        refused(params("rows", "time", "granularity", "day"), MINISTRY).code());
    assertEquals(403, refused(params("org", "csg"), MINISTRY).status());
    assertEquals(403, refused(params("scope", "own"), MINISTRY).status());
  }
}
