package nl.veiligpraten.console.sso;

import java.util.Map;
import java.util.Set;
import nl.veiligpraten.routing.staff.Role;

/**
 * One organisation's OpenID Connect provider, read once at start-up from {@code VP_SSO_<ORG>_*}
 * (see {@link SsoSettings}).
 *
 * @param orgId the organisation (its staff accounts are the ones bound to a subject of this
 *     provider)
 * @param issuer the provider's issuer URL; discovery, the ID token's {@code iss} and its keys come
 *     from it
 * @param clientId this service's client id at the provider; an ID token must name it as audience
 * @param clientSecret this service's client secret at the provider (never logged, see {@link
 *     #toString()})
 * @param roleClaim the ID token claim (a string or a list of strings) whose values map to console
 *     roles
 * @param roles claim value to console role; only organisation roles, never a platform role
 * @param requireMfa the ID token must show a multi-factor sign-in ({@code amr} or one of {@code
 *     mfaAcr})
 * @param mfaAcr {@code acr} values that count as multi-factor (besides the {@code amr} values in
 *     {@link #MFA_AMR})
 */
public record SsoOrganisation(
    String orgId,
    String issuer,
    String clientId,
    String clientSecret,
    String roleClaim,
    Map<String, String> roles,
    boolean requireMfa,
    Set<String> mfaAcr) {

  /**
   * Roles the provider may confirm: the organisation's own roles. A platform role is never given
   * through SSO.
   */
  public static final Set<String> ALLOWED_ROLES = Set.copyOf(Role.codes(Role.organisationRoles()));

  /**
   * {@code amr} values (RFC 8176) that show a second factor: multi-factor, one-time code,
   * hardware/software key.
   */
  public static final Set<String> MFA_AMR = Set.of("mfa", "otp", "hwk", "swk", "sc", "fpt", "face");

  public SsoOrganisation {
    roles = Map.copyOf(roles);
    mfaAcr = Set.copyOf(mfaAcr);
  }

  @Override
  public String toString() {
    return "SsoOrganisation["
        + orgId
        + " "
        + issuer
        + " client "
        + clientId
        + " roles from '"
        + roleClaim
        + "'"
        + (requireMfa ? " mfa" : "")
        + "]";
  }
}
