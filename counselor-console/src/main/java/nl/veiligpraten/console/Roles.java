package nl.veiligpraten.console;

import nl.veiligpraten.routing.staff.Role;

/**
 * Role checks of the console, in one place: what a {@link Role} may do is decided by the role
 * itself; an organisation-bound right also needs the session to belong to an organisation.
 */
final class Roles {

  private Roles() {}

  /** The role of a session (the database only stores known role codes). */
  static Role of(StaffSession s) {
    return Role.fromCode(s.role());
  }

  /** May hold chats (console socket, queue, take, messages). */
  static boolean chats(StaffSession s) {
    return s.orgId() != null && of(s).holdsChats();
  }

  /** May see the live board, join silently and whisper. */
  static boolean supervises(StaffSession s) {
    return s.orgId() != null && of(s).supervises();
  }

  /** May edit the organisation's canned replies. */
  static boolean orgAdmin(StaffSession s) {
    return s.orgId() != null && of(s) == Role.ORG_ADMIN;
  }

  static boolean platformAdmin(StaffSession s) {
    return of(s) == Role.PLATFORM_ADMIN;
  }

  /**
   * Reads transcripts it does not hold only with a recorded reason (the audit log refuses a row
   * without one).
   */
  static boolean readsWithReason(StaffSession s) {
    return of(s).readsTranscriptsWithReason();
  }
}
