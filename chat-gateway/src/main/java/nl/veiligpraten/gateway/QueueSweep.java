package nl.veiligpraten.gateway;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import nl.veiligpraten.infra.bus.Addresses;
import nl.veiligpraten.infra.conversation.Conversation;
import nl.veiligpraten.infra.conversation.ConversationRepository;

/**
 * One run of the queue-grace sweep: closes chats whose visitor left the intake or the queue longer than the grace
 * period ago, or the pause grace for a visitor who paused on purpose (outcome {@code abandoned}), then tells each affected queue, so the visitors still waiting see their
 * place move up at once and consoles drop the row.
 */
public final class QueueSweep {

  private QueueSweep() {
  }

  /** Runs the sweep once; the future holds the conversations it closed. */
  public static Future<List<Conversation>> run(Vertx vertx, ConversationRepository conversations, long graceSeconds,
                                               long pauseGraceSeconds) {
    return conversations.abandonExpired(graceSeconds, pauseGraceSeconds).onSuccess(closed -> {
      Set<String> queues = new HashSet<>();
      for (Conversation c : closed) {
        vertx.eventBus().publish(Addresses.conversation(c.id()), new JsonObject().put("kind", "closed")
            .put("outcome", "abandoned").put("by", "system"));
        if (c.orgId() != null) {
          queues.add(c.orgId());
        }
      }
      queues.forEach(org -> vertx.eventBus().publish(Addresses.queue(org), new JsonObject().put("kind", "left")));
    });
  }
}
