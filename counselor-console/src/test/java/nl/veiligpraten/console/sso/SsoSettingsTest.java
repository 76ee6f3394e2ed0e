package nl.veiligpraten.console.sso;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Single sign-on settings are read once and a bad value names its variable")
class SsoSettingsTest {

  static Map<String, String> csg() {
    Map<String, String> env = new HashMap<>();
    env.put("VP_SSO_ORGANISATIONS", "csg, veilig_thuis");
    env.put("VP_SSO_CSG_ISSUER", "https://login.example.nl/tenant/v2.0/");
    env.put("VP_SSO_CSG_CLIENT_ID", "console");
    env.put("VP_SSO_CSG_CLIENT_SECRET", "s3cret");
    env.put("VP_SSO_CSG_ROLES", "vp-hulpverlener=counselor, vp-teamleider=supervisor");
    env.put("VP_SSO_VEILIG_THUIS_ISSUER", "http://127.0.0.1:9000/vt");
    env.put("VP_SSO_VEILIG_THUIS_CLIENT_ID", "console-vt");
    env.put("VP_SSO_VEILIG_THUIS_CLIENT_SECRET", "s3cret-vt");
    env.put("VP_SSO_VEILIG_THUIS_ROLES", "staff=counselor");
    env.put("VP_SSO_VEILIG_THUIS_REQUIRE_MFA", "false");
    env.put("VP_SSO_VEILIG_THUIS_ROLE_CLAIM", "groups");
    return env;
  }

  @Test
  @DisplayName(
      "without VP_SSO_ORGANISATIONS nobody signs in through a provider; the interval defaults to 5 minutes")
  void none() {
    SsoSettings s = SsoSettings.from(Map.of());
    assertTrue(s.organisations().isEmpty());
    assertEquals(Duration.ofMinutes(5), s.recheck());
  }

  @Test
  @DisplayName(
      "every organisation's variables are read; multi-factor is required unless switched off; the secret is "
          + "not in toString")
  void organisations() {
    SsoSettings s = SsoSettings.from(csg());
    SsoOrganisation c = s.of("csg").orElseThrow();
    assertEquals("https://login.example.nl/tenant/v2.0", c.issuer());
    assertEquals("roles", c.roleClaim());
    assertEquals(Map.of("vp-hulpverlener", "counselor", "vp-teamleider", "supervisor"), c.roles());
    assertTrue(c.requireMfa());
    SsoOrganisation v = s.of("veilig_thuis").orElseThrow();
    assertFalse(v.requireMfa());
    assertEquals("groups", v.roleClaim());
    assertFalse(s.toString().contains("s3cret"), s.toString());
  }

  @Test
  @DisplayName("a platform role cannot be given through a claim")
  void noPlatformRole() {
    Map<String, String> env = csg();
    env.put("VP_SSO_CSG_ROLES", "vp-beheer=platform_admin");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> SsoSettings.from(env));
    assertTrue(e.getMessage().startsWith("VP_SSO_CSG_ROLES"), e.getMessage());
  }

  @Test
  @DisplayName("missing or malformed values are refused with the variable's name")
  void namedErrors() {
    Map<String, String> noSecret = csg();
    noSecret.remove("VP_SSO_CSG_CLIENT_SECRET");
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> SsoSettings.from(noSecret))
            .getMessage()
            .startsWith("VP_SSO_CSG_CLIENT_SECRET"));
    Map<String, String> plainHttp = csg();
    plainHttp.put("VP_SSO_CSG_ISSUER", "http://login.example.nl/tenant");
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> SsoSettings.from(plainHttp))
            .getMessage()
            .startsWith("VP_SSO_CSG_ISSUER"));
    Map<String, String> badMfa = csg();
    badMfa.put("VP_SSO_CSG_REQUIRE_MFA", "ja");
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> SsoSettings.from(badMfa))
            .getMessage()
            .startsWith("VP_SSO_CSG_REQUIRE_MFA"));
    Map<String, String> badInterval = csg();
    badInterval.put("VP_SSO_RECHECK_SECONDS", "0");
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> SsoSettings.from(badInterval))
            .getMessage()
            .contains("VP_SSO_RECHECK_SECONDS"));
    Map<String, String> badList = csg();
    badList.put("VP_SSO_ORGANISATIONS", "csg,csg");
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> SsoSettings.from(badList))
            .getMessage()
            .startsWith("VP_SSO_ORGANISATIONS"));
  }
}
