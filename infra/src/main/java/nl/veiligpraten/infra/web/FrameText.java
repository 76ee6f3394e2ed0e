package nl.veiligpraten.infra.web;

/**
 * Writes the JSON text of the frames sent for every message (a visitor's or counselor's {@code
 * message}, and {@code ack}) straight into a string. Building a {@code JsonObject} and encoding it
 * through Jackson cost about 7% of the gateway's CPU at saturation; the rarer frames still use
 * {@code JsonObject}. Field names are constants of our own (written as they are); string values are
 * escaped as RFC 8259 requires: quote, backslash and every control character. {@code FrameTextTest}
 * checks that Vert.x's own parser reads back exactly what was written.
 */
public final class FrameText {

  private static final char[] HEX = "0123456789abcdef".toCharArray();
  private final StringBuilder out;

  private FrameText(String type, int sizeHint) {
    out = new StringBuilder(sizeHint + 64).append("{\"type\":\"").append(type).append('"');
  }

  /** A frame of the given type (a constant such as {@code "ack"}). */
  public static FrameText of(String type) {
    return new FrameText(type, 64);
  }

  /** A frame of the given type expected to carry about {@code sizeHint} characters of values. */
  public static FrameText of(String type, int sizeHint) {
    return new FrameText(type, sizeHint);
  }

  /**
   * A string field; a null value is left out (as {@code JsonObject} callers here never send nulls).
   */
  public FrameText put(String name, String value) {
    if (value != null) {
      name(name);
      quote(value);
    }
    return this;
  }

  public FrameText put(String name, long value) {
    name(name);
    out.append(value);
    return this;
  }

  public FrameText put(String name, boolean value) {
    name(name);
    out.append(value);
    return this;
  }

  /** The JSON text. */
  public String encode() {
    return out.append('}').toString();
  }

  private void name(String name) {
    out.append(",\"").append(name).append("\":");
  }

  private void quote(String value) {
    out.append('"');
    int start = 0;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c >= 0x20 && c != '"' && c != '\\') {
        continue;
      }
      out.append(value, start, i);
      start = i + 1;
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
      }
    }
    out.append(value, start, value.length()).append('"');
  }
}
