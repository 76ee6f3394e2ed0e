package nl.veiligpraten.statistics;

import java.util.List;
import nl.veiligpraten.routing.stats.Dimension;
import nl.veiligpraten.routing.stats.Granularity;

/**
 * SQL of the statistics figures. Statements are assembled only from the fixed fragments below
 * (chosen by enum constants, never by request text); every value is a $n parameter: $1 = period
 * start, $2 = period end (exclusive, both instants of Dutch local midnight), $3 = organisation when
 * the statement is for one organisation.
 */
final class StatsQueries {

  private StatsQueries() {}

  static final String ZONE = "Europe/Amsterdam";

  /** Bucket label of a timestamp expression, matching {@link Granularity#label}. */
  static String bucket(Granularity g, String ts) {
    String local = "(" + ts + " AT TIME ZONE '" + ZONE + "')";
    switch (g) {
      case HOUR:
        return "to_char(" + local + ", 'YYYY-MM-DD\"T\"HH24')";
      case DAY:
        return "to_char(" + local + ", 'YYYY-MM-DD')";
      case WEEK:
        return "to_char(date_trunc('week', " + local + "), 'YYYY-MM-DD')";
      default:
        return "to_char(" + local + ", 'YYYY-MM')";
    }
  }

  /** Column expression of a split over stat_case c. */
  static String split(Dimension d) {
    switch (d) {
      case ROLE:
        return "coalesce(c.role, 'unknown')";
      case AGE_BAND:
        return "coalesce(c.age_band, 'unknown')";
      case SETTING:
        return "coalesce(c.setting, 'unknown')";
      case PRIORITY:
        return "coalesce('P' || c.priority, 'unknown')";
      case LANG:
        return "coalesce(c.lang, 'unknown')";
      case CAME_FROM:
        return "coalesce(c.came_from, 'unknown')";
      case HELP_POINT:
        return "c.help_point";
      case OUTCOME:
        return "coalesce(c.outcome, 'open')";
      case CHANNEL:
        return "coalesce(c.channel, 'chat')";
      default:
        return "'n'";
    }
  }

  /**
   * Issue 19: every figure describes chats (cases that entered a queue) unless it is split by
   * channel; messages left by code are never in a queue and would distort waits, abandonment and
   * queue lengths.
   */
  static final String CHATS_ONLY = " AND c.channel IS DISTINCT FROM 'message'";

  static String caseFilter(boolean forOrg) {
    return caseFilter(forOrg, false);
  }

  static String caseFilter(boolean forOrg, boolean allChannels) {
    return " FROM stat_case c WHERE c.queued_at >= $1 AND c.queued_at < $2 AND c.help_point IS NOT NULL"
        + (forOrg ? " AND c.org_id = $3" : "")
        + (allChannels ? "" : CHATS_ONLY);
  }

  /** Counts per (row, column): generic for inflow, outcomes, abandoned, transfers. */
  static String counts(String rowExpr, String columnExpr, boolean forOrg) {
    return counts(rowExpr, columnExpr, forOrg, false);
  }

  /**
   * As above; {@code allChannels} for the channel split, which counts chats and messages side by
   * side.
   */
  static String counts(String rowExpr, String columnExpr, boolean forOrg, boolean allChannels) {
    return "SELECT "
        + rowExpr
        + " AS r, "
        + columnExpr
        + " AS k, count(*) AS n"
        + caseFilter(forOrg, allChannels)
        + " GROUP BY 1, 2";
  }

  static final String ABANDONED_COLUMN =
      "CASE WHEN c.abandoned THEN 'abandoned' ELSE 'not_abandoned' END";

  /**
   * Left before being helped: in the queue (closed while still queued), after assignment before the
   * first reply (closed without any counselor message), during the chat (closed as "visitor left"
   * after a reply); else stayed.
   */
  static final String LEFT_COLUMN =
      "CASE WHEN c.abandoned THEN 'in_queue' WHEN c.closed_at IS NOT NULL AND "
          + "c.first_reply_at IS NULL THEN 'before_first_reply' WHEN c.left_by_visitor "
          + "OR c.outcome IN ('visitor_left', 'visitor_left_hurry') THEN 'during_chat' ELSE 'stayed' END";

