package nl.veiligpraten.infra.abuse;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Turns a network address into a short keyed hash for counting, with a random key that lives only
 * in this process's memory and is replaced at least every {@code rotation}. The address itself is
 * never kept; the hash is never stored, logged, exported or sent over the cluster, and after a
 * rotation yesterday's hashes cannot be linked to today's (nor computed again by anyone, since the
 * old key is gone). Thread-safe.
 */
public final class AddressHasher {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Clock clock;
  private final Duration rotation;
  private byte[] key;
  private Instant rotatedAt;
  private long generation;

  /**
   * @param rotation how long one key is used; at most one hour by the privacy rule
   */
  public AddressHasher(Clock clock, Duration rotation) {
    if (rotation.isNegative() || rotation.isZero() || rotation.compareTo(Duration.ofHours(1)) > 0) {
      throw new IllegalArgumentException("the address key must rotate at least hourly");
    }
    this.clock = clock;
    this.rotation = rotation;
    rotate(clock.instant());
  }

  /** The keyed hash of the address under the current key (rotating first when the key is due). */
  public synchronized Hashed hash(String address) {
    Instant now = clock.instant();
    if (!now.isBefore(rotatedAt.plus(rotation))) {
      rotate(now);
    }
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      byte[] out = mac.doFinal(String.valueOf(address).getBytes(StandardCharsets.UTF_8));
      // 16 bytes are plenty to tell addresses apart and keep nothing more than needed.
      return new Hashed(
          Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(out, 16)),
          generation);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  /** Key generation in use: counters of an older generation belong to keys that no longer exist. */
  public synchronized long generation() {
    return generation;
  }

  private void rotate(Instant now) {
    byte[] fresh = new byte[32];
    RANDOM.nextBytes(fresh);
    if (key != null) {
      java.util.Arrays.fill(key, (byte) 0);
    }
    key = fresh;
    rotatedAt = now;
    generation++;
  }

  /**
   * A keyed hash and the key generation it was made with. {@code toString} does not show the value.
   */
  public record Hashed(String value, long generation) {
    @Override
    public String toString() {
      return "Hashed[hidden]";
    }
  }
}
