package nl.veiligpraten.console.sso;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName(
    "The claims of a verified ID token are checked: issuer, audience, expiry, nonce, subject, role, MFA")
class IdTokenCheckTest {

  static final String ISS = "https://login.example.nl/t/v2.0";
  static final long NOW = 1_800_000_000L;
  static final SsoOrganisation ORG =
      new SsoOrganisation(
          "csg",
          ISS,
          "console",
          "secret",
          "roles",
          Map.of("vp-hulpverlener", "counselor", "vp-beheer", "org_admin"),
          true,
          Set.of("urn:mfa"));

  static JsonObject good() {
    return new JsonObject()
        .put("iss", ISS)
        .put("aud", "console")
        .put("exp", NOW + 300)
        .put("iat", NOW)
        .put("nonce", "n-1")
        .put("sub", "p-1")
        .put("roles", new JsonArray().add("vp-hulpverlener").add("other"))
        .put("amr", new JsonArray().add("pwd").add("mfa"));
  }

  static String code(JsonObject claims, String nonce, String subject) {
    IdTokenCheck.Result r = IdTokenCheck.check(claims, ISS, ORG, nonce, subject, NOW);
    return r instanceof IdTokenCheck.Result.Refused f ? f.code() : "ok";
  }

  @Test
  @DisplayName("a good token is accepted with the roles its claim maps to")
  void accepted() {
    IdTokenCheck.Result r = IdTokenCheck.check(good(), ISS, ORG, "n-1", null, NOW);
    assertEquals(new IdTokenCheck.Result.Accepted("p-1", Set.of("counselor")), r);
    assertEquals(
        "ok",
        code(good().put("amr", new JsonArray().add("pwd")).put("acr", "urn:mfa"), "n-1", null));
  }

  @Test
  @DisplayName("each wrong claim has its own refusal code")
  void refusals() {
    assertEquals("issuer", code(good().put("iss", ISS + "/"), "n-1", null));
    assertEquals("audience", code(good().put("aud", "someone-else"), "n-1", null));
    assertEquals(
        "audience",
        code(good().put("aud", new JsonArray().add("console").add("other")), "n-1", null));
    assertEquals("audience", code(good().put("azp", "other"), "n-1", null));
    assertEquals("expired", code(good().put("exp", NOW - 61), "n-1", null));
    JsonObject noExpiry = good();
    noExpiry.remove("exp");
    assertEquals("expired", code(noExpiry, "n-1", null));
    assertEquals("nonce", code(good(), "n-2", null));
    assertEquals("nonce", code(good().putNull("nonce"), "n-1", null));
    assertEquals("subject", code(good().putNull("sub"), "n-1", null));
    assertEquals("subject", code(good(), null, "p-2"));
    assertEquals("no_role", code(good().put("roles", "other"), "n-1", null));
    assertEquals("mfa_required", code(good().put("amr", new JsonArray().add("pwd")), "n-1", null));
  }

  @Test
  @DisplayName("on a refresh the nonce is not checked but the subject must stay the same")
  void refresh() {
    JsonObject noNonce = good();
    noNonce.remove("nonce");
    assertEquals("ok", code(noNonce, null, "p-1"));
  }
}
