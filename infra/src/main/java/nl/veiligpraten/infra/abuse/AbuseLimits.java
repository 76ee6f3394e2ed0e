package nl.veiligpraten.infra.abuse;

import java.time.Duration;
import java.util.Map;

/**
 * Limits on new conversations and P0 ("in danger") claims, per network address (counted by keyed
 * hash, see {@link AddressHasher}) and per node. One connection holds at most one conversation and
 * makes at most one claim by protocol, so the per-connection limit is one of each. Read once at
 * start-up.
 *
 * @param newPerAddress {@code VP_LIMIT_NEW_PER_ADDRESS}: new conversations per address (default
 *     60/1m: a school or office behind one address must still get through)
 * @param newGlobal {@code VP_LIMIT_NEW_GLOBAL}: new conversations per node (default 1200/1m)
 * @param p0PerAddress {@code VP_LIMIT_P0_PER_ADDRESS}: P0 claims per address before further claims
 *     are queued at P1 until a supervisor confirms them (default 3/10m)
 * @param p0Global {@code VP_LIMIT_P0_GLOBAL}: P0 claims per node, same rule (default 30/10m)
 * @param keyRotation {@code VP_ADDRESS_KEY_ROTATION_MINUTES}: how long one address-hash key lives
 *     (default 60, at most 60)
 */
public record AbuseLimits(
    Limit newPerAddress,
    Limit newGlobal,
    Limit p0PerAddress,
    Limit p0Global,
    Duration keyRotation) {

  /** Production defaults. */
  public static AbuseLimits defaults() {
    return from(Map.of());
  }

  /** Reads the settings; a malformed one stops start-up with its name. */
  public static AbuseLimits from(Map<String, String> env) {
    String rotation = env.getOrDefault("VP_ADDRESS_KEY_ROTATION_MINUTES", "60").trim();
    int minutes;
    try {
      minutes = Integer.parseInt(rotation);
      if (minutes < 1 || minutes > 60) {
        throw new NumberFormatException();
      }
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "VP_ADDRESS_KEY_ROTATION_MINUTES must be a whole number from 1 to 60, got '"
              + rotation
              + "'");
    }
    return new AbuseLimits(
        limit(env, "VP_LIMIT_NEW_PER_ADDRESS", "60/1m"),
        limit(env, "VP_LIMIT_NEW_GLOBAL", "1200/1m"),
        limit(env, "VP_LIMIT_P0_PER_ADDRESS", "3/10m"),
        limit(env, "VP_LIMIT_P0_GLOBAL", "30/10m"),
        Duration.ofMinutes(minutes));
  }

  /** Limits so high that tests opening many sockets from loopback never meet them. */
  public static AbuseLimits generous() {
    Limit lots = new Limit(1_000_000, Duration.ofMinutes(1));
    return new AbuseLimits(lots, lots, lots, lots, Duration.ofMinutes(60));
  }

  private static Limit limit(Map<String, String> env, String name, String fallback) {
    String v = env.get(name);
    return Limit.parse(name, v == null || v.isBlank() ? fallback : v);
  }
}
