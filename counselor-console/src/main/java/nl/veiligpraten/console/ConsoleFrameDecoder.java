package nl.veiligpraten.console;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import nl.veiligpraten.conversation.FrameIds;
import nl.veiligpraten.infra.web.TextPolicy;
import nl.veiligpraten.routing.OverrideReason;
import nl.veiligpraten.routing.conversation.Outcome;
import nl.veiligpraten.routing.conversation.OutcomeTag;

/**
 * Turns a console text frame into a typed {@link ConsoleFrame} or a {@link ConsoleFrameException}
 * that says what is wrong. Every field is checked for type and size here, before anything is looked
 * up, so a bad frame changes nothing and the socket keeps serving. The codes and texts are those
 * the console has always answered with: {@code malformed}, {@code invalid_text}, {@code
 * unknown_type}, {@code invalid_field}, {@code invalid_outcome} and {@code invalid_tags}. Whether
 * the counselor may do it is not decided here: {@link ConsoleConnection} checks that against the
 * session and the database.
 */
final class ConsoleFrameDecoder {

  /** Longest chat message in characters (the socket's frame limit also applies). */
  static final int MAX_BODY_CHARS = 4000;

  /** Longest transfer, handover or whisper note in characters. */
  static final int MAX_NOTE_CHARS = 1000;

  /** Longest reason a supervisor gives for joining a chat (it goes to the access log). */
  static final int MAX_JOIN_REASON_CHARS = 500;

  /** Longest help point id; longer is no help point. */
  private static final int MAX_HELP_POINT = 64;

  private ConsoleFrameDecoder() {}

  static ConsoleFrame decode(String text) {
    JsonObject json;
    try {
      json = new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      throw new ConsoleFrameException("malformed", "Frame is not a JSON object.", null);
    }
    if (TextPolicy.containsNul(json)) {
      // PostgreSQL cannot store a NUL; refuse it here with a clear error instead of a database
      // failure.
      throw new ConsoleFrameException(
          "invalid_text", "Text must not contain NUL characters.", null);
    }
    ConsoleFrame.Type type =
        json.getValue("type") instanceof String t ? ConsoleFrame.Type.of(t).orElse(null) : null;
    if (type == null) {
      throw new ConsoleFrameException("unknown_type", "Unknown frame type.", null);
    }
    // No default branch: a new frame type does not compile until it is decoded here.
    return switch (type) {
      case TAKE ->
          new ConsoleFrame.Take(
              json.getValue("conversationId") == null ? null : conversationId(json));
      case MESSAGE -> message(json);
      case CLOSE -> close(json);
      case TYPING -> new ConsoleFrame.Typing(conversationId(json));
      case PING -> new ConsoleFrame.Ping();
      case STATUS -> status(json);
      case TRANSFER -> transfer(json);
      case TRANSFER_ANSWER -> transferAnswer(json);
      case TRANSFER_CANCEL -> new ConsoleFrame.TransferCancel(conversationId(json));
      case REFER -> refer(json);
      case JOIN -> join(json);
      case LEAVE -> new ConsoleFrame.Leave(conversationId(json));
      case WHISPER -> whisper(json);
      case SUICIDE_RISK -> new ConsoleFrame.SuicideRisk(conversationId(json));
      case OVERRIDE -> override(json);
      case TAKEOVER -> new ConsoleFrame.Takeover(conversationId(json));
      case REASSIGN -> reassign(json);
      case CLOSE_ABUSE -> closeAbuse(json);
      case CONFIRM_P0 -> new ConsoleFrame.ConfirmP0(conversationId(json));
    };
  }

  private static ConsoleFrame message(JsonObject json) {
    UUID id = conversationId(json);
    String clientId = json.getValue("clientId") instanceof String c && FrameIds.valid(c) ? c : null;
    String body = json.getValue("body") instanceof String b ? b : null;
    if (clientId == null || body == null || body.isBlank() || body.length() > MAX_BODY_CHARS) {
      // With the client id when it was valid: the page marks exactly that message as not sent.
      throw new ConsoleFrameException(
          "invalid_field",
          "message needs clientId (1-64 of A-Za-z0-9_.:-) and a body "
              + "of 1-"
              + MAX_BODY_CHARS
              + " characters.",
          id,
          clientId);
    }
    return new ConsoleFrame.Message(id, clientId, body);
  }

