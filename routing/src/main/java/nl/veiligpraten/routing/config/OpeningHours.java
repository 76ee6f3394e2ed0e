package nl.veiligpraten.routing.config;

import java.time.DayOfWeek;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Opening hours per weekday. In YAML either the string {@code "24/7"} or a mapping with all seven days
 * ({@code mon}..{@code sun}), each {@code "closed"} or one or more ranges {@code "09:00-17:00"} separated by
 * commas. All seven days are required so a forgotten day never silently means "closed".
 *
 * @param alwaysOpen true for "24/7"
 * @param days       ranges per day ("HH:MM-HH:MM"); an empty list means closed that day
 */
public record OpeningHours(boolean alwaysOpen, Map<DayOfWeek, List<String>> days) {

    static final String ALWAYS = "24/7";
    private static final String CLOSED = "closed";
    private static final java.util.regex.Pattern RANGE =
            java.util.regex.Pattern.compile("([01]\\d|2[0-3]):[0-5]\\d-(([01]\\d|2[0-3]):[0-5]\\d|24:00)");
    private static final Map<String, DayOfWeek> KEYS = Map.of(
            "mon", DayOfWeek.MONDAY, "tue", DayOfWeek.TUESDAY, "wed", DayOfWeek.WEDNESDAY,
            "thu", DayOfWeek.THURSDAY, "fri", DayOfWeek.FRIDAY, "sat", DayOfWeek.SATURDAY, "sun", DayOfWeek.SUNDAY);

    /** Opening hours in the configuration are local time in the Netherlands. */
    public static final java.time.ZoneId ZONE = java.time.ZoneId.of("Europe/Amsterdam");

    /** Whether these hours are open at the given moment ("24:00" as an end means until midnight). */
    public boolean isOpenAt(java.time.ZonedDateTime when) {
        if (alwaysOpen) {
            return true;
        }
        java.time.ZonedDateTime local = when.withZoneSameInstant(ZONE);
        java.time.LocalTime time = local.toLocalTime();
        for (String range : days.getOrDefault(local.getDayOfWeek(), List.of())) {
            String end = range.substring(6);
            if (!time.isBefore(java.time.LocalTime.parse(range.substring(0, 5)))
                    && ("24:00".equals(end) || time.isBefore(java.time.LocalTime.parse(end)))) {
                return true;
            }
        }
        return false;
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
                throw n.error("openingHours is missing day '" + day.getKey() + "' (write \"closed\" if closed)");
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
