package nl.veiligpraten.gateway;

import io.vertx.core.json.JsonObject;
import java.time.DayOfWeek;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Locale;
import nl.veiligpraten.routing.config.OpeningHours;

/**
 * Reads the configured opening hours of a help point against a clock. The hours in {@code
 * help-points.yaml} are Dutch local time, so "now" is taken in {@link #ZONE}; a help point without
 * hours counts as open (cards only show their contact data, queues always have hours because the
 * loader requires them).
 */
public final class OpenHours {

  /** Opening hours in the configuration are local time in the Netherlands. */
  public static final ZoneId ZONE = OpeningHours.ZONE;

  private OpenHours() {}

  /** Whether the help point is open at this moment. */
  public static boolean isOpen(OpeningHours hours, ZonedDateTime when) {
    return hours == null || hours.isOpenAt(when);
  }

  /**
   * What the page may say about "open now": true or false from the configured hours, null when no
   * hours are configured. Unknown hours are never advertised as reachable now (brief §4 N1).
   */
  public static Boolean openNow(OpeningHours hours, ZonedDateTime when) {
    return hours == null ? null : hours.isOpenAt(when);
  }

  /**
   * {@code "24/7"} or {@code {"mon": ["09:00-17:00"], "sat": []}} for the page (empty list = closed
   * that day); null when the configuration has no hours (unknown, not "always").
   */
  public static Object toJson(OpeningHours hours) {
    if (hours == null) {
      return null;
    }
    if (hours.alwaysOpen()) {
      return "24/7";
    }
    JsonObject days = new JsonObject();
    for (DayOfWeek day : DayOfWeek.values()) {
      List<String> ranges = hours.days().getOrDefault(day, List.of());
      days.put(
          day.name().substring(0, 3).toLowerCase(Locale.ROOT),
          new io.vertx.core.json.JsonArray(ranges));
    }
    return days;
  }
}
