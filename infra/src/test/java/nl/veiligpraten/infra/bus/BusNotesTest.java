package nl.veiligpraten.infra.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class BusNotesTest {

  Vertx vertx;
  ListAppender<ILoggingEvent> logs;
  Logger logger;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    logger = (Logger) LoggerFactory.getLogger(BusNotes.class);
    logs = new ListAppender<>();
    logs.start();
    logger.addAppender(logs);
  }

  @AfterEach
  void stop() throws Exception {
    logger.detachAppender(logs);
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  @DisplayName(
      "A note of an unknown kind or with a missing field is logged once without content and not handed on; the next good note is")
  void unreadableNoteIsLoggedOnce() throws Exception {
    UUID id = UUID.randomUUID();
    List<ConversationNote> received = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> marker = new CompletableFuture<>();
    BusNotes.onConversation(
            vertx.eventBus(),
            id,
            n -> {
              received.add(n);
              if (n instanceof ConversationNote.Deleted) {
                marker.complete(null);
              }
            })
        .completion()
        .toCompletionStage()
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);

    vertx
        .eventBus()
        .publish(
            Addresses.conversation(id),
            new JsonObject().put("kind", "counselor_left").put("body", "geheime tekst"));
    vertx
        .eventBus()
        .publish(
            Addresses.conversation(id), new JsonObject().put("kind", "message").put("s", "geheim"));
    vertx.eventBus().publish(Addresses.conversation(id), "not json");
    // Notes on one address arrive in order, so once this marker is here the three before it were
    // dealt with.
    BusNotes.publish(vertx.eventBus(), id, new ConversationNote.Deleted());
    marker.get(10, TimeUnit.SECONDS);

    assertEquals(List.of(new ConversationNote.Deleted()), received);
    List<String> lines = logs.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    assertEquals(
        List.of(
            "bus note refused: unknown conversation note kind 'counselor_left'",
            "bus note refused: conversation note 'message' needs 'seq' (a number)",
            "bus note refused: bus note is not a JSON object but String"),
        lines);
    logs.list.forEach(e -> assertEquals(Level.WARN, e.getLevel()));
    lines.forEach(l -> assertFalse(l.contains("geheim")));
  }

  @Test
  @DisplayName("Each family is published on its own address and arrives typed")
  void familiesTravelOnTheirAddresses() throws Exception {
    UUID id = UUID.randomUUID();
    CompletableFuture<QueueNote> queue = new CompletableFuture<>();
    CompletableFuture<InboxNote> inbox = new CompletableFuture<>();
    CompletableFuture<SupervisorAlert> alert = new CompletableFuture<>();
    CompletableFuture<StaffUserNote> staff = new CompletableFuture<>();
    CompletableFuture<QueueNote> local = new CompletableFuture<>();
    var consumers =
        List.of(
            BusNotes.onQueue(vertx.eventBus(), "csg", queue::complete),
            BusNotes.onLocalQueue(vertx.eventBus(), "csg", local::complete),
            BusNotes.onInbox(vertx.eventBus(), "csg", inbox::complete),
            BusNotes.onSupervisors(vertx.eventBus(), "csg", alert::complete),
            BusNotes.onStaffUser(vertx.eventBus(), 7, staff::complete));
    for (var c : consumers) {
      c.completion().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    BusNotes.publish(vertx.eventBus(), "csg", QueueNote.CAPACITY);
    BusNotes.publish(vertx.eventBus(), "csg", new InboxNote(InboxNote.Kind.GONE, id));
    BusNotes.publish(vertx.eventBus(), "csg", new SupervisorAlert.P0Held(id, "csg", "node"));
    BusNotes.publish(vertx.eventBus(), 7L, new StaffUserNote.ChatAssigned(id));
    assertEquals(QueueNote.CAPACITY, queue.get(10, TimeUnit.SECONDS));
    assertEquals(QueueNote.CAPACITY, local.get(10, TimeUnit.SECONDS));
    assertEquals(new InboxNote(InboxNote.Kind.GONE, id), inbox.get(10, TimeUnit.SECONDS));
    assertEquals(new SupervisorAlert.P0Held(id, "csg", "node"), alert.get(10, TimeUnit.SECONDS));
    assertEquals(new StaffUserNote.ChatAssigned(id), staff.get(10, TimeUnit.SECONDS));
    assertEquals(List.of(), logs.list);
  }
}
