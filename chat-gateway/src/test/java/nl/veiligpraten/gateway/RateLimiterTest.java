package nl.veiligpraten.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The per-socket token bucket, on a clock the test moves (no waiting, no timing on a busy machine).
 */
@DisplayName("Per-socket rate limiter")
class RateLimiterTest {

  final AtomicLong now = new AtomicLong(1_000_000_000L);

  void advanceMillis(long millis) {
    now.addAndGet(millis * 1_000_000L);
  }

  int admitted(RateLimiter limiter, int tries) {
    int n = 0;
    for (int i = 0; i < tries; i++) {
      if (limiter.tryAcquire()) {
        n++;
      }
    }
    return n;
  }

  @Test
  @DisplayName("a fresh socket may send a full burst at once, and not one frame more")
  void burst() {
    RateLimiter limiter = new RateLimiter(10, 30, now::get);
    assertEquals(30, admitted(limiter, 100));
    assertFalse(limiter.tryAcquire());
  }

  @Test
  @DisplayName(
      "after the burst, frames are admitted at the sustained rate: one per tenth of a second at 10/s")
  void sustainedRate() {
    RateLimiter limiter = new RateLimiter(10, 30, now::get);
    admitted(limiter, 30);
    advanceMillis(50);
    assertFalse(limiter.tryAcquire(), "half a token is not a frame");
    advanceMillis(50);
    assertTrue(limiter.tryAcquire());
    assertFalse(limiter.tryAcquire());
    advanceMillis(1_000);
    assertEquals(10, admitted(limiter, 100), "ten per second");
  }

  @Test
  @DisplayName("a quiet socket saves up at most one burst, however long it was quiet")
  void savingsCapped() {
    RateLimiter limiter = new RateLimiter(10, 30, now::get);
    admitted(limiter, 30);
    advanceMillis(3_600_000);
    assertEquals(30, admitted(limiter, 100));
  }

  @Test
  @DisplayName("refused attempts cost nothing: a socket that keeps trying still gets the rate")
  void refusalsAreFree() {
    RateLimiter limiter = new RateLimiter(10, 5, now::get);
    admitted(limiter, 5);
    int admitted = 0;
    for (int ms = 0; ms < 1_000; ms += 50) {
      advanceMillis(50);
      admitted += admitted(limiter, 5);
    }
    assertEquals(10, admitted, "ten in one second of constant hammering");
  }
}
