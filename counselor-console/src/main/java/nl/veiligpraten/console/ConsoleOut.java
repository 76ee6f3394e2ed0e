package nl.veiligpraten.console;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.UUID;
import nl.veiligpraten.assignment.StaffNotes;
import nl.veiligpraten.conversation.PlainMessage;
import nl.veiligpraten.infra.bus.WarmTransfer;
import nl.veiligpraten.infra.web.FrameText;
import nl.veiligpraten.routing.OverrideReason;
import nl.veiligpraten.routing.conversation.ConversationStatus;
import nl.veiligpraten.routing.conversation.Outcome;
import nl.veiligpraten.routing.conversation.OutcomeTag;

/**
 * Every frame the server sends on a console WebSocket, built in one place: one factory per {@code
 * type} that console.js reads. The field names and their order are the wire contract ({@code
 * ConsoleOutTest} pins each shape); frames that carry message text are written with {@link
 * FrameText} (no intermediate JSON tree), the others are small. Nothing here decides anything:
 * {@link ConsoleConnection} chooses which frame to send.
 */
final class ConsoleOut {

  private ConsoleOut() {}

  // ---- connection
  // ------------------------------------------------------------------------------------------------

  /**
   * First frame on a new socket: who is signed in, the codes the page offers, and the heartbeat.
   */
  static JsonObject hello(JsonObject user, int pingSeconds, int pongTimeoutSeconds) {
    return new JsonObject()
        .put("type", "hello")
        .put("user", user)
        .put("outcomes", new JsonArray(Outcome.counselorCodes()))
        .put("tags", new JsonArray(OutcomeTag.codes()))
        .put("overrideReasons", new JsonArray(OverrideReason.codes()))
        .put(
            "heartbeat",
            new JsonObject()
                .put("pingSeconds", pingSeconds)
                .put("pongTimeoutSeconds", pongTimeoutSeconds));
  }

  static JsonObject pong() {
    return new JsonObject().put("type", "pong");
  }

  /** The node is shutting down: the page reconnects (to another node). */
  static JsonObject reconnect() {
    return new JsonObject().put("type", "reconnect");
  }

  /** The session is over; the page shows the sign-in screen. */
  static JsonObject sessionEnded(String reason) {
    return new JsonObject().put("type", "session-ended").put("reason", reason);
  }

  /** The counselor's own availability. */
  static JsonObject status(String status) {
    return new JsonObject().put("type", "status").put("status", status);
  }

  /**
   * The chats this counselor holds after a (re)connect: the page resends its unacknowledged
   * messages for these.
   */
  static JsonObject chats(JsonArray conversationIds) {
    return new JsonObject().put("type", "chats").put("conversationIds", conversationIds);
  }

  // ---- queue, inbox, alerts
  // --------------------------------------------------------------------------------------

  static JsonObject queue(JsonArray items) {
    return new JsonObject().put("type", "queue").put("items", items);
  }

  /** The message inbox changed; the page re-reads it over HTTP. Codes and ids only. */
  static JsonObject inbox(String kind, String conversationId) {
    return new JsonObject()
        .put("type", "inbox")
        .put("kind", kind)
        .put("conversationId", conversationId);
  }

  /**
   * A supervisor alert: the bus note's fields (codes and ids only) as they are, with the frame type
   * added.
   */
  static JsonObject alert(JsonObject note) {
    return note.copy().put("type", "alert");
  }

  // ---- chats
  // -----------------------------------------------------------------------------------------------------

  /** A chat opens on this screen (its intake card), held or ({@code observer}) silently watched. */
  static JsonObject assigned(JsonObject card, boolean observer, String status) {
    return card.put("type", "assigned").put("observer", observer).put("status", status);
  }

  /**
   * A chat the visitor ended that still waits for this counselor's outcome (shown again after a
   * reload).
   */
  static JsonObject outcomePending(JsonObject card) {
    return assigned(card, false, ConversationStatus.CLOSED.code()).put("outcomePending", true);
  }

  /**
   * A stored chat message; a staff message carries its clientId so the sending page matches it to
   * its ack.
   */
  static String message(UUID conversationId, PlainMessage m) {
    FrameText out =
        FrameText.of("message", m.body().length())
            .put("conversationId", conversationId.toString())
            .put("seq", m.seq())
            .put("from", m.sender())
            .put("body", m.body())
            .put("at", m.createdAt().toInstant().toString());
    if (!"visitor".equals(m.sender())) {
      out.put("clientId", m.clientId());
    }
    return out.encode();
  }

  /** The counselor's message is stored (only now may the page show it as sent). */
  static String ack(UUID conversationId, String clientId, long seq, boolean duplicate) {
    return FrameText.of("ack")
        .put("conversationId", conversationId.toString())
        .put("clientId", clientId)
        .put("seq", seq)
        .put("duplicate", duplicate)
        .encode();
  }

  /** A note only counselors see (a whisper, a transfer or a handover note). */
  static JsonObject note(UUID conversationId, StaffNotes.Note n) {
    return new JsonObject()
        .put("type", "note")
        .put("conversationId", conversationId.toString())
        .put("seq", n.seq())
        .put("kind", n.kind())
        .put("from", n.staffName())
        .put("body", n.body())
        .put("at", n.createdAt().toInstant().toString());
  }

  static JsonObject typing(UUID conversationId) {
    return chatEvent("typing", conversationId);
  }

  static JsonObject visitorDisconnected(UUID conversationId) {
    return chatEvent("visitor-disconnected", conversationId);
  }

