package nl.veiligpraten.audit;

/** SQL of the admin audit trail. */
final class AdminAuditQueries {

  private AdminAuditQueries() {}

  static final String INSERT =
      "INSERT INTO admin_audit (actor_id, actor_name, actor_role, actor_org, action, "
          + "target_id, target_name, target_org, outcome, reason, detail) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, "
          + "$11::jsonb)";

  private static final String COLUMNS =
      "id, at, actor_id, actor_name, actor_role, actor_org, action, target_id, "
          + "target_name, target_org, outcome, reason, detail::text AS detail";

  /**
   * An organisation's trail: what was done to it, and what its own admins did (also refused
   * attempts elsewhere).
   */
  static final String OF_ORGANISATION =
      "SELECT "
          + COLUMNS
          + " FROM admin_audit WHERE (target_org = $1 "
          + "OR actor_org = $1) AND id < $2 ORDER BY id DESC LIMIT $3";

  static final String ALL =
      "SELECT " + COLUMNS + " FROM admin_audit WHERE id < $1 ORDER BY id DESC LIMIT $2";
}
