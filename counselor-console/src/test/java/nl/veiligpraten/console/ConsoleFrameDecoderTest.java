package nl.veiligpraten.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import nl.veiligpraten.routing.OverrideReason;
import nl.veiligpraten.routing.conversation.OutcomeTag;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Console frame decoder")
class ConsoleFrameDecoderTest {

  static final String ID = "5f0c2a4e-9a51-4d8b-8a57-0c2b3f1a9d11";
  static final UUID UID = UUID.fromString(ID);
  static final String OFFER = "0b7e0d1c-3a0e-4c39-9a7e-2f5b3f1a9d22";

  /** One valid frame per type, as the page (console.js) sends it. */
  static Map<ConsoleFrame.Type, JsonObject> valid() {
    Map<ConsoleFrame.Type, JsonObject> frames = new EnumMap<>(ConsoleFrame.Type.class);
    frames.put(ConsoleFrame.Type.TAKE, frame("take").put("conversationId", ID));
    frames.put(
        ConsoleFrame.Type.MESSAGE,
        frame("message")
            .put("conversationId", ID)
            .put("clientId", "c-1")
            .put("body", "Hallo, ik ben er."));
    frames.put(
        ConsoleFrame.Type.CLOSE,
        frame("close")
            .put("conversationId", ID)
            .put("outcome", "listened")
            .put("tags", new JsonArray().add("safety_plan")));
    frames.put(ConsoleFrame.Type.TYPING, frame("typing").put("conversationId", ID));
    frames.put(ConsoleFrame.Type.PING, frame("ping"));
    frames.put(ConsoleFrame.Type.STATUS, frame("status").put("status", "away"));
    frames.put(
        ConsoleFrame.Type.TRANSFER,
        frame("transfer").put("conversationId", ID).put("note", " let op ").put("toStaffId", 12));
    frames.put(
        ConsoleFrame.Type.TRANSFER_ANSWER,
        frame("transfer-answer")
            .put("offerId", OFFER)
            .put("conversationId", ID)
            .put("accept", true));
    frames.put(
        ConsoleFrame.Type.TRANSFER_CANCEL, frame("transfer-cancel").put("conversationId", ID));
    frames.put(
        ConsoleFrame.Type.REFER,
        frame("refer")
            .put("conversationId", ID)
            .put("helpPoint", "veilig_thuis")
            .put("note", "overdracht"));
    frames.put(
        ConsoleFrame.Type.JOIN,
        frame("join").put("conversationId", ID).put("reason", " kwaliteit "));
    frames.put(ConsoleFrame.Type.LEAVE, frame("leave").put("conversationId", ID));
    frames.put(
        ConsoleFrame.Type.WHISPER,
        frame("whisper").put("conversationId", ID).put("body", "vraag naar 113"));
    frames.put(ConsoleFrame.Type.SUICIDE_RISK, frame("suicide-risk").put("conversationId", ID));
    frames.put(
        ConsoleFrame.Type.OVERRIDE,
        frame("override")
            .put("conversationId", ID)
            .put("helpPoint", "sense")
            .put("reason", "age_mismatch"));
    frames.put(ConsoleFrame.Type.TAKEOVER, frame("takeover").put("conversationId", ID));
    frames.put(
        ConsoleFrame.Type.REASSIGN,
        frame("reassign").put("conversationId", ID).put("toStaffId", 7));
    frames.put(
        ConsoleFrame.Type.CLOSE_ABUSE,
        frame("close-abuse")
            .put("reason", "misbruik")
            .put("conversationIds", new JsonArray().add(ID).add(OFFER)));
    frames.put(ConsoleFrame.Type.CONFIRM_P0, frame("confirm-p0").put("conversationId", ID));
    return frames;
  }

  static JsonObject frame(String type) {
    return new JsonObject().put("type", type);
  }

  static ConsoleFrame decode(JsonObject json) {
    return ConsoleFrameDecoder.decode(json.encode());
  }

  static ConsoleFrameException refused(JsonObject json) {
    return assertThrows(ConsoleFrameException.class, () -> decode(json), json.encode());
  }

  static ConsoleFrameException refused(String text) {
    return assertThrows(ConsoleFrameException.class, () -> ConsoleFrameDecoder.decode(text), text);
  }

