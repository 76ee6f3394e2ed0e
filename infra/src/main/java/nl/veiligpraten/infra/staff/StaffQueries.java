package nl.veiligpraten.infra.staff;

/** SQL of organisations, staff users and staff sessions. */
final class StaffQueries {

  private StaffQueries() {
  }

  static final String USER_COLUMNS =
      "id, org_id, username, display_name, role, password_hash, totp_secret, totp_last_step, capacity";

  static final String INSERT_ORG = "INSERT INTO organisation (id, name) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING";

  static final String COUNT_ORGS = "SELECT count(*) FROM organisation";

  static final String INSERT_USER = "INSERT INTO staff_user (org_id, username, display_name, role, password_hash) "
      + "VALUES ($1, $2, $3, $4, $5) RETURNING " + USER_COLUMNS;

  static final String BY_USERNAME = "SELECT " + USER_COLUMNS + " FROM staff_user WHERE username = $1";

  static final String BY_ID = "SELECT " + USER_COLUMNS + " FROM staff_user WHERE id = $1";

  static final String INSERT_SESSION = "INSERT INTO staff_session (id_hash, user_id, csrf_token) VALUES ($1, $2, $3)";

  static final String SESSION = "SELECT s.csrf_token, s.created_at, s.last_seen_at, u." + USER_COLUMNS.replace(", ", ", u.")
      + " FROM staff_session s JOIN staff_user u ON u.id = s.user_id WHERE s.id_hash = $1";

  static final String TOUCH_SESSION = "UPDATE staff_session SET last_seen_at = now() WHERE id_hash = $1";

  static final String DELETE_SESSION = "DELETE FROM staff_session WHERE id_hash = $1";
}
