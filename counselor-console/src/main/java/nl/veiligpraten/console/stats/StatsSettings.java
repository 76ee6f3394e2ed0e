package nl.veiligpraten.console.stats;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Statistics settings, read once at start-up.
 *
 * @param waitThresholdsMinutes thresholds of the "waited longer than" figure ({@code
 *     VP_STATS_WAIT_THRESHOLDS_MINUTES}, comma-separated minutes, default 5,10). Fixed by
 *     configuration, never by a request: two close thresholds shown side by side outside the
 *     organisation could be subtracted.
 */
public record StatsSettings(List<Integer> waitThresholdsMinutes) {

  public static final String ENV = "VP_STATS_WAIT_THRESHOLDS_MINUTES";

  public StatsSettings {
    waitThresholdsMinutes = List.copyOf(waitThresholdsMinutes);
    if (waitThresholdsMinutes.isEmpty() || waitThresholdsMinutes.size() > 4) {
      throw new IllegalArgumentException(ENV + " needs one to four thresholds");
    }
    for (int m : waitThresholdsMinutes) {
      if (m < 1 || m > 240) {
        throw new IllegalArgumentException(ENV + ": thresholds are 1 to 240 minutes, got " + m);
      }
    }
  }

  public static StatsSettings fromEnv(Map<String, String> env) {
    String value = env.get(ENV);
    if (value == null || value.isBlank()) {
      return new StatsSettings(List.of(5, 10));
    }
    List<Integer> out = new ArrayList<>();
    for (String part : value.split(",")) {
      try {
        out.add(Integer.parseInt(part.trim()));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(ENV + " must be minutes separated by commas, e.g. 5,10");
      }
    }
    return new StatsSettings(out.stream().distinct().sorted().toList());
  }
}