  @Test
  @DisplayName(
      "every frame type the console may send decodes to its own record, and the wire names are the list the "
          + "authorization test iterates over")
  void everyTypeDecodes() {
    Map<ConsoleFrame.Type, JsonObject> frames = valid();
    assertEquals(ConsoleFrame.Type.values().length, frames.size(), "a sample for every type");
    for (var e : frames.entrySet()) {
      ConsoleFrame decoded = decode(e.getValue());
      assertEquals(e.getKey(), decoded.type(), e.getValue().encode());
      assertEquals(e.getKey().wire(), e.getValue().getString("type"));
    }
    assertEquals(
        List.of(
            "take",
            "message",
            "close",
            "typing",
            "ping",
            "status",
            "transfer",
            "transfer-answer",
            "transfer-cancel",
            "refer",
            "join",
            "leave",
            "whisper",
            "suicide-risk",
            "override",
            "takeover",
            "reassign",
            "close-abuse",
            "confirm-p0"),
        ConsoleConnection.FRAME_TYPES);
  }

  @Test
  @DisplayName("dispatch calls exactly the handler method of the frame's own type")
  void dispatchReachesItsOwnMethod() {
    List<String> called = new ArrayList<>();
    ConsoleFrame.Handler recorder = recorder(called);
    for (var e : valid().entrySet()) {
      called.clear();
      decode(e.getValue()).dispatch(recorder);
      assertEquals(List.of(e.getKey().wire()), called);
    }
  }

  @Test
  @DisplayName(
      "decoded fields carry what the page sent: ids as UUIDs, notes and reasons stripped, tags deduplicated")
  void fieldsAreTyped() {
    var message =
        assertInstanceOf(
            ConsoleFrame.Message.class, decode(valid().get(ConsoleFrame.Type.MESSAGE)));
    assertEquals(new ConsoleFrame.Message(UID, "c-1", "Hallo, ik ben er."), message);
    var close =
        assertInstanceOf(
            ConsoleFrame.Close.class,
            decode(
                frame("close")
                    .put("conversationId", ID)
                    .put("outcome", "advice")
                    .put("tags", new JsonArray().add("safety_plan").add("safety_plan"))));
    assertEquals(List.of("safety_plan"), close.tags());
    var untagged =
        assertInstanceOf(
            ConsoleFrame.Close.class,
            decode(frame("close").put("conversationId", ID).put("outcome", "advice")));
    assertEquals(List.of(), untagged.tags());
    var warm =
        assertInstanceOf(
            ConsoleFrame.Transfer.class, decode(valid().get(ConsoleFrame.Type.TRANSFER)));
    assertEquals(new ConsoleFrame.Transfer(UID, "let op", 12L), warm);
    assertFalse(warm.toQueue());
    var cold =
        assertInstanceOf(
            ConsoleFrame.Transfer.class,
            decode(frame("transfer").put("conversationId", ID).put("toQueue", true)));
    assertTrue(cold.toQueue());
    assertEquals("", cold.note());
    assertEquals(
        new ConsoleFrame.TransferAnswer(UUID.fromString(OFFER), true, UID),
        decode(valid().get(ConsoleFrame.Type.TRANSFER_ANSWER)));
    assertEquals(
        new ConsoleFrame.Join(UID, "kwaliteit"), decode(valid().get(ConsoleFrame.Type.JOIN)));
    assertEquals(
        new ConsoleFrame.RouteOverride(UID, OverrideReason.AGE_MISMATCH, "sense"),
        decode(valid().get(ConsoleFrame.Type.OVERRIDE)));
    assertEquals(
        new ConsoleFrame.Reassign(UID, null, "csg"),
        decode(frame("reassign").put("conversationId", ID).put("toHelpPoint", "csg")));
    assertEquals(
        new ConsoleFrame.CloseAbuse(List.of(UID, UUID.fromString(OFFER))),
        decode(valid().get(ConsoleFrame.Type.CLOSE_ABUSE)));
    assertEquals(
        new ConsoleFrame.CloseAbuse(List.of(UID)),
        decode(frame("close-abuse").put("reason", "misbruik").put("conversationId", ID)));
    assertNull(
        ((ConsoleFrame.Take) decode(frame("take"))).conversationId(),
        "take without an id takes the next");
  }

