package nl.veiligpraten.assignment;

/**
 * SQL of counselor-only notes ({@code staff_note}). A note's number is the next per chat, taken
 * under the chat's row lock so two notes on one chat cannot get the same number.
 */
final class StaffNotesQueries {

  private StaffNotesQueries() {}

  static final String NEXT =
      "SELECT coalesce(max(seq), 0) + 1 FROM staff_note WHERE conversation_id = $1";

  static final String LOCK = "SELECT 1 FROM conversation WHERE id = $1 FOR UPDATE";

  static final String INSERT =
      "INSERT INTO staff_note (conversation_id, seq, kind, org_id, staff_id, body) "
          + "VALUES ($1, $2, $3, $4, $5, $6)";

  /**
   * Only the reader's organisation's notes: a referral's handover note is listed by the receiving
   * organisation.
   */
  static final String AFTER =
      "SELECT n.seq, n.kind, n.staff_id, n.body, n.created_at, u.display_name "
          + "FROM staff_note n JOIN staff_user u ON u.id = n.staff_id WHERE n.conversation_id = $1 AND n.org_id = $2 "
          + "AND n.seq > $3 ORDER BY n.seq LIMIT 200";
}
