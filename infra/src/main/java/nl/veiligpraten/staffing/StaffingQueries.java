package nl.veiligpraten.staffing;

import nl.veiligpraten.assignment.QueueOrderQueries;
import nl.veiligpraten.routing.Priority;

/**
 * SQL of the staffing view: who is present per organisation, recent handling times, and how many
 * queued chats a new or a given chat has before it in serving order (the order of {@code
 * PriorityAgeing}, as SQL from {@link QueueOrderQueries}).
 */
final class StaffingQueries {

  private StaffingQueries() {}

  /**
   * Counselors who may take chats and are present now (live console, available), with their free
   * places.
   */
  static final String PRESENT =
      "SELECT u.org_id, count(*) AS present, sum(u.capacity) AS capacity, "
          + "sum(greatest(u.capacity - coalesce(l.n, 0), 0)) AS free FROM staff_user u "
          + "LEFT JOIN (SELECT counselor_id, count(*) AS n FROM conversation WHERE status = 'assigned' "
          + "GROUP BY counselor_id) l ON l.counselor_id = u.id "
          + "WHERE u.org_id IS NOT NULL AND u.role IN ('counselor', 'supervisor') AND u.status = 'available' "
          + "AND "
          + nl.veiligpraten.presence.Presence.present("u")
          + " GROUP BY u.org_id";

  /**
   * Per organisation: the skills of the counselors who are present and available (the PRESENT set),
   * language skills included; the page says honestly when nobody who speaks the visitor's language
   * is on shift (issue 23).
   */
  static final String PRESENT_SKILLS =
      "SELECT u.org_id, array_agg(DISTINCT s.skill) AS skills FROM staff_user u "
          + "CROSS JOIN LATERAL unnest(u.skills) AS s(skill) "
          + "WHERE u.org_id IS NOT NULL AND u.role IN ('counselor', 'supervisor') AND u.status = 'available' "
          + "AND "
          + nl.veiligpraten.presence.Presence.present("u")
          + " GROUP BY u.org_id";

  /**
   * Per organisation: the last $2 chats closed within $1 seconds that had a counselor, and their
   * mean handling.
   */
  static final String HANDLING =
      "SELECT o.id AS org_id, h.n, h.mean FROM organisation o CROSS JOIN LATERAL ("
          + "SELECT count(*) AS n, coalesce(avg(extract(epoch FROM (x.closed_at - x.assigned_at))), 0)::float8 AS mean "
          + "FROM (SELECT c.closed_at, c.assigned_at FROM conversation c WHERE c.org_id = o.id AND c.status = 'closed' "
          + "AND c.assigned_at IS NOT NULL AND c.closed_at >= c.assigned_at "
          + "AND c.closed_at > now() - make_interval(secs => $1) ORDER BY c.closed_at DESC LIMIT $2) x) h";

  /**
   * Per organisation: for each priority P0..P3, how many queued chats would be served before a chat
   * of that priority queued now (order parameters from $1).
   */
  static final String AHEAD_OF_NEW =
      "SELECT c.org_id, "
          + "count(*) FILTER (WHERE "
          + QueueOrderQueries.beforeNew("c", Priority.P0, 1)
          + ") AS p0, "
          + "count(*) FILTER (WHERE "
          + QueueOrderQueries.beforeNew("c", Priority.P1, 1)
          + ") AS p1, "
          + "count(*) FILTER (WHERE "
          + QueueOrderQueries.beforeNew("c", Priority.P2, 1)
          + ") AS p2, "
          + "count(*) FILTER (WHERE "
          + QueueOrderQueries.beforeNew("c", Priority.P3, 1)
          + ") AS p3 "
          + "FROM conversation c WHERE c.status = 'queued' AND c.org_id IS NOT NULL GROUP BY c.org_id";

  /** Queued chats per help point (queue caps). */
  static final String QUEUED_PER_HELP_POINT =
      "SELECT help_point, count(*) AS n FROM conversation "
          + "WHERE status = 'queued' AND help_point IS NOT NULL GROUP BY help_point";

  /**
   * How many queued chats of the same organisation are served before chat $1 (0 = next); no row
   * when not queued.
   */
  static final String AHEAD_OF =
      "SELECT (SELECT count(*) FROM conversation c WHERE c.org_id = me.org_id "
          + "AND c.status = 'queued' AND c.id <> me.id AND "
          + QueueOrderQueries.before("c", "me", 2)
          + ") AS ahead, "
          + "me.org_id, me.help_point, coalesce(me.priority, 3) AS priority FROM conversation me "
          + "WHERE me.id = $1 AND me.status = 'queued'";

  static final String HOLD_P0 =
      "UPDATE conversation SET p0_held = true WHERE id = $1 AND status = 'queued'";
}
