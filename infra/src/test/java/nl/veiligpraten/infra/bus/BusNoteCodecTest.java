package nl.veiligpraten.infra.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class BusNoteCodecTest {

  static final UUID ID = UUID.fromString("7c1d0f3e-8a59-4c55-9d1f-0b7f8c6a2e10");

  /**
   * One example of every kind; the completeness test below fails when a kind is added without one
   * here.
   */
  static final List<ConversationNote> CONVERSATION =
      List.of(
          new ConversationNote.Message(14),
          new ConversationNote.NoteAdded(3),
          new ConversationNote.Typing(ConversationNote.Party.VISITOR),
          new ConversationNote.Typing(ConversationNote.Party.COUNSELOR),
          new ConversationNote.VisitorPaused(),
          new ConversationNote.VisitorBack(),
          new ConversationNote.VisitorDisconnected(),
          new ConversationNote.VisitorSocket("c-42"),
          new ConversationNote.Assigned("Sanne", 7, List.of("nl", "en")),
          new ConversationNote.Assigned("Sanne", 7, null),
          new ConversationNote.Requeued(),
          new ConversationNote.Referral(ID.toString(), "offered"),
          new ConversationNote.Referred(),
          new ConversationNote.CounselorRule("U1"),
          new ConversationNote.RouteOverridden("wrong_age", "sense"),
          new ConversationNote.Closed("listened", ConversationNote.Party.COUNSELOR),
          new ConversationNote.Closed("abandoned", ConversationNote.Party.SYSTEM),
          new ConversationNote.Deleted());

  static final List<SupervisorAlert> SUPERVISOR =
      List.of(
          new SupervisorAlert.UnansweredAssignment(ID, "csg", 1, 7, "Sanne", 90),
          new SupervisorAlert.CounselorGone(ID, "csg", 2, 7),
          new SupervisorAlert.P0Held(ID, "csg", "address"),
          new SupervisorAlert.SuicideRisk(
              "U1", ID, "csg", 0, "Sanne", Instant.parse("2026-12-07T04:00:00Z")),
          new SupervisorAlert.Target(ID, "csg", 1, "queued", 100, 120));

  static final List<StaffUserNote> STAFF_USER = List.of(new StaffUserNote.ChatAssigned(ID));

  static final List<WarmTransfer> TRANSFER =
      List.of(
          new WarmTransfer.Offer(ID, UUID.randomUUID(), 7, "Sanne", "Wil niet gebeld worden.", 60),
          new WarmTransfer.Answer(ID, 12, true),
          new WarmTransfer.Answer(ID, 12, false),
          new WarmTransfer.Ended(ID, WarmTransfer.End.AT_CAPACITY));

  @Test
  @DisplayName(
      "Every conversation note kind has an example and survives encode then decode unchanged")
  void conversationRoundTrip() {
    assertCovers(ConversationNote.class, CONVERSATION);
    for (ConversationNote n : CONVERSATION) {
      assertEquals(n, BusNoteCodec.decodeConversation(viaWire(n)), n.kind());
    }
  }

  @Test
  @DisplayName(
      "Every supervisor alert and staff user note kind survives encode then decode unchanged")
  void supervisorAndStaffUserRoundTrip() {
    assertCovers(SupervisorAlert.class, SUPERVISOR);
    assertCovers(StaffUserNote.class, STAFF_USER);
    SUPERVISOR.forEach(n -> assertEquals(n, BusNoteCodec.decodeSupervisor(viaWire(n)), n.kind()));
    STAFF_USER.forEach(n -> assertEquals(n, BusNoteCodec.decodeStaffUser(viaWire(n)), n.kind()));
  }

  @Test
  @DisplayName(
      "Every warm-transfer note kind survives encode then decode unchanged, in the shape of the console's former WarmTransfer")
  void transferRoundTrip() {
    assertCovers(WarmTransfer.class, TRANSFER);
    TRANSFER.forEach(n -> assertEquals(n, BusNoteCodec.decodeTransfer(viaWire(n)), n.kind()));
    assertEquals(
        new JsonObject()
            .put("kind", "answer")
            .put("offerId", ID.toString())
            .put("staffId", 12)
            .put("accept", true),
        new WarmTransfer.Answer(ID, 12, true).toJson());
    assertEquals(
        new JsonObject()
            .put("kind", "ended")
            .put("offerId", ID.toString())
            .put("reason", "at_capacity"),
        BusNoteCodec.encode(new WarmTransfer.Ended(ID, WarmTransfer.End.AT_CAPACITY)));
    // An offer without a note has an empty one; an end code of a newer node counts as a failure.
    JsonObject offer = BusNoteCodec.encode(TRANSFER.get(0));
    offer.remove("note");
    assertEquals(
        "", BusNoteCodec.decodeTransfer(offer) instanceof WarmTransfer.Offer o ? o.note() : null);
    assertEquals(
        new WarmTransfer.Ended(ID, WarmTransfer.End.FAILED),
        BusNoteCodec.decodeTransfer(
            new JsonObject()
                .put("kind", "ended")
                .put("offerId", ID.toString())
                .put("reason", "later")));
  }

  @Test
  @DisplayName("Every queue note and every inbox kind survives encode then decode unchanged")
  void queueAndInboxRoundTrip() {
    for (QueueNote q : QueueNote.values()) {
      assertEquals(q, BusNoteCodec.decodeQueue(viaWire(q)));
    }
    for (InboxNote.Kind k : InboxNote.Kind.values()) {
      InboxNote n = new InboxNote(k, ID);
      assertEquals(n, BusNoteCodec.decodeInbox(viaWire(n)));
    }
  }

  @Test
  @DisplayName("The families together cover every subtype BusNote permits")
  void familiesCoverBusNote() {
    Set<Class<?>> families = Set.of(BusNote.class.getPermittedSubclasses());
    assertEquals(
        Set.of(
            ConversationNote.class,
            QueueNote.class,
            InboxNote.class,
            SupervisorAlert.class,
            StaffUserNote.class,
            WarmTransfer.class),
        families);
  }

  @Test
  @DisplayName(
      "The JSON is what nodes sent before the notes were typed: same kind strings and field names")
  void wireShapeIsUnchanged() {
    assertEquals(
        new JsonObject("{\"kind\":\"message\",\"seq\":14}"),
        BusNoteCodec.encode(new ConversationNote.Message(14)));
    assertEquals(
        new JsonObject("{\"kind\":\"typing\",\"from\":\"visitor\"}"),
        BusNoteCodec.encode(new ConversationNote.Typing(ConversationNote.Party.VISITOR)));
    assertEquals(
        new JsonObject(
            "{\"kind\":\"assigned\",\"counselor\":\"Sanne\",\"staffId\":7,\"skills\":[\"nl\"]}"),
        BusNoteCodec.encode(new ConversationNote.Assigned("Sanne", 7, List.of("nl"))));
    assertEquals(
        new JsonObject("{\"kind\":\"closed\",\"outcome\":\"listened\",\"by\":\"supervisor\"}"),
        BusNoteCodec.encode(
            new ConversationNote.Closed("listened", ConversationNote.Party.SUPERVISOR)));
    assertEquals(
        new JsonObject("{\"kind\":\"visitor_socket\",\"connection\":\"c-1\"}"),
        BusNoteCodec.encode(new ConversationNote.VisitorSocket("c-1")));
    assertEquals(
        new JsonObject("{\"kind\":\"route_overridden\",\"reason\":\"r\",\"helpPoint\":\"h\"}"),
        BusNoteCodec.encode(new ConversationNote.RouteOverridden("r", "h")));
    assertEquals(
        new JsonObject("{\"kind\":\"staffing\"}"), BusNoteCodec.encode(QueueNote.STAFFING));
    assertEquals(
        new JsonObject().put("kind", "reply").put("conversationId", ID.toString()),
        BusNoteCodec.encode(new InboxNote(InboxNote.Kind.REPLY, ID)));
    assertEquals(
        new JsonObject().put("kind", "assigned").put("conversationId", ID.toString()),
        BusNoteCodec.encode(new StaffUserNote.ChatAssigned(ID)));
    assertEquals(
        new JsonObject()
            .put("kind", "p0_held")
            .put("conversationId", ID.toString())
            .put("helpPoint", "csg")
            .put("limit", "node"),
        BusNoteCodec.encode(new SupervisorAlert.P0Held(ID, "csg", "node")));
    assertEquals(
        new JsonObject()
            .put("kind", "target")
            .put("conversationId", ID.toString())
            .put("helpPoint", "csg")
            .put("priority", 1)
            .put("status", "queued")
            .put("waitingSeconds", 100)
            .put("targetSeconds", 120),
        BusNoteCodec.encode(new SupervisorAlert.Target(ID, "csg", 1, "queued", 100, 120)));
    // The alert frame is the note plus its type.
    assertEquals("alert", SUPERVISOR.get(0).toFrame().getString("type"));
    assertEquals(
        SupervisorAlert.UnansweredAssignment.KIND, SUPERVISOR.get(0).toFrame().getString("kind"));
  }

  @Test
  @DisplayName(
      "Notes of the older version still decode: the old extra fields (toOrg, conversationId on queued) are ignored and skills may be absent")
  void olderShapesDecode() {
    assertEquals(
        new ConversationNote.Referred(),
        BusNoteCodec.decodeConversation(
            new JsonObject().put("kind", "referred").put("toOrg", "sense")));
    assertEquals(
        QueueNote.QUEUED,
        BusNoteCodec.decodeQueue(
            new JsonObject().put("kind", "queued").put("conversationId", ID.toString())));
    assertEquals(
        new ConversationNote.Assigned("Sanne", 7, null),
        BusNoteCodec.decodeConversation(
            new JsonObject().put("kind", "assigned").put("counselor", "Sanne").put("staffId", 7)));
  }

  @Test
  @DisplayName("An unknown kind is refused in every family, naming the family and the kind")
  void unknownKindRefused() {
    JsonObject unknown = new JsonObject().put("kind", "counselor_left");
    List<Function<JsonObject, ?>> decoders =
        List.of(
            BusNoteCodec::decodeConversation,
            BusNoteCodec::decodeQueue,
            BusNoteCodec::decodeInbox,
            BusNoteCodec::decodeSupervisor,
            BusNoteCodec::decodeStaffUser,
            BusNoteCodec::decodeTransfer);
    for (Function<JsonObject, ?> decode : decoders) {
      BusNoteException e = assertThrows(BusNoteException.class, () -> decode.apply(unknown));
      assertTrue(
          e.getMessage().contains("unknown") && e.getMessage().contains("'counselor_left'"),
          e.getMessage());
    }
    BusNoteException read =
        assertThrows(
            BusNoteException.class,
            () ->
                BusNoteCodec.decodeConversation(
                    new JsonObject().put("kind", "read").put("seq", 3)));
    assertEquals("unknown conversation note kind 'read'", read.getMessage());
    assertEquals(
        "conversation note without a kind",
        assertThrows(
                BusNoteException.class, () -> BusNoteCodec.decodeConversation(new JsonObject()))
            .getMessage());
    assertEquals(
        "queue note without a body",
        assertThrows(BusNoteException.class, () -> BusNoteCodec.decodeQueue(null)).getMessage());
  }

  @Test
  @DisplayName(
      "A missing or malformed field is refused with a message naming the note and the field, not its value")
  void missingFieldRefused() {
    assertEquals(
        "conversation note 'message' needs 'seq' (a number)",
        assertThrows(
                BusNoteException.class,
                () -> BusNoteCodec.decodeConversation(new JsonObject().put("kind", "message")))
            .getMessage());
    assertEquals(
        "conversation note 'closed' needs 'by' (one of visitor, counselor, supervisor, system)",
        assertThrows(
                BusNoteException.class,
                () ->
                    BusNoteCodec.decodeConversation(
                        new JsonObject()
                            .put("kind", "closed")
                            .put("outcome", "listened")
                            .put("by", "someone")))
            .getMessage());
    BusNoteException badId =
        assertThrows(
            BusNoteException.class,
            () ->
                BusNoteCodec.decodeInbox(
                    new JsonObject()
                        .put("kind", "reply")
                        .put("conversationId", "secret-text-not-a-uuid")));
    assertEquals("inbox note 'reply' needs 'conversationId' (a UUID)", badId.getMessage());
    assertFalse(badId.getMessage().contains("secret"));
    assertEquals(
        "conversation note 'assigned' needs 'skills' (strings only)",
        assertThrows(
                BusNoteException.class,
                () ->
                    BusNoteCodec.decodeConversation(
                        new JsonObject()
                            .put("kind", "assigned")
                            .put("counselor", "S")
                            .put("staffId", 1)
                            .put("skills", new JsonArray().add(3))))
            .getMessage());
    assertEquals(
        "supervisor note 'suicide_risk' needs 'at' (an ISO-8601 instant)",
        assertThrows(
                BusNoteException.class,
                () ->
                    BusNoteCodec.decodeSupervisor(
                        BusNoteCodec.encode(SUPERVISOR.get(3)).put("at", "yesterday")))
            .getMessage());
    // Every required field of every example, removed in turn, is refused (optional skills aside).
    List<BusNote> all = new ArrayList<>(CONVERSATION);
    all.addAll(SUPERVISOR);
    all.addAll(STAFF_USER);
    all.addAll(TRANSFER);
    all.add(new InboxNote(InboxNote.Kind.LEFT, ID));
    for (BusNote n : all) {
      JsonObject full = BusNoteCodec.encode(n);
      for (String field : full.fieldNames()) {
        if (field.equals("skills") || field.equals("note")) {
          continue;
        }
        JsonObject without = full.copy();
        without.remove(field);
        assertThrows(
            BusNoteException.class, () -> decode(n, without), n.kind() + " without " + field);
      }
    }
  }

  @Test
  @DisplayName("A kind from the wire is reduced to safe characters before it goes into a message")
  void kindIsPrintable() {
    BusNoteException e =
        assertThrows(
            BusNoteException.class,
            () ->
                BusNoteCodec.decodeQueue(
                    new JsonObject().put("kind", "x\n\"drop table\" " + "y".repeat(80))));
    assertFalse(e.getMessage().contains("\n"));
    assertTrue(e.getMessage().length() < 100, e.getMessage());
  }

  private static Object decode(BusNote n, JsonObject json) {
    if (n instanceof ConversationNote) {
      return BusNoteCodec.decodeConversation(json);
    } else if (n instanceof SupervisorAlert) {
      return BusNoteCodec.decodeSupervisor(json);
    } else if (n instanceof StaffUserNote) {
      return BusNoteCodec.decodeStaffUser(json);
    } else if (n instanceof WarmTransfer) {
      return BusNoteCodec.decodeTransfer(json);
    }
    return BusNoteCodec.decodeInbox(json);
  }

  /** Encodes, then goes through the text the bus would carry between nodes. */
  private static JsonObject viaWire(BusNote n) {
    return new JsonObject(BusNoteCodec.encode(n).encode());
  }

  private static void assertCovers(Class<?> family, List<? extends BusNote> examples) {
    Set<Class<?>> covered = examples.stream().map(Object::getClass).collect(Collectors.toSet());
    Set<Class<?>> permitted = new HashSet<>(Arrays.asList(family.getPermittedSubclasses()));
    assertEquals(permitted, covered, "an example of every " + family.getSimpleName() + " kind");
  }
}
