package nl.veiligpraten.routing.config;

import java.time.DayOfWeek;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Opening hours per weekday. In YAML either the string {@code "24/7"} or a mapping with all seven
 * days ({@code mon}..{@code sun}), each {@code "closed"} or one or more ranges {@code
 * "09:00-17:00"} separated by commas. All seven days are required so a forgotten day never silently
 * means "closed".
 *
 * @param alwaysOpen true for "24/7"
 * @param days ranges per day ("HH:MM-HH:MM"); an empty list means closed that day
 */
public record OpeningHours(boolean alwaysOpen, Map<DayOfWeek, List<String>> days) {

  static final String ALWAYS = "24/7";
  private static final String CLOSED = "closed";
  private static final java.util.regex.Pattern RANGE =
      java.util.regex.Pattern.compile(
          "([01]\\d|2[0-3]):[0-5]\\d-(([01]\\d|2[0-3]):[0-5]\\d|24:00)");
  private static final Map<String, DayOfWeek> KEYS =
      Map.of(
          "mon",
          DayOfWeek.MONDAY,
          "tue",
          DayOfWeek.TUESDAY,
          "wed",
          DayOfWeek.WEDNESDAY,
          "thu",
          DayOfWeek.THURSDAY,
          "fri",
          DayOfWeek.FRIDAY,
          "sat",
          DayOfWeek.SATURDAY,
          "sun",
          DayOfWeek.SUNDAY);

  /** Opening hours in the configuration are local time in the Netherlands. */
  public static final java.time.ZoneId ZONE = java.time.ZoneId.of("Europe/Amsterdam");

  /**
   * Parsed minute sets, so a routing decision does not parse the time ranges again for every help
   * point.
   */
  private static final Map<OpeningHours, java.util.BitSet> MINUTES =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** Whether these hours are open at the given moment ("24:00" as an end means until midnight). */
  public boolean isOpenAt(java.time.ZonedDateTime when) {
    if (alwaysOpen) {
      return true;
    }
    java.time.ZonedDateTime local = when.withZoneSameInstant(ZONE);
    int minute =
        (local.getDayOfWeek().getValue() - 1) * 1440 + local.getHour() * 60 + local.getMinute();
    return MINUTES.computeIfAbsent(this, OpeningHours::openMinutes).get(minute);
  }

  /**
   * Minutes in a week; {@link #openMinutes()} has one bit per minute, Monday 00:00 first (local
   * time).
   */
  public static final int MINUTES_PER_WEEK = 7 * 24 * 60;

  /**
   * The minutes of a local week at which these hours are open (bit i = minute i after Monday
   * 00:00).
   */
  public java.util.BitSet openMinutes() {
    java.util.BitSet bits = new java.util.BitSet(MINUTES_PER_WEEK);
    if (alwaysOpen) {
      bits.set(0, MINUTES_PER_WEEK);
      return bits;
    }
    days.forEach(
        (day, ranges) -> {
          int base = (day.getValue() - 1) * 24 * 60;
          for (String r : ranges) {
            int from = minutes(r.substring(0, 5));
            String end = r.substring(6);
            int to = "24:00".equals(end) ? 24 * 60 : minutes(end);
            if (to > from) {
              bits.set(base + from, base + to);
            }
          }
        });
    return bits;
  }

  /**
   * The next moment at or after {@code when} at which these hours are open; {@code when} itself
   * when open now, empty when never open. Local time in {@link #ZONE}; the result is rounded to the
   * minute.
   */
  public java.util.Optional<java.time.ZonedDateTime> nextOpening(java.time.ZonedDateTime when) {
    if (isOpenAt(when)) {
      return java.util.Optional.of(when);
    }
    java.time.ZonedDateTime local =
        when.withZoneSameInstant(ZONE).truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
    for (int d = 0; d <= 7; d++) {
      java.time.LocalDate date = local.toLocalDate().plusDays(d);
      List<String> ranges = days.getOrDefault(date.getDayOfWeek(), List.of());
      java.time.LocalTime best = null;
      for (String r : ranges) {
        java.time.LocalTime start = java.time.LocalTime.parse(r.substring(0, 5));
        if (d == 0 && !start.isAfter(local.toLocalTime())) {
          continue;
        }
        if (best == null || start.isBefore(best)) {
          best = start;
        }
      }
      if (best != null) {
        return java.util.Optional.of(java.time.ZonedDateTime.of(date, best, ZONE));
      }
    }
    return java.util.Optional.empty();
  }

  private static int minutes(String hhmm) {
    return Integer.parseInt(hhmm.substring(0, 2)) * 60 + Integer.parseInt(hhmm.substring(3, 5));
  }

  public OpeningHours {
    Map<DayOfWeek, List<String>> copy = new EnumMap<>(DayOfWeek.class);
    days.forEach((d, r) -> copy.put(d, List.copyOf(r)));
    days = Collections.unmodifiableMap(copy);
  }

  static OpeningHours read(YamlNode n) {
    if (n.isScalar()) {
      if (!ALWAYS.equals(n.asText().trim())) {
        throw n.error("openingHours must be \"24/7\" or a mapping mon..sun");
      }
      return new OpeningHours(true, Map.of());
    }
    n.allowOnly(KEYS.keySet().toArray(String[]::new));
    Map<DayOfWeek, List<String>> days = new EnumMap<>(DayOfWeek.class);
    for (Map.Entry<String, DayOfWeek> day : KEYS.entrySet()) {
      YamlNode v = n.get(day.getKey());
      if (v == null) {
        throw n.error(
            "openingHours is missing day '" + day.getKey() + "' (write \"closed\" if closed)");
      }
      String s = v.asNonBlank();
      if (s.equals(CLOSED)) {
        days.put(day.getValue(), List.of());
        continue;
      }
      List<String> ranges = java.util.Arrays.stream(s.split(",")).map(String::trim).toList();
      for (String r : ranges) {
        if (!RANGE.matcher(r).matches()) {
          throw v.error("invalid time range '" + r + "' (expected HH:MM-HH:MM, or \"closed\")");
        }
      }
      days.put(day.getValue(), ranges);
    }
    return new OpeningHours(false, days);
  }
}
