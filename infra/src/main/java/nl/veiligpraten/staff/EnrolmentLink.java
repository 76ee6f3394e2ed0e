package nl.veiligpraten.staff;

import java.time.Duration;
import nl.veiligpraten.infra.web.Secrets;

/**
 * A one-time enrolment link: 256 random bits in the URL's fragment ({@code /enrol.html#t=...}), so
 * the token never reaches a server log, a proxy or a Referer header; only its SHA-256 is stored.
 * The person opens it, sets a password and TOTP, and the link is used up.
 *
 * @param token the secret part (shown once, to the admin who makes the link)
 * @param hash what is stored ({@code staff_enrolment.token_hash})
 */
public record EnrolmentLink(String token, byte[] hash) {

  /**
   * How long a link works: long enough for an invitation sent by mail on a Friday to be used on
   * Monday.
   */
  public static final Duration VALID_FOR = Duration.ofHours(72);

  /**
   * Wrong TOTP codes after which a link no longer works (the TOTP secret behind it may have
   * leaked).
   */
  public static final int MAX_FAILED_CODES = 5;

  /** Shortest password a person may choose at enrolment. */
  public static final int MIN_PASSWORD_LENGTH = 12;

  public static EnrolmentLink create() {
    String token = Secrets.token();
    return new EnrolmentLink(token, Secrets.sha256(token));
  }

  /** The link on the console at {@code origin} (scheme, host and port, no trailing slash). */
  public String url(String origin) {
    return origin + "/enrol.html#t=" + token;
  }

  @Override
  public String toString() {
    return "EnrolmentLink[***]";
  }
}