  /** Issue 19: the visitor paused on purpose; the chat stays open. */
  static JsonObject visitorPaused(UUID conversationId) {
    return chatEvent("visitor-paused", conversationId);
  }

  static JsonObject visitorBack(UUID conversationId) {
    return chatEvent("visitor-back", conversationId);
  }

  /** The visitor deleted the conversation; its messages are gone. */
  static JsonObject deleted(UUID conversationId) {
    return chatEvent("deleted", conversationId);
  }

  /**
   * The chat closed; {@code outcomePending} when the visitor ended it and the holder still records
   * the outcome.
   */
  static JsonObject closed(UUID conversationId, String outcome, String by, boolean outcomePending) {
    return new JsonObject()
        .put("type", "closed")
        .put("conversationId", conversationId.toString())
        .put("outcome", outcome)
        .put("by", by)
        .put("outcomePending", outcomePending);
  }

  /**
   * The chat left this screen (transferred, requeued, referred, or the supervisor stopped
   * watching).
   */
  static JsonObject released(UUID conversationId, String reason) {
    return new JsonObject()
        .put("type", "released")
        .put("conversationId", conversationId.toString())
        .put("reason", reason);
  }

  /** A referral's state changed (offered, accepted, declined). */
  static JsonObject referral(UUID conversationId, String referralId, String state) {
    return new JsonObject()
        .put("type", "referral")
        .put("conversationId", conversationId.toString())
        .put("referralId", referralId)
        .put("state", state);
  }

  /** A counselor marked a rule (U1, suicide risk): the chat is P0 now. */
  static JsonObject counselorRule(UUID conversationId, String rule) {
    return new JsonObject()
        .put("type", "counselor-rule")
        .put("conversationId", conversationId.toString())
        .put("rule", rule)
        .put("priority", 0);
  }

  /** The suggested route was overridden with a coded reason. */
  static JsonObject override(UUID conversationId, String reason, String helpPoint) {
    return new JsonObject()
        .put("type", "override")
        .put("conversationId", conversationId.toString())
        .put("reason", reason)
        .put("helpPoint", helpPoint);
  }

  // ---- warm transfer
  // ---------------------------------------------------------------------------------------------

  /** To the sender: the colleague's console shows the offer. */
  static JsonObject transferOffered(
      UUID conversationId, UUID offerId, long toStaffId, String to, int expiresInSeconds) {
    return new JsonObject()
        .put("type", "transfer-offered")
        .put("conversationId", conversationId.toString())
        .put("offerId", offerId.toString())
        .put("toStaffId", toStaffId)
        .put("to", to)
        .put("expiresInSeconds", expiresInSeconds);
  }

  /** To the sender: the offer ended without the chat moving. */
  static JsonObject transferDeclined(UUID conversationId, UUID offerId, WarmTransfer.End reason) {
    return new JsonObject()
        .put("type", "transfer-declined")
        .put("conversationId", conversationId.toString())
        .put("offerId", offerId.toString())
        .put("reason", reason.code());
  }

  /** To the colleague: an offer, with the chat's intake card and the sender's note. */
  static JsonObject transferOffer(
      JsonObject card, UUID offerId, String from, String note, int expiresInSeconds) {
    return card.put("type", "transfer-offer")
        .put("offerId", offerId.toString())
        .put("from", from)
        .put("note", note)
        .put("expiresInSeconds", expiresInSeconds);
  }

  /** To the colleague: the offer shown here is over. */
  static JsonObject transferOfferEnded(UUID offerId, UUID conversationId, String reason) {
    return new JsonObject()
        .put("type", "transfer-offer-ended")
        .put("offerId", offerId.toString())
        .put("conversationId", conversationId.toString())
        .put("reason", reason);
  }

  // ---- supervisor
  // ------------------------------------------------------------------------------------------------

  static JsonObject reassignedToColleague(UUID conversationId, long toStaffId) {
    return new JsonObject()
        .put("type", "reassigned")
        .put("conversationId", conversationId.toString())
        .put("toStaffId", toStaffId);
  }

  static JsonObject reassignedToQueue(UUID conversationId, String toHelpPoint) {
    return new JsonObject()
        .put("type", "reassigned")
        .put("conversationId", conversationId.toString())
        .put("toHelpPoint", toHelpPoint);
  }

  static JsonObject closedAbuse(JsonArray conversationIds) {
    return new JsonObject().put("type", "closed-abuse").put("conversationIds", conversationIds);
  }

  static JsonObject p0Confirmed(UUID conversationId) {
    return chatEvent("p0-confirmed", conversationId);
  }

  // ---- errors
  // ----------------------------------------------------------------------------------------------------

  /** A refusal or failure; {@code conversationId} (may be null) shows it on that chat. */
  static JsonObject error(String code, String message, String conversationId) {
    JsonObject out =
        new JsonObject().put("type", "error").put("code", code).put("message", message);
    if (conversationId != null) {
      out.put("conversationId", conversationId);
    }
    return out;
  }

  /**
   * A refused or failed message: the page marks exactly that message (by its clientId, may be null)
   * as not sent.
   */
  static JsonObject messageError(
      String code, String message, UUID conversationId, String clientId) {
    JsonObject out = error(code, message, conversationId.toString());
    if (clientId != null) {
      out.put("clientId", clientId);
    }
    return out;
  }

  private static JsonObject chatEvent(String type, UUID conversationId) {
    return new JsonObject().put("type", type).put("conversationId", conversationId.toString());
  }
}
