package nl.veiligpraten.console.sso;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The checks of an ID token's claims after its signature was verified (OpenID Connect Core 3.1.3.7
 * and 12.2): issuer, audience and authorised party, expiry, the nonce of the login attempt
 * (sign-in) or the subject of the session (refresh), the organisation's role claim and, when the
 * organisation asks for it, a multi-factor sign-in. Pure: the caller gives the time.
 */
public final class IdTokenCheck {

  /** Clock skew allowed between this service and the provider. */
  static final long LEEWAY_SECONDS = 60;

  private IdTokenCheck() {}

  /** The outcome: the person and the console roles the token confirms, or why it is refused. */
  public sealed interface Result {
    /** Accepted; {@code roles} are the console roles the role claim maps to (never empty). */
    record Accepted(String subject, Set<String> roles) implements Result {}

    /**
     * Refused; {@code code} is stable (logs, tests, the sign-in page), {@code reason} says why in
     * English.
     */
    record Refused(String code, String reason) implements Result {}
  }

  /**
   * @param issuer the issuer of the provider's discovery document (exact match)
   * @param nonce the nonce of the login attempt, or null on a refresh (the nonce is not re-checked
   *     then)
   * @param subject the subject of the session on a refresh (it must not change), or null at sign-in
   * @param nowEpochSeconds the current time
   */
  public static Result check(
      JsonObject claims,
      String issuer,
      SsoOrganisation org,
      String nonce,
      String subject,
      long nowEpochSeconds) {
    if (!issuer.equals(claims.getValue("iss"))) {
      return new Result.Refused(
          "issuer", "the ID token was issued by another issuer than the organisation's");
    }
    List<?> audience = audience(claims.getValue("aud"));
    if (audience == null || !audience.contains(org.clientId())) {
      return new Result.Refused(
          "audience", "the ID token is not meant for this service (audience)");
    }
    Object azp = claims.getValue("azp");
    if ((audience.size() > 1 && azp == null) || (azp != null && !org.clientId().equals(azp))) {
      return new Result.Refused("audience", "the ID token names another authorised party (azp)");
    }
    if (!(claims.getValue("exp") instanceof Number exp)
        || exp.longValue() + LEEWAY_SECONDS < nowEpochSeconds) {
      return new Result.Refused("expired", "the ID token has expired or has no expiry");
    }
    if (claims.getValue("iat") instanceof Number iat
        && iat.longValue() - LEEWAY_SECONDS > nowEpochSeconds) {
      return new Result.Refused("expired", "the ID token is issued in the future");
    }
    if (nonce != null
        && !(claims.getValue("nonce") instanceof String n
            && MessageDigest.isEqual(
                n.getBytes(StandardCharsets.UTF_8), nonce.getBytes(StandardCharsets.UTF_8)))) {
      return new Result.Refused(
          "nonce",
          "the ID token does not carry the nonce of this sign-in (a replayed or "
              + "foreign token)");
    }
    if (!(claims.getValue("sub") instanceof String sub) || sub.isEmpty() || sub.length() > 255) {
      return new Result.Refused("subject", "the ID token names no person (sub)");
    }
    if (subject != null && !subject.equals(sub)) {
      return new Result.Refused(
          "subject", "the provider now answers for another person than the session's");
    }
    Set<String> roles = new LinkedHashSet<>();
    Object claim = claims.getValue(org.roleClaim());
    List<?> values =
        claim instanceof String s
            ? List.of(s)
            : claim instanceof JsonArray a ? a.getList() : List.of();
    for (Object v : values) {
      if (v instanceof String s && org.roles().containsKey(s)) {
        roles.add(org.roles().get(s));
      }
    }
    if (roles.isEmpty()) {
      return new Result.Refused(
          "no_role",
          "the ID token's '"
              + org.roleClaim()
              + "' claim has no value that the "
              + "organisation maps to a console role");
    }
    if (org.requireMfa() && !multiFactor(claims, org)) {
      return new Result.Refused(
          "mfa_required",
          "the organisation requires a multi-factor sign-in and the ID token's "
              + "amr/acr do not show one");
    }
    return new Result.Accepted(sub, roles);
  }

  private static boolean multiFactor(JsonObject claims, SsoOrganisation org) {
    if (claims.getValue("amr") instanceof JsonArray amr) {
      for (Object v : amr) {
        if (v instanceof String s && SsoOrganisation.MFA_AMR.contains(s)) {
          return true;
        }
      }
    }
    return claims.getValue("acr") instanceof String acr && org.mfaAcr().contains(acr);
  }

  private static List<?> audience(Object aud) {
    if (aud instanceof String s) {
      return List.of(s);
    }
    if (aud instanceof JsonArray a && !a.isEmpty()) {
      return a.getList();
    }
    return null;
  }
}
