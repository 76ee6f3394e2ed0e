package nl.veiligpraten.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Visitor frame decoder")
class VisitorFrameDecoderTest {

  static final List<String> TYPES =
      List.of(
          "hello", "answers", "choose", "message", "typing", "read", "bye", "ping", "delete",
          "consent");
  static final List<String> FIELDS =
      List.of(
          "v",
          "resume",
          "resumeCode",
          "lastSeq",
          "answers",
          "after",
          "helpPoint",
          "clientId",
          "body",
          "seq",
          "hurry",
          "referralId",
          "accept");

  /**
   * Decoding either yields a typed frame or a FrameException with a code; nothing else may escape.
   */
  static void decodeSafely(String text) {
    try {
      assertNotNull(VisitorFrameDecoder.decode(text));
    } catch (FrameException e) {
      assertNotNull(e.code());
      assertNotNull(e.getMessage());
    }
  }

  @Property(tries = 1000)
  @Label("random text never throws anything but FrameException")
  void randomText(@ForAll String text) {
    decodeSafely(text);
  }

  @Property(tries = 1000)
  @Label(
      "random JSON-ish frames with known and unknown types and fields of any type never crash the decoder")
  void randomFrames(@ForAll("frames") String text) {
    decodeSafely(text);
  }

  @Property(tries = 1000)
  @Label("random mutations of valid frames never crash the decoder")
  void mutatedFrames(
      @ForAll("valid") String valid, @ForAll("positions") int position, @ForAll char inserted) {
    int at = Math.min(position, valid.length());
    decodeSafely(valid.substring(0, at) + inserted + valid.substring(at));
    decodeSafely(valid.substring(0, at));
  }

  @Provide
  Arbitrary<Integer> positions() {
    return Arbitraries.integers().between(0, 120);
  }

  @Provide
  Arbitrary<String> valid() {
    return Arbitraries.of(
        "{\"type\":\"hello\",\"v\":1}",
        "{\"type\":\"hello\",\"v\":1,\"resume\":\"abc\",\"lastSeq\":4}",
        "{\"type\":\"answers\",\"answers\":{\"Q0\":\"no\"},\"after\":\"Q0\"}",
        "{\"type\":\"choose\",\"helpPoint\":\"csg\",\"answers\":{\"Q4\":[\"physical\"]}}",
        "{\"type\":\"message\",\"clientId\":\"m-1\",\"body\":\"hallo\"}",
        "{\"type\":\"read\",\"seq\":3}",
        "{\"type\":\"bye\",\"hurry\":true}");
  }

  @Provide
  Arbitrary<String> frames() {
    Arbitrary<Object> scalar =
        Arbitraries.oneOf(
            Arbitraries.strings().ofMaxLength(80).map(s -> (Object) s),
            Arbitraries.strings().withChars("ABCDEFGHJK23456789").ofLength(8).map(s -> (Object) s),
            Arbitraries.longs().map(l -> (Object) l),
            Arbitraries.doubles().map(d -> (Object) d),
            Arbitraries.of(true, false).map(b -> (Object) b),
            Arbitraries.just(null),
            Arbitraries.of(1, 0, -1, Integer.MAX_VALUE, Long.MIN_VALUE).map(n -> (Object) n),
            Arbitraries.strings().ofMinLength(4001).ofMaxLength(4100).map(s -> (Object) s));
    Arbitrary<Object> value =
        Arbitraries.oneOf(
            scalar,
            scalar.list().ofMaxSize(4).map(l -> (Object) new JsonArray(l)),
            Combinators.combine(Arbitraries.of(List.of("Q0", "Q1", "Q4", "talk_now", "x")), scalar)
                .as((k, v) -> (Object) new JsonObject().put(k, v)));
    Arbitrary<Object> type = Arbitraries.oneOf(Arbitraries.of(TYPES).map(t -> (Object) t), scalar);
    return Combinators.combine(
            type, Arbitraries.of(FIELDS).list().ofMaxSize(5), value.list().ofSize(5))
        .as(
            (t, fields, values) -> {
              JsonObject frame = new JsonObject().put("type", t);
              for (int i = 0; i < fields.size(); i++) {
                frame.put(fields.get(i), values.get(i));
              }
              return frame.encode();
            });
  }

  @Test
  @DisplayName("valid frames decode to their typed records")
  void validFrames() {
    VisitorFrame.Hello hello =
        assertInstanceOf(
            VisitorFrame.Hello.class,
            VisitorFrameDecoder.decode(
                "{\"type\":\"hello\",\"v\":1,\"resume\":\"tok\",\"lastSeq\":7}"));
    assertEquals("tok", hello.resumeToken());
    assertEquals(7, hello.lastSeq());
    VisitorFrame.Answers answers =
        assertInstanceOf(
            VisitorFrame.Answers.class,
            VisitorFrameDecoder.decode(
                "{\"type\":\"answers\",\"answers\":{\"Q0\":\"no\"},\"after\":\"Q0\"}"));
    assertEquals("Q0", answers.after());
    VisitorFrame.Message m =
        assertInstanceOf(
            VisitorFrame.Message.class,
            VisitorFrameDecoder.decode(
                "{\"type\":\"message\",\"clientId\":\"m-1\",\"body\":\"hoi\"}"));
    assertEquals("hoi", m.body());
    assertInstanceOf(
        VisitorFrame.Bye.class, VisitorFrameDecoder.decode("{\"type\":\"bye\",\"hurry\":true}"));
  }

  @Test
  @DisplayName("bad frames are refused with a stable code")
  void badFrames() {
    assertEquals(
        "malformed",
        assertThrows(FrameException.class, () -> VisitorFrameDecoder.decode("[1]")).code());
    assertEquals(
        "malformed",
        assertThrows(FrameException.class, () -> VisitorFrameDecoder.decode("{}")).code());
    assertEquals(
        "version",
        assertThrows(
                FrameException.class,
                () -> VisitorFrameDecoder.decode("{\"type\":\"hello\",\"v\":2}"))
            .code());
    assertEquals(
        "unknown_type",
        assertThrows(
                FrameException.class, () -> VisitorFrameDecoder.decode("{\"type\":\"<script>\"}"))
            .code());
    assertEquals(
        "invalid_field",
        assertThrows(
                FrameException.class,
                () -> VisitorFrameDecoder.decode("{\"type\":\"read\",\"seq\":-1}"))
            .code());
    assertEquals(
        "invalid_field",
        assertThrows(
                FrameException.class,
                () ->
                    VisitorFrameDecoder.decode(
                        "{\"type\":\"answers\",\"answers\":{},\"after\":\"Q 0\"}"))
            .code());
    assertEquals(
        "too_long",
        assertThrows(
                FrameException.class,
                () ->
                    VisitorFrameDecoder.decode(
                        new JsonObject()
                            .put("type", "message")
                            .put("clientId", "a")
                            .put("body", "x".repeat(4001))
                            .encode()))
            .code());
    assertEquals(
        "invalid_field",
        assertThrows(
                FrameException.class,
                () -> VisitorFrameDecoder.decode("{\"type\":\"bye\",\"hurry\":\"yes\"}"))
            .code());
  }
}
