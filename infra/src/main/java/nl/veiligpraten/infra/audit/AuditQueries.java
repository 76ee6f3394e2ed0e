package nl.veiligpraten.infra.audit;

/** SQL of the access log. The application role may only INSERT and SELECT here. */
final class AuditQueries {

  private AuditQueries() {
  }

  /** One or many rows in one statement, from a JSON array of objects (see AuditLog.record for the keys). */
  static final String INSERT_BATCH = "INSERT INTO audit_log (staff_id, role, org_id, conversation_id, action, reason, "
      + "after_seq, last_seq, message_count) "
      + "SELECT (r->>'staff')::bigint, r->>'role', r->>'org', (r->>'conversation')::uuid, r->>'action', r->>'reason', "
      + "(r->>'after')::bigint, (r->>'last')::bigint, (r->>'count')::int "
      + "FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS t(r, n) ORDER BY n";

  static final String OF_ORG = "SELECT a.id, a.at, a.staff_id, u.display_name AS staff_name, a.role, a.org_id, "
      + "a.conversation_id, a.action, a.reason, a.after_seq, a.last_seq, a.message_count "
      + "FROM audit_log a LEFT JOIN staff_user u ON u.id = a.staff_id "
      + "WHERE a.org_id = $1 AND a.id < $2 ORDER BY a.id DESC LIMIT $3";
}
