package nl.veiligpraten.console;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import nl.veiligpraten.assignment.StaffNotes;
import nl.veiligpraten.conversation.PlainMessage;
import nl.veiligpraten.infra.bus.WarmTransfer;
import nl.veiligpraten.routing.conversation.Outcome;
import nl.veiligpraten.routing.conversation.OutcomeTag;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Console outbound frames")
class ConsoleOutTest {

  static final UUID ID = UUID.fromString("5f0c2a4e-9a51-4d8b-8a57-0c2b3f1a9d11");
  static final UUID OFFER = UUID.fromString("0b7e0d1c-3a0e-4c39-9a7e-2f5b3f1a9d22");
  static final String I = ID.toString();
  static final String O = OFFER.toString();
  static final OffsetDateTime AT = OffsetDateTime.of(2026, 12, 7, 4, 30, 0, 0, ZoneOffset.UTC);

  static JsonObject card() {
    return new JsonObject().put("conversationId", I).put("helpPoint", "csg").put("priority", 1);
  }

  /**
   * Every frame the server sends, with the exact text the console has always received (field names
   * and order).
   */
  static Map<String, String> frames() {
    Map<String, String> f = new LinkedHashMap<>();
    JsonObject user = new JsonObject().put("id", 3).put("username", "csg-demo");
    f.put(
        ConsoleOut.hello(user, 25, 10).encode(),
        "{\"type\":\"hello\",\"user\":{\"id\":3,\"username\":\"csg-demo\"},"
            + "\"outcomes\":"
            + new JsonArray(Outcome.counselorCodes()).encode()
            + ",\"tags\":"
            + new JsonArray(OutcomeTag.codes()).encode()
            + ",\"overrideReasons\":"
            + new JsonArray(nl.veiligpraten.routing.OverrideReason.codes()).encode()
            + ",\"heartbeat\":{\"pingSeconds\":25,\"pongTimeoutSeconds\":10}}");
    f.put(ConsoleOut.pong().encode(), "{\"type\":\"pong\"}");
    f.put(ConsoleOut.reconnect().encode(), "{\"type\":\"reconnect\"}");
    f.put(
        ConsoleOut.sessionEnded("logged_out").encode(),
        "{\"type\":\"session-ended\",\"reason\":\"logged_out\"}");
    f.put(ConsoleOut.status("away").encode(), "{\"type\":\"status\",\"status\":\"away\"}");
    f.put(
        ConsoleOut.chats(new JsonArray().add(I)).encode(),
        "{\"type\":\"chats\",\"conversationIds\":[\"" + I + "\"]}");
    f.put(
        ConsoleOut.queue(new JsonArray().add(card())).encode(),
        "{\"type\":\"queue\",\"items\":[" + card().encode() + "]}");
    f.put(
        ConsoleOut.inbox("left", I).encode(),
        "{\"type\":\"inbox\",\"kind\":\"left\",\"conversationId\":\"" + I + "\"}");
    JsonObject alert =
        new JsonObject().put("kind", "suicide_risk").put("conversationId", I).put("priority", 0);
    f.put(
        ConsoleOut.alert(alert).encode(),
        "{\"kind\":\"suicide_risk\",\"conversationId\":\""
            + I
            + "\",\"priority\":0,\"type\":\"alert\"}");
    String cardText = card().encode();
    String cardFields = cardText.substring(1, cardText.length() - 1);
    f.put(
        ConsoleOut.assigned(card(), true, "assigned").encode(),
        "{" + cardFields + ",\"type\":\"assigned\",\"observer\":true,\"status\":\"assigned\"}");
    f.put(
        ConsoleOut.outcomePending(card()).encode(),
        "{"
            + cardFields
            + ",\"type\":\"assigned\",\"observer\":false,\"status\":\"closed\",\"outcomePending\":true}");
    f.put(
        ConsoleOut.message(ID, new PlainMessage(4, "visitor", null, "v-1", "Hallo \"daar\"", AT)),
        "{\"type\":\"message\",\"conversationId\":\""
            + I
            + "\",\"seq\":4,\"from\":\"visitor\",\"body\":"
            + "\"Hallo \\\"daar\\\"\",\"at\":\"2026-12-07T04:30:00Z\"}");
    f.put(
        ConsoleOut.message(ID, new PlainMessage(5, "counselor", 3L, "c-1", "Ik ben er", AT)),
        "{\"type\":\"message\",\"conversationId\":\""
            + I
            + "\",\"seq\":5,\"from\":\"counselor\",\"body\":"
            + "\"Ik ben er\",\"at\":\"2026-12-07T04:30:00Z\",\"clientId\":\"c-1\"}");
    f.put(
        ConsoleOut.ack(ID, "c-1", 5, false),
        "{\"type\":\"ack\",\"conversationId\":\""
            + I
            + "\",\"clientId\":\"c-1\",\"seq\":5,\"duplicate\":false}");
    f.put(
        ConsoleOut.note(ID, new StaffNotes.Note(2, "whisper", 9, "Sup", "let op", AT)).encode(),
        "{\"type\":\"note\",\"conversationId\":\""
            + I
            + "\",\"seq\":2,\"kind\":\"whisper\",\"from\":\"Sup\","
            + "\"body\":\"let op\",\"at\":\"2026-12-07T04:30:00Z\"}");
    for (String t :
        new String[] {
          "typing",
          "visitor-disconnected",
          "visitor-paused",
          "visitor-back",
          "deleted",
          "p0-confirmed"
        }) {
      JsonObject built =
          switch (t) {
            case "typing" -> ConsoleOut.typing(ID);
            case "visitor-disconnected" -> ConsoleOut.visitorDisconnected(ID);
            case "visitor-paused" -> ConsoleOut.visitorPaused(ID);
            case "visitor-back" -> ConsoleOut.visitorBack(ID);
            case "deleted" -> ConsoleOut.deleted(ID);
            default -> ConsoleOut.p0Confirmed(ID);
          };
      f.put(built.encode(), "{\"type\":\"" + t + "\",\"conversationId\":\"" + I + "\"}");
    }
    f.put(
        ConsoleOut.closed(ID, "advice", "visitor", true).encode(),
        "{\"type\":\"closed\",\"conversationId\":\""
            + I
            + "\",\"outcome\":\"advice\",\"by\":\"visitor\",\"outcomePending\":true}");
    f.put(
        ConsoleOut.released(ID, "transferred").encode(),
        "{\"type\":\"released\",\"conversationId\":\"" + I + "\",\"reason\":\"transferred\"}");
    f.put(
        ConsoleOut.referral(ID, "r-1", "offered").encode(),
        "{\"type\":\"referral\",\"conversationId\":\""
            + I
            + "\",\"referralId\":\"r-1\",\"state\":\"offered\"}");
    f.put(
        ConsoleOut.counselorRule(ID, "U1").encode(),
        "{\"type\":\"counselor-rule\",\"conversationId\":\""
            + I
            + "\",\"rule\":\"U1\",\"priority\":0}");
    f.put(
        ConsoleOut.override(ID, "acute", "veilig_thuis").encode(),
        "{\"type\":\"override\",\"conversationId\":\""
            + I
            + "\",\"reason\":\"acute\",\"helpPoint\":\"veilig_thuis\"}");
    f.put(
        ConsoleOut.transferOffered(ID, OFFER, 12, "Ans", 60).encode(),
        "{\"type\":\"transfer-offered\","
            + "\"conversationId\":\""
            + I
            + "\",\"offerId\":\""
            + O
            + "\",\"toStaffId\":12,\"to\":\"Ans\","
            + "\"expiresInSeconds\":60}");
    f.put(
        ConsoleOut.transferDeclined(ID, OFFER, WarmTransfer.End.AT_CAPACITY).encode(),
        "{\"type\":"
            + "\"transfer-declined\",\"conversationId\":\""
            + I
            + "\",\"offerId\":\""
            + O
            + "\",\"reason\":\"at_capacity\"}");
    f.put(
        ConsoleOut.transferOffer(card(), OFFER, "Bo", "", 60).encode(),
        "{"
            + cardFields
            + ",\"type\":"
            + "\"transfer-offer\",\"offerId\":\""
            + O
            + "\",\"from\":\"Bo\",\"note\":\"\",\"expiresInSeconds\":60}");
    f.put(
        ConsoleOut.transferOfferEnded(OFFER, ID, "withdrawn").encode(),
        "{\"type\":\"transfer-offer-ended\","
            + "\"offerId\":\""
            + O
            + "\",\"conversationId\":\""
            + I
            + "\",\"reason\":\"withdrawn\"}");
    f.put(
        ConsoleOut.reassignedToColleague(ID, 7).encode(),
        "{\"type\":\"reassigned\",\"conversationId\":\"" + I + "\",\"toStaffId\":7}");
    f.put(
        ConsoleOut.reassignedToQueue(ID, "csg").encode(),
        "{\"type\":\"reassigned\",\"conversationId\":\"" + I + "\",\"toHelpPoint\":\"csg\"}");
    f.put(
        ConsoleOut.closedAbuse(new JsonArray().add(I)).encode(),
        "{\"type\":\"closed-abuse\",\"conversationIds\":" + "[\"" + I + "\"]}");
    f.put(
        ConsoleOut.error("forbidden", "Alleen voor leidinggevenden.", null).encode(),
        "{\"type\":\"error\","
            + "\"code\":\"forbidden\",\"message\":\"Alleen voor leidinggevenden.\"}");
    f.put(
        ConsoleOut.error("not_yours", "Nee.", I).encode(),
        "{\"type\":\"error\",\"code\":\"not_yours\","
            + "\"message\":\"Nee.\",\"conversationId\":\""
            + I
            + "\"}");
    f.put(
        ConsoleOut.messageError("closed", "Dicht.", ID, "c-1").encode(),
        "{\"type\":\"error\",\"code\":"
            + "\"closed\",\"message\":\"Dicht.\",\"conversationId\":\""
            + I
            + "\",\"clientId\":\"c-1\"}");
    f.put(
        ConsoleOut.messageError("invalid_field", "Mis.", ID, null).encode(),
        "{\"type\":\"error\",\"code\":"
            + "\"invalid_field\",\"message\":\"Mis.\",\"conversationId\":\""
            + I
            + "\"}");
    return f;
  }

