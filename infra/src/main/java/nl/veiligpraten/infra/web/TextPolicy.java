package nl.veiligpraten.infra.web;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * What text the listeners accept (issue 20, finding 12). PostgreSQL cannot store a NUL character in
 * a text column, so a NUL anywhere in a JSON body or frame is refused up front with a clear error
 * (it used to surface as HTTP 500 from the database).
 */
public final class TextPolicy {

  private TextPolicy() {}

  /** True when any key or string value in a decoded JSON value contains U+0000. */
  public static boolean containsNul(Object json) {
    if (json instanceof String s) {
      return s.indexOf('\u0000') >= 0;
    }
    if (json instanceof JsonObject o) {
      for (Map.Entry<String, Object> e : o) {
        if (e.getKey().indexOf('\u0000') >= 0 || containsNul(e.getValue())) {
          return true;
        }
      }
      return false;
    }
    if (json instanceof JsonArray a) {
      for (Object item : a) {
        if (containsNul(item)) {
          return true;
        }
      }
    }
    return false;
  }

  /** True when a request body carries a NUL: raw, or escaped inside JSON. */
  public static boolean bodyContainsNul(String body) {
    if (body == null || body.isEmpty()) {
      return false;
    }
    if (body.indexOf('\u0000') >= 0) {
      return true;
    }
    if (!body.contains("\\u0000")
        && !body.contains("\\U0000")
        && !body.toLowerCase().contains("\\u0000")) {
      return false;
    }
    try {
      return containsNul(Json.decodeValue(body));
    } catch (DecodeException e) {
      return false; // not JSON: the route's own parsing answers 400
    }
  }
}
