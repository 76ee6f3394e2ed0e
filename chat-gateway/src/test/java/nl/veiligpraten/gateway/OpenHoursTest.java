package nl.veiligpraten.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.time.DayOfWeek;
import java.time.ZonedDateTime;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import nl.veiligpraten.routing.config.OpeningHours;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Opening hours against the clock (Dutch local time)")
class OpenHoursTest {

  static OpeningHours weekdays() {
    Map<DayOfWeek, List<String>> days = new EnumMap<>(DayOfWeek.class);
    for (DayOfWeek d : DayOfWeek.values()) {
      days.put(d, d.getValue() <= 5 ? List.of("09:00-12:00", "13:00-17:00") : List.of());
    }
    days.put(DayOfWeek.FRIDAY, List.of("20:00-24:00"));
    return new OpeningHours(false, days);
  }

  @Test
  @DisplayName(
      "open inside a range, closed in the lunch gap, at the end minute, at weekends and before opening")
  void ranges() {
    OpeningHours h = weekdays();
    // 2026-11-23 is a Monday; 10:00 in Amsterdam is 09:00 UTC in winter.
    assertTrue(OpenHours.isOpen(h, ZonedDateTime.parse("2026-11-23T09:00:00Z")));
    assertFalse(OpenHours.isOpen(h, ZonedDateTime.parse("2026-11-23T11:30:00Z")));
    assertFalse(OpenHours.isOpen(h, ZonedDateTime.parse("2026-11-23T16:00:00Z")));
    assertTrue(OpenHours.isOpen(h, ZonedDateTime.parse("2026-11-23T15:59:00Z")));
    assertFalse(OpenHours.isOpen(h, ZonedDateTime.parse("2026-11-23T07:59:00Z")));
    assertFalse(OpenHours.isOpen(h, ZonedDateTime.parse("2026-11-28T10:00:00Z")));
    assertTrue(
        OpenHours.isOpen(h, ZonedDateTime.parse("2026-11-27T22:59:00Z")),
        "24:00 means until midnight");
  }

  @Test
  @DisplayName(
      "summer time: the same local hours, one hour earlier in UTC, also across the switch night")
  void summerTime() {
    OpeningHours h = weekdays();
    // 2026-07-01 is a Wednesday; Amsterdam is UTC+2 in summer.
    assertTrue(OpenHours.isOpen(h, ZonedDateTime.parse("2026-07-01T07:00:00Z")), "09:00 local");
    assertFalse(OpenHours.isOpen(h, ZonedDateTime.parse("2026-07-01T06:59:00Z")), "08:59 local");
    assertFalse(OpenHours.isOpen(h, ZonedDateTime.parse("2026-07-01T15:00:00Z")), "17:00 local");
    assertTrue(OpenHours.isOpen(h, ZonedDateTime.parse("2026-07-01T14:59:00Z")), "16:59 local");
    // Monday 2026-03-30, the first working day of summer time (clocks went forward on Sunday 29
    // March).
    assertTrue(OpenHours.isOpen(h, ZonedDateTime.parse("2026-03-30T07:30:00Z")), "09:30 local");
    assertFalse(
        OpenHours.isOpen(h, ZonedDateTime.parse("2026-03-27T07:30:00Z")),
        "08:30 local, still winter time");
  }

  @Test
  @DisplayName(
      "a help point without hours is not closed for its card, but is never advertised as open now")
  void unknownHours() {
    ZonedDateTime now = ZonedDateTime.parse("2026-11-23T09:00:00Z");
    assertTrue(OpenHours.isOpen(null, now));
    org.junit.jupiter.api.Assertions.assertNull(OpenHours.openNow(null, now));
    org.junit.jupiter.api.Assertions.assertNull(OpenHours.toJson(null));
    assertEquals(Boolean.TRUE, OpenHours.openNow(weekdays(), now));
    assertEquals(
        Boolean.FALSE, OpenHours.openNow(weekdays(), ZonedDateTime.parse("2026-11-28T10:00:00Z")));
  }

  @Test
  @DisplayName("24/7 is always open and is shown as such; other hours are shown per day")
  void json() {
    OpeningHours always = new OpeningHours(true, Map.of());
    assertTrue(OpenHours.isOpen(always, ZonedDateTime.parse("2026-11-29T03:00:00Z")));
    assertEquals("24/7", OpenHours.toJson(always));
    JsonObject days = (JsonObject) OpenHours.toJson(weekdays());
    assertEquals(List.of("09:00-12:00", "13:00-17:00"), days.getJsonArray("mon").getList());
    assertTrue(days.getJsonArray("sun").isEmpty());
  }
}
