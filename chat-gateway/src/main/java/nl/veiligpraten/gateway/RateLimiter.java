package nl.veiligpraten.gateway;

import java.util.function.LongSupplier;

/**
 * Token bucket per connection: a flooding socket is refused frames while everyone else is served.
 */
final class RateLimiter {

  private final double perNano;
  private final double burst;
  private final LongSupplier nanoTime;
  private double tokens;
  private long last;

  RateLimiter(int perSecond, int burst) {
    this(perSecond, burst, System::nanoTime);
  }

  /** With the time source given, so a test can move time instead of waiting for it. */
  RateLimiter(int perSecond, int burst, LongSupplier nanoTime) {
    this.perNano = perSecond / 1_000_000_000.0;
    this.burst = burst;
    this.nanoTime = nanoTime;
    this.tokens = burst;
    this.last = nanoTime.getAsLong();
  }

  boolean tryAcquire() {
    long now = nanoTime.getAsLong();
    tokens = Math.min(burst, tokens + (now - last) * perNano);
    last = now;
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }
}
