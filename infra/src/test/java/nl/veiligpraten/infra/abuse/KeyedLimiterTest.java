package nl.veiligpraten.infra.abuse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Flood limits counted by a rotating keyed hash of the address")
class KeyedLimiterTest {

  /** A clock the test moves. */
  static final class MovingClock extends Clock {
    Instant now = Instant.parse("2026-12-06T20:00:00Z");

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @Test
  @DisplayName(
      "One address gets its burst, another address is not affected, and the node limit caps everyone")
  void perAddressAndGlobal() {
    AddressHasher hasher = new AddressHasher(Clock.systemUTC(), Duration.ofMinutes(60));
    KeyedLimiter limiter =
        new KeyedLimiter(new Limit(3, Duration.ofHours(1)), new Limit(5, Duration.ofHours(1)));
    AddressHasher.Hashed a = hasher.hash("192.0.2.7");
    for (int i = 0; i < 3; i++) {
      assertTrue(limiter.tryAcquire(a).allowed());
    }
    assertEquals(KeyedLimiter.Verdict.ADDRESS_LIMIT, limiter.tryAcquire(hasher.hash("192.0.2.7")));
    AddressHasher.Hashed b = hasher.hash("198.51.100.1");
    assertTrue(limiter.tryAcquire(b).allowed());
    assertTrue(limiter.tryAcquire(b).allowed());
    assertEquals(KeyedLimiter.Verdict.GLOBAL_LIMIT, limiter.tryAcquire(hasher.hash("203.0.113.9")));
  }

  @Test
  @DisplayName(
      "The key rotates within the hour: the same address hashes differently and its counts are dropped")
  void rotation() {
    MovingClock clock = new MovingClock();
    AddressHasher hasher = new AddressHasher(clock, Duration.ofMinutes(60));
    KeyedLimiter limiter =
        new KeyedLimiter(new Limit(1, Duration.ofHours(24)), new Limit(100, Duration.ofHours(1)));
    AddressHasher.Hashed before = hasher.hash("192.0.2.7");
    assertTrue(limiter.tryAcquire(before).allowed());
    assertFalse(limiter.tryAcquire(hasher.hash("192.0.2.7")).allowed());
    assertEquals(1, limiter.trackedAddresses());
    clock.now = clock.now.plus(Duration.ofMinutes(60));
    AddressHasher.Hashed after = hasher.hash("192.0.2.7");
    assertNotEquals(before.value(), after.value());
    assertTrue(limiter.tryAcquire(after).allowed());
    assertEquals(1, limiter.trackedAddresses(), "the old key's counts are gone");
    assertFalse(
        after.toString().contains(after.value()),
        "the hash never shows up in a log line by accident");
  }

  @Test
  @DisplayName("A key may not live longer than an hour, and malformed limits name their setting")
  void badSettings() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new AddressHasher(Clock.systemUTC(), Duration.ofMinutes(61)));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> Limit.parse("VP_LIMIT_P0_PER_ADDRESS", "-3/10m"));
    assertTrue(e.getMessage().contains("VP_LIMIT_P0_PER_ADDRESS"));
    assertEquals(new Limit(3, Duration.ofMinutes(10)), Limit.parse("X", "3/10m"));
    IllegalArgumentException r =
        assertThrows(
            IllegalArgumentException.class,
            () -> AbuseLimits.from(java.util.Map.of("VP_ADDRESS_KEY_ROTATION_MINUTES", "600")));
    assertTrue(r.getMessage().contains("VP_ADDRESS_KEY_ROTATION_MINUTES"));
  }
}
