package nl.veiligpraten.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.stream.Stream;
import nl.veiligpraten.routing.config.Lang;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every visitor frame type, field by field: what decodes to which record, and which code each kind
 * of bad input gets (the page shows a text per code, so the codes are part of the protocol, see
 * chat-gateway/PROTOCOL.md). The property tests in {@link VisitorFrameDecoderTest} show that
 * nothing else escapes; these show the exact answers.
 */
@DisplayName("Visitor frame decoder, frame by frame and field by field")
class VisitorFrameDecoderFieldsTest {

  static VisitorFrame decode(JsonObject frame) {
    return VisitorFrameDecoder.decode(frame.encode());
  }

  static JsonObject frame(String type) {
    return new JsonObject().put("type", type);
  }

  static String refusal(String text) {
    return assertThrows(FrameException.class, () -> VisitorFrameDecoder.decode(text)).code();
  }

  static String refusal(JsonObject frame) {
    return refusal(frame.encode());
  }

  @Test
  @DisplayName(
      "hello: a new chat, a resume by token with the last seen number, by code, and by reload ticket")
  void hello() {
    VisitorFrame.Hello fresh =
        assertInstanceOf(VisitorFrame.Hello.class, decode(frame("hello").put("v", 1)));
    assertEquals(new VisitorFrame.Hello(null, null, 0, null), fresh);
    assertEquals(
        new VisitorFrame.Hello("tok", null, 12, null),
        decode(frame("hello").put("v", 1).put("resume", "tok").put("lastSeq", 12)));
    assertEquals(
        new VisitorFrame.Hello(null, "ABCD-EFGH-JKLM", 0, null),
        decode(frame("hello").put("v", 1).put("resumeCode", "ABCD-EFGH-JKLM")));
    assertEquals(
        new VisitorFrame.Hello(null, null, 0, "ticket"),
        decode(frame("hello").put("v", 1).put("reload", "ticket")));
  }

  @Test
  @DisplayName(
      "hello: a missing, other or non-integer version is 'version'; bad resume fields are 'invalid_field'")
  void badHello() {
    assertEquals("version", refusal(frame("hello")));
    assertEquals("version", refusal(frame("hello").put("v", 2)));
    assertEquals("version", refusal(frame("hello").put("v", 1.5)));
    assertEquals("version", refusal(frame("hello").put("v", "1")));
    assertEquals(
        "invalid_field", refusal(frame("hello").put("v", 1).put("resume", "x".repeat(65))));
    assertEquals("invalid_field", refusal(frame("hello").put("v", 1).put("resume", 42)));
    assertEquals(
        "invalid_field", refusal(frame("hello").put("v", 1).put("resumeCode", "x".repeat(33))));
    assertEquals(
        "invalid_field", refusal(frame("hello").put("v", 1).put("reload", "x".repeat(65))));
    assertEquals("invalid_field", refusal(frame("hello").put("v", 1).put("lastSeq", -1)));
    assertEquals("invalid_field", refusal(frame("hello").put("v", 1).put("lastSeq", 1.5)));
    assertEquals("invalid_field", refusal(frame("hello").put("v", 1).put("lastSeq", "3")));
  }

  @Test
  @DisplayName("answers: the codes and the question just answered; 'after' is optional")
  void answers() {
    JsonObject codes = new JsonObject().put("Q0", "no").put("Q4", new JsonArray().add("physical"));
    VisitorFrame.Answers withAfter =
        assertInstanceOf(
            VisitorFrame.Answers.class,
            decode(frame("answers").put("answers", codes).put("after", "Q0")));
    assertEquals(codes, withAfter.answers());
    assertEquals("Q0", withAfter.after());
    assertNull(((VisitorFrame.Answers) decode(frame("answers").put("answers", codes))).after());
    assertEquals("missing_field", refusal(frame("answers")));
    assertEquals("invalid_field", refusal(frame("answers").put("answers", new JsonArray())));
    assertEquals("invalid_field", refusal(frame("answers").put("answers", "Q0=no")));
    assertEquals(
        "invalid_field", refusal(frame("answers").put("answers", codes).put("after", "Q0;drop")));
    assertEquals("invalid_field", refusal(frame("answers").put("answers", codes).put("after", 0)));
  }

