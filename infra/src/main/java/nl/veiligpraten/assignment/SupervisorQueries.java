package nl.veiligpraten.assignment;

/**
 * SQL of supervisor control. Every statement is bounded by the supervisor's organisation ({@code
 * org_id = $n}), so an id of another organisation matches nothing. Lock order as in {@link
 * AssignmentQueries}: staff rows first, then conversation rows.
 */
final class SupervisorQueries {

  private SupervisorQueries() {}

  /** A queued or assigned chat of the organisation, locked; with its current owner. */
  static final String LOCK_OPEN =
      "SELECT id, counselor_id, status FROM conversation WHERE id = $1 AND org_id = $2 "
          + "AND status IN ('queued', 'assigned') FOR UPDATE";

  /**
   * Gives the chat to $2 (take-over or reassignment); a held P0 claim is settled by the
   * supervisor's action.
   */
  static final String GIVE =
      "UPDATE conversation SET status = 'assigned', counselor_id = $2, assigned_at = now(), "
          + "queue_head = false, transfer_count = transfer_count + CASE WHEN counselor_id IS NULL THEN 0 ELSE 1 END "
          + "WHERE id = $1 AND org_id = $3 AND status IN ('queued', 'assigned') RETURNING priority, queued_at";

  /** Back to a queue of the same organisation, at its head. */
  static final String TO_QUEUE =
      "UPDATE conversation SET status = 'queued', counselor_id = NULL, help_point = $2, "
          + "queue_head = true, transfer_count = transfer_count + 1 WHERE id = $1 AND org_id = $3 "
          + "AND status IN ('queued', 'assigned') RETURNING id";

  /**
   * The rows of a burst, locked, whatever organisation they belong to (checked before anything
   * changes).
   */
  static final String LOCK_BURST =
      "SELECT id, org_id, status, counselor_id FROM conversation WHERE id = ANY($1) "
          + "ORDER BY id FOR UPDATE";

  static final String CLOSE_BURST =
      "UPDATE conversation SET status = 'closed', outcome = $3, closed_at = now() "
          + "WHERE id = ANY($1) AND org_id = $2 AND status IN ('queued', 'assigned') RETURNING id, counselor_id";

  static final String CLOSE_BURST_REFERRALS =
      "UPDATE referral SET state = CASE WHEN state = 'offered' THEN "
          + "'withdrawn' ELSE 'closed' END, closed_at = now() WHERE conversation_id = ANY($1) "
          + "AND state IN ('offered', 'picked_up')";

  static final String CONFIRM_P0 =
      "UPDATE conversation SET priority = 0, p0_held = false WHERE id = $1 "
          + "AND org_id = $2 AND status = 'queued' AND p0_held RETURNING id";

  /**
   * Open chats of the organisation that have no first counselor answer yet, with how long they have
   * waited.
   */
  static final String UNANSWERED =
      "SELECT id, help_point, coalesce(priority, 3) AS priority, status, counselor_id, "
          + "p0_held, extract(epoch FROM (now() - queued_at))::bigint AS waited FROM conversation WHERE org_id = $1 "
          + "AND status IN ('queued', 'assigned') AND first_reply_at IS NULL AND queued_at IS NOT NULL "
          + "ORDER BY queued_at LIMIT 500";

  /**
   * Marks and returns the open chats without a first answer that have waited at least their alert
   * time ($3, per help point $1 and priority $2, index-aligned arrays) and were not alerted yet.
   * Safe on every node at once.
   */
  static final String DUE_ALERTS =
      "UPDATE conversation c SET target_alerted_at = now() "
          + "FROM unnest($1::text[], $2::int[], $3::float8[], $4::int[]) AS t(hp, p, alert_after, target) "
          + "WHERE c.help_point = t.hp AND coalesce(c.priority, 3) = t.p AND c.status IN ('queued', 'assigned') "
          + "AND c.first_reply_at IS NULL AND c.target_alerted_at IS NULL "
          + "AND c.queued_at < now() - make_interval(secs => t.alert_after) "
          + "RETURNING c.id, c.org_id, c.help_point, coalesce(c.priority, 3) AS priority, c.status, t.target, "
          + "extract(epoch FROM (now() - c.queued_at))::bigint AS waited";
}
