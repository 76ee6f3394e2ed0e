package nl.veiligpraten.infra.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class FrameTextTest {

  @Property(tries = 2000)
  @Label(
      "any text, control characters, quotes and non-Latin scripts included, reads back unchanged")
  void anyTextRoundTrips(
      @ForAll @StringLength(max = 300) String body, @ForAll long seq, @ForAll boolean duplicate) {
    String text =
        FrameText.of("message")
            .put("body", body)
            .put("seq", seq)
            .put("duplicate", duplicate)
            .encode();
    JsonObject parsed = new JsonObject(text);
    assertEquals(
        new JsonObject()
            .put("type", "message")
            .put("body", body)
            .put("seq", seq)
            .put("duplicate", duplicate),
        parsed);
  }

  @Property(tries = 500)
  @Label("the characters JSON must escape come out escaped and read back unchanged")
  void escapesWhatJsonRequires(
      @ForAll
          @StringLength(min = 1, max = 40)
          @CharRange(from = '\u0000', to = '\u0020')
          @Chars({'"', '\\', '/', 'a', '\u2028', '\u00e9'})
          String body) {
    String text = FrameText.of("ack").put("clientId", body).encode();
    assertEquals(body, new JsonObject(text).getString("clientId"));
    String inner = text.substring(text.indexOf("\"clientId\":\"") + 12, text.length() - 2);
    for (char c : inner.toCharArray()) {
      assertTrue(c >= 0x20, "no raw control character in " + text);
    }
  }

  @Test
  @DisplayName("a null string field is left out and the frame keeps its field order")
  void nullLeftOut() {
    assertEquals(
        "{\"type\":\"ack\",\"seq\":3,\"duplicate\":false}",
        FrameText.of("ack")
            .put("clientId", (String) null)
            .put("seq", 3)
            .put("duplicate", false)
            .encode());
  }
}
