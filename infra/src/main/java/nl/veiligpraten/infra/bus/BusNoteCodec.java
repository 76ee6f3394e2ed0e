package nl.veiligpraten.infra.bus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * The one codec of bus notes (issue 25): {@link #encode} writes any {@link BusNote} as the JSON the
 * bus carries, the {@code decodeXxx} methods read the note of one address family back. The JSON is
 * exactly what the nodes sent before the notes were typed ({@code kind} plus the same field names),
 * so nodes of both versions can share a cluster.
 *
 * <p>Encoding goes through each family's {@code Handler} (or an enum), so a new kind that is not
 * encoded is a compile error. Decoding refuses an unknown kind and a missing or malformed field
 * with a {@link BusNoteException} whose message names the family, the kind and the field only.
 */
public final class BusNoteCodec {

  private BusNoteCodec() {}

  /** The bus JSON of a note: {@code {"kind": ..., fields...}}. */
  public static JsonObject encode(BusNote note) {
    JsonObject out = new JsonObject().put("kind", note.kind());
    if (note instanceof ConversationNote c) {
      c.accept(new ConversationEncoder(out));
    } else if (note instanceof SupervisorAlert a) {
      a.accept(new SupervisorEncoder(out));
    } else if (note instanceof StaffUserNote s) {
      s.accept(n -> out.put("conversationId", n.conversationId().toString()));
    } else if (note instanceof WarmTransfer w) {
      w.accept(new TransferEncoder(out));
    } else if (note instanceof InboxNote i) {
      out.put("conversationId", i.conversationId().toString());
    } else if (!(note instanceof QueueNote)) {
      // Unreachable while BusNote's permits list is the five families above.
      throw new IllegalStateException("no encoding for " + note.getClass().getName());
    }
    return out;
  }

  // ---- decoding
  // ----------------------------------------------------------------------------------------------------

  /** A note from a conversation address. */
  public static ConversationNote decodeConversation(JsonObject json) {
    Fields f = new Fields("conversation", json);
    return switch (f.kind) {
      case "message" -> new ConversationNote.Message(f.number("seq").longValue());
      case "note" -> new ConversationNote.NoteAdded(f.number("seq").longValue());
      case "typing" -> new ConversationNote.Typing(f.party("from"));
      case "visitor_paused" -> new ConversationNote.VisitorPaused();
      case "visitor_back" -> new ConversationNote.VisitorBack();
      case "visitor_disconnected" -> new ConversationNote.VisitorDisconnected();
      case "visitor_socket" -> new ConversationNote.VisitorSocket(f.string("connection"));
      case "assigned" ->
          new ConversationNote.Assigned(
              f.string("counselor"), f.number("staffId").longValue(), f.optionalStrings("skills"));
      case "requeued" -> new ConversationNote.Requeued();
      case "referral" -> new ConversationNote.Referral(f.string("referralId"), f.string("state"));
      case "referred" -> new ConversationNote.Referred();
      case "counselor_rule" -> new ConversationNote.CounselorRule(f.string("rule"));
      case "route_overridden" ->
          new ConversationNote.RouteOverridden(f.string("reason"), f.string("helpPoint"));
      case "closed" -> new ConversationNote.Closed(f.string("outcome"), f.party("by"));
      case "deleted" -> new ConversationNote.Deleted();
      default -> throw f.unknownKind();
    };
  }

  /** A note from a queue address. */
  public static QueueNote decodeQueue(JsonObject json) {
    Fields f = new Fields("queue", json);
    for (QueueNote q : QueueNote.values()) {
      if (q.kind().equals(f.kind)) {
        return q;
      }
    }
    throw f.unknownKind();
  }

  /** A note from an inbox address. */
  public static InboxNote decodeInbox(JsonObject json) {
    Fields f = new Fields("inbox", json);
    for (InboxNote.Kind k : InboxNote.Kind.values()) {
      if (k.code().equals(f.kind)) {
        return new InboxNote(k, f.uuid("conversationId"));
      }
    }
    throw f.unknownKind();
  }

  /** A note from a supervisors address. */
  public static SupervisorAlert decodeSupervisor(JsonObject json) {
    Fields f = new Fields("supervisor", json);
    return switch (f.kind) {
      case SupervisorAlert.UnansweredAssignment.KIND ->
          new SupervisorAlert.UnansweredAssignment(
              f.uuid("conversationId"),
              f.string("helpPoint"),
              f.number("priority").intValue(),
              f.number("counselorId").longValue(),
              f.string("counselor"),
              f.number("afterSeconds").intValue());
      case SupervisorAlert.CounselorGone.KIND ->
          new SupervisorAlert.CounselorGone(
              f.uuid("conversationId"),
              f.string("helpPoint"),
              f.number("priority").intValue(),
              f.number("counselorId").longValue());
      case SupervisorAlert.P0Held.KIND ->
          new SupervisorAlert.P0Held(
              f.uuid("conversationId"), f.string("helpPoint"), f.string("limit"));
      case SupervisorAlert.SuicideRisk.KIND ->
          new SupervisorAlert.SuicideRisk(
              f.string("rule"),
              f.uuid("conversationId"),
              f.string("helpPoint"),
              f.number("priority").intValue(),
              f.string("by"),
              f.instant("at"));
      case SupervisorAlert.Target.KIND ->
          new SupervisorAlert.Target(
              f.uuid("conversationId"),
              f.string("helpPoint"),
              f.number("priority").intValue(),
              f.string("status"),
              f.number("waitingSeconds").longValue(),
              f.number("targetSeconds").longValue());
      default -> throw f.unknownKind();
    };
  }

  /** A note from a staff user's address. */
  public static StaffUserNote decodeStaffUser(JsonObject json) {
    Fields f = new Fields("staff user", json);
    if ("assigned".equals(f.kind)) {
      return new StaffUserNote.ChatAssigned(f.uuid("conversationId"));
    }
    throw f.unknownKind();
  }

  /** A warm-transfer note from a transfer-offers or transfer-answers address. */
  public static WarmTransfer decodeTransfer(JsonObject json) {
    Fields f = new Fields("warm transfer", json);
    return switch (f.kind) {
      case "offer" ->
          new WarmTransfer.Offer(
              f.uuid("offerId"),
              f.uuid("conversationId"),
              f.number("fromStaffId").longValue(),
              f.string("fromName"),
              f.optionalString("note"),
              f.number("expiresInSeconds").intValue());
      case "answer" ->
          new WarmTransfer.Answer(
              f.uuid("offerId"), f.number("staffId").longValue(), f.bool("accept"));
      case "ended" ->
          new WarmTransfer.Ended(f.uuid("offerId"), WarmTransfer.End.of(f.string("reason")));
      default -> throw f.unknownKind();
    };
  }

  // ---- encoders
  // ----------------------------------------------------------------------------------------------------

  private record ConversationEncoder(JsonObject out) implements ConversationNote.Handler {
    public void message(ConversationNote.Message n) {
      out.put("seq", n.seq());
    }

    public void noteAdded(ConversationNote.NoteAdded n) {
      out.put("seq", n.seq());
    }

    public void typing(ConversationNote.Typing n) {
      out.put("from", n.from().code());
    }

    public void visitorPaused(ConversationNote.VisitorPaused n) {}

    public void visitorBack(ConversationNote.VisitorBack n) {}

    public void visitorDisconnected(ConversationNote.VisitorDisconnected n) {}

    public void visitorSocket(ConversationNote.VisitorSocket n) {
      out.put("connection", n.connection());
    }

    public void assigned(ConversationNote.Assigned n) {
      out.put("counselor", n.counselor()).put("staffId", n.staffId());
      if (n.skills() != null) {
        out.put("skills", new JsonArray(new ArrayList<>(n.skills())));
      }
    }

    public void requeued(ConversationNote.Requeued n) {}

    public void referral(ConversationNote.Referral n) {
      out.put("referralId", n.referralId()).put("state", n.state());
    }

    public void referred(ConversationNote.Referred n) {}

    public void counselorRule(ConversationNote.CounselorRule n) {
      out.put("rule", n.rule());
    }

    public void routeOverridden(ConversationNote.RouteOverridden n) {
      out.put("reason", n.reason()).put("helpPoint", n.helpPoint());
    }

    public void closed(ConversationNote.Closed n) {
      out.put("outcome", n.outcome()).put("by", n.by().code());
    }

    public void deleted(ConversationNote.Deleted n) {}
  }

  private record SupervisorEncoder(JsonObject out) implements SupervisorAlert.Handler {
    public void unansweredAssignment(SupervisorAlert.UnansweredAssignment a) {
      out.put("conversationId", a.conversationId().toString())
          .put("helpPoint", a.helpPoint())
          .put("priority", a.priority())
          .put("counselorId", a.counselorId())
          .put("counselor", a.counselorName())
          .put("afterSeconds", a.afterSeconds());
    }

    public void counselorGone(SupervisorAlert.CounselorGone a) {
      out.put("conversationId", a.conversationId().toString())
          .put("helpPoint", a.helpPoint())
          .put("priority", a.priority())
          .put("counselorId", a.counselorId());
    }

    public void p0Held(SupervisorAlert.P0Held a) {
      out.put("conversationId", a.conversationId().toString())
          .put("helpPoint", a.helpPoint())
          .put("limit", a.limit());
    }

    public void suicideRisk(SupervisorAlert.SuicideRisk a) {
      out.put("rule", a.rule())
          .put("conversationId", a.conversationId().toString())
          .put("helpPoint", a.helpPoint())
          .put("priority", a.priority())
          .put("by", a.by())
          .put("at", a.at().toString());
    }

    public void target(SupervisorAlert.Target a) {
      out.put("conversationId", a.conversationId().toString())
          .put("helpPoint", a.helpPoint())
          .put("priority", a.priority())
          .put("status", a.status())
          .put("waitingSeconds", a.waitingSeconds())
          .put("targetSeconds", a.targetSeconds());
    }
  }

  private record TransferEncoder(JsonObject out) implements WarmTransfer.Handler {
    public void offer(WarmTransfer.Offer o) {
      out.put("offerId", o.offerId().toString())
          .put("conversationId", o.conversationId().toString())
          .put("fromStaffId", o.fromStaffId())
          .put("fromName", o.fromName())
          .put("note", o.note())
          .put("expiresInSeconds", o.expiresInSeconds());
    }

    public void answer(WarmTransfer.Answer a) {
      out.put("offerId", a.offerId().toString())
          .put("staffId", a.staffId())
          .put("accept", a.accept());
    }

    public void ended(WarmTransfer.Ended e) {
      out.put("offerId", e.offerId().toString()).put("reason", e.reason().code());
    }
  }

  /**
   * Reads the fields of one note; every refusal names the family, the kind and the field, never a
   * value.
   */
  private static final class Fields {
    final String family;
    final JsonObject json;
    final String kind;

    Fields(String family, JsonObject json) {
      this.family = family;
      if (json == null) {
        throw new BusNoteException(family + " note without a body");
      }
      this.json = json;
      Object k = json.getValue("kind");
      if (!(k instanceof String s)) {
        throw new BusNoteException(family + " note without a kind");
      }
      this.kind = s;
    }

    BusNoteException unknownKind() {
      return new BusNoteException(
          "unknown " + family + " note kind '" + BusNoteException.printable(kind) + "'");
    }

    private BusNoteException missing(String field, String what) {
      return new BusNoteException(
          family + " note '" + kind + "' needs '" + field + "' (" + what + ")");
    }

    String string(String field) {
      if (json.getValue(field) instanceof String s) {
        return s;
      }
      throw missing(field, "a string");
    }

    /** An optional string: absent or null is empty. */
    String optionalString(String field) {
      Object v = json.getValue(field);
      if (v == null) {
        return "";
      }
      if (v instanceof String s) {
        return s;
      }
      throw missing(field, "a string");
    }

    boolean bool(String field) {
      if (json.getValue(field) instanceof Boolean b) {
        return b;
      }
      throw missing(field, "a boolean");
    }

    Number number(String field) {
      if (json.getValue(field) instanceof Number n) {
        return n;
      }
      throw missing(field, "a number");
    }

    UUID uuid(String field) {
      if (json.getValue(field) instanceof String s) {
        try {
          return UUID.fromString(s);
        } catch (IllegalArgumentException e) {
          // fall through to the refusal below
        }
      }
      throw missing(field, "a UUID");
    }

    Instant instant(String field) {
      if (json.getValue(field) instanceof String s) {
        try {
          return Instant.parse(s);
        } catch (DateTimeParseException e) {
          // fall through to the refusal below
        }
      }
      throw missing(field, "an ISO-8601 instant");
    }

    ConversationNote.Party party(String field) {
      if (json.getValue(field) instanceof String s) {
        for (ConversationNote.Party p : ConversationNote.Party.values()) {
          if (p.code().equals(s.toLowerCase(Locale.ROOT))) {
            return p;
          }
        }
      }
      throw missing(field, "one of visitor, counselor, supervisor, system");
    }

    /** An optional array of strings: absent or null is null; anything else must be strings only. */
    List<String> optionalStrings(String field) {
      Object v = json.getValue(field);
      if (v == null) {
        return null;
      }
      if (v instanceof JsonArray a) {
        List<String> out = new ArrayList<>();
        for (Object o : a) {
          if (!(o instanceof String s)) {
            throw missing(field, "strings only");
          }
          out.add(s);
        }
        return out;
      }
      throw missing(field, "an array of strings");
    }
  }
}
