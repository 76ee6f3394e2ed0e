package nl.veiligpraten.staff;

/** SQL of organisations, staff users and staff sessions. */
final class StaffQueries {

  private StaffQueries() {}

  static final String USER_COLUMNS =
      "id, org_id, username, display_name, role, password_hash, totp_secret, totp_last_step, capacity";

  static final String INSERT_ORG =
      "INSERT INTO organisation (id, name) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING";

  static final String COUNT_ORGS = "SELECT count(*) FROM organisation";

  static final String INSERT_USER =
      "INSERT INTO staff_user (org_id, username, display_name, role, password_hash) "
          + "VALUES ($1, $2, $3, $4, $5) RETURNING "
          + USER_COLUMNS;

  static final String BY_USERNAME =
      "SELECT " + USER_COLUMNS + " FROM staff_user WHERE username = $1";

  static final String BY_ID = "SELECT " + USER_COLUMNS + " FROM staff_user WHERE id = $1";

  /**
   * Login finds only active, enrolled accounts: a disabled or invited account fails like a wrong
   * password, and so does an account bound to single sign-on (it signs in only through its
   * organisation's provider).
   */
  static final String LOGIN_BY_USERNAME =
      "SELECT "
          + USER_COLUMNS
          + " FROM staff_user WHERE username = $1 "
          + "AND disabled_at IS NULL AND enrolled_at IS NOT NULL AND sso_subject IS NULL";

  static final String RECORD_SIGN_IN =
      "UPDATE staff_user SET last_sign_in_at = now() WHERE id = $1";

  // ---- staff lifecycle (issue 21) ----

  /**
   * An invited account: no usable password (a random hash), not enrolled, so it cannot sign in yet.
   */
  static final String INSERT_INVITED =
      "INSERT INTO staff_user (org_id, username, display_name, role, password_hash, "
          + "skills, capacity, enrolled_at) VALUES ($1, $2, $3, $4, $5, $6, $7, NULL) RETURNING "
          + USER_COLUMNS;

  static final String INSERT_ENROLMENT =
      "INSERT INTO staff_enrolment (token_hash, user_id, purpose, expires_at) "
          + "VALUES ($1, $2, $3, now() + $4::int * interval '1 second') RETURNING expires_at";

  /**
   * Earlier unused links of the account stop working when a new one is made, or the account is
   * disabled.
   */
  static final String DROP_OPEN_ENROLMENTS =
      "DELETE FROM staff_enrolment WHERE user_id = $1 AND used_at IS NULL";

  static final String ENROLMENT =
      "SELECT e.purpose, e.expires_at, e.used_at, e.failed_codes, e.expires_at <= now() "
          + "AS expired, u."
          + USER_COLUMNS.replace(", ", ", u.")
          + ", u.disabled_at FROM staff_enrolment e "
          + "JOIN staff_user u ON u.id = e.user_id WHERE e.token_hash = $1";

  static final String ENROLMENT_FAILED_CODE =
      "UPDATE staff_enrolment SET failed_codes = failed_codes + 1 "
          + "WHERE token_hash = $1 AND used_at IS NULL";

  /** Uses the link up, atomically: a second use (or one after expiry) finds no row. */
  static final String USE_ENROLMENT =
      "UPDATE staff_enrolment SET used_at = now() WHERE token_hash = $1 "
          + "AND used_at IS NULL AND expires_at > now() AND failed_codes < $2 RETURNING user_id";

  /**
   * Sets the chosen password and activates the pending TOTP secret; the confirming code's step is
   * used up.
   */
  static final String FINISH_ENROLMENT =
      "UPDATE staff_user SET password_hash = $2, totp_secret = totp_pending, "
          + "totp_pending = NULL, totp_last_step = $3, enrolled_at = now() WHERE id = $1 AND totp_pending IS NOT NULL "
          + "AND disabled_at IS NULL";

  /**
   * Ends every session of an account; the hashes tell the console which sockets to close (bus key
   * per session).
   */
  static final String DELETE_USER_SESSIONS =
      "DELETE FROM staff_session WHERE user_id = $1 RETURNING id_hash";

  static final String ADMIN_COLUMNS =
      "u.id, u.org_id, u.username, u.display_name, u.role, u.skills, u.capacity, "
          + "u.disabled_at, u.enrolled_at, u.last_sign_in_at, u.totp_secret IS NOT NULL AS two_factor, "
          + "u.sso_subject IS NOT NULL AS sso, "
          + nl.veiligpraten.presence.Presence.present("u")
          + " AS online";

  static final String ADMIN_LIST_ORG =
      "SELECT "
          + ADMIN_COLUMNS
          + " FROM staff_user u WHERE u.org_id = $1 "
          + "ORDER BY u.display_name, u.id";

