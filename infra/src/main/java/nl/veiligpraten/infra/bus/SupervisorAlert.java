package nl.veiligpraten.infra.bus;

import io.vertx.core.json.JsonObject;
import java.util.UUID;

/**
 * A note for an organisation's supervisors, published on {@link Addresses#supervisors(String)}; every supervisor
 * console socket of that organisation sends it on as an {@code alert} frame ({@link #toFrame()}). Codes and ids only,
 * never message text.
 */
public sealed interface SupervisorAlert {

  /** The alert's kind as sent on the wire. */
  String kind();

  /** The bus note (the same shape as the frame, without {@code type}). */
  JsonObject toJson();

  /** The console frame: {@code {"type":"alert","kind":...}}. */
  default JsonObject toFrame() {
    return toJson().put("type", "alert");
  }

  /**
   * A chat was assigned to a counselor who sent no first message within the priority's {@code reassignAfterSeconds};
   * it went back to the head of the queue for the next free counselor.
   *
   * @param priority        0 (P0) to 3 (P3)
   * @param counselorId     who did not answer
   * @param counselorName   their display name (staff data, shown to the supervisor)
   * @param afterSeconds    the configured time that ran out
   */
  record UnansweredAssignment(UUID conversationId, String helpPoint, int priority, long counselorId,
                              String counselorName, int afterSeconds) implements SupervisorAlert {
    public static final String KIND = "unanswered_assignment";

    @Override
    public String kind() {
      return KIND;
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("kind", KIND).put("conversationId", conversationId.toString())
          .put("helpPoint", helpPoint).put("priority", priority).put("counselorId", counselorId)
          .put("counselor", counselorName).put("afterSeconds", afterSeconds);
    }
  }

  /**
   * A counselor's console was gone longer than the grace (closed, silent, or their node died) while they held chats;
   * the chats went back to the head of the queue.
   */
  record CounselorGone(UUID conversationId, String helpPoint, int priority, long counselorId)
      implements SupervisorAlert {
    public static final String KIND = "counselor_gone";

    @Override
    public String kind() {
      return KIND;
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("kind", KIND).put("conversationId", conversationId.toString())
          .put("helpPoint", helpPoint).put("priority", priority).put("counselorId", counselorId);
    }
  }
}