  @Test
  @DisplayName(
      "every outbound frame has exactly the wire text the console page reads (field names, values, order)")
  void shapes() {
    frames().forEach((actual, expected) -> assertEquals(expected, actual));
  }

  @Test
  @DisplayName(
      "every frame type console.js handles is built here, and the only others are pong, reconnect and "
          + "session-ended (the page reads those on the socket itself)")
  void consoleJsReadsWhatIsSent() throws Exception {
    Set<String> sent = new TreeSet<>();
    frames().keySet().forEach(text -> sent.add(new JsonObject(text).getString("type")));
    String js;
    try (InputStream in = getClass().getResourceAsStream("/webroot/console/console.js")) {
      js = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    int start = js.indexOf("function onFrame(f) {");
    String onFrame = js.substring(start, js.indexOf("default: break;", start));
    Set<String> read = new TreeSet<>();
    Matcher m = Pattern.compile("case '([a-z0-9-]+)':").matcher(onFrame);
    while (m.find()) {
      read.add(m.group(1));
    }
    Set<String> onlySent = new TreeSet<>(sent);
    onlySent.removeAll(read);
    assertEquals(Set.of("pong", "reconnect", "session-ended"), onlySent);
    Set<String> onlyRead = new TreeSet<>(read);
    onlyRead.removeAll(sent);
    assertEquals(Set.of(), onlyRead, "console.js handles a frame type nothing sends");
  }
}
