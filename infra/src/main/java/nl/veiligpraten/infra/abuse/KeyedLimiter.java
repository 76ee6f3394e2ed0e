package nl.veiligpraten.infra.abuse;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Token buckets per keyed address hash plus one global bucket, in memory only. A key generation
 * change (the address key rotated) drops every per-address bucket, so nothing outlives the key it
 * was counted under. Thread-safe (visitor sockets live on several event loops).
 */
public final class KeyedLimiter {

  /**
   * Buckets kept at most; the oldest full ones are dropped first (a full bucket carries no
   * information).
   */
  private static final int MAX_KEYS = 100_000;

  private final Limit perAddress;
  private final Limit global;
  private final Map<String, Bucket> buckets = new HashMap<>();
  private final Bucket globalBucket;
  private long generation = -1;

  public KeyedLimiter(Limit perAddress, Limit global) {
    this.perAddress = perAddress;
    this.global = global;
    this.globalBucket = new Bucket(global, System.nanoTime());
  }

  /** Outcome of one attempt: allowed, or which limit refused it. */
  public enum Verdict {
    ALLOWED,
    ADDRESS_LIMIT,
    GLOBAL_LIMIT;

    public boolean allowed() {
      return this == ALLOWED;
    }
  }

  /** Takes one token for the address (and one globally); nothing is taken when either is empty. */
  public synchronized Verdict tryAcquire(AddressHasher.Hashed address) {
    long now = System.nanoTime();
    if (address.generation() != generation) {
      buckets.clear();
      generation = address.generation();
    }
    Bucket mine = buckets.get(address.value());
    if (mine == null) {
      if (buckets.size() >= MAX_KEYS) {
        evictFull(now);
      }
      mine = new Bucket(perAddress, now);
      buckets.put(address.value(), mine);
    }
    mine.refill(now);
    globalBucket.refill(now);
    if (mine.tokens < 1) {
      return Verdict.ADDRESS_LIMIT;
    }
    if (globalBucket.tokens < 1) {
      return Verdict.GLOBAL_LIMIT;
    }
    mine.tokens -= 1;
    globalBucket.tokens -= 1;
    return Verdict.ALLOWED;
  }

  /**
   * Per-address buckets held now (tests and the privacy check: it empties with every key rotation).
   */
  public synchronized int trackedAddresses() {
    return buckets.size();
  }

  private void evictFull(long now) {
    Iterator<Bucket> it = buckets.values().iterator();
    while (it.hasNext()) {
      Bucket b = it.next();
      b.refill(now);
      if (b.tokens >= b.limit.count()) {
        it.remove();
      }
    }
    if (buckets.size() >= MAX_KEYS) {
      buckets.clear();
    }
  }

  private static final class Bucket {
    final Limit limit;
    final double perNano;
    double tokens;
    long last;

    Bucket(Limit limit, long now) {
      this.limit = limit;
      this.perNano = limit.count() / (double) limit.period().toNanos();
      this.tokens = limit.count();
      this.last = now;
    }

    void refill(long now) {
      tokens = Math.min(limit.count(), tokens + (now - last) * perNano);
      last = now;
    }
  }
}
