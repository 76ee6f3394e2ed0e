package nl.veiligpraten.console;

import java.util.Set;

/** Role checks of the console, in one place. */
final class Roles {

  static final Set<String> ALL = Set.of("counselor", "supervisor", "stats_viewer", "org_admin", "platform_admin",
      "chain_viewer");

  private Roles() {
  }

  /** May hold chats (console socket, queue, take, messages). */
  static boolean chats(StaffSession s) {
    return s.orgId() != null && ("counselor".equals(s.role()) || "supervisor".equals(s.role()));
  }

  /** May see the live board, join silently and whisper. */
  static boolean supervises(StaffSession s) {
    return s.orgId() != null && ("supervisor".equals(s.role()) || "org_admin".equals(s.role()));
  }

  /** May edit the organisation's canned replies. */
  static boolean orgAdmin(StaffSession s) {
    return s.orgId() != null && "org_admin".equals(s.role());
  }

  static boolean platformAdmin(StaffSession s) {
    return "platform_admin".equals(s.role());
  }
}