  @Test
  @DisplayName(
      "text that is no JSON object is malformed; a NUL anywhere is invalid_text; no or an unknown type is "
          + "unknown_type")
  void envelope() {
    for (String text : List.of("", "][", "[]", "\"take\"", "42", "{\"type\":")) {
      ConsoleFrameException e = refused(text);
      assertEquals("malformed", e.code(), text);
      assertNull(e.conversationId());
    }
    assertEquals(
        "invalid_text",
        refused(valid().get(ConsoleFrame.Type.MESSAGE).put("body", "a\u0000b")).code());
    assertEquals("invalid_text", refused(frame("ping").put("x\u0000", 1)).code());
    for (JsonObject f :
        List.of(
            new JsonObject(),
            frame("launch-missiles"),
            new JsonObject().put("type", 3),
            frame("Take"),
            frame("hello"))) {
      ConsoleFrameException e = refused(f);
      assertEquals("unknown_type", e.code(), f.encode());
      assertEquals("Unknown frame type.", e.getMessage());
    }
  }

  @Test
  @DisplayName(
      "every frame that names a chat refuses a missing or malformed conversationId as invalid_field, without "
          + "naming a chat")
  void conversationIdRequired() {
    for (var e : valid().entrySet()) {
      JsonObject f = e.getValue();
      if (!f.containsKey("conversationId")
          || e.getKey() == ConsoleFrame.Type.TAKE
          || e.getKey() == ConsoleFrame.Type.TRANSFER_ANSWER) {
        continue;
      }
      ConsoleFrameException missing = refused(f.copy().put("conversationId", (Object) null));
      assertEquals("invalid_field", missing.code(), f.encode());
      assertEquals("conversationId must be a string", missing.getMessage());
      assertNull(missing.conversationId());
      for (Object bad : List.of("not-a-uuid", "1-1-1-1-1", 42, new JsonArray().add(ID))) {
        ConsoleFrameException invalid = refused(f.copy().put("conversationId", bad));
        assertEquals("invalid_field", invalid.code(), f.encode() + " " + bad);
        assertNull(invalid.conversationId());
      }
    }
    // The two frames where the id is optional still refuse a malformed one.
    assertEquals("invalid_field", refused(frame("take").put("conversationId", "x")).code());
    assertEquals(
        "invalid_field",
        refused(valid().get(ConsoleFrame.Type.TRANSFER_ANSWER).put("conversationId", 5)).code());
  }

  @Test
  @DisplayName(
      "a message needs a valid clientId and a body of 1-4000 characters; the error names the chat and the "
          + "clientId so the page marks exactly that message as not sent")
  void messageFields() {
    JsonObject ok = valid().get(ConsoleFrame.Type.MESSAGE);
    assertInstanceOf(ConsoleFrame.Message.class, decode(ok.copy().put("body", "a".repeat(4000))));
    ConsoleFrameException tooLong = refused(ok.copy().put("body", "a".repeat(4001)));
    assertEquals("invalid_field", tooLong.code());
    assertEquals(UID, tooLong.conversationId());
    assertEquals("c-1", tooLong.clientId());
    assertEquals(
        "message needs clientId (1-64 of A-Za-z0-9_.:-) and a body of 1-4000 characters.",
        tooLong.getMessage());
    for (Object body : List.of("", "   \n", 5, new JsonObject())) {
      ConsoleFrameException e = refused(ok.copy().put("body", body));
      assertEquals("invalid_field", e.code(), String.valueOf(body));
      assertEquals("c-1", e.clientId());
    }
    assertEquals("invalid_field", refused(withoutField(ok, "body")).code());
    for (Object clientId : List.of("bad id with spaces", "x".repeat(65), 7)) {
      ConsoleFrameException e = refused(ok.copy().put("clientId", clientId));
      assertEquals("invalid_field", e.code());
      assertEquals(UID, e.conversationId());
      assertNull(e.clientId(), "an invalid clientId is not echoed");
    }
    assertNull(refused(withoutField(ok, "clientId")).clientId());
  }

