package nl.veiligpraten.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import nl.veiligpraten.staff.StaffRepository.AdminView;
import nl.veiligpraten.staff.StaffUser;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Staff administration rules: who may give which role, and what an edit may contain")
class StaffAdminRulesTest {

  static StaffSession session(long id, String role, String org) {
    return new StaffSession(
        "k", new byte[32], new StaffUser(id, org, "u" + id, "U", role, "h", null, 0, 3), "c");
  }

  static AdminView account(long id, String role, String org) {
    return new AdminView(
        id, org, "a" + id, "A", role, List.of(), 3, null, null, null, false, false);
  }

  @Test
  @DisplayName(
      "an organisation admin gives organisation roles only; a platform role is a role escalation")
  void orgAdminRoles() {
    StaffSession admin = session(1, "org_admin", "csg");
    for (String role : StaffAdminApi.ORG_ROLES) {
      assertNull(StaffAdminApi.roleRefusal(admin, role, null), role);
    }
    assertEquals("role_escalation", StaffAdminApi.roleRefusal(admin, "platform_admin", null));
    assertEquals(
        "role_escalation",
        StaffAdminApi.roleRefusal(admin, "chain_viewer", account(2, "counselor", "csg")));
    assertEquals("invalid_role", StaffAdminApi.roleRefusal(admin, "root", null));
  }

  @Test
  @DisplayName(
      "nobody changes their own role; a platform admin does not move an account between an organisation "
          + "and the platform")
  void selfAndScope() {
    StaffSession platform = session(1, "platform_admin", null);
    assertEquals(
        "self",
        StaffAdminApi.roleRefusal(platform, "chain_viewer", account(1, "platform_admin", null)));
    assertEquals(
        "role_scope",
        StaffAdminApi.roleRefusal(platform, "platform_admin", account(2, "counselor", "csg")));
    assertEquals(
        "role_scope",
        StaffAdminApi.roleRefusal(platform, "counselor", account(3, "chain_viewer", null)));
    assertNull(StaffAdminApi.roleRefusal(platform, "supervisor", account(2, "counselor", "csg")));
    assertNull(StaffAdminApi.roleRefusal(platform, "platform_admin", null));
  }

  @Test
  @DisplayName(
      "an edit applies only the fields it names; languages become the intake's assignment skills; bad "
          + "values are refused with a message")
  void profileParsing() {
    StaffAdminApi.Profile base =
        new StaffAdminApi.Profile("Naam", "counselor", List.of("youth", "english"), 3);
    StaffAdminApi.Profile same = StaffAdminApi.Profile.parse(new JsonObject(), base);
    assertEquals(base, same);
    assertTrue(base.changesTo(same).isEmpty());
    StaffAdminApi.Profile after =
        StaffAdminApi.Profile.parse(
            new JsonObject()
                .put("languages", new JsonArray().add("nl").add("nl_easy"))
                .put("capacity", 5),
            base);
    assertEquals(List.of("youth", "easy_language"), after.skills());
    assertEquals(5, after.capacity());
    assertEquals(List.of("skills", "capacity"), List.copyOf(base.changesTo(after).fieldNames()));
    for (JsonObject bad :
        List.of(
            new JsonObject().put("capacity", 0),
            new JsonObject().put("capacity", "3"),
            new JsonObject().put("skills", new JsonArray().add("english")),
            new JsonObject().put("languages", "en"),
            new JsonObject().put("displayName", " "),
            new JsonObject().put("displayName", "x".repeat(65)),
            new JsonObject().put("role", 7))) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> StaffAdminApi.Profile.parse(bad, base),
              bad.encode());
      assertTrue(e.getMessage().contains("/"), "Dutch / English message: " + e.getMessage());
    }
  }
}
