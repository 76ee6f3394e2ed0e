package nl.veiligpraten.staff;

/**
 * SQL of single sign-on for staff: the binding of an account to a provider subject, and SSO
 * sessions.
 */
final class SsoQueries {

  private SsoQueries() {}

  /**
   * Only an active account of that organisation bound to that subject signs in through the
   * provider.
   */
  static final String BY_SUBJECT =
      "SELECT "
          + StaffQueries.USER_COLUMNS
          + " FROM staff_user WHERE org_id = $1 "
          + "AND sso_subject = $2 AND disabled_at IS NULL AND enrolled_at IS NOT NULL";

  /**
   * Binds an account to a subject: it counts as enrolled (the person never sets a password or TOTP
   * of ours), and a password or TOTP it had is of no use any more (login by password skips bound
   * accounts; the TOTP secret goes).
   */
  static final String BIND =
      "UPDATE staff_user SET sso_subject = $2, enrolled_at = coalesce(enrolled_at, now()), "
          + "totp_secret = NULL, totp_pending = NULL WHERE id = $1 AND org_id IS NOT NULL";

  static final String INSERT_SESSION =
      "INSERT INTO staff_session (id_hash, user_id, csrf_token, sso_checked_at) "
          + "VALUES ($1, $2, $3, now())";

  static final String CONFIRMED =
      "UPDATE staff_session SET sso_checked_at = now() WHERE id_hash = $1 "
          + "AND sso_checked_at IS NOT NULL";
}
