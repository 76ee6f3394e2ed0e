package nl.veiligpraten.routing.stats;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A validated statistics request. {@link #parse} is the only way in: every parameter is checked
 * against fixed lists, ranges are bounded, and the viewer's rights are applied, so the SQL side
 * only ever sees known codes.
 *
 * @param orgId the organisation whose own figures are shown ({@code null} for chain roles)
 * @param outside true when the table is shown outside an organisation (chain scope): suppression
 *     applies
 */
public record StatsQuery(
    Figure figure,
    LocalDate from,
    LocalDate to,
    RowKind rows,
    Granularity granularity,
    Dimension by,
    Scope scope,
    String orgId,
    boolean chainRole) {

  /** Longest range of one request. */
  public static final int MAX_DAYS = 366;

  /** Longest range for hour buckets (744 rows). */
  public static final int MAX_HOUR_DAYS = 31;

  static final Set<String> PARAMETERS =
      Set.of("figure", "from", "to", "rows", "granularity", "by", "scope", "org");

  public boolean outside() {
    return scope == Scope.CHAIN;
  }

  /**
   * Validates request parameters for a viewer. Throws {@link StatsRequestException} (400/403) with
   * a reason.
   */
  public static StatsQuery parse(Map<String, String> params, Viewer viewer) {
    if (!viewer.orgRole() && !viewer.chainRole()) {
      throw new StatsRequestException(
          403,
          "no_statistics_role",
          "Your role has no access to statistics. Ask your organisation for the stats_viewer role.");
    }
    for (String name : params.keySet()) {
      if (!PARAMETERS.contains(name)) {
        throw bad(
            "unknown_parameter",
            "Unknown parameter '"
                + clip(name)
                + "'. Known: "
                + PARAMETERS.stream().sorted().toList()
                + ".");
      }
    }
    String figureCode = params.get("figure");
    if (figureCode == null) {
      throw bad("missing_figure", "Parameter 'figure' is required: one of " + Figure.codes() + ".");
    }
    Figure figure =
        Figure.parse(figureCode)
            .orElseThrow(
                () ->
                    bad(
                        "unknown_figure",
                        "Unknown figure '"
                            + clip(figureCode)
                            + "'. Known: "
                            + Figure.codes()
                            + "."));
    LocalDate from = date(params, "from");
    LocalDate to = date(params, "to");
    if (to.isBefore(from)) {
      throw bad("reversed_range", "'to' (" + to + ") is before 'from' (" + from + ").");
    }
    long days = ChronoUnit.DAYS.between(from, to) + 1;
    if (days > MAX_DAYS) {
      throw bad(
          "range_too_long",
          "A request covers at most " + MAX_DAYS + " days; this one covers " + days + ".");
    }
    Scope scope = scope(params.get("scope"), viewer);
    String org = params.get("org");
    if (org != null) {
      if (viewer.chainRole()) {
        throw new StatsRequestException(
            403,
            "no_org_detail",
            "Chain roles see aggregates per help point, never one organisation's detail.");
      }
      if (!org.equals(viewer.orgId())) {
        throw new StatsRequestException(
            403,
            "other_organisation",
            "You can only see your own organisation's statistics; other organisations count in chain totals.");
      }
    }
    Granularity granularity = granularity(params.get("granularity"), viewer);
    RowKind rows = rows(params.get("rows"), figure);
    Dimension by = by(params.get("by"), figure, rows);
    if (granularity == Granularity.HOUR && rows == RowKind.TIME && days > MAX_HOUR_DAYS) {
      throw bad(
          "range_too_long",
          "Hour buckets cover at most " + MAX_HOUR_DAYS + " days; use day or longer.");
    }
    if (scope == Scope.CHAIN) {
      if (granularity == Granularity.HOUR && rows == RowKind.TIME) {
        throw bad(
            "granularity_not_allowed",
            "Outside the organisation times are shown per day at most; use granularity day, week or month.");
      }
      if (figure.insideOnly()) {
        throw new StatsRequestException(
            403,
            "inside_only",
            "Figure "
                + figure.code()
                + " is shown inside "
                + "the organisation only (operational detail, or chats another organisation counts).");
      }
    }
    if (viewer.chainRole()) {
      if (rows == RowKind.TIME && granularity != Granularity.MONTH) {
        throw bad(
            "granularity_not_allowed",
            "Chain roles see monthly aggregates: use granularity month.");
      }
      if (from.getDayOfMonth() != 1 || !to.equals(to.withDayOfMonth(to.lengthOfMonth()))) {
        throw bad(
            "whole_months",
            "Chain roles see whole months: 'from' must be the 1st and 'to' the last day "
                + "of a month.");
      }
    }
    if (scope == Scope.CHAIN
        && rows == RowKind.TIME
        && (figure != Figure.INFLOW || (by != Dimension.NONE && by != Dimension.HELP_POINT))) {
      // A time series split by anything but help point would be a third dimension (day x help point
      // x split)
      // whose tables cannot share one suppression pattern with the monthly tables; see
      // docs/statistics.md §4.
      throw bad(
          "dimension_not_allowed",
          "Outside the organisation a time series shows inflow in total or per "
              + "help point; other splits are shown per help point for a month.");
    }
    boolean trend = rows == RowKind.TIME && granularity == Granularity.MONTH;
    boolean wholeMonths =
        from.getDayOfMonth() == 1 && to.equals(to.withDayOfMonth(to.lengthOfMonth()));
    if (scope == Scope.CHAIN && (!wholeMonths || (!trend && !to.withDayOfMonth(1).equals(from)))) {
      // Overlapping periods could be subtracted from each other (Oct 1-31 minus Oct 1-30 = Oct 31),
      // undoing the
      // suppression of each table. Fixed, non-overlapping periods close that door; a trend is its
      // months.
      throw bad(
          "single_month",
          "Outside the organisation figures cover exactly one calendar month ('from' the "
              + "1st and 'to' the last day of the same month), or whole months for a monthly trend.");
    }
    return new StatsQuery(
        figure,
        from,
        to,
        rows,
        granularity,
        by,
        scope,
        viewer.chainRole() ? null : viewer.orgId(),
        viewer.chainRole());
  }

  private static Scope scope(String value, Viewer viewer) {
    if (value == null) {
      return viewer.chainRole() ? Scope.CHAIN : Scope.OWN;
    }
    if ("chain".equals(value)) {
      return Scope.CHAIN;
    }
    if ("own".equals(value)) {
      if (viewer.chainRole()) {
        throw new StatsRequestException(
            403,
            "no_org_detail",
            "Chain roles have no organisation of their own; use scope chain.");
      }
      return Scope.OWN;
    }
    throw bad("unknown_scope", "Unknown scope '" + clip(value) + "'. Known: [own, chain].");
  }

  private static Granularity granularity(String value, Viewer viewer) {
    if (value == null) {
      return viewer.chainRole() ? Granularity.MONTH : Granularity.DAY;
    }
    return Granularity.parse(value)
        .orElseThrow(
            () ->
                bad(
                    "unknown_granularity",
                    "Unknown granularity '"
                        + clip(value)
                        + "'. Known: "
                        + Granularity.codes()
                        + "."));
  }

  private static RowKind rows(String value, Figure figure) {
    if (figure == Figure.HEATMAP) {
      if (value != null && !"time".equals(value)) {
        throw bad("rows_not_allowed", "Figure heatmap has weekday rows and hour columns.");
      }
      return RowKind.TIME;
    }
    if (figure == Figure.QUEUE) {
      if (value != null && !"time".equals(value)) {
        throw bad("rows_not_allowed", "Figure queue has time rows only.");
      }
      return RowKind.TIME;
    }
    if (value == null || "help_point".equals(value)) {
      return RowKind.HELP_POINT;
    }
    if ("time".equals(value)) {
      if (!figure.allowsTimeRows()) {
        throw bad("rows_not_allowed", "Figure " + figure.code() + " has help-point rows only.");
      }
      return RowKind.TIME;
    }
    throw bad("unknown_rows", "Unknown rows '" + clip(value) + "'. Known: [time, help_point].");
  }

  private static Dimension by(String value, Figure figure, RowKind rows) {
    if (value == null) {
      return figure.defaultSplit();
    }
    Dimension d =
        Dimension.parse(value)
            .orElseThrow(
                () ->
                    bad(
                        "unknown_dimension",
                        "Unknown dimension '"
                            + clip(value)
                            + "'. Known: "
                            + Dimension.codes()
                            + "."));
    if (!figure.splits().contains(d)) {
      throw bad(
          "dimension_not_allowed",
          "Figure "
              + figure.code()
              + " can be split by "
              + figure.splits().stream().map(Dimension::code).sorted().toList()
              + " only.");
    }
    if (d == Dimension.HELP_POINT && rows == RowKind.HELP_POINT) {
      throw bad(
          "dimension_not_allowed",
          "Rows are already help points; choose rows=time to split by help point.");
    }
    return d;
  }

  private static LocalDate date(Map<String, String> params, String name) {
    String value = params.get(name);
    if (value == null) {
      throw bad("missing_" + name, "Parameter '" + name + "' is required (YYYY-MM-DD).");
    }
    try {
      LocalDate d = LocalDate.parse(value);
      if (d.getYear() < 2000 || d.getYear() > 2999) {
        throw bad("bad_date", "'" + name + "' must be a date between 2000 and 2999.");
      }
      return d;
    } catch (DateTimeParseException e) {
      throw bad(
          "bad_date", "'" + name + "' must be a date like 2026-10-01, got '" + clip(value) + "'.");
    }
  }

  private static StatsRequestException bad(String code, String message) {
    return new StatsRequestException(400, code, message);
  }

  /** Echo at most 40 characters of a bad value, so an error never reflects a long payload. */
  private static String clip(String value) {
    String v = value.length() > 40 ? value.substring(0, 40) + "…" : value;
    return v.replaceAll("[^\\p{Alnum}_ .:+-]", "?");
  }

  /** Parameters a viewer may use, for the statistics page. */
  public static List<String> parameterNames() {
    return PARAMETERS.stream().sorted().toList();
  }
}
