package nl.veiligpraten.console;

import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.UUID;

/**
 * Warm transfer to a colleague (issue 18), as typed bus notes between the sender's and the receiver's consoles (on any
 * node). The sender's console offers a chat; the colleague's console shows the offer with the intake card and the
 * sender's note; the colleague accepts or declines. Only the sender's console moves the chat (a conditional UPDATE
 * on the current owner, capacity checked under a lock), so an answer that comes too late or twice changes nothing.
 * Notes carry ids, names and the note the sender typed for the colleague, never message text.
 */
sealed interface WarmTransfer {

  /** How an offer ended; the code is what the frames carry. */
  enum End {
    ACCEPTED, DECLINED, TIMEOUT, OFFLINE, AT_CAPACITY, WITHDRAWN, FAILED;

    String code() {
      return name().toLowerCase(Locale.ROOT);
    }

    static End of(String code) {
      for (End e : values()) {
        if (e.code().equals(code)) {
          return e;
        }
      }
      return FAILED;
    }
  }

  JsonObject toJson();

  /** Reads a bus note; an unknown kind is a programming error between nodes of one version. */
  static WarmTransfer fromJson(JsonObject json) {
    String kind = json.getString("kind", "");
    return switch (kind) {
      case "offer" -> new Offer(UUID.fromString(json.getString("offerId")),
          UUID.fromString(json.getString("conversationId")), json.getLong("fromStaffId"), json.getString("fromName"),
          json.getString("note", ""), json.getInteger("expiresInSeconds"));
      case "ended" -> new Ended(UUID.fromString(json.getString("offerId")), End.of(json.getString("reason")));
      case "answer" -> new Answer(UUID.fromString(json.getString("offerId")), json.getLong("staffId"),
          json.getBoolean("accept"));
      default -> throw new IllegalArgumentException("unknown warm transfer note " + kind);
    };
  }

  /** The sender offers a chat to the colleague. */
  record Offer(UUID offerId, UUID conversationId, long fromStaffId, String fromName, String note,
               int expiresInSeconds) implements WarmTransfer {
    @Override
    public JsonObject toJson() {
      return new JsonObject().put("kind", "offer").put("offerId", offerId.toString())
          .put("conversationId", conversationId.toString()).put("fromStaffId", fromStaffId).put("fromName", fromName)
          .put("note", note).put("expiresInSeconds", expiresInSeconds);
    }
  }

  /** The offer is over (answered, timed out, withdrawn): the colleague's console removes it. */
  record Ended(UUID offerId, End reason) implements WarmTransfer {
    @Override
    public JsonObject toJson() {
      return new JsonObject().put("kind", "ended").put("offerId", offerId.toString()).put("reason", reason.code());
    }
  }

  /** The colleague's answer, sent to the sender's console. */
  record Answer(UUID offerId, long staffId, boolean accept) implements WarmTransfer {
    @Override
    public JsonObject toJson() {
      return new JsonObject().put("kind", "answer").put("offerId", offerId.toString()).put("staffId", staffId)
          .put("accept", accept);
    }
  }
}
