package nl.veiligpraten.referral;

/** SQL of referrals between organisations. */
final class ReferralQueries {

  private ReferralQueries() {}

  static final String COLUMNS =
      "id, conversation_id, from_org, to_org, to_help_point, from_staff, state, created_at, "
          + "decided_at, picked_up_at, closed_at";

  /**
   * Only the counselor who holds the chat in the referring organisation can offer; one open offer
   * per chat.
   */
  static final String OFFER =
      "INSERT INTO referral (id, conversation_id, from_org, to_org, to_help_point, from_staff, "
          + "state) SELECT $1, $2, $3, $4, $5, $6, 'offered' WHERE EXISTS (SELECT 1 FROM conversation WHERE id = $2 "
          + "AND org_id = $3 AND counselor_id = $6 AND status = 'assigned') "
          + "ON CONFLICT (conversation_id) WHERE state = 'offered' DO NOTHING RETURNING "
          + COLUMNS;

  static final String BY_ID = "SELECT " + COLUMNS + " FROM referral WHERE id = $1";

  static final String DECIDE =
      "UPDATE referral SET state = CASE WHEN $3 THEN 'accepted' ELSE 'declined' END, "
          + "decided_at = now() WHERE id = $1 AND conversation_id = $2 AND state = 'offered' RETURNING "
          + COLUMNS;

  /**
   * Moves the consented chat into the receiving organisation's queue, at its head. Only a live chat
   * moves ({@code ConversationStatus.QUEUED} or {@code ASSIGNED}, the statuses that may move to
   * {@code QUEUED}; an offer needs an assigned chat, so an intake or inbox conversation never has a
   * consented referral).
   */
  static final String MOVE =
      "UPDATE conversation SET org_id = $2, help_point = $3, status = 'queued', "
          + "counselor_id = NULL, queue_head = true, queued_at = now(), transfer_count = transfer_count + 1 "
          + "WHERE id = $1 AND org_id = $4 AND status IN ('queued', 'assigned')";

  static final String OF_ORG =
      "SELECT "
          + COLUMNS
          + " FROM referral WHERE from_org = $1 OR to_org = $1 "
          + "ORDER BY created_at DESC LIMIT $2";

  static final String OPEN_FOR =
      "SELECT " + COLUMNS + " FROM referral WHERE conversation_id = $1 AND state = 'offered'";

  /** Consented referrals whose hand-over did not finish (process died between consent and move). */
  static final String STALLED =
      "SELECT r.id, r.conversation_id, r.from_org, r.to_org, r.to_help_point, r.from_staff, "
          + "r.state, r.created_at, r.decided_at, r.picked_up_at, r.closed_at FROM referral r "
          + "JOIN conversation c ON c.id = r.conversation_id WHERE r.state = 'accepted' AND c.org_id = r.from_org "
          + "AND c.status IN ('queued', 'assigned') AND r.decided_at < now() - make_interval(secs => $1) LIMIT 50";
}
