package nl.veiligpraten.console;

import nl.veiligpraten.staff.StaffUser;

/**
 * The authenticated staff member behind a request, put on the routing context by {@link
 * ConsoleAuth}; {@code sso} when the person signed in through their organisation's OpenID Connect
 * provider.
 */
public record StaffSession(
    String sessionKey, byte[] idHash, StaffUser user, String csrfToken, boolean sso) {

  /** A local (password and TOTP) session. */
  public StaffSession(String sessionKey, byte[] idHash, StaffUser user, String csrfToken) {
    this(sessionKey, idHash, user, csrfToken, false);
  }

  public String orgId() {
    return user.orgId();
  }

  public String role() {
    return user.role();
  }

  /**
   * Address suffix for this session on the bus: derived from the hash, so the secret never travels.
   */
  public String busKey() {
    return busKey(idHash);
  }

  /** The bus key of a session by the hash of its id. */
  public static String busKey(byte[] idHash) {
    return java.util.HexFormat.of().formatHex(idHash, 0, 12);
  }

  /** Context key under which handlers find the session. */
  public static final String KEY = "vp.staff";
}
