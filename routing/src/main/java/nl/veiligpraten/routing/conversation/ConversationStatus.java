package nl.veiligpraten.routing.conversation;

import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Where a conversation is in its life, with the code stored in {@code conversation.status} (the
 * database CHECK constraint {@code conversation_status_check} lists exactly these codes) and the
 * moves the service makes.
 *
 * <pre>
 *   INTAKE --route--> QUEUED --take/assign--> ASSIGNED --close--> CLOSED
 *     |                 ^  \________________________________________^
 *     |                 |___ transfer to queue, unanswered, counselor gone, referral
 *     +--leave a message--> INBOX --a counselor takes it--> ASSIGNED
 * </pre>
 *
 * <p>The transitions are the ones the SQL performs today (the {@code WHERE status ...} guard of
 * each {@code UPDATE conversation SET status = ...} in the infra {@code *Queries} classes; a test
 * in infra checks that every such statement is allowed here). {@link #QUEUED} and {@link #ASSIGNED}
 * may "move" to themselves: a supervisor moves a waiting chat to another help point, a chat passes
 * to a colleague. {@link #CLOSED} is final: an outcome recorded after the visitor left changes the
 * outcome, not the status, and retention deletes the row.
 */
public enum ConversationStatus {

  /** The visitor answers the intake questions; no organisation holds the conversation yet. */
  INTAKE("intake"),
  /** Waiting in an organisation's queue for a counselor. */
  QUEUED("queued"),
  /** A counselor holds the chat. */
  ASSIGNED("assigned"),
  /**
   * The visitor left a message for the organisation instead of waiting (an asynchronous thread).
   */
  INBOX("inbox"),
  /** Ended; the transcript waits for retention. */
  CLOSED("closed");

  private static final Map<String, ConversationStatus> BY_CODE =
      Arrays.stream(values())
          .collect(Collectors.toUnmodifiableMap(s -> s.code, Function.identity()));

  private final String code;

  ConversationStatus(String code) {
    this.code = code;
  }

  /** The code in the database and on the wire, e.g. {@code "queued"}. */
  public String code() {
    return code;
  }

  /**
   * The status of a database or wire code.
   *
   * @throws IllegalArgumentException for a code that is not a conversation status (including {@code
   *     null})
   */
  public static ConversationStatus fromCode(String code) {
    ConversationStatus s = code == null ? null : BY_CODE.get(code);
    if (s == null) {
      throw new IllegalArgumentException(
          "unknown conversation status '"
              + code
              + "', expected one of "
              + Arrays.stream(values()).map(ConversationStatus::code).toList());
    }
    return s;
  }

  /**
   * The statuses a conversation in this status may be moved to (possibly itself, see the class
   * comment).
   */
  public Set<ConversationStatus> allowedNext() {
    return switch (this) {
      // route to a queue, leave a message, visitor ends or leaves before routing (abandoned)
      case INTAKE -> Collections.unmodifiableSet(EnumSet.of(QUEUED, INBOX, CLOSED));
      // taken or assigned, moved by a supervisor or a referral, ended by the visitor, abandoned,
      // closed for abuse
      case QUEUED -> Collections.unmodifiableSet(EnumSet.of(QUEUED, ASSIGNED, CLOSED));
      // passed to a colleague, back to the queue (transfer, unanswered, counselor gone, referral),
      // closed
      case ASSIGNED -> Collections.unmodifiableSet(EnumSet.of(ASSIGNED, QUEUED, CLOSED));
      // a counselor takes the thread live, the visitor ends it, or it expires
      case INBOX -> Collections.unmodifiableSet(EnumSet.of(ASSIGNED, CLOSED));
      case CLOSED -> Collections.unmodifiableSet(EnumSet.noneOf(ConversationStatus.class));
    };
  }

  /** Whether the service may move a conversation from this status to {@code next}. */
  public boolean canMoveTo(ConversationStatus next) {
    return allowedNext().contains(next);
  }

  /** Whether the conversation has ended (no further messages, moves or assignments). */
  public boolean isFinal() {
    return this == CLOSED;
  }

  /**
   * Whether a visitor is in a live chat or waiting for one ({@link #QUEUED} or {@link #ASSIGNED}).
   */
  public boolean isLiveChat() {
    return this == QUEUED || this == ASSIGNED;
  }
}
