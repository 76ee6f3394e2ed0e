package nl.veiligpraten.gateway;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import nl.veiligpraten.conversation.Conversation;
import nl.veiligpraten.conversation.ConversationRepository;
import nl.veiligpraten.infra.bus.BusNotes;
import nl.veiligpraten.infra.bus.ConversationNote;
import nl.veiligpraten.infra.bus.InboxNote;
import nl.veiligpraten.infra.bus.QueueNote;

/**
 * One run of the queue-grace sweep: closes chats whose visitor left the intake or the queue longer
 * than the grace period ago, or the pause grace for a visitor who paused on purpose (outcome {@code
 * abandoned}), then tells each affected queue, so the visitors still waiting see their place move
 * up at once and consoles drop the row.
 */
public final class QueueSweep {

  private QueueSweep() {}

  /**
   * The longest time between two sweeps: a place moves up at most this long after the grace ran
   * out.
   */
  public static final long MAX_INTERVAL_MILLIS = 5_000;

  /**
   * How often to run the sweep for a queue grace: every {@link #MAX_INTERVAL_MILLIS}, or every
   * quarter of the grace when that is shorter, so a short grace (the 5 s minimum, or a test's) is
   * not stretched by a whole 5 s sweep interval; never more often than every 250 ms. The default
   * grace (120 s) sweeps every 5 s.
   */
  public static long intervalMillis(long graceSeconds) {
    return Math.max(250, Math.min(MAX_INTERVAL_MILLIS, graceSeconds * 1000 / 4));
  }

  /** Runs the sweep once; the future holds the conversations it closed. */
  public static Future<List<Conversation>> run(
      Vertx vertx,
      ConversationRepository conversations,
      long graceSeconds,
      long pauseGraceSeconds) {
    return conversations
        .abandonExpired(graceSeconds, pauseGraceSeconds)
        .onSuccess(
            closed -> {
              Set<String> queues = new HashSet<>();
              for (Conversation c : closed) {
                BusNotes.publish(
                    vertx.eventBus(),
                    c.id(),
                    new ConversationNote.Closed("abandoned", ConversationNote.Party.SYSTEM));
                if (c.orgId() != null) {
                  queues.add(c.orgId());
                }
              }
              queues.forEach(org -> BusNotes.publish(vertx.eventBus(), org, QueueNote.LEFT));
            });
  }

  /**
   * How long a message thread (issue 19) stays open without a new message: after it the thread is
   * closed ({@code inbox_expired}), its code stops working and the organisation's retention runs
   * from then, as for a closed chat. Thirty days gives a visitor who comes back once a week or once
   * a month time to read an answer.
   */
  public static final long INBOX_OPEN_SECONDS = 30L * 24 * 3600;

  /** Closes idle message threads; a visitor still on the page is told the thread closed. */
  public static Future<List<Conversation>> expireInbox(
      Vertx vertx, ConversationRepository conversations, long openSeconds) {
    return conversations
        .expireInbox(openSeconds)
        .onSuccess(
            closed -> {
              for (Conversation c : closed) {
                BusNotes.publish(
                    vertx.eventBus(),
                    c.id(),
                    new ConversationNote.Closed("inbox_expired", ConversationNote.Party.SYSTEM));
                BusNotes.publish(
                    vertx.eventBus(), c.orgId(), new InboxNote(InboxNote.Kind.EXPIRED, c.id()));
              }
            });
  }
}
