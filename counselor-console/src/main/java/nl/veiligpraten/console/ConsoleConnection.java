package nl.veiligpraten.console;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import nl.veiligpraten.infra.audit.AuditContext;
import nl.veiligpraten.infra.bus.Addresses;
import nl.veiligpraten.infra.conversation.Conversation;
import nl.veiligpraten.infra.conversation.ConversationClosedException;
import nl.veiligpraten.infra.conversation.PlainMessage;
import nl.veiligpraten.infra.conversation.TranscriptService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One counselor's console WebSocket: the organisation's live queue and the chats this counselor holds. Like the
 * visitor side, messages are delivered from PostgreSQL after a bus notification, with a cursor per chat.
 */
final class ConsoleConnection {

  private static final Logger LOG = LoggerFactory.getLogger(ConsoleConnection.class);
  private static final int PAGE = 200;
  private static final int MAX_BODY_CHARS = 4000;

  private final Vertx vertx;
  private final ServerWebSocket socket;
  private final StaffSession session;
  private final TranscriptService<?> transcripts;
  private final Map<UUID, Chat> chats = new HashMap<>();
  private MessageConsumer<JsonObject> queueConsumer;
  private MessageConsumer<String> sessionConsumer;
  private boolean closed;

  /** Delivery state of one held chat. */
  private static final class Chat {
    MessageConsumer<JsonObject> consumer;
    long delivered;
    boolean pumping;
    boolean again;
  }

  ConsoleConnection(Vertx vertx, ServerWebSocket socket, StaffSession session, TranscriptService<?> transcripts) {
    this.vertx = vertx;
    this.socket = socket;
    this.session = session;
    this.transcripts = transcripts;
  }

  void start() {
    socket.textMessageHandler(this::onText);
    socket.binaryMessageHandler(b -> error("malformed", "Binary frames are not supported.", null));
    socket.exceptionHandler(e -> LOG.debug("console socket error: {}", e.getClass().getSimpleName()));
    socket.closeHandler(v -> onClose());
    queueConsumer = vertx.eventBus().consumer(Addresses.queue(session.orgId()), m -> sendQueue());
    sessionConsumer = vertx.eventBus().consumer(Addresses.staffSession(session.busKey()),
        m -> socket.close((short) 4401, "logged out"));
    send(new JsonObject().put("type", "hello").put("user", ConsoleVerticle.userJson(session.user())));
    sendQueue();
    transcripts.conversations().assignedTo(session.user().id()).onSuccess(list -> list.forEach(this::hold));
  }

  void goingAway() {
    if (!closed) {
      send(new JsonObject().put("type", "reconnect"));
      socket.close((short) 1001, "going away");
    }
  }

  private void onText(String text) {
    JsonObject frame;
    try {
      frame = new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      error("malformed", "Frame is not a JSON object.", null);
      return;
    }
    String type = frame.getValue("type") instanceof String t ? t : "";
    try {
      switch (type) {
        case "take" -> take(frame);
        case "message" -> message(frame);
        case "close" -> close(frame);
        case "typing" -> typing(frame);
        case "ping" -> send(new JsonObject().put("type", "pong"));
        default -> error("unknown_type", "Unknown frame type.", null);
      }
    } catch (IllegalArgumentException e) {
      error("invalid_field", e.getMessage(), null);
    }
  }

  private void take(JsonObject frame) {
    Object id = frame.getValue("conversationId");
    if (!nl.veiligpraten.infra.cluster.ClusterHealth.of(vertx).acceptsAssignments()) {
      error("no_quorum", "Deze server neemt nu geen nieuwe gesprekken aan; probeer het zo opnieuw.", null);
      return;
    }
    var taken = id == null
        ? transcripts.conversations().takeOldest(session.user().id(), session.orgId())
        : transcripts.conversations().take(uuid(frame), session.user().id(), session.orgId());
    taken.onSuccess(c -> {
      if (c.isEmpty()) {
        error("not_available", "Dit gesprek is niet (meer) in jullie wachtrij.", id == null ? null : id.toString());
        return;
      }
      Conversation conv = c.get();
      vertx.eventBus().publish(Addresses.conversation(conv.id()), new JsonObject().put("kind", "assigned")
          .put("counselor", session.user().displayName()));
      vertx.eventBus().publish(Addresses.queue(session.orgId()), new JsonObject().put("kind", "taken"));
      hold(conv);
    }).onFailure(this::internal);
  }

  private void hold(Conversation conv) {
    if (chats.containsKey(conv.id()) || closed) {
      return;
    }
    Chat chat = new Chat();
    chats.put(conv.id(), chat);
    chat.consumer = vertx.eventBus().consumer(Addresses.conversation(conv.id()), m -> onNote(conv.id(), m.body()));
    send(new JsonObject().put("type", "assigned").put("conversationId", conv.id().toString())
        .put("helpPoint", conv.helpPoint()).put("priority", conv.priority())
        .put("intake", new JsonObject(conv.intakeJson())));
    chat.consumer.completion().onSuccess(v -> pump(conv.id()));
  }