  private static ConsoleFrame close(JsonObject json) {
    UUID id = conversationId(json);
    String outcome = json.getValue("outcome") instanceof String o ? o : null;
    if (Outcome.counselorChoice(outcome).isEmpty()) {
      throw new ConsoleFrameException(
          "invalid_outcome", "outcome must be one of " + Outcome.counselorCodes(), id);
    }
    List<String> tags = new ArrayList<>();
    Object rawTags = json.getValue("tags");
    if (rawTags != null) {
      if (!(rawTags instanceof JsonArray array) || array.size() > OutcomeTag.MAX_PER_CHAT) {
        throw new ConsoleFrameException(
            "invalid_tags",
            "tags must be a list of at most "
                + OutcomeTag.MAX_PER_CHAT
                + " of "
                + OutcomeTag.codes(),
            id);
      }
      for (Object t : array) {
        if (!(t instanceof String tag) || OutcomeTag.find(tag).isEmpty()) {
          throw new ConsoleFrameException(
              "invalid_tags", "tags must be codes from " + OutcomeTag.codes(), id);
        }
        if (!tags.contains(tag)) {
          tags.add(tag);
        }
      }
    }
    return new ConsoleFrame.Close(id, outcome, tags);
  }

  private static ConsoleFrame status(JsonObject json) {
    String status = json.getValue("status") instanceof String s ? s : null;
    // The null check first: List.of(...).contains(null) throws (a status frame without status used
    // to escape the
    // handler as a NullPointerException, with no answer to the page).
    if (status == null || !ConsoleApi.STATUSES.contains(status)) {
      throw new ConsoleFrameException(
          "invalid_field", "status must be one of " + ConsoleApi.STATUSES, null);
    }
    return new ConsoleFrame.Status(status);
  }

  private static ConsoleFrame transfer(JsonObject json) {
    UUID id = conversationId(json);
    String note = note(json, id);
    Object to = json.getValue("toStaffId");
    boolean toQueue = Boolean.TRUE.equals(json.getValue("toQueue"));
    if ((to == null) == !toQueue || (to != null && staffId(to) == null)) {
      throw new ConsoleFrameException(
          "invalid_field", "transfer needs either toStaffId (number) or toQueue: true.", id);
    }
    return new ConsoleFrame.Transfer(id, note, toQueue ? null : staffId(to));
  }

  private static ConsoleFrame transferAnswer(JsonObject json) {
    // The chat is named only so an error can be shown on it; the offer id decides which offer is
    // answered.
    UUID named = json.getValue("conversationId") == null ? null : conversationId(json);
    Object offerId = json.getValue("offerId");
    Object accept = json.getValue("accept");
    if (!(offerId instanceof String s) || !(accept instanceof Boolean b)) {
      throw new ConsoleFrameException(
          "invalid_field", "transfer-answer needs offerId (string) and accept (boolean).", named);
    }
    UUID offer = uuidOrNull(s);
    if (offer == null) {
      throw new ConsoleFrameException("invalid_field", "offerId is not a valid id", named);
    }
    return new ConsoleFrame.TransferAnswer(offer, b, named);
  }

  private static ConsoleFrame refer(JsonObject json) {
    UUID id = conversationId(json);
    String note = note(json, id);
    if (!(json.getValue("helpPoint") instanceof String helpPoint)
        || helpPoint.length() > MAX_HELP_POINT) {
      throw new ConsoleFrameException(
          "invalid_field",
          "helpPoint must be a queue help point of another " + "organisation.",
          id);
    }
    return new ConsoleFrame.Refer(id, helpPoint, note);
  }

  private static ConsoleFrame join(JsonObject json) {
    UUID id = conversationId(json);
    String reason = json.getValue("reason") instanceof String r ? r.strip() : "";
    if (reason.isEmpty() || reason.length() > MAX_JOIN_REASON_CHARS) {
      throw new ConsoleFrameException(
          "invalid_field",
          "join needs a reason (1-" + MAX_JOIN_REASON_CHARS + " characters) for the access log.",
          id);
    }
    return new ConsoleFrame.Join(id, reason);
  }