  @Test
  @DisplayName(
      "close needs an outcome code (invalid_outcome) and at most 5 known tags (invalid_tags), naming the chat")
  void closeFields() {
    JsonObject ok = valid().get(ConsoleFrame.Type.CLOSE);
    for (Object outcome : List.of("solved", "", 1)) {
      ConsoleFrameException e = refused(ok.copy().put("outcome", outcome));
      assertEquals("invalid_outcome", e.code());
      assertEquals(UID, e.conversationId());
    }
    assertEquals("invalid_outcome", refused(withoutField(ok, "outcome")).code());
    JsonArray six = new JsonArray();
    OutcomeTag.codes().stream().limit(6).forEach(six::add);
    for (Object tags :
        List.of(six, new JsonArray().add("free text"), new JsonArray().add(3), "safety_plan")) {
      ConsoleFrameException e = refused(ok.copy().put("tags", tags));
      assertEquals("invalid_tags", e.code(), String.valueOf(tags));
      assertEquals(UID, e.conversationId());
    }
  }

  @Test
  @DisplayName(
      "status, transfer, transfer-answer, refer, join, whisper, override, reassign and close-abuse refuse "
          + "missing, mistyped and oversized fields with invalid_field")
  void otherFields() {
    Map<ConsoleFrame.Type, JsonObject> v = valid();
    List<JsonObject> bad =
        List.of(
            v.get(ConsoleFrame.Type.STATUS).copy().put("status", "asleep"),
            withoutField(v.get(ConsoleFrame.Type.STATUS), "status"),
            v.get(ConsoleFrame.Type.TRANSFER).copy().put("note", "n".repeat(1001)),
            v.get(ConsoleFrame.Type.TRANSFER).copy().put("note", 5),
            v.get(ConsoleFrame.Type.TRANSFER).copy().put("toQueue", true),
            withoutField(v.get(ConsoleFrame.Type.TRANSFER), "toStaffId"),
            v.get(ConsoleFrame.Type.TRANSFER).copy().put("toStaffId", "12"),
            v.get(ConsoleFrame.Type.TRANSFER).copy().put("toStaffId", 1.5),
            withoutField(v.get(ConsoleFrame.Type.TRANSFER_ANSWER), "offerId"),
            v.get(ConsoleFrame.Type.TRANSFER_ANSWER).copy().put("offerId", "no-offer"),
            v.get(ConsoleFrame.Type.TRANSFER_ANSWER).copy().put("accept", "yes"),
            withoutField(v.get(ConsoleFrame.Type.REFER), "helpPoint"),
            v.get(ConsoleFrame.Type.REFER).copy().put("helpPoint", "h".repeat(65)),
            v.get(ConsoleFrame.Type.REFER).copy().put("note", "n".repeat(1001)),
            v.get(ConsoleFrame.Type.JOIN).copy().put("reason", "   "),
            v.get(ConsoleFrame.Type.JOIN).copy().put("reason", "r".repeat(501)),
            withoutField(v.get(ConsoleFrame.Type.JOIN), "reason"),
            v.get(ConsoleFrame.Type.WHISPER).copy().put("body", " "),
            v.get(ConsoleFrame.Type.WHISPER).copy().put("body", "w".repeat(1001)),
            v.get(ConsoleFrame.Type.OVERRIDE).copy().put("reason", "aanval"),
            withoutField(v.get(ConsoleFrame.Type.OVERRIDE), "helpPoint"),
            v.get(ConsoleFrame.Type.REASSIGN).copy().put("toHelpPoint", "csg"),
            withoutField(v.get(ConsoleFrame.Type.REASSIGN), "toStaffId"),
            frame("reassign").put("conversationId", ID).put("toHelpPoint", 3),
            v.get(ConsoleFrame.Type.CLOSE_ABUSE).copy().put("reason", "aanval"),
            v.get(ConsoleFrame.Type.CLOSE_ABUSE).copy().put("conversationIds", new JsonArray()),
            v.get(ConsoleFrame.Type.CLOSE_ABUSE)
                .copy()
                .put("conversationIds", new JsonArray().add(ID).add(ID)));
    for (JsonObject f : bad) {
      ConsoleFrameException e = refused(f);
      assertEquals("invalid_field", e.code(), f.encode());
      assertNotNull(e.getMessage());
      if (f.containsKey("conversationId") && !"status".equals(f.getString("type"))) {
        assertEquals(UID, e.conversationId(), "the error names the chat: " + f.encode());
      }
    }
    // The limits themselves are accepted.
    assertInstanceOf(
        ConsoleFrame.Whisper.class,
        decode(v.get(ConsoleFrame.Type.WHISPER).copy().put("body", "w".repeat(1000))));
    assertInstanceOf(
        ConsoleFrame.Join.class,
        decode(v.get(ConsoleFrame.Type.JOIN).copy().put("reason", "r".repeat(500))));
    JsonArray burst = new JsonArray();
    for (int i = 0; i < ConsoleConnection.MAX_BURST + 1; i++) {
      burst.add(UUID.randomUUID().toString());
    }
    ConsoleFrameException tooMany =
        refused(frame("close-abuse").put("reason", "misbruik").put("conversationIds", burst));
    assertEquals("invalid_field", tooMany.code());
    burst.remove(0);
    assertEquals(
        ConsoleConnection.MAX_BURST,
        ((ConsoleFrame.CloseAbuse)
                decode(
                    frame("close-abuse").put("reason", "misbruik").put("conversationIds", burst)))
            .conversationIds()
            .size());
  }

