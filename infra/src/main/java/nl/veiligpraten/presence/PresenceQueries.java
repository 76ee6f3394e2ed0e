package nl.veiligpraten.presence;

/**
 * SQL of counselor presence (table {@code staff_presence}, column {@code
 * staff_user.last_present_at}).
 */
final class PresenceQueries {

  private PresenceQueries() {}

  /**
   * A node starts: the rows of its own previous run go; their counselors were last seen when those
   * rows did.
   */
  static final String CLAIM_NODE =
      "WITH gone AS (DELETE FROM staff_presence WHERE node_id = $1 "
          + "RETURNING staff_id, least(expires_at, now()) AS seen) "
          + "UPDATE staff_user u SET last_present_at = greatest(coalesce(u.last_present_at, g.seen), g.seen) "
          + "FROM (SELECT staff_id, max(seen) AS seen FROM gone GROUP BY staff_id) g WHERE u.id = g.staff_id "
          + "RETURNING u.id, u.org_id, EXISTS (SELECT 1 FROM staff_presence p WHERE p.staff_id = u.id "
          + "AND p.node_id <> $1 AND p.expires_at > now()) AS present";

  /**
   * This node holds {@code $3} live console sockets of the counselor (first one opened, or a
   * renewal).
   */
  static final String HOLD =
      "INSERT INTO staff_presence (staff_id, node_id, sockets, expires_at) "
          + "VALUES ($1, $2, $3, now() + make_interval(secs => $4)) ON CONFLICT (staff_id, node_id) "
          + "DO UPDATE SET sockets = EXCLUDED.sockets, expires_at = EXCLUDED.expires_at";

  /** The counselor's last console socket on this node closed. */
  static final String RELEASE =
      "WITH gone AS (DELETE FROM staff_presence WHERE staff_id = $1 AND node_id = $2) "
          + "UPDATE staff_user SET last_present_at = now() WHERE id = $1";

  /**
   * Renewal: every row this node holds gets a new lease, a row for a counselor it no longer holds
   * goes (a release that failed), and a row a sweep removed while the database was out of reach
   * comes back.
   */
  static final String RENEW =
      "WITH gone AS (DELETE FROM staff_presence WHERE node_id = $1 "
          + "AND NOT (staff_id = ANY($2)) RETURNING staff_id), "
          + "held AS (INSERT INTO staff_presence (staff_id, node_id, sockets, expires_at) "
          + "SELECT t.s, $1, t.n, now() + make_interval(secs => $4) FROM unnest($2::bigint[], $3::int[]) AS t(s, n) "
          + "ON CONFLICT (staff_id, node_id) DO UPDATE SET sockets = EXCLUDED.sockets, expires_at = EXCLUDED.expires_at "
          + "RETURNING staff_id) "
          + "UPDATE staff_user SET last_present_at = now() WHERE id IN (SELECT staff_id FROM gone)";

  /** Rows whose lease ran out (their node died or lost the database) go; any node may run this. */
  static final String EXPIRE =
      "WITH gone AS (DELETE FROM staff_presence WHERE expires_at < now() "
          + "RETURNING staff_id, expires_at) "
          + "UPDATE staff_user u SET last_present_at = greatest(coalesce(u.last_present_at, g.seen), g.seen) "
          + "FROM (SELECT staff_id, max(expires_at) AS seen FROM gone GROUP BY staff_id) g WHERE u.id = g.staff_id "
          + "RETURNING u.id, u.org_id, "
          + Presence.present("u")
          + " AS present";

  /**
   * Counselors and supervisors present now, with status, capacity, skills and current number of
   * chats.
   */
  static final String PRESENT_STAFF =
      "SELECT u.id, u.org_id, u.role, u.status, u.capacity, u.skills, "
          + "(SELECT count(*) FROM conversation c WHERE c.counselor_id = u.id AND c.status = 'assigned') AS load "
          + "FROM staff_user u WHERE u.role IN ('counselor', 'supervisor') AND u.org_id IS NOT NULL AND "
          + Presence.present("u")
          + " ORDER BY u.org_id, u.id";

  static final String PRESENT_STAFF_OF =
      PRESENT_STAFF.replace(" ORDER BY", " AND u.org_id = $1 ORDER BY");
}
