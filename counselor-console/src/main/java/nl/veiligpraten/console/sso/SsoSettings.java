package nl.veiligpraten.console.sso;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import nl.veiligpraten.infra.settings.EnvValues;

/**
 * Single sign-on for staff (issue 21), read once at start-up; a malformed value stops the start
 * with the variable's name in the message.
 *
 * <ul>
 *   <li>{@code VP_SSO_ORGANISATIONS}: comma-separated organisation ids with a provider (default:
 *       none)
 *   <li>per organisation, with {@code <ORG>} its id in capitals and {@code -} as {@code _}: {@code
 *       VP_SSO_<ORG>_ISSUER} (https, or http on loopback only), {@code VP_SSO_<ORG>_CLIENT_ID},
 *       {@code VP_SSO_<ORG>_CLIENT_SECRET} or {@code VP_SSO_<ORG>_CLIENT_SECRET_FILE}, {@code
 *       VP_SSO_<ORG>_ROLE_CLAIM} (default {@code roles}), {@code VP_SSO_<ORG>_ROLES} ({@code
 *       claim-value=role,...}, required), {@code VP_SSO_<ORG>_REQUIRE_MFA} (default {@code true}),
 *       {@code VP_SSO_<ORG>_MFA_ACR} (optional)
 *   <li>{@code VP_SSO_RECHECK_SECONDS}: how often an SSO session is confirmed with the provider
 *       (default 300)
 *   <li>{@code VP_SSO_REDIRECT_URI}: the callback registered at the providers (default: the first
 *       console origin + {@code /sso/callback})
 * </ul>
 *
 * @param organisations the configured providers, one per organisation
 * @param recheck the re-check interval: a person disabled at the provider loses access within it
 * @param redirectUri the callback URL, if configured
 */