  static final String ADMIN_LIST_ALL =
      "SELECT "
          + ADMIN_COLUMNS
          + " FROM staff_user u "
          + "ORDER BY u.org_id NULLS FIRST, u.display_name, u.id";

  static final String ADMIN_ONE = "SELECT " + ADMIN_COLUMNS + " FROM staff_user u WHERE u.id = $1";

  static final String UPDATE_PROFILE =
      "UPDATE staff_user SET display_name = $2, role = $3, skills = $4, capacity = $5 "
          + "WHERE id = $1";

  static final String DISABLE =
      "UPDATE staff_user SET disabled_at = now(), status = 'away' WHERE id = $1 "
          + "AND disabled_at IS NULL";

  static final String ENABLE =
      "UPDATE staff_user SET disabled_at = NULL WHERE id = $1 AND disabled_at IS NOT NULL";

  /**
   * Two-factor reset: the secret goes and the account is not enrolled until the new link is used.
   */
  static final String RESET_TWO_FACTOR =
      "UPDATE staff_user SET totp_secret = NULL, totp_pending = NULL, "
          + "enrolled_at = NULL WHERE id = $1";

  static final String ACTIVE_PLATFORM_ADMINS =
      "SELECT count(*) FROM staff_user WHERE role = 'platform_admin' " + "AND disabled_at IS NULL";

  static final String INSERT_SESSION =
      "INSERT INTO staff_session (id_hash, user_id, csrf_token) VALUES ($1, $2, $3)";

  static final String SESSION =
      "SELECT s.csrf_token, s.created_at, s.last_seen_at, s.sso_checked_at, u."
          + USER_COLUMNS.replace(", ", ", u.")
          + " FROM staff_session s JOIN staff_user u ON u.id = s.user_id WHERE s.id_hash = $1 "
          + "AND u.disabled_at IS NULL AND u.enrolled_at IS NOT NULL";

  /**
   * The open console sockets of a node re-check their sessions with one query (issue 20, finding
   * 7).
   */
  static final String SESSION_TIMES =
      "SELECT id_hash, created_at, last_seen_at, sso_checked_at FROM staff_session "
          + "WHERE id_hash = ANY($1)";

  static final String TOUCH_SESSION =
      "UPDATE staff_session SET last_seen_at = now() WHERE id_hash = $1";

  static final String DELETE_SESSION = "DELETE FROM staff_session WHERE id_hash = $1";

  static final String SET_PENDING_TOTP = "UPDATE staff_user SET totp_pending = $2 WHERE id = $1";

  static final String PENDING_TOTP = "SELECT totp_pending FROM staff_user WHERE id = $1";

  /**
   * Activates the pending secret; no code up to the confirming one's step is accepted afterwards. A
   * new secret has no used steps of its own, so its confirming code may share the 30-second step of
   * the old code that authorised the re-enrolment (a person types the old app's code and then the
   * new app's code within one step): the last used step becomes the larger of the two instead of
   * refusing the confirmation.
   */
  static final String CONFIRM_TOTP =
      "UPDATE staff_user SET totp_secret = totp_pending, totp_pending = NULL, "
          + "totp_last_step = GREATEST(totp_last_step, $2) WHERE id = $1 AND totp_pending IS NOT NULL";

  /**
   * Accepts a TOTP step only if it is newer than every step used before (reuse and replay refused
   * atomically).
   */
  static final String ACCEPT_TOTP_STEP =
      "UPDATE staff_user SET totp_last_step = $2 WHERE id = $1 AND totp_last_step < $2";

  /** TOTP secrets for the start-up sealing of plain ones (issue 20, finding 6). */
  static final String TOTP_SECRETS =
      "SELECT id, totp_secret, totp_pending FROM staff_user "
          + "WHERE totp_secret IS NOT NULL OR totp_pending IS NOT NULL";

  /** Replaces plain secrets by sealed ones, only if nobody changed them in between. */
  static final String SEAL_TOTP =
      "UPDATE staff_user SET totp_secret = $2, totp_pending = $3 WHERE id = $1 "
          + "AND totp_secret IS NOT DISTINCT FROM $4 AND totp_pending IS NOT DISTINCT FROM $5";

  static final String SET_STATUS = "UPDATE staff_user SET status = $2 WHERE id = $1";

  static final String ORG_STAFF =
      "SELECT u.id, u.display_name, u.role, u.status, u.capacity, u.skills, "
          + nl.veiligpraten.presence.Presence.present("u")
          + " AS online, "
          + "(SELECT count(*) FROM conversation c WHERE c.counselor_id = u.id AND c.status = 'assigned') AS load "
          + "FROM staff_user u WHERE u.org_id = $1 ORDER BY u.display_name, u.id";

  static final String ORG_EXISTS = "SELECT 1 FROM organisation WHERE id = $1";

  static final String ORG_NAME = "SELECT name FROM organisation WHERE id = $1";
}
