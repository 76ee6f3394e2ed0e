package nl.veiligpraten.console;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import nl.veiligpraten.routing.OverrideReason;

/**
 * Frames a counselor's console sends over its WebSocket, one record per {@code type}, with every
 * field already checked for type and size by {@link ConsoleFrameDecoder}. What the records do not
 * say (does this counselor hold the chat, is the help point another organisation's, is the
 * colleague online) is checked by {@link ConsoleConnection} against the session and the database,
 * never against what the client claims.
 *
 * <p>A frame is handled through {@link #dispatch(Handler)}: every record calls its own method of
 * {@link Handler}, so a new frame type is a compile error until the connection handles it; the
 * decoder's switch over {@link Type} has no default branch for the same reason.
 */
sealed interface ConsoleFrame {

  /** The frame's type, as on the wire. */
  Type type();

  /** Calls the handler's method for this frame type. */
  void dispatch(Handler handler);

  /** Every frame type a console may send, with its wire name. */
  enum Type {
    TAKE("take"),
    MESSAGE("message"),
    CLOSE("close"),
    TYPING("typing"),
    PING("ping"),
    STATUS("status"),
    TRANSFER("transfer"),
    TRANSFER_ANSWER("transfer-answer"),
    TRANSFER_CANCEL("transfer-cancel"),
    REFER("refer"),
    JOIN("join"),
    LEAVE("leave"),
    WHISPER("whisper"),
    SUICIDE_RISK("suicide-risk"),
    OVERRIDE("override"),
    TAKEOVER("takeover"),
    REASSIGN("reassign"),
    CLOSE_ABUSE("close-abuse"),
    CONFIRM_P0("confirm-p0");

    private final String wire;

    Type(String wire) {
      this.wire = wire;
    }

    /** The {@code type} field's value. */
    String wire() {
      return wire;
    }

    static Optional<Type> of(String wire) {
      return Arrays.stream(values()).filter(t -> t.wire.equals(wire)).findFirst();
    }

    /** Every wire name, in declaration order. */
    static List<String> wireNames() {
      return Arrays.stream(values()).map(Type::wire).toList();
    }
  }

  /** One method per frame type; the connection implements it. */
  interface Handler {
    void take(Take frame);

    void message(Message frame);

    void close(Close frame);

    void typing(Typing frame);

    void ping(Ping frame);

    void status(Status frame);

    void transfer(Transfer frame);

    void transferAnswer(TransferAnswer frame);

    void transferCancel(TransferCancel frame);

    void refer(Refer frame);

    void join(Join frame);

    void leave(Leave frame);

    void whisper(Whisper frame);

    void suicideRisk(SuicideRisk frame);

    void override(RouteOverride frame);

    void takeover(Takeover frame);

    void reassign(Reassign frame);

    void closeAbuse(CloseAbuse frame);

    void confirmP0(ConfirmP0 frame);
  }

  /**
   * Takes a chat from the queue: the named one, or the next by queue order when {@code
   * conversationId} is null.
   */
  record Take(UUID conversationId) implements ConsoleFrame {
    public Type type() {
      return Type.TAKE;
    }

    public void dispatch(Handler h) {
      h.take(this);
    }
  }

  /** A chat message to the visitor; {@code clientId} makes a resend idempotent. */
  record Message(UUID conversationId, String clientId, String body) implements ConsoleFrame {
    public Type type() {
      return Type.MESSAGE;
    }

    public void dispatch(Handler h) {
      h.message(this);
    }
  }

  /**
   * Closes a held chat (or records the outcome of one the visitor ended) with an outcome code and
   * coded tags.
   */
  record Close(UUID conversationId, String outcome, List<String> tags) implements ConsoleFrame {
    public Close {
      tags = List.copyOf(tags);
    }

    public Type type() {
      return Type.CLOSE;
    }

    public void dispatch(Handler h) {
      h.close(this);
    }
  }

  record Typing(UUID conversationId) implements ConsoleFrame {
    public Type type() {
      return Type.TYPING;
    }

    public void dispatch(Handler h) {
      h.typing(this);
    }
  }

  /**
   * The page's heartbeat; answered with {@code pong}, and not a user action (it keeps no session
   * alive).
   */
  record Ping() implements ConsoleFrame {
    public Type type() {
      return Type.PING;
    }

    public void dispatch(Handler h) {
      h.ping(this);
    }
  }

  /** The counselor's own availability, one of {@link ConsoleApi#STATUSES}. */
  record Status(String status) implements ConsoleFrame {
    public Type type() {
      return Type.STATUS;
    }