  /**
   * Waiting against thresholds and targets per row and priority: queued; waited longer than each
   * threshold without an answer (until the first reply, or until leaving, or until now while still
   * unanswered); answered within the help point's target ($4 help points, $5 priorities, $6 target
   * seconds: configuration, never request text).
   */
  static String waited(String rowExpr, List<Integer> thresholdMinutes, boolean forOrg) {
    StringBuilder sb =
        new StringBuilder(
            "SELECT "
                + rowExpr
                + " AS r, coalesce('P' || c.priority, 'unknown') AS k, "
                + "count(*) AS queued");
    String unanswered = UNANSWERED;
    for (int m : thresholdMinutes) {
      sb.append(", count(*) FILTER (WHERE ")
          .append(unanswered)
          .append(" > ")
          .append(m * 60)
          .append(") AS over_")
          .append(m)
          .append("m");
    }
    sb.append(", count(*) FILTER (WHERE c.wait_seconds <= t.secs) AS within_target")
        .append(
            " FROM stat_case c LEFT JOIN unnest($4::text[], $5::int[], $6::int[]) AS t(hp, prio, secs) ")
        .append("ON t.hp = c.help_point AND t.prio = c.priority ")
        .append("WHERE c.queued_at >= $1 AND c.queued_at < $2 AND c.help_point IS NOT NULL")
        .append(CHATS_ONLY)
        .append(forOrg ? " AND c.org_id = $3" : " AND $3::text IS NULL")
        .append(" GROUP BY 1, 2");
    return sb.toString();
  }

  /** Inflow by ISO weekday (1 = Monday) and local hour, for one organisation. */
  static final String HEATMAP_INFLOW =
      "SELECT extract(isodow FROM c.queued_at AT TIME ZONE '"
          + ZONE
          + "')::int AS d, "
          + "extract(hour FROM c.queued_at AT TIME ZONE '"
          + ZONE
          + "')::int AS h, count(*) AS n FROM stat_case c "
          + "WHERE c.queued_at >= $1 AND c.queued_at < $2 AND c.help_point IS NOT NULL AND c.org_id = $3"
          + CHATS_ONLY
          + " GROUP BY 1, 2";

  /** Mean counselors online by ISO weekday and local hour (samples), for one organisation. */
  static final String HEATMAP_ONLINE =
      "SELECT extract(isodow FROM s.sampled_at AT TIME ZONE '"
          + ZONE
          + "')::int AS d, "
          + "extract(hour FROM s.sampled_at AT TIME ZONE '"
          + ZONE
          + "')::int AS h, "
          + "avg(s.counselors_online)::float8 AS online FROM stat_capacity_sample s WHERE s.org_id = $3 "
          + "AND s.sampled_at >= $1 AND s.sampled_at < $2 GROUP BY 1, 2";

  /**
   * Referrals to the organisation that were accepted in the period: per receiving row, from which
   * help point.
   */
  static String referredIn(String rowExpr) {
    return "SELECT "
        + rowExpr
        + " AS r, e.help_point AS k, count(*) AS n FROM stat_event e "
        + "WHERE e.kind = 'referral_accepted' AND e.at >= $1 AND e.at < $2 AND e.to_org = $3 "
        + "AND e.to_help_point IS NOT NULL AND e.help_point IS NOT NULL GROUP BY 1, 2";
  }

  static final String TRANSFERS_COLUMN =
      "CASE WHEN c.transfers >= 3 THEN '3+' ELSE c.transfers::text END";

  /**
   * Waiting time (queue entry to first counselor message) per row and priority: n, p50, p90 in
   * seconds.
   */
  static String waiting(String rowExpr, boolean forOrg) {
    return waiting(rowExpr, "coalesce('P' || c.priority, 'unknown')", forOrg, false);
  }

  /**
   * As above with another column: {@code allChannels} for the channel split (issue 19), where a
   * message's wait is the time from leaving it to the first answer.
   */
  static String waiting(String rowExpr, String columnExpr, boolean forOrg, boolean allChannels) {
    return "SELECT r, k, n, p[1] AS p50, p[2] AS p90 FROM (SELECT "
        + rowExpr
        + " AS r, "
        + columnExpr
        + " AS k, count(*) AS n, "
        + "percentile_disc(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY c.wait_seconds) AS p"
        + caseFilter(forOrg, allChannels)
        + " AND c.wait_seconds IS NOT NULL GROUP BY 1, 2) x";
  }

