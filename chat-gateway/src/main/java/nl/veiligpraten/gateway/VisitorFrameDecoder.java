package nl.veiligpraten.gateway;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import nl.veiligpraten.infra.web.TextPolicy;

/**
 * Turns a text frame into a typed {@link VisitorFrame} or a {@link FrameException} that says what
 * is wrong. Every field is checked for type and size: nothing a visitor sends reaches the database
 * unvalidated.
 */
public final class VisitorFrameDecoder {

  /** Longest chat message in characters (the frame limit also applies). */
  public static final int MAX_BODY_CHARS = 4000;

  private static final int MAX_ID = 64;

  private VisitorFrameDecoder() {}

  public static VisitorFrame decode(String text) {
    JsonObject json;
    try {
      json = new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      throw new FrameException("malformed", "Frame is not a JSON object.");
    }
    if (TextPolicy.containsNul(json)) {
      throw new FrameException("invalid_text", "Text must not contain NUL characters.");
    }
    Object type = json.getValue("type");
    if (!(type instanceof String t)) {
      throw new FrameException("malformed", "Frame has no string field 'type'.");
    }
    return switch (t) {
      case "hello" -> hello(json);
      case "answers" ->
          new VisitorFrame.Answers(object(json, "answers", true), id(json, "after", false));
      case "choose" ->
          new VisitorFrame.Choose(
              id(json, "helpPoint", true), object(json, "answers", false), lang(json));
      case "message" -> message(json);
      case "leave-message" ->
          new VisitorFrame.LeaveMessage(
              id(json, "helpPoint", true),
              object(json, "answers", false),
              lang(json),
              (VisitorFrame.Message) message(json));
      case "typing" -> new VisitorFrame.Typing();
      case "read" -> new VisitorFrame.Read(seq(json, "seq", true));
      case "bye" -> new VisitorFrame.Bye(bool(json, "hurry"));
      case "ping" -> new VisitorFrame.Ping();
      case "pause" -> new VisitorFrame.Pause();
      case "resume" -> new VisitorFrame.Resume();
      case "consent" -> consent(json);
      case "delete" -> new VisitorFrame.Delete();
      default -> throw new FrameException("unknown_type", "Unknown frame type '" + clip(t) + "'.");
    };
  }

  /** The page's reading mode: one of the questionnaire's text variants, or absent. */
  private static nl.veiligpraten.routing.config.Lang lang(JsonObject json) {
    String value = string(json, "lang", 16, false);
    if (value == null) {
      return null;
    }
    return nl.veiligpraten.routing.config.Lang.of(value)
        .orElseThrow(
            () ->
                new FrameException(
                    "invalid_field",
                    "Field 'lang' must be one of "
                        + java.util.Arrays.stream(nl.veiligpraten.routing.config.Lang.values())
                            .map(nl.veiligpraten.routing.config.Lang::key)
                            .toList()
                        + "."));
  }

  private static VisitorFrame consent(JsonObject json) {
    if (!(json.getValue("accept") instanceof Boolean accept)) {
      throw new FrameException("invalid_field", "consent needs accept: true or false.");
    }
    return new VisitorFrame.Consent(id(json, "referralId", true), accept);
  }

  private static VisitorFrame hello(JsonObject json) {
    Object v = json.getValue("v");
    if (!(v instanceof Number n)
        || n.intValue() != VisitorFrame.VERSION
        || n.doubleValue() != n.intValue()) {
      throw new FrameException(
          "version", "Field 'v' must be protocol version " + VisitorFrame.VERSION + ".");
    }
    String token = string(json, "resume", 64, false);
    String code = string(json, "resumeCode", 32, false);
    String reload = string(json, "reload", 64, false);
    return new VisitorFrame.Hello(token, code, seq(json, "lastSeq", false), reload);
  }

  private static VisitorFrame message(JsonObject json) {
    String clientId = id(json, "clientId", true);
    Object body = json.getValue("body");
    if (!(body instanceof String b)) {
      throw new FrameException("invalid_field", "Field 'body' must be a string.");
    }
    if (b.isBlank()) {
      throw new FrameException("invalid_field", "Field 'body' is empty.");
    }
    if (b.length() > MAX_BODY_CHARS) {
      throw new FrameException(
          "too_long", "Message is longer than " + MAX_BODY_CHARS + " characters.");
    }
    return new VisitorFrame.Message(clientId, b);
  }

  static String id(JsonObject json, String field, boolean required) {
    String value = string(json, field, MAX_ID, required);
    if (value != null && !nl.veiligpraten.conversation.FrameIds.valid(value)) {
      throw new FrameException(
          "invalid_field", "Field '" + field + "' may only hold letters, digits and _.:-");
    }
    return value;
  }

  static String string(JsonObject json, String field, int max, boolean required) {
    Object value = json.getValue(field);
    if (value == null) {
      if (required) {
        throw new FrameException("missing_field", "Field '" + field + "' is required.");
      }
      return null;
    }
    if (!(value instanceof String s)) {
      throw new FrameException("invalid_field", "Field '" + field + "' must be a string.");
    }
    if (s.length() > max) {
      throw new FrameException(
          "invalid_field", "Field '" + field + "' is longer than " + max + " characters.");
    }
    return s;
  }

  static long seq(JsonObject json, String field, boolean required) {
    Object value = json.getValue(field);
    if (value == null) {
      if (required) {
        throw new FrameException("missing_field", "Field '" + field + "' is required.");
      }
      return 0;
    }
    if (!(value instanceof Number n) || n.doubleValue() != n.longValue() || n.longValue() < 0) {
      throw new FrameException(
          "invalid_field", "Field '" + field + "' must be a whole number of 0 or more.");
    }
    return n.longValue();
  }

  static JsonObject object(JsonObject json, String field, boolean required) {
    Object value = json.getValue(field);
    if (value == null) {
      if (required) {
        throw new FrameException("missing_field", "Field '" + field + "' is required.");
      }
      return new JsonObject();
    }
    if (!(value instanceof JsonObject o)) {
      throw new FrameException("invalid_field", "Field '" + field + "' must be an object.");
    }
    return o;
  }

  private static boolean bool(JsonObject json, String field) {
    Object value = json.getValue(field);
    if (value == null) {
      return false;
    }
    if (!(value instanceof Boolean b)) {
      throw new FrameException("invalid_field", "Field '" + field + "' must be true or false.");
    }
    return b;
  }

  private static String clip(String s) {
    String safe = s.replaceAll("[^A-Za-z0-9_-]", "?");
    return safe.length() > 32 ? safe.substring(0, 32) + "…" : safe;
  }
}
