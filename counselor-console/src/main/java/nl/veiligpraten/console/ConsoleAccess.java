package nl.veiligpraten.console;

import nl.veiligpraten.routing.conversation.ConversationStatus;

/**
 * Who may do what on the console socket, as pure decisions over the session, the frame type and how
 * this socket shows the chat. The connection asks these before it changes anything; the database
 * then checks again under its own row locks (ownership and capacity can change between two frames),
 * so a decision here can only refuse, never grant what the database would refuse. Kept free of
 * Vert.x and I/O so that {@code ConsoleAccessTest} covers every cell.
 */
final class ConsoleAccess {

  /** How this socket shows a chat. */
  enum View {
    /** Not on this screen. */
    NONE,
    /** Held by this counselor. */
    HOLDER,
    /** Silently watched by this supervisor. */
    OBSERVER
  }

  /** What a frame type needs before the connection acts on it. */
  enum Need {
    /**
     * Nothing decided here: the database decides under a row lock (take, close), or the socket's
     * own offer list does (transfer-answer, transfer-cancel), or the frame names no chat (ping,
     * status).
     */
    LOOKED_UP,
    /** The chat is held here: only its counselor writes to the visitor or moves the chat. */
    HOLDER,
    /** The chat is held or watched here (counselor-only notes and routing marks). */
    VIEWER,
    /** The chat is watched here (to stop watching it). */
    OBSERVER,
    /** A supervisor (or organisation admin) of an organisation. */
    SUPERVISOR,
    /** A supervisor who can also hold chats (to become the chat's counselor). */
    SUPERVISOR_WHO_CHATS
  }

  private ConsoleAccess() {}

  /**
   * The rule of each frame type; no default branch, so a new frame type needs a rule to compile.
   */
  static Need need(ConsoleFrame.Type type) {
    return switch (type) {
      case TAKE, CLOSE, PING, STATUS, TRANSFER_ANSWER, TRANSFER_CANCEL -> Need.LOOKED_UP;
      case MESSAGE, TYPING, TRANSFER, REFER -> Need.HOLDER;
      case WHISPER, SUICIDE_RISK, OVERRIDE -> Need.VIEWER;
      case LEAVE -> Need.OBSERVER;
      case JOIN, REASSIGN, CLOSE_ABUSE, CONFIRM_P0 -> Need.SUPERVISOR;
      case TAKEOVER -> Need.SUPERVISOR_WHO_CHATS;
    };
  }

  /**
   * May this session act on a frame of this type, given how this socket shows the chat it names?
   */
  static boolean allows(ConsoleFrame.Type type, StaffSession session, View view) {
    return switch (need(type)) {
      case LOOKED_UP -> true;
      case HOLDER -> view == View.HOLDER;
      case VIEWER -> view != View.NONE;
      case OBSERVER -> view == View.OBSERVER;
      case SUPERVISOR -> Roles.supervises(session);
      case SUPERVISOR_WHO_CHATS -> Roles.supervises(session) && Roles.chats(session);
    };
  }

  /**
   * May this socket show a chat, as stored: an open ({@code assigned}) chat of the session's own
   * organisation, held by this counselor, or (supervisor) any such chat to watch silently.
   */
  static boolean mayShow(
      StaffSession session,
      String chatOrg,
      ConversationStatus chatStatus,
      Long counselorId,
      boolean observer) {
    return session.orgId() != null
        && session.orgId().equals(chatOrg)
        && chatStatus == ConversationStatus.ASSIGNED
        && (observer
            ? Roles.supervises(session)
            : Long.valueOf(session.user().id()).equals(counselorId));
  }

  /**
   * May a warm transfer offer be shown to this session: the chat is open, of the session's own
   * organisation, and still held by the colleague who offers it (a stale or forged offer is not
   * shown).
   */
  static boolean mayBeOffered(
      StaffSession session,
      String chatOrg,
      ConversationStatus chatStatus,
      Long counselorId,
      long fromStaffId) {
    return session.orgId() != null
        && session.orgId().equals(chatOrg)
        && chatStatus == ConversationStatus.ASSIGNED
        && Long.valueOf(fromStaffId).equals(counselorId)
        && fromStaffId != session.user().id();
  }
}