  /**
   * Overrides by reason, per help point where the case was when overridden (event time in the
   * period).
   */
  static String overrides(boolean forOrg) {
    return "SELECT e.help_point AS r, coalesce(e.reason, 'unknown') AS k, count(*) AS n FROM stat_event e "
        + "WHERE e.kind = 'overridden' AND e.at >= $1 AND e.at < $2 AND e.help_point IS NOT NULL"
        + (forOrg ? " AND e.org_id = $3" : "")
        + " GROUP BY 1, 2";
  }

  /**
   * Referrals offered in the period, one per (case, to help point), with their latest answer. Own =
   * sent or received by the organisation.
   */
  static String referrals(boolean forOrg) {
    return "WITH r AS (SELECT e.case_ref, min(e.help_point) AS from_hp, e.to_help_point AS to_hp, "
        + "bool_or(e.kind = 'referral_accepted') AS accepted, bool_or(e.kind = 'referral_declined') AS declined, "
        + "bool_or(e.kind = 'referral_offered' AND e.at >= $1 AND e.at < $2) AS offered_in_period, "
        + "bool_or("
        + (forOrg ? "e.org_id = $3 OR e.to_org = $3" : "true")
        + ") AS mine "
        + "FROM stat_event e WHERE e.kind IN ('referral_offered', 'referral_accepted', 'referral_declined') "
        + "AND e.at >= $1 AND e.to_help_point IS NOT NULL GROUP BY e.case_ref, e.to_help_point) "
        + "SELECT from_hp || '>' || to_hp AS r, CASE WHEN accepted THEN 'accepted' WHEN declined THEN 'declined' "
        + "ELSE 'open' END AS k, count(*) AS n FROM r WHERE offered_in_period AND from_hp IS NOT NULL AND mine "
        + "GROUP BY 1, 2";
  }

  /**
   * Queue length of each help point of the organisation: +1 at queue entry, -1 when taken or
   * closed; the running sum over peers (same instant, same direction) is the length after that
   * instant. Per bucket: the maximum, and the last length (to carry into buckets without events).
   * Row NULL = before the period (the starting length).
   */
  static String queueLength(Granularity g) {
    String leave = "coalesce(c.assigned_at, c.closed_at)";
    return "WITH moves AS ("
        + "SELECT c.help_point AS hp, c.queued_at AS t, 1 AS d FROM stat_case c WHERE c.org_id = $3 "
        + "AND c.queued_at < $2 AND ("
        + leave
        + " IS NULL OR "
        + leave
        + " >= $1) AND c.help_point IS NOT NULL "
        + CHATS_ONLY.trim()
        + " "
        + "UNION ALL SELECT c.help_point, "
        + leave
        + ", -1 FROM stat_case c WHERE c.org_id = $3 "
        + "AND c.queued_at < $2 AND "
        + leave
        + " >= $1 AND "
        + leave
        + " < $2 AND c.help_point IS NOT NULL"
        + CHATS_ONLY
        + "), "
        + "run AS (SELECT hp, t, d, sum(d) OVER (PARTITION BY hp ORDER BY t, d) AS len FROM moves) "
        + "SELECT CASE WHEN t < $1 THEN NULL ELSE "
        + bucket(g, "t")
        + " END AS r, hp AS k, max(len) AS maxlen, "
        + "(array_agg(len ORDER BY t DESC, d DESC))[1] AS lastlen FROM run GROUP BY 1, 2";
  }

  /** Counselors online (sampled), mean per bucket. */
  static String counselorsOnline(Granularity g) {
    return "SELECT "
        + bucket(g, "s.sampled_at")
        + " AS r, avg(s.counselors_online)::float8 AS online, "
        + "max(s.queue_length) AS sampled_queue FROM stat_capacity_sample s WHERE s.org_id = $3 "
        + "AND s.sampled_at >= $1 AND s.sampled_at < $2 GROUP BY 1";
  }

