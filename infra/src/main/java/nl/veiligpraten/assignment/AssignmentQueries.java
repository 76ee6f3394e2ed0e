package nl.veiligpraten.assignment;

import nl.veiligpraten.presence.Presence;

/**
 * SQL of queue ordering and assignment. Lock order everywhere: staff_user rows first, then
 * conversation rows, so concurrent assignments cannot deadlock; a counselor's load is counted only
 * after their row is locked, so two assignments to one counselor are serialised and capacity cannot
 * be exceeded.
 */
final class AssignmentQueries {

  private AssignmentQueries() {}

  static final String ITEM_COLUMNS =
      "id, org_id, help_point, priority, intake::text AS intake, queued_at, "
          + "required_skills, queue_head, transfer_count, extract(epoch FROM (now() - queued_at))::bigint AS waiting";

  /**
   * The organisation $1's queue in serving order ({@link QueueOrderQueries}, from $3), at most $2
   * chats.
   */
  static final String QUEUE =
      "SELECT "
          + ITEM_COLUMNS
          + " FROM conversation c WHERE c.org_id = $1 "
          + "AND c.status = 'queued'"
          + QueueOrderQueries.orderBy("c", 3)
          + " LIMIT $2";

  /** The head of the queue as {@link #QUEUE}, locked, skipping chats another assignment holds. */
  static final String QUEUE_HEAD_LOCKED =
      "SELECT "
          + ITEM_COLUMNS
          + ", passed_over_by FROM conversation c "
          + "WHERE c.org_id = $1 AND c.status = 'queued'"
          + QueueOrderQueries.orderBy("c", 3)
          + " LIMIT $2 FOR UPDATE SKIP LOCKED";

  /**
   * Only counselors present now (a live console on some node, cluster-wide) get chats
   * automatically.
   */
  static final String LOCK_AVAILABLE =
      "SELECT u.id, u.capacity, u.skills, u.display_name FROM staff_user u "
          + "WHERE u.org_id = $1 AND u.role IN ('counselor', 'supervisor') AND u.status = 'available' AND "
          + Presence.present("u")
          + " ORDER BY u.id FOR UPDATE OF u";

  static final String LOCK_STAFF =
      "SELECT id, capacity, skills, display_name FROM staff_user WHERE id = $1 "
          + "AND org_id = $2 AND role IN ('counselor', 'supervisor') FOR UPDATE";

  /**
   * A named colleague who receives a chat must be present now: a chat never goes to an empty
   * console.
   */
  static final String LOCK_PRESENT_STAFF =
      "SELECT u.id, u.capacity, u.skills, u.display_name FROM staff_user u "
          + "WHERE u.id = $1 AND u.org_id = $2 AND u.role IN ('counselor', 'supervisor') AND "
          + Presence.present("u")
          + " FOR UPDATE OF u";

  /**
   * A present colleague of the organisation who may chat, with their load now (warm-transfer
   * offers).
   */
  static final String PRESENT_COLLEAGUE =
      "SELECT u.display_name, u.capacity, (SELECT count(*) FROM conversation c "
          + "WHERE c.status = 'assigned' AND c.counselor_id = u.id) AS load FROM staff_user u WHERE u.id = $1 "
          + "AND u.org_id = $2 AND u.role IN ('counselor', 'supervisor') AND "
          + Presence.present("u");

  static final String LOADS =
      "SELECT counselor_id, count(*) AS n FROM conversation WHERE status = 'assigned' "
          + "AND counselor_id = ANY($1) GROUP BY counselor_id";

  /**
   * When each counselor last got a chat: ties in load go to whoever waited longest (fair spread).
   */
  static final String LAST_ASSIGNED =
      "SELECT staff_id, max(assigned_at) AS last FROM assignment "
          + "WHERE staff_id = ANY($1) GROUP BY staff_id";

  static final String ASSIGN =
      "UPDATE conversation SET status = 'assigned', counselor_id = $2, assigned_at = now(), "
          + "queue_head = false, passed_over_by = NULL WHERE id = $1 AND org_id = $3 AND status = 'queued' RETURNING priority, queued_at";

  static final String LOG =
      "INSERT INTO assignment (conversation_id, org_id, staff_id, how, priority, queued_at) "
          + "VALUES ($1, $2, $3, $4, $5, $6)";

  static final String PICKED_UP =
      "UPDATE referral SET state = 'picked_up', picked_up_at = now() "
          + "WHERE conversation_id = $1 AND to_org = $2 AND state = 'accepted'";

  static final String TRANSFER_TO_COUNSELOR =
      "UPDATE conversation SET counselor_id = $3, assigned_at = now(), "
          + "transfer_count = transfer_count + 1 WHERE id = $1 AND counselor_id = $2 AND org_id = $4 "
          + "AND status = 'assigned' RETURNING priority, queued_at";