  @Property(tries = 1000)
  @Label(
      "random text and random mutations of valid frames give a frame or a coded refusal, nothing else")
  void neverCrashes(@ForAll("texts") String text) {
    try {
      assertNotNull(ConsoleFrameDecoder.decode(text));
    } catch (ConsoleFrameException e) {
      assertNotNull(e.code());
      assertNotNull(e.getMessage());
    }
  }

  @Provide
  Arbitrary<String> texts() {
    List<String> samples = valid().values().stream().map(JsonObject::encode).toList();
    Arbitrary<String> mutated =
        Arbitraries.of(samples)
            .flatMap(
                s ->
                    Arbitraries.integers()
                        .between(0, s.length())
                        .flatMap(
                            at ->
                                Arbitraries.chars()
                                    .map(c -> s.substring(0, at) + c + s.substring(at))));
    Arbitrary<String> cut =
        Arbitraries.of(samples)
            .flatMap(
                s -> Arbitraries.integers().between(0, s.length()).map(at -> s.substring(0, at)));
    return Arbitraries.oneOf(Arbitraries.strings(), mutated, cut);
  }

  static JsonObject withoutField(JsonObject f, String field) {
    JsonObject copy = f.copy();
    copy.remove(field);
    return copy;
  }

  /** A handler that records the wire name of each method called. */
  static ConsoleFrame.Handler recorder(List<String> called) {
    return new ConsoleFrame.Handler() {
      public void take(ConsoleFrame.Take f) {
        called.add("take");
      }

      public void message(ConsoleFrame.Message f) {
        called.add("message");
      }

      public void close(ConsoleFrame.Close f) {
        called.add("close");
      }

      public void typing(ConsoleFrame.Typing f) {
        called.add("typing");
      }

      public void ping(ConsoleFrame.Ping f) {
        called.add("ping");
      }

      public void status(ConsoleFrame.Status f) {
        called.add("status");
      }

      public void transfer(ConsoleFrame.Transfer f) {
        called.add("transfer");
      }

      public void transferAnswer(ConsoleFrame.TransferAnswer f) {
        called.add("transfer-answer");
      }

      public void transferCancel(ConsoleFrame.TransferCancel f) {
        called.add("transfer-cancel");
      }

      public void refer(ConsoleFrame.Refer f) {
        called.add("refer");
      }

      public void join(ConsoleFrame.Join f) {
        called.add("join");
      }

      public void leave(ConsoleFrame.Leave f) {
        called.add("leave");
      }

      public void whisper(ConsoleFrame.Whisper f) {
        called.add("whisper");
      }

      public void suicideRisk(ConsoleFrame.SuicideRisk f) {
        called.add("suicide-risk");
      }

      public void override(ConsoleFrame.RouteOverride f) {
        called.add("override");
      }

      public void takeover(ConsoleFrame.Takeover f) {
        called.add("takeover");
      }

      public void reassign(ConsoleFrame.Reassign f) {
        called.add("reassign");
      }

      public void closeAbuse(ConsoleFrame.CloseAbuse f) {
        called.add("close-abuse");
      }

      public void confirmP0(ConsoleFrame.ConfirmP0 f) {
        called.add("confirm-p0");
      }
    };
  }
}