public record SsoSettings(
    List<SsoOrganisation> organisations, Duration recheck, Optional<String> redirectUri) {

  /** No organisation uses single sign-on. */
  public static final SsoSettings NONE =
      new SsoSettings(List.of(), Duration.ofMinutes(5), Optional.empty());

  public SsoSettings {
    organisations = List.copyOf(organisations);
  }

  /** The provider of an organisation, if it has one. */
  public Optional<SsoOrganisation> of(String orgId) {
    return organisations.stream().filter(o -> o.orgId().equals(orgId)).findFirst();
  }

  /** The same settings with another re-check interval (tests use seconds). */
  public SsoSettings withRecheck(Duration interval) {
    return new SsoSettings(organisations, interval, redirectUri);
  }

  public static SsoSettings from(Map<String, String> env) {
    int recheck = EnvValues.wholeNumber(env, "VP_SSO_RECHECK_SECONDS", 300, 1, 3600);
    String redirect = env.get("VP_SSO_REDIRECT_URI");
    Optional<String> redirectUri = Optional.empty();
    if (redirect != null && !redirect.isBlank()) {
      redirectUri = Optional.of(url("VP_SSO_REDIRECT_URI", redirect.trim()));
    }
    String list = env.get("VP_SSO_ORGANISATIONS");
    List<SsoOrganisation> orgs = new ArrayList<>();
    if (list != null && !list.isBlank()) {
      Set<String> seen = new LinkedHashSet<>();
      for (String raw : list.split(",")) {
        String org = raw.trim();
        if (org.isEmpty()) {
          continue;
        }
        if (!org.matches("[a-z0-9][a-z0-9_-]{0,63}") || !seen.add(org)) {
          throw new IllegalArgumentException(
              "VP_SSO_ORGANISATIONS: '"
                  + org
                  + "' is not an organisation id "
                  + "(a-z 0-9 _ -) or is listed twice");
        }
        orgs.add(organisation(env, org));
      }
    }
    return new SsoSettings(orgs, Duration.ofSeconds(recheck), redirectUri);
  }

  /** The prefix of an organisation's variables: {@code VP_SSO_<ORG>_}. */
  public static String prefix(String orgId) {
    return "VP_SSO_" + orgId.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_") + "_";
  }

  private static SsoOrganisation organisation(Map<String, String> env, String org) {
    String p = prefix(org);
    String issuer = url(p + "ISSUER", required(env, p + "ISSUER"));
    if (issuer.endsWith("/")) {
      issuer = issuer.substring(0, issuer.length() - 1);
    }
    String clientId = required(env, p + "CLIENT_ID");
    String secret = env.get(p + "CLIENT_SECRET");
    String secretFile = env.get(p + "CLIENT_SECRET_FILE");
    if ((secret == null || secret.isBlank()) && secretFile != null && !secretFile.isBlank()) {
      try {
        secret = Files.readString(Path.of(secretFile.trim()), StandardCharsets.UTF_8).trim();
      } catch (java.io.IOException | RuntimeException e) {
        throw new IllegalArgumentException(
            p
                + "CLIENT_SECRET_FILE: cannot read '"
                + secretFile
                + "' ("
                + e.getClass().getSimpleName()
                + ")");
      }
    }
    if (secret == null || secret.isBlank()) {
      throw new IllegalArgumentException(
          p
              + "CLIENT_SECRET (or "
              + p
              + "CLIENT_SECRET_FILE) is required for "
              + "organisation '"
              + org
              + "' in VP_SSO_ORGANISATIONS");
    }
    String roleClaim = env.getOrDefault(p + "ROLE_CLAIM", "roles").trim();
    if (!roleClaim.matches("[A-Za-z0-9_:./-]{1,128}")) {
      throw new IllegalArgumentException(p + "ROLE_CLAIM: '" + roleClaim + "' is not a claim name");
    }
    Map<String, String> roles = roles(p + "ROLES", required(env, p + "ROLES"));
    boolean mfa =
        switch (env.getOrDefault(p + "REQUIRE_MFA", "true").trim().toLowerCase(Locale.ROOT)) {
          case "true", "" -> true;
          case "false" -> false;
          default ->
              throw new IllegalArgumentException(
                  p
                      + "REQUIRE_MFA must be true or false, got '"
                      + env.get(p + "REQUIRE_MFA")
                      + "'");
        };
    Set<String> acr = new LinkedHashSet<>();
    String acrList = env.get(p + "MFA_ACR");
    if (acrList != null) {
      for (String a : acrList.split(",")) {
        if (!a.isBlank()) {
          acr.add(a.trim());
        }
      }
    }
    return new SsoOrganisation(org, issuer, clientId.trim(), secret, roleClaim, roles, mfa, acr);
  }

  private static Map<String, String> roles(String name, String value) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String pair : value.split(",")) {
      if (pair.isBlank()) {
        continue;
      }
      int eq = pair.lastIndexOf('=');
      String claim = eq < 0 ? "" : pair.substring(0, eq).trim();
      String role = eq < 0 ? "" : pair.substring(eq + 1).trim();
      if (claim.isEmpty() || role.isEmpty()) {
        throw new IllegalArgumentException(
            name + ": '" + pair.trim() + "' is not claim-value=role");
      }
      if (!SsoOrganisation.ALLOWED_ROLES.contains(role)) {
        throw new IllegalArgumentException(
            name
                + ": role '"
                + role
                + "' cannot be given through single sign-on; "
                + "one of "
                + new java.util.TreeSet<>(SsoOrganisation.ALLOWED_ROLES));
      }
      if (out.put(claim, role) != null) {
        throw new IllegalArgumentException(name + ": claim value '" + claim + "' is mapped twice");
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException(name + " must map at least one claim value to a role");
    }
    return out;
  }

  private static String required(Map<String, String> env, String name) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(
          name + " is required (its organisation is in VP_SSO_ORGANISATIONS)");
    }
    return value.trim();
  }

  /** An https URL, or http to a loopback host (a provider on the same machine, as in tests). */
  private static String url(String name, String value) {
    URI uri;
    try {
      uri = new URI(value);
    } catch (java.net.URISyntaxException e) {
      throw new IllegalArgumentException(name + ": '" + value + "' is not a URL");
    }
    String host = uri.getHost();
    boolean loopback = "127.0.0.1".equals(host) || "localhost".equals(host) || "[::1]".equals(host);
    if (host == null
        || uri.getQuery() != null
        || uri.getFragment() != null
        || !("https".equals(uri.getScheme()) || ("http".equals(uri.getScheme()) && loopback))) {
      throw new IllegalArgumentException(
          name
              + ": '"
              + value
              + "' must be an https URL without query or fragment "
              + "(http only on loopback)");
    }
    return value;
  }
}