  static final String TRANSFER_TO_QUEUE =
      "UPDATE conversation SET status = 'queued', counselor_id = NULL, "
          + "queue_head = true, transfer_count = transfer_count + 1 WHERE id = $1 AND counselor_id = $2 AND org_id = $3 "
          + "AND status = 'assigned' RETURNING id";

  /**
   * Chats of counselors who are not present (no live console on any node) and were last seen longer
   * than the grace ago go back to the head of the queue. The old owner is returned through {@code
   * passed_over_by}.
   */
  static final String REQUEUE_ABANDONED =
      "UPDATE conversation SET status = 'queued', counselor_id = NULL, "
          + "queue_head = true, passed_over_by = counselor_id WHERE status = 'assigned' AND counselor_id IN "
          + "(SELECT u.id FROM staff_user u WHERE NOT "
          + Presence.present("u")
          + " AND coalesce(u.last_present_at, '-infinity') < now() - make_interval(secs => $1)) "
          + "RETURNING id, org_id, help_point, priority, passed_over_by AS counselor_id";

  /**
   * Unanswered assignments: chats assigned longer ago than their priority's {@code
   * reassignAfterSeconds} ($1..$4 for P0..P3) whose counselor has sent no message since, back to
   * the head of the queue. The sequence counter seen when the chat was found must be unchanged at
   * the update (a message committed in between changes it, and the re-check on the locked row then
   * skips the chat), so a counselor's first message that races the sweep wins.
   */
  static final String REASSIGN_UNANSWERED =
      "WITH due AS (SELECT c.id, c.counselor_id, c.next_seq FROM conversation c "
          + "WHERE c.status = 'assigned' AND c.assigned_at < now() - make_interval(secs => CASE coalesce(c.priority, 3) "
          + "WHEN 0 THEN $1::float8 WHEN 1 THEN $2::float8 WHEN 2 THEN $3::float8 ELSE $4::float8 END) AND NOT EXISTS (SELECT 1 FROM message m "
          + "WHERE m.conversation_id = c.id AND m.sender = 'counselor' AND m.created_at >= c.assigned_at)) "
          + "UPDATE conversation c SET status = 'queued', counselor_id = NULL, queue_head = true, "
          + "passed_over_by = due.counselor_id FROM due WHERE c.id = due.id AND c.status = 'assigned' "
          + "AND c.counselor_id = due.counselor_id AND c.next_seq = due.next_seq "
          + "RETURNING c.id, c.org_id, c.help_point, c.priority, due.counselor_id, "
          + "(SELECT display_name FROM staff_user WHERE id = due.counselor_id) AS counselor_name";

  static final String CLOSE =
      "UPDATE conversation SET status = 'closed', outcome = $3, tags = $4, closed_at = now() "
          + "WHERE id = $1 AND counselor_id = $2 AND status = 'assigned' RETURNING org_id";

  /**
   * The outcome of a chat the visitor ended, by the counselor who held it, exactly once: the flag
   * is cleared in the same UPDATE, so a second attempt (or anyone else) changes nothing.
   */
  static final String RECORD_OUTCOME =
      "UPDATE conversation SET outcome = $3, tags = $4, outcome_pending = false "
          + "WHERE id = $1 AND counselor_id = $2 AND status = 'closed' AND outcome_pending RETURNING org_id";

  /**
   * Chats the visitor ended that still wait for this counselor's outcome (the last shift's worth).
   */
  static final String PENDING_OUTCOMES =
      "SELECT "
          + ITEM_COLUMNS
          + ", status, counselor_id FROM conversation "
          + "WHERE counselor_id = $1 AND outcome_pending AND closed_at > now() - interval '12 hours' ORDER BY closed_at";

  static final String CLOSE_REFERRALS =
      "UPDATE referral SET state = CASE WHEN state = 'offered' THEN 'withdrawn' "
          + "ELSE 'closed' END, closed_at = now() WHERE conversation_id = $1 AND state IN ('offered', 'picked_up')";

  static final String ORGS_WITH_QUEUE =
      "SELECT DISTINCT org_id FROM conversation WHERE status = 'queued' "
          + "AND org_id IS NOT NULL";

  /** Every organisation: the auto-assigner watches each one's queue notifications from start. */
  static final String ALL_ORGS = "SELECT id FROM organisation";

  static final String ITEM =
      "SELECT " + ITEM_COLUMNS + ", status, counselor_id FROM conversation WHERE id = $1";

  static final String ACTIVE =
      "SELECT c.id, c.help_point, c.priority, c.counselor_id, u.display_name, "
          + "extract(epoch FROM (now() - c.assigned_at))::bigint AS seconds FROM conversation c "
          + "JOIN staff_user u ON u.id = c.counselor_id WHERE c.org_id = $1 AND c.status = 'assigned' ORDER BY c.assigned_at";
}
