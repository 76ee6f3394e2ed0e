package nl.veiligpraten.infra.assignment;

/**
 * SQL of queue ordering and assignment. Lock order everywhere: staff_user rows first, then conversation rows, so
 * concurrent assignments cannot deadlock; a counselor's load is counted only after their row is locked, so two
 * assignments to one counselor are serialised and capacity cannot be exceeded.
 */
final class AssignmentQueries {

  private AssignmentQueries() {
  }

  /** Queue order: P0 first, then chats that lost their counselor, then the ageing score, then waiting time. */
  static String order(int p1) {
    return " ORDER BY (coalesce(priority, 3) = 0) DESC, queue_head DESC, "
        + "(CASE coalesce(priority, 3) WHEN 1 THEN $" + p1 + "::bigint WHEN 2 THEN $" + (p1 + 1) + "::bigint "
        + "ELSE $" + (p1 + 2) + "::bigint END + $" + (p1 + 3) + "::bigint * extract(epoch FROM (now() - queued_at)) / 60.0) DESC, "
        + "queued_at, id";
  }

  static final String ITEM_COLUMNS = "id, org_id, help_point, priority, intake::text AS intake, queued_at, "
      + "required_skills, queue_head, transfer_count, extract(epoch FROM (now() - queued_at))::bigint AS waiting";

  static final String QUEUE = "SELECT " + ITEM_COLUMNS + " FROM conversation WHERE org_id = $1 AND status = 'queued'"
      + order(2) + " LIMIT $6";

  static final String QUEUE_HEAD_LOCKED = "SELECT " + ITEM_COLUMNS + " FROM conversation "
      + "WHERE org_id = $1 AND status = 'queued'" + order(2) + " LIMIT $6 FOR UPDATE SKIP LOCKED";

  static final String LOCK_AVAILABLE = "SELECT id, capacity, skills, display_name FROM staff_user WHERE org_id = $1 "
      + "AND role IN ('counselor', 'supervisor') AND status = 'available' AND disconnected_at IS NULL "
      + "ORDER BY id FOR UPDATE";

  static final String LOCK_STAFF = "SELECT id, capacity, skills, display_name FROM staff_user WHERE id = $1 "
      + "AND org_id = $2 AND role IN ('counselor', 'supervisor') FOR UPDATE";

  static final String LOADS = "SELECT counselor_id, count(*) AS n FROM conversation WHERE status = 'assigned' "
      + "AND counselor_id = ANY($1) GROUP BY counselor_id";

  /** When each counselor last got a chat: ties in load go to whoever waited longest (fair spread). */
  static final String LAST_ASSIGNED = "SELECT staff_id, max(assigned_at) AS last FROM assignment "
      + "WHERE staff_id = ANY($1) GROUP BY staff_id";

  static final String ASSIGN = "UPDATE conversation SET status = 'assigned', counselor_id = $2, assigned_at = now(), "
      + "queue_head = false WHERE id = $1 AND org_id = $3 AND status = 'queued' RETURNING priority, queued_at";

  static final String LOG = "INSERT INTO assignment (conversation_id, org_id, staff_id, how, priority, queued_at) "
      + "VALUES ($1, $2, $3, $4, $5, $6)";

  static final String PICKED_UP = "UPDATE referral SET state = 'picked_up', picked_up_at = now() "
      + "WHERE conversation_id = $1 AND to_org = $2 AND state = 'accepted'";

  static final String TRANSFER_TO_COUNSELOR = "UPDATE conversation SET counselor_id = $3, assigned_at = now(), "
      + "transfer_count = transfer_count + 1 WHERE id = $1 AND counselor_id = $2 AND org_id = $4 "
      + "AND status = 'assigned' RETURNING priority, queued_at";

  static final String TRANSFER_TO_QUEUE = "UPDATE conversation SET status = 'queued', counselor_id = NULL, "
      + "queue_head = true, transfer_count = transfer_count + 1 WHERE id = $1 AND counselor_id = $2 AND org_id = $3 "
      + "AND status = 'assigned' RETURNING id";

  static final String REQUEUE_ABANDONED = "UPDATE conversation SET status = 'queued', counselor_id = NULL, "
      + "queue_head = true WHERE status = 'assigned' AND counselor_id IN (SELECT id FROM staff_user "
      + "WHERE disconnected_at < now() - make_interval(secs => $1)) RETURNING id, org_id";

  static final String CLOSE = "UPDATE conversation SET status = 'closed', outcome = $3, tags = $4, closed_at = now() "
      + "WHERE id = $1 AND counselor_id = $2 AND status = 'assigned' RETURNING org_id";

  static final String CLOSE_REFERRALS = "UPDATE referral SET state = CASE WHEN state = 'offered' THEN 'withdrawn' "
      + "ELSE 'closed' END, closed_at = now() WHERE conversation_id = $1 AND state IN ('offered', 'picked_up')";

  static final String ORGS_WITH_QUEUE = "SELECT DISTINCT org_id FROM conversation WHERE status = 'queued' "
      + "AND org_id IS NOT NULL";

  static final String ITEM = "SELECT " + ITEM_COLUMNS + ", status, counselor_id FROM conversation WHERE id = $1";

  static final String ACTIVE = "SELECT c.id, c.help_point, c.priority, c.counselor_id, u.display_name, "
      + "extract(epoch FROM (now() - c.assigned_at))::bigint AS seconds FROM conversation c "
      + "JOIN staff_user u ON u.id = c.counselor_id WHERE c.org_id = $1 AND c.status = 'assigned' ORDER BY c.assigned_at";
}