    public void dispatch(Handler h) {
      h.status(this);
    }
  }

  /**
   * Transfer within the organisation with a note (stripped, possibly empty): warm to a colleague
   * when {@code toStaffId} is set, otherwise cold back to the queue.
   */
  record Transfer(UUID conversationId, String note, Long toStaffId) implements ConsoleFrame {
    boolean toQueue() {
      return toStaffId == null;
    }

    public Type type() {
      return Type.TRANSFER;
    }

    public void dispatch(Handler h) {
      h.transfer(this);
    }
  }

  /**
   * The colleague's answer to a warm transfer offer shown on this socket; {@code conversationId}
   * (may be null) only names the chat in an error frame, the offer id decides.
   */
  record TransferAnswer(UUID offerId, boolean accept, UUID conversationId) implements ConsoleFrame {
    public Type type() {
      return Type.TRANSFER_ANSWER;
    }

    public void dispatch(Handler h) {
      h.transferAnswer(this);
    }
  }

  /** The sender withdraws the open warm transfer offer for a chat. */
  record TransferCancel(UUID conversationId) implements ConsoleFrame {
    public Type type() {
      return Type.TRANSFER_CANCEL;
    }

    public void dispatch(Handler h) {
      h.transferCancel(this);
    }
  }

  /**
   * Proposes a referral to another organisation's queue help point, with a handover note (stripped,
   * may be empty).
   */
  record Refer(UUID conversationId, String helpPoint, String note) implements ConsoleFrame {
    public Type type() {
      return Type.REFER;
    }

    public void dispatch(Handler h) {
      h.refer(this);
    }
  }

  /** A supervisor silently joins a chat; the reason goes to the access log. */
  record Join(UUID conversationId, String reason) implements ConsoleFrame {
    public Type type() {
      return Type.JOIN;
    }

    public void dispatch(Handler h) {
      h.join(this);
    }
  }

  /** A supervisor stops watching a chat. */
  record Leave(UUID conversationId) implements ConsoleFrame {
    public Type type() {
      return Type.LEAVE;
    }

    public void dispatch(Handler h) {
      h.leave(this);
    }
  }

  /**
   * A note only counselors of the chat see (stripped, 1 to {@link
   * ConsoleFrameDecoder#MAX_NOTE_CHARS}).
   */
  record Whisper(UUID conversationId, String body) implements ConsoleFrame {
    public Type type() {
      return Type.WHISPER;
    }

    public void dispatch(Handler h) {
      h.whisper(this);
    }
  }

  /** Rule U1: the counselor sees suicide risk. */
  record SuicideRisk(UUID conversationId) implements ConsoleFrame {
    public Type type() {
      return Type.SUICIDE_RISK;
    }

    public void dispatch(Handler h) {
      h.suicideRisk(this);
    }
  }

  /** Overrides the suggested route with a coded reason and the help point chosen instead. */
  record RouteOverride(UUID conversationId, OverrideReason reason, String helpPoint)
      implements ConsoleFrame {
    public Type type() {
      return Type.OVERRIDE;
    }

    public void dispatch(Handler h) {
      h.override(this);
    }
  }

  /** A supervisor becomes the chat's counselor. */
  record Takeover(UUID conversationId) implements ConsoleFrame {
    public Type type() {
      return Type.TAKEOVER;
    }

    public void dispatch(Handler h) {
      h.takeover(this);
    }
  }

  /**
   * A supervisor gives an open chat to a colleague or to a queue help point of the own organisation
   * (exactly one).
   */
  record Reassign(UUID conversationId, Long toStaffId, String toHelpPoint) implements ConsoleFrame {
    public Type type() {
      return Type.REASSIGN;
    }

    public void dispatch(Handler h) {
      h.reassign(this);
    }
  }

  /**
   * A supervisor closes a burst of abuse chats at once (1 to {@link ConsoleConnection#MAX_BURST}
   * different ids).
   */
  record CloseAbuse(List<UUID> conversationIds) implements ConsoleFrame {
    public CloseAbuse {
      conversationIds = List.copyOf(conversationIds);
    }

    public Type type() {
      return Type.CLOSE_ABUSE;
    }

    public void dispatch(Handler h) {
      h.closeAbuse(this);
    }
  }

  /** A supervisor confirms a P0 claim that was queued at P1 after a flood. */
  record ConfirmP0(UUID conversationId) implements ConsoleFrame {
    public Type type() {
      return Type.CONFIRM_P0;
    }

    public void dispatch(Handler h) {
      h.confirmP0(this);
    }
  }
}