  @Test
  @DisplayName(
      "choose: a help point, optional answers and an optional reading mode from the known languages")
  void choose() {
    VisitorFrame.Choose plain =
        assertInstanceOf(
            VisitorFrame.Choose.class, decode(frame("choose").put("helpPoint", "csg")));
    assertEquals("csg", plain.helpPoint());
    assertEquals(
        new JsonObject(), plain.answers(), "absent answers are an empty object, never null");
    assertNull(plain.lang());
    VisitorFrame.Choose easy =
        (VisitorFrame.Choose)
            decode(
                frame("choose")
                    .put("helpPoint", "triage")
                    .put("answers", new JsonObject().put("Q0", "no"))
                    .put("lang", "nl_easy"));
    assertEquals(Lang.NL_EASY, easy.lang());
    assertEquals("no", easy.answers().getString("Q0"));
    assertEquals("missing_field", refusal(frame("choose")));
    assertEquals("invalid_field", refusal(frame("choose").put("helpPoint", "csg'--")));
    assertEquals("invalid_field", refusal(frame("choose").put("helpPoint", "x".repeat(65))));
    assertEquals(
        "invalid_field", refusal(frame("choose").put("helpPoint", "csg").put("lang", "xx")));
    assertEquals(
        "invalid_field",
        refusal(frame("choose").put("helpPoint", "csg").put("lang", "x".repeat(17))));
    assertEquals(
        "invalid_field", refusal(frame("choose").put("helpPoint", "csg").put("answers", 1)));
  }

  @Test
  @DisplayName("message: client id and body; the body up to 4,000 characters, not blank")
  void message() {
    assertEquals(
        new VisitorFrame.Message("m-1", "hallo"),
        decode(frame("message").put("clientId", "m-1").put("body", "hallo")));
    String longest = "x".repeat(VisitorFrameDecoder.MAX_BODY_CHARS);
    assertEquals(
        longest,
        ((VisitorFrame.Message)
                decode(frame("message").put("clientId", "m-2").put("body", longest)))
            .body());
    assertEquals(
        "too_long", refusal(frame("message").put("clientId", "m-3").put("body", longest + "x")));
    assertEquals(
        "invalid_field", refusal(frame("message").put("clientId", "m-4").put("body", "  \n ")));
    assertEquals("invalid_field", refusal(frame("message").put("clientId", "m-5")));
    assertEquals("invalid_field", refusal(frame("message").put("clientId", "m-6").put("body", 7)));
    assertEquals("missing_field", refusal(frame("message").put("body", "hallo")));
    assertEquals(
        "invalid_field", refusal(frame("message").put("clientId", "").put("body", "hallo")));
    assertEquals(
        "invalid_field", refusal(frame("message").put("clientId", "m 7").put("body", "hallo")));
    assertEquals(
        "invalid_field",
        refusal(frame("message").put("clientId", "m".repeat(65)).put("body", "hallo")));
  }

  @Test
  @DisplayName("leave-message: a help point and a message checked exactly as a chat message")
  void leaveMessage() {
    VisitorFrame.LeaveMessage left =
        assertInstanceOf(
            VisitorFrame.LeaveMessage.class,
            decode(
                frame("leave-message")
                    .put("helpPoint", "mores")
                    .put("clientId", "b-1")
                    .put("body", "Een vraag")
                    .put("lang", "en")));
    assertEquals("mores", left.helpPoint());
    assertEquals(new VisitorFrame.Message("b-1", "Een vraag"), left.message());
    assertEquals(Lang.EN, left.lang());
    assertEquals(new JsonObject(), left.answers());
    assertEquals(
        "missing_field", refusal(frame("leave-message").put("clientId", "b-1").put("body", "x")));
    assertEquals(
        "missing_field",
        refusal(frame("leave-message").put("helpPoint", "mores").put("body", "x")));
    assertEquals(
        "too_long",
        refusal(
            frame("leave-message")
                .put("helpPoint", "mores")
                .put("clientId", "b-1")
                .put("body", "x".repeat(VisitorFrameDecoder.MAX_BODY_CHARS + 1))));
  }

