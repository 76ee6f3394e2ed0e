package nl.veiligpraten.gateway;

/** Token bucket per connection: a flooding socket is refused frames while everyone else is served. */
final class RateLimiter {

  private final double perNano;
  private final double burst;
  private double tokens;
  private long last;

  RateLimiter(int perSecond, int burst) {
    this.perNano = perSecond / 1_000_000_000.0;
    this.burst = burst;
    this.tokens = burst;
    this.last = System.nanoTime();
  }

  boolean tryAcquire() {
    long now = System.nanoTime();
    tokens = Math.min(burst, tokens + (now - last) * perNano);
    last = now;
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }
}
