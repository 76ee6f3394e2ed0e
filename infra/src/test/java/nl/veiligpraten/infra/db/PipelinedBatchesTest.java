package nl.veiligpraten.infra.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Pipelined batches")
class PipelinedBatchesTest {

  /** A batch writer whose batches finish only when the test says so. */
  static final class Gate {
    final List<List<Integer>> batches = new ArrayList<>();
    final List<Promise<Void>> open = new ArrayList<>();

    Future<?> write(List<Integer> batch) {
      batches.add(List.copyOf(batch));
      Promise<Void> p = Promise.promise();
      open.add(p);
      return p.future();
    }

    void finish(int index) {
      open.get(index).complete();
    }
  }

  @Test
  @DisplayName(
      "an item on an idle writer is written at once, alone; items arriving meanwhile wait and go together, "
          + "in arrival order, into the next batch")
  void idleWritesAtOnceBusyCollects() {
    Gate gate = new Gate();
    PipelinedBatches<Integer> batches = new PipelinedBatches<>(100, 1, gate::write);
    batches.submit(1);
    assertEquals(List.of(List.of(1)), gate.batches);
    for (int i = 2; i <= 6; i++) {
      batches.submit(i);
    }
    assertEquals(1, gate.batches.size(), "nothing starts while the only slot is busy");
    assertEquals(5, batches.waiting());
    gate.finish(0);
    assertEquals(List.of(2, 3, 4, 5, 6), gate.batches.get(1));
    assertEquals(0, batches.waiting());
  }

  @Test
  @DisplayName("at most maxInFlight batches run at once and none holds more than maxBatch items")
  void limits() {
    Gate gate = new Gate();
    PipelinedBatches<Integer> batches = new PipelinedBatches<>(3, 2, gate::write);
    for (int i = 1; i <= 10; i++) {
      batches.submit(i);
    }
    assertEquals(List.of(List.of(1), List.of(2)), gate.batches);
    gate.finish(0);
    assertEquals(List.of(3, 4, 5), gate.batches.get(2));
    gate.finish(1);
    assertEquals(List.of(6, 7, 8), gate.batches.get(3));
    gate.finish(2);
    gate.finish(3);
    assertEquals(List.of(9, 10), gate.batches.get(4));
    gate.finish(4);
    List<Integer> all = new ArrayList<>();
    gate.batches.forEach(all::addAll);
    assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), all, "every item exactly once, in order");
    assertTrue(gate.batches.stream().allMatch(b -> b.size() <= 3));
  }

  @Test
  @DisplayName(
      "a batch function that throws or fails frees its slot, so later items are still written")
  void failureFreesTheSlot() {
    List<List<Integer>> seen = new ArrayList<>();
    Promise<Void> hold = Promise.promise();
    PipelinedBatches<Integer> batches =
        new PipelinedBatches<>(
            10,
            1,
            batch -> {
              seen.add(List.copyOf(batch));
              if (batch.contains(1)) {
                throw new IllegalStateException("boom");
              }
              return batch.contains(2) ? hold.future() : Future.failedFuture("no");
            });
    batches.submit(1);
    batches.submit(2);
    batches.submit(3);
    hold.fail("no");
    batches.submit(4);
    assertEquals(List.of(List.of(1), List.of(2), List.of(3), List.of(4)), seen);
    assertThrows(
        IllegalArgumentException.class, () -> new PipelinedBatches<Integer>(0, 1, b -> null));
  }
}
