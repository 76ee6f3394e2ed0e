package nl.veiligpraten.console;

/** Event-bus addresses of the console (notifications only, never message text). */
final class ConsoleAddresses {

  private ConsoleAddresses() {
  }

  /** Per staff user: "a chat was assigned to you" (auto-assignment, warm transfer). */
  static String staffUser(long userId) {
    return "vp.staff-user." + userId;
  }

  /** Per staff user: warm-transfer offers to them and the end of those offers (cluster-wide; {@link WarmTransfer}). */
  static String transferOffers(long userId) {
    return "vp.console.transfer-offers." + userId;
  }

  /** Per offer: the colleague's answer, to the console of the counselor who offered the chat. */
  static String transferAnswers(java.util.UUID offerId) {
    return "vp.console.transfer-answer." + offerId;
  }

  /** Node-local nudge to run auto-assignment for an organisation now. */
  static final String ASSIGN_NOW = "vp.console.assign-now";
}
