package nl.veiligpraten.infra.bus;

import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;

/**
 * Warm transfer to a colleague (issue 18), as bus notes between the sender's and the receiver's
 * consoles (on any node), on {@link Addresses#transferOffers} and {@link
 * Addresses#transferAnswers}. The sender's console offers a chat; the colleague's console shows the
 * offer with the intake card and the sender's note; the colleague accepts or declines. Only the
 * sender's console moves the chat (a conditional UPDATE on the current owner, capacity checked
 * under a lock), so an answer that comes too late or twice changes nothing. Notes carry ids, names
 * and the note the sender typed for the colleague, never message text. {@link BusNoteCodec} writes
 * and reads them.
 */
public sealed interface WarmTransfer extends BusNote {

  /** How an offer ended; the code is what the frames carry. */
  enum End {
    ACCEPTED,
    DECLINED,
    TIMEOUT,
    OFFLINE,
    AT_CAPACITY,
    WITHDRAWN,
    FAILED;

    /** The wire code. */
    public String code() {
      return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The end of a wire code; an unknown code (a newer node) counts as a failure, which ends the
     * offer either way.
     */
    public static End of(String code) {
      for (End e : values()) {
        if (e.code().equals(code)) {
          return e;
        }
      }
      return FAILED;
    }
  }

  /** Calls the handler method of this kind. */
  void accept(Handler handler);

  /**
   * One method per kind, no defaults: a new kind is a compile error in the codec and every
   * consumer.
   */
  interface Handler {
    void offer(Offer note);

    void answer(Answer note);

    void ended(Ended note);
  }

  /** The bus JSON ({@link BusNoteCodec#encode}). */
  default JsonObject toJson() {
    return BusNoteCodec.encode(this);
  }

  /**
   * Reads a bus note ({@link BusNoteCodec#decodeTransfer}); an unreadable one is a {@link
   * BusNoteException}.
   */
  static WarmTransfer fromJson(JsonObject json) {
    return BusNoteCodec.decodeTransfer(json);
  }

  /**
   * The sender offers a chat to the colleague; {@code note} is what the sender typed for them (may
   * be empty).
   */
  record Offer(
      UUID offerId,
      UUID conversationId,
      long fromStaffId,
      String fromName,
      String note,
      int expiresInSeconds)
      implements WarmTransfer {
    public Offer {
      Objects.requireNonNull(offerId, "offerId");
      Objects.requireNonNull(conversationId, "conversationId");
      Objects.requireNonNull(fromName, "fromName");
      note = note == null ? "" : note;
    }

    @Override
    public String kind() {
      return "offer";
    }

    @Override
    public void accept(Handler h) {
      h.offer(this);
    }
  }

  /** The offer is over (answered, timed out, withdrawn): the colleague's console removes it. */
  record Ended(UUID offerId, End reason) implements WarmTransfer {
    public Ended {
      Objects.requireNonNull(offerId, "offerId");
      Objects.requireNonNull(reason, "reason");
    }

    @Override
    public String kind() {
      return "ended";
    }

    @Override
    public void accept(Handler h) {
      h.ended(this);
    }
  }

  /** The colleague's answer, sent to the sender's console. */
  record Answer(UUID offerId, long staffId, boolean accept) implements WarmTransfer {
    public Answer {
      Objects.requireNonNull(offerId, "offerId");
    }

    @Override
    public String kind() {
      return "answer";
    }

    @Override
    public void accept(Handler h) {
      h.answer(this);
    }
  }
}
