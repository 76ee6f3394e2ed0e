package nl.veiligpraten.infra.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Node metrics count appends by structured sender code and track writes in flight")
class MetricsTest {

  @Test
  @DisplayName(
      "started/finished keep the in-flight gauge, commits feed the persist histogram and rate, failures "
          + "their own counter, and an unexpected tag value collapses to 'other'")
  void appends() {
    NodeMetrics m = new NodeMetrics();
    m.started();
    m.started();
    m.started();
    assertEquals(3, m.inFlight());
    m.finished("visitor", 2_000_000, true);
    m.finished("counselor", 3_000_000, false);
    m.finished("Bob <script>", 1_000_000, true);
    assertEquals(0, m.inFlight());
    String text = m.scrape();
    assertTrue(text.contains("vp_messages_persisted_total{sender=\"visitor\"} 1.0"), text);
    assertTrue(text.contains("vp_message_persist_failures_total{sender=\"counselor\"} 1.0"), text);
    assertTrue(text.contains("vp_messages_persisted_total{sender=\"other\"} 1.0"), text);
    assertTrue(text.contains("vp_message_persist_seconds_count 2"), text);
    assertFalse(text.contains("Bob"), text);
  }
}