  static Stream<Arguments> bareFrames() {
    return Stream.of(
        Arguments.of("typing", VisitorFrame.Typing.class),
        Arguments.of("ping", VisitorFrame.Ping.class),
        Arguments.of("pause", VisitorFrame.Pause.class),
        Arguments.of("resume", VisitorFrame.Resume.class),
        Arguments.of("delete", VisitorFrame.Delete.class));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bareFrames")
  @DisplayName("frames without fields decode to their record, and extra fields are ignored")
  void bare(String type, Class<? extends VisitorFrame> record) {
    assertInstanceOf(record, decode(frame(type)));
    assertInstanceOf(record, decode(frame(type).put("extra", new JsonObject().put("x", 1))));
  }

  @Test
  @DisplayName("read: a required whole sequence number of 0 or more")
  void read() {
    assertEquals(new VisitorFrame.Read(3), decode(frame("read").put("seq", 3)));
    assertEquals(new VisitorFrame.Read(0), decode(frame("read").put("seq", 0)));
    assertEquals("missing_field", refusal(frame("read")));
    assertEquals("invalid_field", refusal(frame("read").put("seq", -1)));
    assertEquals("invalid_field", refusal(frame("read").put("seq", 2.5)));
  }

  @Test
  @DisplayName("bye: hurry only when the quick-exit button sent it, and then as a boolean")
  void bye() {
    assertEquals(new VisitorFrame.Bye(false), decode(frame("bye")));
    assertEquals(new VisitorFrame.Bye(true), decode(frame("bye").put("hurry", true)));
    assertEquals(new VisitorFrame.Bye(false), decode(frame("bye").put("hurry", false)));
    assertEquals("invalid_field", refusal(frame("bye").put("hurry", 1)));
  }

  @Test
  @DisplayName("consent: a referral id and an explicit yes or no")
  void consent() {
    assertEquals(
        new VisitorFrame.Consent("r-1", true),
        decode(frame("consent").put("referralId", "r-1").put("accept", true)));
    assertEquals(
        new VisitorFrame.Consent("r-1", false),
        decode(frame("consent").put("referralId", "r-1").put("accept", false)));
    assertEquals("invalid_field", refusal(frame("consent").put("referralId", "r-1")));
    assertEquals(
        "invalid_field", refusal(frame("consent").put("referralId", "r-1").put("accept", "yes")));
    assertEquals("missing_field", refusal(frame("consent").put("accept", true)));
  }

  @Test
  @DisplayName(
      "not JSON, not an object, or without a string type is 'malformed'; an unknown type is named, "
          + "defused and clipped")
  void malformedAndUnknown() {
    assertEquals("malformed", refusal("not json"));
    assertEquals("malformed", refusal(""));
    assertEquals("malformed", refusal("[{\"type\":\"ping\"}]"));
    assertEquals("malformed", refusal("\"ping\""));
    assertEquals("malformed", refusal(new JsonObject().put("type", 1)));
    assertEquals("malformed", refusal(new JsonObject().put("kind", "ping")));
    FrameException unknown =
        assertThrows(
            FrameException.class,
            () ->
                VisitorFrameDecoder.decode(
                    frame("<img src=x onerror=alert(1)>" + "y".repeat(100)).encode()));
    assertEquals("unknown_type", unknown.code());
    assertFalse(unknown.getMessage().contains("<"), unknown.getMessage());
    assertTrue(unknown.getMessage().length() < 80, "clipped: " + unknown.getMessage());
    assertEquals("unknown_type", refusal(frame("PING")), "types are case-sensitive");
  }

  @Test
  @DisplayName("a NUL character anywhere, in a value, a nested value or a key, is 'invalid_text'")
  void nul() {
    assertEquals(
        "invalid_text", refusal(frame("message").put("clientId", "m-1").put("body", "a\u0000b")));
    assertEquals(
        "invalid_text",
        refusal(frame("answers").put("answers", new JsonObject().put("Q0", "n\u0000o"))));
    assertEquals(
        "invalid_text",
        refusal(
            frame("answers")
                .put("answers", new JsonObject().put("Q4", new JsonArray().add("x\u0000")))));
    assertEquals("invalid_text", refusal(frame("ping").put("k\u0000", 1)));
  }
}
