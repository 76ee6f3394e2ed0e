package nl.veiligpraten.infra.bus;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A note on one conversation's address ({@link Addresses#conversation}): the visitor's gateway
 * socket and the consoles that hold or observe the chat listen to it. Consumers implement {@link
 * Handler}, which has one method per kind, so a kind added here is a compile error in every
 * consumer until it decides what to do with it.
 */
public sealed interface ConversationNote extends BusNote {

  /** Calls the handler method of this kind. */
  void accept(Handler handler);

  /**
   * One method per conversation note kind, no defaults on purpose: a new kind must be handled (or
   * explicitly ignored) by every consumer.
   */
  interface Handler {
    void message(Message note);

    void noteAdded(NoteAdded note);

    void typing(Typing note);

    void visitorPaused(VisitorPaused note);

    void visitorBack(VisitorBack note);

    void visitorDisconnected(VisitorDisconnected note);

    void visitorSocket(VisitorSocket note);

    void assigned(Assigned note);

    void requeued(Requeued note);

    void referral(Referral note);

    void referred(Referred note);

    void counselorRule(CounselorRule note);

    void routeOverridden(RouteOverridden note);

    void closed(Closed note);

    void deleted(Deleted note);
  }

  /** Who a typing note or a close came from; the code is what the JSON carries. */
  enum Party {
    VISITOR,
    COUNSELOR,
    SUPERVISOR,
    SYSTEM;

    /** The wire code ({@code visitor}, {@code counselor}, {@code supervisor}, {@code system}). */
    public String code() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** A message with this sequence number was committed; readers pump PostgreSQL up to it. */
  record Message(long seq) implements ConversationNote {
    public String kind() {
      return "message";
    }

    public void accept(Handler h) {
      h.message(this);
    }
  }

  /**
   * A staff note (a supervisor's whisper) with this sequence number was committed; consoles re-read
   * the notes.
   */
  record NoteAdded(long seq) implements ConversationNote {
    public String kind() {
      return "note";
    }

    public void accept(Handler h) {
      h.noteAdded(this);
    }
  }

  /** Someone is typing; the other side shows it. */
  record Typing(Party from) implements ConversationNote {
    public Typing {
      Objects.requireNonNull(from, "from");
    }

    public String kind() {
      return "typing";
    }

    public void accept(Handler h) {
      h.typing(this);
    }
  }

  /** The visitor said "ik kan nu even niet praten" (issue 19); the chat stays open. */
  record VisitorPaused() implements ConversationNote {
    public String kind() {
      return "visitor_paused";
    }

    public void accept(Handler h) {
      h.visitorPaused(this);
    }
  }

  /** The visitor is back (a resumed socket or the end of a pause). */
  record VisitorBack() implements ConversationNote {
    public String kind() {
      return "visitor_back";
    }

    public void accept(Handler h) {
      h.visitorBack(this);
    }
  }

  /** The visitor's socket went away without a bye (stored as such before this note). */
  record VisitorDisconnected() implements ConversationNote {
    public String kind() {
      return "visitor_disconnected";
    }

    public void accept(Handler h) {
      h.visitorDisconnected(this);
    }
  }

  /**
   * A visitor socket took the conversation over; any other socket of it (another device) closes as
   * replaced.
   */
  record VisitorSocket(String connection) implements ConversationNote {
    public VisitorSocket {
      Objects.requireNonNull(connection, "connection");
    }

    public String kind() {
      return "visitor_socket";
    }

    public void accept(Handler h) {
      h.visitorSocket(this);
    }
  }

  /**
   * A counselor has the chat now.
   *
   * @param counselor their display name (shown to the visitor)
   * @param staffId their staff id (another console holding the chat releases it)
   * @param skills their language skills, or null when the producer does not know them (then the
   *     visitor's page is not told in which language the counselor writes)
   */
  record Assigned(String counselor, long staffId, List<String> skills) implements ConversationNote {
    public Assigned {
      Objects.requireNonNull(counselor, "counselor");
      skills = skills == null ? null : List.copyOf(skills);
    }

    public String kind() {
      return "assigned";
    }

    public void accept(Handler h) {
      h.assigned(this);
    }
  }

  /** The chat went back to a queue (the counselor went away, did not answer, or gave it back). */
  record Requeued() implements ConversationNote {
    public String kind() {
      return "requeued";
    }

    public void accept(Handler h) {
      h.requeued(this);
    }
  }

  /** A referral of this chat changed state (offered, consented, declined). */
  record Referral(String referralId, String state) implements ConversationNote {
    public Referral {
      Objects.requireNonNull(referralId, "referralId");
      Objects.requireNonNull(state, "state");
    }

    public String kind() {
      return "referral";
    }

    public void accept(Handler h) {
      h.referral(this);
    }
  }

  /** The chat was handed over to another organisation's queue. */
  record Referred() implements ConversationNote {
    public String kind() {
      return "referred";
    }

    public void accept(Handler h) {
      h.referred(this);
    }
  }

  /**
   * A counselor triggered a routing rule (U1, suicide risk): the visitor gets its card, consoles
   * show it.
   */
  record CounselorRule(String rule) implements ConversationNote {
    public CounselorRule {
      Objects.requireNonNull(rule, "rule");
    }

    public String kind() {
      return "counselor_rule";
    }

    public void accept(Handler h) {
      h.counselorRule(this);
    }
  }

  /** A counselor overrode the route of the chat, with a reason code, to another help point. */
  record RouteOverridden(String reason, String helpPoint) implements ConversationNote {
    public RouteOverridden {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(helpPoint, "helpPoint");
    }

    public String kind() {
      return "route_overridden";
    }

    public void accept(Handler h) {
      h.routeOverridden(this);
    }
  }

  /** The conversation ended, with its outcome code and who ended it. */
  record Closed(String outcome, Party by) implements ConversationNote {
    public Closed {
      Objects.requireNonNull(outcome, "outcome");
      Objects.requireNonNull(by, "by");
    }

    public String kind() {
      return "closed";
    }

    public void accept(Handler h) {
      h.closed(this);
    }
  }

  /** The visitor deleted the conversation: keys and messages are gone. */
  record Deleted() implements ConversationNote {
    public String kind() {
      return "deleted";
    }

    public void accept(Handler h) {
      h.deleted(this);
    }
  }
}
