package nl.veiligpraten.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import nl.veiligpraten.routing.config.RoutingConfig;
import nl.veiligpraten.routing.config.RuleSet;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Priority ageing")
class PriorityAgeingTest {

  private final PriorityAgeing ageing = PriorityAgeing.fromConfig(RoutingConfig.defaults());

  @Test
  @DisplayName("A fresh P2 outranks a fresh P3, but a waiting P3 eventually outranks a fresh P2")
  void p3Rises() {
    assertTrue(
        ageing.effectiveScore(Priority.P2, Duration.ZERO)
            > ageing.effectiveScore(Priority.P3, Duration.ZERO));
    assertTrue(
        ageing.effectiveScore(Priority.P3, Duration.ofMinutes(11))
            > ageing.effectiveScore(Priority.P2, Duration.ZERO));
    assertTrue(
        ageing.effectiveScore(Priority.P3, Duration.ofHours(1))
            > ageing.effectiveScore(Priority.P1, Duration.ZERO),
        "no case waits forever");
  }

  @Test
  @DisplayName("The bundled constants make P3 pass a fresh P2 after exactly ten minutes")
  void constants() {
    assertEquals(
        ageing.effectiveScore(Priority.P2, Duration.ZERO),
        ageing.effectiveScore(Priority.P3, Duration.ofMinutes(10)));
    assertTrue(
        ageing.effectiveScore(Priority.P3, Duration.ofMinutes(9))
            < ageing.effectiveScore(Priority.P2, Duration.ZERO));
  }

  @Test
  @DisplayName("The score grows with waiting time and ignores negative waits")
  void monotonic() {
    long previous = Long.MIN_VALUE;
    for (int minutes = 0; minutes < 120; minutes += 7) {
      long score = ageing.effectiveScore(Priority.P3, Duration.ofMinutes(minutes));
      assertTrue(score > previous);
      previous = score;
    }
    assertEquals(
        ageing.effectiveScore(Priority.P3, Duration.ZERO),
        ageing.effectiveScore(Priority.P3, Duration.ofMinutes(-5)));
  }

  private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

