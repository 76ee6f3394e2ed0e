package nl.veiligpraten.console;

/** Event-bus addresses of the console (notifications only, never message text). */
final class ConsoleAddresses {

  private ConsoleAddresses() {
  }

  /** Per staff user: "a chat was assigned to you" (auto-assignment, warm transfer). */
  static String staffUser(long userId) {
    return "vp.staff-user." + userId;
  }

  /** Node-local nudge to run auto-assignment for an organisation now. */
  static final String ASSIGN_NOW = "vp.console.assign-now";
}
