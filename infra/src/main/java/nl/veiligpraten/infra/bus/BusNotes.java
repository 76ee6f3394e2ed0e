package nl.veiligpraten.infra.bus;

import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes and receives typed {@link BusNote}s on the address of their family, through {@link
 * BusNoteCodec}. A note that cannot be read (a node of another version, a programming error) is
 * logged once, as a warning with the family, kind and field but no content, and not handed on; it
 * is never silently ignored.
 */
public final class BusNotes {

  private static final Logger LOG = LoggerFactory.getLogger(BusNotes.class);

  private BusNotes() {}

  /** Publishes a note to every listener of the conversation, on every node. */
  public static void publish(EventBus bus, UUID conversationId, ConversationNote note) {
    bus.publish(Addresses.conversation(conversationId), BusNoteCodec.encode(note));
  }

  /** Publishes a note to every listener of the organisation's queue, on every node. */
  public static void publish(EventBus bus, String organisationId, QueueNote note) {
    bus.publish(Addresses.queue(organisationId), BusNoteCodec.encode(note));
  }

  /** Publishes a note to the consoles of the organisation that show its message inbox. */
  public static void publish(EventBus bus, String organisationId, InboxNote note) {
    bus.publish(Addresses.inbox(organisationId), BusNoteCodec.encode(note));
  }

  /** Publishes an alert to the organisation's supervisors' consoles. */
  public static void publish(EventBus bus, String organisationId, SupervisorAlert alert) {
    bus.publish(Addresses.supervisors(organisationId), BusNoteCodec.encode(alert));
  }

  /** Publishes a note to every console socket of one staff user. */
  public static void publish(EventBus bus, long staffId, StaffUserNote note) {
    bus.publish(Addresses.staffUser(staffId), BusNoteCodec.encode(note));
  }

  /** Receives the conversation's notes (cluster-wide). */
  public static MessageConsumer<Object> onConversation(
      EventBus bus, UUID conversationId, Consumer<ConversationNote> handler) {
    return bus.<Object>consumer(
        Addresses.conversation(conversationId),
        m -> deliver(m.body(), BusNoteCodec::decodeConversation, handler));
  }

  /** Receives the organisation's queue notes (cluster-wide). */
  public static MessageConsumer<Object> onQueue(
      EventBus bus, String organisationId, Consumer<QueueNote> handler) {
    return bus.<Object>consumer(
        Addresses.queue(organisationId),
        m -> deliver(m.body(), BusNoteCodec::decodeQueue, handler));
  }

  /** Receives the organisation's queue notes published on this node only. */
  public static MessageConsumer<Object> onLocalQueue(
      EventBus bus, String organisationId, Consumer<QueueNote> handler) {
    return bus.<Object>localConsumer(
        Addresses.queue(organisationId),
        m -> deliver(m.body(), BusNoteCodec::decodeQueue, handler));
  }

  /** Receives the organisation's inbox notes (cluster-wide). */
  public static MessageConsumer<Object> onInbox(
      EventBus bus, String organisationId, Consumer<InboxNote> handler) {
    return bus.<Object>consumer(
        Addresses.inbox(organisationId),
        m -> deliver(m.body(), BusNoteCodec::decodeInbox, handler));
  }

  /** Receives the organisation's supervisor alerts (cluster-wide). */
  public static MessageConsumer<Object> onSupervisors(
      EventBus bus, String organisationId, Consumer<SupervisorAlert> handler) {
    return bus.<Object>consumer(
        Addresses.supervisors(organisationId),
        m -> deliver(m.body(), BusNoteCodec::decodeSupervisor, handler));
  }

  /** Receives one staff user's notes (cluster-wide). */
  public static MessageConsumer<Object> onStaffUser(
      EventBus bus, long staffId, Consumer<StaffUserNote> handler) {
    return bus.<Object>consumer(
        Addresses.staffUser(staffId),
        m -> deliver(m.body(), BusNoteCodec::decodeStaffUser, handler));
  }

  /**
   * Decodes and hands on; an unreadable note is logged once (family, kind, field; no content) and
   * dropped.
   */
  static <N extends BusNote> void deliver(
      Object body, Function<JsonObject, N> decode, Consumer<N> handler) {
    N note;
    try {
      if (!(body instanceof JsonObject json)) {
        throw new BusNoteException(
            "bus note is not a JSON object but "
                + (body == null ? "null" : body.getClass().getSimpleName()));
      }
      note = decode.apply(json);
    } catch (BusNoteException e) {
      LOG.warn("bus note refused: {}", e.getMessage());
      return;
    }
    handler.accept(note);
  }
}