  private void message(JsonObject frame) {
    UUID id = uuid(frame);
    if (!chats.containsKey(id)) {
      error("not_yours", "Je hebt dit gesprek niet.", id.toString());
      return;
    }
    String clientId = frame.getValue("clientId") instanceof String c && c.matches("[A-Za-z0-9_.:-]{1,64}") ? c : null;
    String body = frame.getValue("body") instanceof String b ? b : null;
    if (clientId == null || body == null || body.isBlank() || body.length() > MAX_BODY_CHARS) {
      error("invalid_field", "message needs clientId (1-64 of A-Za-z0-9_.:-) and a body of 1-" + MAX_BODY_CHARS
          + " characters.", id.toString());
      return;
    }
    transcripts.conversations().byId(id).compose(c -> {
      if (c.isEmpty() || !Long.valueOf(session.user().id()).equals(c.get().counselorId())
          || !"assigned".equals(c.get().status())) {
        return io.vertx.core.Future.failedFuture(new ConversationClosedException("not assigned to you"));
      }
      return transcripts.append(id, c.get().orgId(), "counselor", session.user().id(), clientId, body);
    }).onSuccess(result -> {
      send(new JsonObject().put("type", "ack").put("conversationId", id.toString()).put("clientId", clientId)
          .put("seq", result.seq()).put("duplicate", result.duplicate()));
      if (!result.duplicate()) {
        vertx.eventBus().publish(Addresses.conversation(id), new JsonObject().put("kind", "message")
            .put("seq", result.seq()));
      }
    }).onFailure(e -> {
      if (e instanceof ConversationClosedException) {
        error("closed", "Dit gesprek is gesloten of niet van jou.", id.toString());
      } else {
        internal(e);
      }
    });
  }

  private void close(JsonObject frame) {
    UUID id = uuid(frame);
    String outcome = frame.getValue("outcome") instanceof String o ? o : null;
    if (!Outcomes.valid(outcome)) {
      error("invalid_outcome", "outcome must be one of " + Outcomes.CODES, id.toString());
      return;
    }
    transcripts.conversations().closeByCounselor(id, session.user().id(), outcome).onSuccess(c -> {
      if (c.isEmpty()) {
        error("not_yours", "Je hebt dit gesprek niet (meer).", id.toString());
        return;
      }
      vertx.eventBus().publish(Addresses.conversation(id), new JsonObject().put("kind", "closed")
          .put("outcome", outcome).put("by", "counselor"));
    }).onFailure(this::internal);
  }

  private void typing(JsonObject frame) {
    UUID id = uuid(frame);
    if (chats.containsKey(id)) {
      vertx.eventBus().publish(Addresses.conversation(id), new JsonObject().put("kind", "typing").put("from",
          "counselor"));
    }
  }

  private void onNote(UUID id, JsonObject note) {
    switch (note.getString("kind", "")) {
      case "message" -> pump(id);
      case "typing" -> {
        if ("visitor".equals(note.getString("from"))) {
          send(new JsonObject().put("type", "typing").put("conversationId", id.toString()));
        }
      }
      case "visitor_disconnected" -> send(new JsonObject().put("type", "visitor-disconnected")
          .put("conversationId", id.toString()));
      case "deleted" -> {
        // The visitor deleted the conversation: its keys and messages are gone, so there is nothing to pump.
        release(id);
        transcripts.forget(id);
        send(new JsonObject().put("type", "deleted").put("conversationId", id.toString()));
      }
      case "closed" -> {
        pump(id);
        send(new JsonObject().put("type", "closed").put("conversationId", id.toString())
            .put("outcome", note.getString("outcome")).put("by", note.getString("by")));
        release(id);
      }
      default -> {
      }
    }
  }

  private void pump(UUID id) {
    Chat chat = chats.get(id);
    if (chat == null || closed) {
      return;
    }
    if (chat.pumping) {
      chat.again = true;
      return;
    }
    chat.pumping = true;
    chat.again = false;
    transcripts.conversations().byId(id).compose(c -> {
      String orgId = c.map(Conversation::orgId).orElse(session.orgId());
      return transcripts.readForStaff(id, orgId, chat.delivered, PAGE,
          AuditContext.staff(session.user().id(), session.role(), session.orgId()));
    }).onComplete(ar -> {
      chat.pumping = false;
      if (ar.failed()) {
        internal(ar.cause());
        return;
      }
      List<PlainMessage> messages = ar.result();
      for (PlainMessage m : messages) {
        if (m.seq() <= chat.delivered) {
          continue;
        }
        chat.delivered = m.seq();
        JsonObject out = new JsonObject().put("type", "message").put("conversationId", id.toString())
            .put("seq", m.seq()).put("from", m.sender()).put("body", m.body())
            .put("at", m.createdAt().toInstant().toString());
        if (!"visitor".equals(m.sender())) {
          out.put("clientId", m.clientId());
        }
        send(out);
      }
      if (chat.again || messages.size() == PAGE) {
        pump(id);
      }
    });
  }

  private void release(UUID id) {
    Chat chat = chats.remove(id);
    if (chat != null) {
      chat.consumer.unregister();
    }
  }

  private void sendQueue() {
    transcripts.conversations().queueOf(session.orgId(), 200).onSuccess(list -> send(new JsonObject()
        .put("type", "queue").put("items", ConsoleVerticle.queueJson(list))));
  }

  private UUID uuid(JsonObject frame) {
    Object value = frame.getValue("conversationId");
    if (!(value instanceof String s)) {
      throw new IllegalArgumentException("conversationId must be a string");
    }
    try {
      return UUID.fromString(s);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("conversationId is not a valid id");
    }
  }

  private void onClose() {
    closed = true;
    if (queueConsumer != null) {
      queueConsumer.unregister();
    }
    if (sessionConsumer != null) {
      sessionConsumer.unregister();
    }
    chats.values().forEach(c -> c.consumer.unregister());
    chats.clear();
  }

  private void send(JsonObject frame) {
    if (!closed) {
      socket.writeTextMessage(frame.encode());
    }
  }

  private void error(String code, String message, String conversationId) {
    JsonObject out = new JsonObject().put("type", "error").put("code", code).put("message", message);
    if (conversationId != null) {
      out.put("conversationId", conversationId);
    }
    send(out);
  }

  private void internal(Throwable e) {
    LOG.warn("console connection failed: {}", e.getClass().getName());
    error("internal", "Er ging iets mis.", null);
  }
}
