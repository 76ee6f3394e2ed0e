package nl.veiligpraten.routing.stats;

import java.util.Set;

/**
 * Who asks for statistics. Organisation roles see their own organisation in full detail (hour level) and chain totals
 * under disclosure control; chain roles (ministry, VNG, platform) see monthly aggregates per help point only, all under
 * disclosure control. Counselors have no statistics access (their work is the chats, not steering information).
 */
public record Viewer(String role, String orgId) {

    /** Roles that see their own organisation's statistics. Supervisors and org admins steer the team, so they do. */
    public static final Set<String> ORG_ROLES = Set.of("stats_viewer", "supervisor", "org_admin");

    /** Roles that see chain aggregates only. */
    public static final Set<String> CHAIN_ROLES = Set.of("chain_viewer", "platform_admin");

    public boolean orgRole() {
        return ORG_ROLES.contains(role) && orgId != null;
    }

    public boolean chainRole() {
        return CHAIN_ROLES.contains(role);
    }
}
