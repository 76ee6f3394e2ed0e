package nl.veiligpraten.routing.stats;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import nl.veiligpraten.routing.staff.Role;

/**
 * Who asks for statistics. Organisation roles see their own organisation in full detail (hour
 * level) and chain totals under disclosure control; chain roles (ministry, VNG, platform) see
 * monthly aggregates per help point only, all under disclosure control. Counselors have no
 * statistics access (their work is the chats, not steering information).
 */
public record Viewer(String role, String orgId) {

  /**
   * Roles that see their own organisation's statistics. Supervisors and org admins steer the team,
   * so they do.
   */
  public static final Set<String> ORG_ROLES = codes(Role::seesOrganisationStatistics);

  /** Roles that see chain aggregates only. */
  public static final Set<String> CHAIN_ROLES = codes(Role::seesChainStatistics);

  public boolean orgRole() {
    return ORG_ROLES.contains(role) && orgId != null;
  }

  public boolean chainRole() {
    return CHAIN_ROLES.contains(role);
  }

  private static Set<String> codes(java.util.function.Predicate<Role> which) {
    return Arrays.stream(Role.values())
        .filter(which)
        .map(Role::code)
        .collect(Collectors.toUnmodifiableSet());
  }
}
