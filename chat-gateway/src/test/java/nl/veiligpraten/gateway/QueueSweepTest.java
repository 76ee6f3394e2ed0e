package nl.veiligpraten.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Queue sweep timing")
class QueueSweepTest {

  @Test
  @DisplayName("the default grace (120 s) and any grace of 20 s or more sweep every 5 s, as before")
  void productionInterval() {
    assertEquals(5_000, QueueSweep.intervalMillis(120));
    assertEquals(5_000, QueueSweep.intervalMillis(20));
    assertEquals(5_000, QueueSweep.intervalMillis(3_600));
  }

  @Test
  @DisplayName(
      "a shorter grace sweeps every quarter of it, so a place never waits a whole extra 5 s, but never more "
          + "often than every 250 ms")
  void shortGrace() {
    assertEquals(1_250, QueueSweep.intervalMillis(5));
    assertEquals(500, QueueSweep.intervalMillis(2));
    assertEquals(250, QueueSweep.intervalMillis(1));
    assertEquals(250, QueueSweep.intervalMillis(0));
    for (long grace = 1; grace < 40; grace++) {
      long interval = QueueSweep.intervalMillis(grace);
      assertTrue(
          interval >= 250 && interval <= 5_000 && interval <= Math.max(250, grace * 1000 / 4),
          grace + " s -> " + interval + " ms");
    }
  }
}
