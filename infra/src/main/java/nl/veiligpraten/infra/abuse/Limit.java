package nl.veiligpraten.infra.abuse;

import java.time.Duration;
import java.util.Locale;

/**
 * "At most {@code count} per {@code period}" as a token bucket: a burst of {@code count}, refilled
 * evenly over the period. Written in settings as {@code 60/1m}, {@code 3/10m}, {@code 1000/1h} or
 * {@code 5/30s}.
 */
public record Limit(int count, Duration period) {

  public Limit {
    if (count < 1 || period.isNegative() || period.isZero()) {
      throw new IllegalArgumentException("a limit needs a positive count and period");
    }
  }

  /** Parses {@code N/PERIOD}; the message names the setting on any problem. */
  public static Limit parse(String setting, String text) {
    String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    String[] parts = t.split("/");
    try {
      if (parts.length != 2 || parts[1].length() < 2) {
        throw new NumberFormatException();
      }
      int count = Integer.parseInt(parts[0].trim());
      String p = parts[1].trim();
      long n = Long.parseLong(p.substring(0, p.length() - 1));
      Duration period =
          switch (p.charAt(p.length() - 1)) {
            case 's' -> Duration.ofSeconds(n);
            case 'm' -> Duration.ofMinutes(n);
            case 'h' -> Duration.ofHours(n);
            default -> throw new NumberFormatException();
          };
      if (count < 1 || count > 1_000_000 || n < 1 || period.compareTo(Duration.ofDays(1)) > 0) {
        throw new NumberFormatException();
      }
      return new Limit(count, period);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          setting
              + " must be COUNT/PERIOD with COUNT 1-1000000 and PERIOD like 30s, "
              + "10m or 1h (at most a day), got '"
              + text
              + "'");
    }
  }

  @Override
  public String toString() {
    return count + "/" + period.toSeconds() + "s";
  }
}
