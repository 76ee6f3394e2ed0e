package nl.veiligpraten.routing;

import nl.veiligpraten.routing.config.RoutingConfig;
import nl.veiligpraten.routing.config.RuleSet;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("Priority ageing")
class PriorityAgeingTest {

    private final PriorityAgeing ageing = PriorityAgeing.fromConfig(RoutingConfig.defaults());

    record Item(String id, Priority priority, Instant enqueuedAt) {
    }

    @Test
    @DisplayName("A fresh P2 outranks a fresh P3, but a waiting P3 eventually outranks a fresh P2")
    void p3Rises() {
        assertTrue(ageing.effectiveScore(Priority.P2, Duration.ZERO) > ageing.effectiveScore(Priority.P3, Duration.ZERO));
        assertTrue(ageing.effectiveScore(Priority.P3, Duration.ofMinutes(11))
                > ageing.effectiveScore(Priority.P2, Duration.ZERO));
        assertTrue(ageing.effectiveScore(Priority.P3, Duration.ofHours(1))
                > ageing.effectiveScore(Priority.P1, Duration.ZERO), "no case waits forever");
    }

    @Test
    @DisplayName("The bundled constants make P3 pass a fresh P2 after exactly ten minutes")
    void constants() {
        assertEquals(ageing.effectiveScore(Priority.P2, Duration.ZERO),
                ageing.effectiveScore(Priority.P3, Duration.ofMinutes(10)));
        assertTrue(ageing.effectiveScore(Priority.P3, Duration.ofMinutes(9))
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
        assertEquals(ageing.effectiveScore(Priority.P3, Duration.ZERO),
                ageing.effectiveScore(Priority.P3, Duration.ofMinutes(-5)));
    }

    @Test
    @DisplayName("P0 is always first, however long the others have waited")
    void p0AlwaysFirst() {
        long huge = ageing.effectiveScore(Priority.P3, Duration.ofDays(365 * 1000L));
        assertTrue(ageing.effectiveScore(Priority.P0, Duration.ZERO) > huge);
        Instant now = Instant.parse("2026-11-23T12:00:00Z");
        List<Item> queue = new ArrayList<>(List.of(
                new Item("old-p3", Priority.P3, now.minus(Duration.ofDays(30))),
                new Item("new-p0", Priority.P0, now),
                new Item("p1", Priority.P1, now.minusSeconds(60))));
        queue.sort(ageing.queueOrder(now, Item::priority, Item::enqueuedAt));
        assertEquals("new-p0", queue.get(0).id());
    }

    @Test
    @DisplayName("The queue order uses aged priority first, then waiting time")
    void queueOrder() {
        Instant now = Instant.parse("2026-11-23T12:00:00Z");
        List<Item> queue = new ArrayList<>(List.of(
                new Item("p3-fresh", Priority.P3, now),
                new Item("p2-fresh", Priority.P2, now),
                new Item("p3-waited-30m", Priority.P3, now.minus(Duration.ofMinutes(30))),
                new Item("p2-waited-1m", Priority.P2, now.minus(Duration.ofMinutes(1))),
                new Item("p1-fresh", Priority.P1, now)));
        queue.sort(ageing.queueOrder(now, Item::priority, Item::enqueuedAt));
        assertEquals(List.of("p3-waited-30m", "p1-fresh", "p2-waited-1m", "p2-fresh", "p3-fresh"),
                queue.stream().map(Item::id).toList());
    }

    @Test
    @DisplayName("Equal scores are ordered by who waited longest")
    void tieBreak() {
        PriorityAgeing slow = new PriorityAgeing(new RuleSet.AgeingSettings(
                Map.of(Priority.P1, 3000L, Priority.P2, 2000L, Priority.P3, 1000L), 1));
        Instant now = Instant.parse("2026-11-23T12:00:00Z");
        List<Item> queue = new ArrayList<>(List.of(
                new Item("later", Priority.P2, now.minusSeconds(10)),
                new Item("earlier", Priority.P2, now.minusSeconds(20))));
        queue.sort(slow.queueOrder(now, Item::priority, Item::enqueuedAt));
        assertEquals("earlier", queue.get(0).id());
    }
}