  private static PriorityAgeing.Queued chat(
      String name, Priority p, boolean head, Duration waited) {
    return new PriorityAgeing.Queued(
        UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)), p, head, NOW.minus(waited));
  }

  /** The names of the chats in serving order at NOW. */
  private List<String> served(PriorityAgeing order, Map<String, PriorityAgeing.Queued> chats) {
    Map<UUID, String> names = new HashMap<>();
    chats.forEach((name, q) -> names.put(q.id(), name));
    List<PriorityAgeing.Queued> queue = new ArrayList<>(chats.values());
    queue.sort(order.queueOrder(NOW));
    return queue.stream().map(q -> names.get(q.id())).toList();
  }

  private List<String> served(Map<String, PriorityAgeing.Queued> chats) {
    return served(ageing, chats);
  }

  @Test
  @DisplayName("P0 is always first, however long the others have waited")
  void p0AlwaysFirst() {
    long huge = ageing.effectiveScore(Priority.P3, Duration.ofDays(365 * 1000L));
    assertTrue(ageing.effectiveScore(Priority.P0, Duration.ZERO) > huge);
    assertEquals(
        "new-p0",
        served(
                Map.of(
                    "old-p3", chat("old-p3", Priority.P3, false, Duration.ofDays(30)),
                    "new-p0", chat("new-p0", Priority.P0, false, Duration.ZERO),
                    "p1", chat("p1", Priority.P1, false, Duration.ofSeconds(60))))
            .get(0));
  }

  @Test
  @DisplayName("Fresh chats are served in the brief's priority order: P0, P1, P2, P3")
  void freshChatsByPriority() {
    assertEquals(
        List.of("p0", "p1", "p2", "p3"),
        served(
            Map.of(
                "p3", chat("p3", Priority.P3, false, Duration.ZERO),
                "p2", chat("p2", Priority.P2, false, Duration.ZERO),
                "p1", chat("p1", Priority.P1, false, Duration.ZERO),
                "p0", chat("p0", Priority.P0, false, Duration.ZERO))));
  }

  @Test
  @DisplayName("The queue order uses aged priority first, then waiting time")
  void queueOrder() {
    assertEquals(
        List.of("p3-waited-30m", "p1-fresh", "p2-waited-1m", "p2-fresh", "p3-fresh"),
        served(
            Map.of(
                "p3-fresh", chat("p3-fresh", Priority.P3, false, Duration.ZERO),
                "p2-fresh", chat("p2-fresh", Priority.P2, false, Duration.ZERO),
                "p3-waited-30m", chat("p3-waited-30m", Priority.P3, false, Duration.ofMinutes(30)),
                "p2-waited-1m", chat("p2-waited-1m", Priority.P2, false, Duration.ofMinutes(1)),
                "p1-fresh", chat("p1-fresh", Priority.P1, false, Duration.ZERO))));
  }

  @Test
  @DisplayName(
      "A P3 passes a fresh P2 after ten minutes and a fresh P1 after twenty, so nothing starves")
  void nothingStarves() {
    assertEquals(
        List.of("p1", "p2", "p3-9m"),
        served(
            Map.of(
                "p3-9m", chat("p3-9m", Priority.P3, false, Duration.ofMinutes(9)),
                "p2", chat("p2", Priority.P2, false, Duration.ZERO),
                "p1", chat("p1", Priority.P1, false, Duration.ZERO))));
    assertEquals(
        List.of("p1", "p3-11m", "p2"),
        served(
            Map.of(
                "p3-11m", chat("p3-11m", Priority.P3, false, Duration.ofMinutes(11)),
                "p2", chat("p2", Priority.P2, false, Duration.ZERO),
                "p1", chat("p1", Priority.P1, false, Duration.ZERO))));
    assertEquals(
        List.of("p3-21m", "p1", "p2"),
        served(
            Map.of(
                "p3-21m", chat("p3-21m", Priority.P3, false, Duration.ofMinutes(21)),
                "p2", chat("p2", Priority.P2, false, Duration.ZERO),
                "p1", chat("p1", Priority.P1, false, Duration.ZERO))));
  }

  @Test
  @DisplayName(
      "A chat that lost its counselor comes before every other chat except P0, even a fresh P1")
  void headBeforeScore() {
    assertEquals(
        List.of("p0", "p3-lost-counselor", "p1", "p2-5m"),
        served(
            Map.of(
                "p1", chat("p1", Priority.P1, false, Duration.ZERO),
                "p2-5m", chat("p2-5m", Priority.P2, false, Duration.ofMinutes(5)),
                "p3-lost-counselor", chat("p3-lost-counselor", Priority.P3, true, Duration.ZERO),
                "p0", chat("p0", Priority.P0, false, Duration.ZERO))));
    assertEquals(
        List.of("p0-lost-counselor", "p0-waited", "p0-fresh"),
        served(
            Map.of(
                "p0-fresh", chat("p0-fresh", Priority.P0, false, Duration.ZERO),
                "p0-waited", chat("p0-waited", Priority.P0, false, Duration.ofMinutes(3)),
                "p0-lost-counselor", chat("p0-lost-counselor", Priority.P0, true, Duration.ZERO))),
        "among P0 chats the one that lost its counselor first, then the longest waiting");
  }

  @Test
  @DisplayName(
      "The score counts every microsecond, not whole points: a P2 at 205.15 points passes a P3 at 205.00")
  void exactScore() {
    // In whole points both score 205 and the longer-waiting P3 would go first; the exact scores
    // differ.
    assertEquals(
        ageing.effectiveScore(Priority.P2, Duration.ofMillis(30_900)),
        ageing.effectiveScore(Priority.P3, Duration.ofSeconds(630)));
    assertEquals(
        List.of("p2-30.9s", "p3-10m30s"),
        served(
            Map.of(
                "p3-10m30s", chat("p3-10m30s", Priority.P3, false, Duration.ofSeconds(630)),
                "p2-30.9s", chat("p2-30.9s", Priority.P2, false, Duration.ofMillis(30_900)))));
  }

  @Test
  @DisplayName(
      "Equal scores go to whoever waited longest, and equal waits to the lower id in PostgreSQL's uuid order")
  void ties() {
    // P3 after exactly 10 minutes scores what a fresh P2 scores.
    assertEquals(
        List.of("p3-10m", "p2-fresh"),
        served(
            Map.of(
                "p2-fresh", chat("p2-fresh", Priority.P2, false, Duration.ZERO),
                "p3-10m", chat("p3-10m", Priority.P3, false, Duration.ofMinutes(10)))));
    // Unsigned: 0x7f... before 0x80... (a signed comparison, as UUID.compareTo, would say the
    // opposite).
    PriorityAgeing.Queued low =
        new PriorityAgeing.Queued(new UUID(0x7fffffffffffffffL, 0), Priority.P2, false, NOW);
    PriorityAgeing.Queued high =
        new PriorityAgeing.Queued(new UUID(0x8000000000000000L, 0), Priority.P2, false, NOW);
    List<PriorityAgeing.Queued> queue = new ArrayList<>(List.of(high, low));
    queue.sort(ageing.queueOrder(NOW));
    assertEquals(List.of(low, high), queue);
  }

  @Test
  @DisplayName(
      "A chat without a priority is served as P3, and a queue time after now counts as no wait")
  void missingPriorityAndFutureTimes() {
    assertEquals(
        ageing.score(Priority.P3, Duration.ofMinutes(4)),
        ageing.score(null, Duration.ofMinutes(4)));
    assertEquals(
        ageing.score(Priority.P2, Duration.ZERO),
        ageing.score(Priority.P2, Duration.ofMinutes(-5)));
    assertEquals(
        List.of("p2-no-wait", "p2-clock-ahead"),
        served(
            Map.of(
                "p2-clock-ahead",
                    chat("p2-clock-ahead", Priority.P2, false, Duration.ofSeconds(-40)),
                "p2-no-wait", chat("p2-no-wait", Priority.P2, false, Duration.ZERO))),
        "equal scores, so the earlier queue time goes first");
  }

  @Test
  @DisplayName(
      "Constants from the configuration decide the order: slow ageing keeps a P3 behind a fresh P2 longer")
  void configuredConstants() {
    PriorityAgeing slow =
        new PriorityAgeing(
            new RuleSet.AgeingSettings(
                Map.of(Priority.P1, 3000L, Priority.P2, 2000L, Priority.P3, 1000L), 1));
    Map<String, PriorityAgeing.Queued> chats =
        Map.of(
            "p3-30m", chat("p3-30m", Priority.P3, false, Duration.ofMinutes(30)),
            "p2", chat("p2", Priority.P2, false, Duration.ZERO));
    assertEquals(List.of("p2", "p3-30m"), served(slow, chats));
    assertEquals(List.of("p3-30m", "p2"), served(chats));
  }
}
