package nl.veiligpraten.routing.staff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("A staff role has one stored code and decides what its holder may do")
class RoleTest {

  @Test
  @DisplayName(
      "the codes are the ones the database, the audit log and the console have always used")
  void codes() {
    assertEquals(
        List.of(
            "counselor",
            "supervisor",
            "stats_viewer",
            "org_admin",
            "platform_admin",
            "chain_viewer"),
        Role.codes(List.of(Role.values())));
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  @DisplayName("every role reads back from its own code")
  void roundTrip(Role r) {
    assertEquals(r, Role.fromCode(r.code()));
    assertEquals(Optional.of(r), Role.find(r.code()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "root", "COUNSELOR", "visitor", "system", "admin"})
  @DisplayName("an unknown code is refused with a message naming it, and is not found")
  void unknownRefused(String code) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Role.fromCode(code));
    assertTrue(
        e.getMessage().contains("'" + code + "'") && e.getMessage().contains("org_admin"),
        e.getMessage());
    assertEquals(Optional.empty(), Role.find(code));
    assertThrows(IllegalArgumentException.class, () -> Role.fromCode(null));
  }

  @Test
  @DisplayName(
      "the organisation roles and the platform roles split all roles, in the order the screens offer them")
  void scopes() {
    assertEquals(
        List.of("counselor", "supervisor", "stats_viewer", "org_admin"),
        Role.codes(Role.organisationRoles()));
    assertEquals(List.of("platform_admin", "chain_viewer"), Role.codes(Role.platformRoles()));
  }

  @Test
  @DisplayName(
      "counselors and supervisors hold chats; supervisors and organisation admins supervise")
  void chatRights() {
    assertEquals(List.of(Role.COUNSELOR, Role.SUPERVISOR), which(Role::holdsChats));
    assertEquals(List.of(Role.SUPERVISOR, Role.ORG_ADMIN), which(Role::supervises));
    assertEquals(List.of(Role.SUPERVISOR), which(Role::readsTranscriptsWithReason));
  }

  @Test
  @DisplayName(
      "counselors see no statistics; organisation readers see their organisation; chain readers the chain")
  void statisticsRights() {
    assertEquals(
        List.of(Role.SUPERVISOR, Role.STATS_VIEWER, Role.ORG_ADMIN),
        which(Role::seesOrganisationStatistics));
    assertEquals(List.of(Role.PLATFORM_ADMIN, Role.CHAIN_VIEWER), which(Role::seesChainStatistics));
  }

  private static List<Role> which(Predicate<Role> right) {
    return Arrays.stream(Role.values()).filter(right).toList();
  }
}
