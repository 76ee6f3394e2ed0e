package nl.veiligpraten.infra.bus;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A note for an organisation's supervisors, published on {@link Addresses#supervisors(String)};
 * every supervisor console socket of that organisation sends it on as an {@code alert} frame
 * ({@link #toFrame()}). Codes and ids only, never message text. {@link BusNoteCodec} writes and
 * reads it.
 */
public sealed interface SupervisorAlert extends BusNote {

  /** The alert's kind as sent on the wire. */
  @Override
  String kind();

  /** Calls the handler method of this kind. */
  void accept(Handler handler);

  /**
   * One method per alert kind, no defaults: a new kind is a compile error in the codec and every
   * consumer.
   */
  interface Handler {
    void unansweredAssignment(UnansweredAssignment alert);

    void counselorGone(CounselorGone alert);

    void p0Held(P0Held alert);

    void suicideRisk(SuicideRisk alert);

    void target(Target alert);
  }

  /** The bus note (the same shape as the frame, without {@code type}). */
  default JsonObject toJson() {
    return BusNoteCodec.encode(this);
  }

  /** The console frame: {@code {"type":"alert","kind":...}}. */
  default JsonObject toFrame() {
    return toJson().put("type", "alert");
  }

  /**
   * A chat was assigned to a counselor who sent no first message within the priority's {@code
   * reassignAfterSeconds}; it went back to the head of the queue for the next free counselor.
   *
   * @param priority 0 (P0) to 3 (P3)
   * @param counselorId who did not answer
   * @param counselorName their display name (staff data, shown to the supervisor)
   * @param afterSeconds the configured time that ran out
   */
  record UnansweredAssignment(
      UUID conversationId,
      String helpPoint,
      int priority,
      long counselorId,
      String counselorName,
      int afterSeconds)
      implements SupervisorAlert {
    public static final String KIND = "unanswered_assignment";

    public UnansweredAssignment {
      Objects.requireNonNull(conversationId, "conversationId");
      Objects.requireNonNull(helpPoint, "helpPoint");
      Objects.requireNonNull(counselorName, "counselor");
    }

    @Override
    public String kind() {
      return KIND;
    }

    @Override
    public void accept(Handler h) {
      h.unansweredAssignment(this);
    }
  }

  /**
   * A counselor's console was gone longer than the grace (closed, silent, or their node died) while
   * they held chats; the chats went back to the head of the queue.
   */
  record CounselorGone(UUID conversationId, String helpPoint, int priority, long counselorId)
      implements SupervisorAlert {
    public static final String KIND = "counselor_gone";

    public CounselorGone {
      Objects.requireNonNull(conversationId, "conversationId");
      Objects.requireNonNull(helpPoint, "helpPoint");
    }

    @Override
    public String kind() {
      return KIND;
    }

    @Override
    public void accept(Handler h) {
      h.counselorGone(this);
    }
  }

  /**
   * A P0 claim was held at P1 for a supervisor to confirm, because the flood limit of the network
   * address ({@code limit} {@code address}) or of the node ({@code node}) was reached.
   */
  record P0Held(UUID conversationId, String helpPoint, String limit) implements SupervisorAlert {
    public static final String KIND = "p0_held";

    public P0Held {
      Objects.requireNonNull(conversationId, "conversationId");
      Objects.requireNonNull(helpPoint, "helpPoint");
      Objects.requireNonNull(limit, "limit");
    }

    @Override
    public String kind() {
      return KIND;
    }

    @Override
    public void accept(Handler h) {
      h.p0Held(this);
    }
  }

  /**
   * A counselor marked a chat with suicide risk (rule U1): it is P0 now.
   *
   * @param by the counselor's display name (staff data, shown to the supervisor)
   */
  record SuicideRisk(
      String rule, UUID conversationId, String helpPoint, int priority, String by, Instant at)
      implements SupervisorAlert {
    public static final String KIND = "suicide_risk";

    public SuicideRisk {
      Objects.requireNonNull(rule, "rule");
      Objects.requireNonNull(conversationId, "conversationId");
      Objects.requireNonNull(helpPoint, "helpPoint");
      Objects.requireNonNull(by, "by");
      Objects.requireNonNull(at, "at");
    }

    @Override
    public String kind() {
      return KIND;
    }

    @Override
    public void accept(Handler h) {
      h.suicideRisk(this);
    }
  }

  /** A chat is about to miss (or missed) its first-response target. */
  record Target(
      UUID conversationId,
      String helpPoint,
      int priority,
      String status,
      long waitingSeconds,
      long targetSeconds)
      implements SupervisorAlert {
    public static final String KIND = "target";

    public Target {
      Objects.requireNonNull(conversationId, "conversationId");
      Objects.requireNonNull(helpPoint, "helpPoint");
      Objects.requireNonNull(status, "status");
    }

    @Override
    public String kind() {
      return KIND;
    }

    @Override
    public void accept(Handler h) {
      h.target(this);
    }
  }
}
