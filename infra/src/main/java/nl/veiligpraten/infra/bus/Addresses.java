package nl.veiligpraten.infra.bus;

import java.util.UUID;

/**
 * Every event-bus address in one place. The bus carries only notifications ("conversation X has new
 * sequence number N", "queue of organisation O changed"), never message text: receivers read the
 * messages themselves from PostgreSQL, the system of record, so a lost bus message can delay
 * delivery but never lose or duplicate one.
 */
public final class Addresses {

  private Addresses() {}

  /** Per-conversation notifications: new message, assigned, closed, typing. */
  public static String conversation(UUID conversationId) {
    return "vp.conversation." + conversationId;
  }

  /** Per-organisation queue changes (a chat queued, taken, left). */
  public static String queue(String organisationId) {
    return "vp.queue." + organisationId;
  }

  /**
   * Per-organisation message inbox changes (issue 19: a message left, a visitor's reply, a visitor
   * back or gone): {@code {kind, conversationId}}, codes and ids only; consoles of the organisation
   * refresh their inbox list.
   */
  public static String inbox(String organisationId) {
    return "vp.inbox." + organisationId;
  }

  /**
   * Per-organisation supervisor alerts (a counselor marked suicide risk, rule U1; a P0 claim held
   * at P1 after a flood; a chat about to miss its first-response target): codes and ids only,
   * received by the supervisors' console sockets on every node.
   */
  public static String supervisors(String organisationId) {
    return "vp.supervisors." + organisationId;
  }

  /**
   * Per-staff-session control: a logout, or a request that found the session expired, closes that
   * session's console sockets on every node. The body is the reason code ({@code logged_out},
   * {@code expired}); the key is derived from the session id's hash, never the id.
   */
  public static String staffSession(String sessionKey) {
    return "vp.staff-session." + sessionKey;
  }

  /**
   * Presence changes, cluster-wide: a counselor became present or away ({@code {orgId, staffId,
   * present}}, see {@code Presence.Change}). Staffed-now views refresh on it; the truth stays in
   * PostgreSQL.
   */
  public static final String PRESENCE = "vp.presence";

  /**
   * Staffing changed, cluster-wide: a counselor of organisation {@code {orgId}} came, went or
   * changed availability. Every cached staffed-now view drops its snapshot, so the next frame reads
   * one taken after the change.
   */
  public static final String STAFFING = "vp.staffing";

  /**
   * Per staff user: "a chat was assigned to you" ({@link StaffUserNote}: auto-assignment, inbox
   * take, warm transfer); every console socket of that user, on any node, opens the chat.
   */
  public static String staffUser(long userId) {
    return "vp.staff-user." + userId;
  }

  /**
   * Per staff user: warm-transfer offers to them and the end of those offers (cluster-wide, issue
   * 18).
   */
  public static String transferOffers(long userId) {
    return "vp.console.transfer-offers." + userId;
  }

  /**
   * Per warm-transfer offer: the colleague's answer, to the console of the counselor who offered
   * the chat.
   */
  public static String transferAnswers(UUID offerId) {
    return "vp.console.transfer-answer." + offerId;
  }

  /**
   * Shredded or deleted conversation ids (the body), so every node drops cached data keys of them.
   */
  public static final String PRIVACY_SHREDDED = "vp.privacy.shredded";

  /** The shared key store file changed (rotation or destruction): every node re-reads it. */
  public static final String KEY_STORE_CHANGED = "vp.privacy.keystore-changed";
}
