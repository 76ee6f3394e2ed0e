package nl.veiligpraten.audit;

/** SQL of the access log. The application role may only INSERT and SELECT here. */
final class AuditQueries {

  private AuditQueries() {}

  /**
   * One or many rows in one statement, from a JSON array of objects (see AuditLog.record for the
   * keys).
   */
  static final String INSERT_BATCH =
      "INSERT INTO audit_log (staff_id, role, org_id, conversation_id, action, reason, "
          + "after_seq, last_seq, message_count, detail) "
          + "SELECT (r->>'staff')::bigint, r->>'role', r->>'org', (r->>'conversation')::uuid, r->>'action', r->>'reason', "
          + "(r->>'after')::bigint, (r->>'last')::bigint, (r->>'count')::int, r->'detail' "
          + "FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS t(r, n) ORDER BY n";

  private static final String SELECT =
      "SELECT a.id, a.at, a.staff_id, u.display_name AS staff_name, a.role, "
          + "a.org_id, a.conversation_id, a.action, a.reason, a.after_seq, a.last_seq, a.message_count, "
          + "a.detail::text AS detail FROM audit_log a LEFT JOIN staff_user u ON u.id = a.staff_id ";

  /**
   * One organisation's rows matching the filter ($2 staff, $3 conversation, $4 from, $5 to, $6
   * action; each NULL for "any"). The organisation condition is always there: no filter value can
   * reach another organisation's rows.
   */
  private static final String FILTER =
      "WHERE a.org_id = $1 AND ($2::bigint IS NULL OR a.staff_id = $2) "
          + "AND ($3::uuid IS NULL OR a.conversation_id = $3) AND ($4::timestamptz IS NULL OR a.at >= $4) "
          + "AND ($5::timestamptz IS NULL OR a.at < $5) AND ($6::text IS NULL OR a.action = $6) ";

  /** Newest first, ids below $7 (paging backwards for the screen and the CSV). */
  static final String PAGE = SELECT + FILTER + "AND a.id < $7 ORDER BY a.id DESC LIMIT $8";

  /** Oldest first, ids above $7 (the SIEM feed's cursor). */
  static final String FEED = SELECT + FILTER + "AND a.id > $7 ORDER BY a.id ASC LIMIT $8";
}