  /** Help points an organisation's queue has served (for stable columns). */
  static final String HELP_POINTS_OF_ORG =
      "SELECT DISTINCT help_point FROM stat_case WHERE org_id = $3 AND queued_at >= $1 AND queued_at < $2 "
          + "AND help_point IS NOT NULL";

  /** Sort memory of one statistics transaction (see StatsRepository#query). */
  static final String SORT_MEMORY = "SET LOCAL work_mem = '64MB'";

  /**
   * Seconds a case waited without an answer: to the first reply, to leaving, or (still unanswered)
   * to now.
   */
  static final String UNANSWERED =
      "extract(epoch FROM coalesce(c.first_reply_at, c.closed_at, now()) - c.queued_at)";

  /**
   * The month overview, computed live: inflow, abandonment, replies and p50/p90 waits per help
   * point and priority.
   */
  static final String MONTH_OVERVIEW =
      "SELECT c.help_point COLLATE \"C\" AS help_point, "
          + "coalesce(c.priority, -1)::smallint AS priority, count(*) AS inflow, "
          + "count(*) FILTER (WHERE c.abandoned) AS abandoned, count(c.wait_seconds) AS replied, "
          + "count(*) FILTER (WHERE "
          + UNANSWERED
          + " > 300) AS over_5m, "
          + "count(*) FILTER (WHERE "
          + UNANSWERED
          + " > 600) AS over_10m, "
          + "count(*) FILTER (WHERE NOT c.abandoned AND c.closed_at IS NOT NULL AND c.first_reply_at IS NULL) "
          + "AS left_before_reply, count(*) FILTER (WHERE c.first_reply_at IS NOT NULL "
          + "AND (c.left_by_visitor OR c.outcome IN ('visitor_left', 'visitor_left_hurry'))) AS left_during_chat, "
          + "(percentile_disc(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY c.wait_seconds))::float8[] AS p "
          + "FROM stat_case c WHERE c.queued_at >= $1 AND c.queued_at < $2 AND c.help_point IS NOT NULL"
          + CHATS_ONLY
          + " GROUP BY 1, 2";

  /** Stores the overview of a finished month ($3 = its first day); a recomputation replaces it. */
  static final String MONTH_OVERVIEW_DELETE = "DELETE FROM stat_month_overview WHERE month = $1";

  static final String MONTH_OVERVIEW_STORE =
      "INSERT INTO stat_month_overview (month, help_point, priority, inflow, "
          + "abandoned, replied, p50_seconds, p90_seconds, over_5m, over_10m, left_before_reply, left_during_chat) "
          + "SELECT $3::date, o.help_point, o.priority, o.inflow, o.abandoned, o.replied, o.p[1], o.p[2], o.over_5m, "
          + "o.over_10m, o.left_before_reply, o.left_during_chat FROM ("
          + MONTH_OVERVIEW
          + ") o";

  static final String MONTH_OVERVIEW_READ =
      "SELECT help_point, priority, inflow, abandoned, replied, "
          + "ARRAY[p50_seconds, p90_seconds] AS p, over_5m, over_10m, left_before_reply, left_during_chat, computed_at "
          + "FROM stat_month_overview WHERE month = $1";

  /** Baseline of the benchmark: a plain count over the same rows. */
  static final String MONTH_BASELINE =
      "SELECT count(*) FROM stat_case c WHERE c.queued_at >= $1 AND c.queued_at < $2";

  /**
   * Records one capacity sample per organisation for the current minute; a second node's insert is
   * a no-op.
   */
  static final String SAMPLE_CAPACITY =
      "INSERT INTO stat_capacity_sample (org_id, sampled_at, counselors_online, "
          + "queue_length) SELECT o.id, date_trunc('minute', now()), "
          + "(SELECT count(DISTINCT s.user_id) FROM staff_session s JOIN staff_user u ON u.id = s.user_id "
          + "WHERE u.org_id = o.id AND u.role IN ('counselor', 'supervisor') AND s.last_seen_at > now() - make_interval(secs => $1)), "
          + "(SELECT count(*) FROM conversation q WHERE q.org_id = o.id AND q.status = 'queued') "
          + "FROM organisation o ON CONFLICT (org_id, sampled_at) DO NOTHING";
}
