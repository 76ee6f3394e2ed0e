package nl.veiligpraten.app.bench;

import java.util.Map;

/**
 * Abuse limits for benchmark nodes. The load clients all connect from one loopback address, which
 * the production limits on new conversations (per address and per node, see README "Configuration")
 * would treat as one abusive phone; a benchmark measures the service's capacity, so it lifts them.
 * Nothing else about the posture changes.
 */
final class BenchLimits {

  /** Environment that lifts the new-conversation limits far above any benchmark's rate. */
  static final Map<String, String> LIFTED =
      Map.of(
          "VP_LIMIT_NEW_PER_ADDRESS", "1000000/1m",
          "VP_LIMIT_NEW_GLOBAL", "1000000/1m");

  private BenchLimits() {}
}
