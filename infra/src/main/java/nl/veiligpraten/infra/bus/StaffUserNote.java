package nl.veiligpraten.infra.bus;

import java.util.Objects;
import java.util.UUID;

/**
 * A note on one staff user's address ({@link Addresses#staffUser}): every console socket of that
 * counselor, on any node, reacts. Only one kind today; a sealed family so a second one is a compile
 * error in the consumer.
 */
public sealed interface StaffUserNote extends BusNote {

  /** Calls the handler method of this kind. */
  void accept(Handler handler);

  /**
   * One method per kind, no defaults: a new kind is a compile error in the codec and every
   * consumer.
   */
  interface Handler {
    void chatAssigned(ChatAssigned note);
  }

  /**
   * A chat was assigned to this counselor (auto-assignment, inbox take, warm transfer): their
   * console opens it.
   */
  record ChatAssigned(UUID conversationId) implements StaffUserNote {
    public ChatAssigned {
      Objects.requireNonNull(conversationId, "conversationId");
    }

    @Override
    public String kind() {
      return "assigned";
    }

    @Override
    public void accept(Handler h) {
      h.chatAssigned(this);
    }
  }
}