  private static ConsoleFrame whisper(JsonObject json) {
    UUID id = conversationId(json);
    String body = json.getValue("body") instanceof String b ? b.strip() : "";
    if (body.isEmpty() || body.length() > MAX_NOTE_CHARS) {
      throw new ConsoleFrameException(
          "invalid_field", "whisper needs a body of 1-" + MAX_NOTE_CHARS + " characters.", id);
    }
    return new ConsoleFrame.Whisper(id, body);
  }

  private static ConsoleFrame override(JsonObject json) {
    UUID id = conversationId(json);
    OverrideReason reason =
        json.getValue("reason") instanceof String r ? OverrideReason.of(r).orElse(null) : null;
    if (reason == null) {
      throw new ConsoleFrameException(
          "invalid_field", "reason must be one of " + OverrideReason.codes(), id);
    }
    if (!(json.getValue("helpPoint") instanceof String helpPoint)
        || helpPoint.length() > MAX_HELP_POINT) {
      throw new ConsoleFrameException(
          "invalid_field", "helpPoint must be a configured help point.", id);
    }
    return new ConsoleFrame.RouteOverride(id, reason, helpPoint);
  }

  private static ConsoleFrame reassign(JsonObject json) {
    UUID id = conversationId(json);
    Object to = json.getValue("toStaffId");
    Object queue = json.getValue("toHelpPoint");
    if ((to == null) == (queue == null)
        || (to != null && staffId(to) == null)
        || (queue != null && (!(queue instanceof String s) || s.length() > MAX_HELP_POINT))) {
      throw new ConsoleFrameException(
          "invalid_field",
          "reassign needs either toStaffId (number) or toHelpPoint " + "(string).",
          id);
    }
    return new ConsoleFrame.Reassign(id, to == null ? null : staffId(to), (String) queue);
  }

  private static ConsoleFrame closeAbuse(JsonObject json) {
    List<UUID> ids = new ArrayList<>();
    if (json.getValue("conversationIds") instanceof JsonArray array) {
      for (Object o : array) {
        ids.add(conversationId(new JsonObject().put("conversationId", o)));
      }
    } else {
      ids.add(conversationId(json));
    }
    UUID first = ids.isEmpty() ? null : ids.get(0);
    if (!ConsoleConnection.ABUSE_REASON.equals(json.getValue("reason"))
        || ids.isEmpty()
        || ids.size() > ConsoleConnection.MAX_BURST
        || new HashSet<>(ids).size() != ids.size()) {
      throw new ConsoleFrameException(
          "invalid_field",
          "close-abuse needs reason \""
              + ConsoleConnection.ABUSE_REASON
              + "\" and 1-"
              + ConsoleConnection.MAX_BURST
              + " different conversationIds.",
          first);
    }
    return new ConsoleFrame.CloseAbuse(ids);
  }

  /** A transfer or handover note: stripped, empty when absent, at most {@link #MAX_NOTE_CHARS}. */
  private static String note(JsonObject json, UUID id) {
    Object value = json.getValue("note");
    if (value != null && !(value instanceof String)) {
      throw new ConsoleFrameException("invalid_field", "note must be a string.", id);
    }
    String note = value == null ? "" : ((String) value).strip();
    if (note.length() > MAX_NOTE_CHARS) {
      throw new ConsoleFrameException(
          "invalid_field", "note is at most " + MAX_NOTE_CHARS + " characters.", id);
    }
    return note;
  }

  /** A staff id: a whole number (whether it is a colleague is looked up); null when it is none. */
  private static Long staffId(Object value) {
    if (value instanceof Number n && n.doubleValue() == n.longValue()) {
      return n.longValue();
    }
    return null;
  }

  /**
   * The required {@code conversationId}; a missing or malformed one is refused without naming a
   * chat.
   */
  private static UUID conversationId(JsonObject json) {
    if (!(json.getValue("conversationId") instanceof String s)) {
      throw new ConsoleFrameException("invalid_field", "conversationId must be a string", null);
    }
    UUID id = uuidOrNull(s);
    if (id == null) {
      throw new ConsoleFrameException("invalid_field", "conversationId is not a valid id", null);
    }
    return id;
  }

  private static UUID uuidOrNull(String s) {
    // UUID.fromString accepts short forms such as "1-1-1-1-1"; only the canonical 36-character form
    // is an id here.
    if (s.length() != 36) {
      return null;
    }
    try {
      return UUID.fromString(s);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
