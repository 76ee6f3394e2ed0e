package nl.veiligpraten.routing.stats;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Time buckets of a time series, in Dutch local time (Europe/Amsterdam). Weeks start on Monday
 * (ISO).
 */
public enum Granularity {
  HOUR("hour"),
  DAY("day"),
  WEEK("week"),
  MONTH("month");

  private static final DateTimeFormatter HOUR_LABEL =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH");

  private final String code;

  Granularity(String code) {
    this.code = code;
  }

  public String code() {
    return code;
  }

  public static Optional<Granularity> parse(String code) {
    return Arrays.stream(values()).filter(g -> g.code.equals(code)).findFirst();
  }

  public static List<String> codes() {
    return Arrays.stream(values()).map(Granularity::code).toList();
  }

  /** Label of the bucket that holds a local date-time. */
  public String label(LocalDateTime local) {
    switch (this) {
      case HOUR:
        return local.format(HOUR_LABEL);
      case DAY:
        return local.toLocalDate().toString();
      case WEEK:
        return local
            .toLocalDate()
            .with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY))
            .toString();
      default:
        return local.toLocalDate().withDayOfMonth(1).toString().substring(0, 7);
    }
  }

  /** Every bucket label that overlaps [from, to] (inclusive days), in order. */
  public List<String> labels(LocalDate from, LocalDate to) {
    List<String> out = new ArrayList<>();
    LocalDateTime t = from.atStartOfDay();
    LocalDateTime end = to.plusDays(1).atStartOfDay();
    while (t.isBefore(end)) {
      String label = label(t);
      if (out.isEmpty() || !out.get(out.size() - 1).equals(label)) {
        out.add(label);
      }
      t = this == HOUR ? t.plusHours(1) : t.plusDays(1);
    }
    return out;
  }
}
