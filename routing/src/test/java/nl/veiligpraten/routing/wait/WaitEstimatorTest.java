package nl.veiligpraten.routing.wait;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Wait estimate from who is present and recent handling times")
class WaitEstimatorTest {

  private final WaitEstimator estimator = new WaitEstimator(5, 7200);

  @Test
  @DisplayName("Nobody present means not staffed and no estimate, whatever the history")
  void nobody() {
    QueueWait w = estimator.estimate(0, new Staffing(0, 0, 0, 100, 600));
    assertFalse(w.staffed());
    assertNull(w.estimatedWaitSeconds());
  }

  @Test
  @DisplayName("A free place waiting for the chat means zero, even without history")
  void freePlace() {
    assertEquals(0, estimator.estimate(1, new Staffing(1, 3, 2, 0, 0)).estimatedWaitSeconds());
  }

  @Test
  @DisplayName("Too little history gives staffed without an estimate")
  void tooLittleHistory() {
    QueueWait w = estimator.estimate(4, new Staffing(2, 4, 0, 4, 600));
    assertTrue(w.staffed());
    assertNull(w.estimatedWaitSeconds());
  }

  @Test
  @DisplayName(
      "Chats ahead beyond the free places are served as places free up: needed x handling / places")
  void model() {
    // 5 ahead, 1 free place: this chat needs the 5th place to free up; 4 places, 10 minutes each:
    // 150 s per place.
    assertEquals(750, estimator.estimate(5, new Staffing(2, 4, 1, 20, 600)).estimatedWaitSeconds());
    // It moves as the queue moves.
    assertEquals(150, estimator.estimate(1, new Staffing(2, 4, 1, 20, 600)).estimatedWaitSeconds());
  }

  @Test
  @DisplayName("Beyond the horizon no number is promised")
  void horizon() {
    QueueWait w = estimator.estimate(1000, new Staffing(1, 1, 0, 20, 600));
    assertTrue(w.staffed());
    assertNull(w.estimatedWaitSeconds());
  }
}
