package nl.veiligpraten.gateway;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import nl.veiligpraten.routing.wait.QueueWait;
import nl.veiligpraten.routing.wait.WaitEstimator;
import nl.veiligpraten.staffing.QueueSnapshot;

/**
 * Turns a staffing snapshot into what the visitor is shown: the {@code wait} of a queue ({@code
 * staffed}, {@code estimatedWaitSeconds} or {@code null}), whether it is full, and the {@code
 * alternatives} open now when a chat cannot start soon (staffed chats of other organisations among
 * the visitor's own route, the phone lines open now). This is the run-time reachability of "no dead
 * ends": an unstaffed queue is never offered as a chat.
 */
final class QueueWaits {

  private final IntakeRouting intake;
  private final WaitEstimator estimator;

  QueueWaits(IntakeRouting intake, WaitEstimator estimator) {
    this.intake = intake;
    this.estimator = estimator;
  }

  /** The wait a chat of this priority would have if queued now at the help point. */
  QueueWait forNew(QueueSnapshot snapshot, String helpPoint, int priority) {
    IntakeRouting.QueuePoint q = intake.queuePoints().get(helpPoint);
    if (q == null || !intake.isOpenNow(helpPoint)) {
      return QueueWait.UNSTAFFED;
    }
    return estimator.estimate(
        snapshot.aheadOfNew(q.orgId(), priority), snapshot.staffing(q.orgId()));
  }

  /** The wait of a queued chat with {@code ahead} chats before it at the organisation. */
  QueueWait forQueued(QueueSnapshot snapshot, String orgId, long ahead) {
    return estimator.estimate(ahead, snapshot.staffing(orgId));
  }

  /**
   * The queue help points that are staffed now (someone who may take a chat is online at the
   * staffing organisation, and the help point is open): the "staffed now" input of the routing
   * engine's reachability view for rule N1. Anything not in the set counts as not staffed.
   */
  java.util.Set<String> staffedQueues(QueueSnapshot snapshot) {
    java.util.Set<String> out = new java.util.TreeSet<>();
    intake
        .queuePoints()
        .values()
        .forEach(
            q -> {
              if (snapshot.staffing(q.orgId()).staffed() && intake.isOpenNow(q.helpPoint())) {
                out.add(q.helpPoint());
              }
            });
    return out;
  }

  /** Whether a chat that is not P0 would exceed the help point's cap. */
  boolean full(QueueSnapshot snapshot, String helpPoint) {
    IntakeRouting.QueuePoint q = intake.queuePoints().get(helpPoint);
    return q != null && snapshot.queued(helpPoint) >= q.cap();
  }

  static JsonObject json(QueueWait wait) {
    JsonObject out = new JsonObject().put("staffed", wait.staffed());
    if (wait.estimatedWaitSeconds() == null) {
      out.putNull("estimatedWaitSeconds");
    } else {
      out.put("estimatedWaitSeconds", wait.estimatedWaitSeconds());
    }
    return out;
  }

  /**
   * What is open now instead of (or while waiting for) a chat that cannot start soon, as help-point
   * cards: the routing core's options of the visitor's own route that are open now ({@code
   * candidates}), with every queue card marked {@code chatNow} (someone who may take the chat is
   * online, the queue has room, and it is not the organisation the visitor waits at) and its {@code
   * wait}; a queue card that cannot chat now stays only for its phone line. Then the 24/7 lines of
   * the queue organisations. For a full queue, its overflow queue comes first. Unknown staffing
   * counts as not staffed. (112 is on the page whenever Q0 was "Ja".)
   *
   * @param candidates cards from {@link IntakeRouting#openAlternatives}
   * @param suggested the visitor's own suggested help points
   * @param priority the priority a chat of this visitor would have
   * @param ownOrg the organisation the visitor waits at (its chat is not an alternative), or null
   * @param overflowFrom the chosen, full help point whose overflow queue is offered first, or null
   */
  JsonArray alternatives(
      QueueSnapshot snapshot,
      JsonArray candidates,
      Collection<String> suggested,
      int priority,
      String ownOrg,
      String overflowFrom) {
    java.util.Map<String, JsonObject> out = new java.util.LinkedHashMap<>();
    IntakeRouting.QueuePoint full =
        overflowFrom == null ? null : intake.queuePoints().get(overflowFrom);
    if (full != null && full.overflowTo() != null) {
      JsonObject overflow =
          queueCard(
              snapshot, intake.card(full.overflowTo(), staffedQueues(snapshot)), priority, ownOrg);
      if (Boolean.TRUE.equals(overflow.getValue("chatNow"))) {
        out.put(full.overflowTo(), overflow);
      }
    }
    for (Object o : candidates) {
      if (!(o instanceof JsonObject card)
          || out.containsKey(card.getString("id"))
          || card.getString("id", "").equals(overflowFrom)) {
        continue;
      }
      JsonObject c =
          intake.queuePoints().containsKey(card.getString("id"))
              ? queueCard(snapshot, card, priority, ownOrg)
              : card;
      if (!Boolean.FALSE.equals(c.getValue("chatNow")) || c.getString("phone") != null) {
        out.put(c.getString("id"), c);
      }
    }
    for (JsonObject line : intake.phoneLinesOpenNow(suggested, staffedQueues(snapshot))) {
      String id = line.getString("id");
      if (!out.containsKey(id)) {
        out.put(
            id,
            intake.queuePoints().containsKey(id)
                ? queueCard(snapshot, line, priority, ownOrg)
                : line);
      }
    }
    return new JsonArray(new ArrayList<>(out.values()));
  }

  private JsonObject queueCard(
      QueueSnapshot snapshot, JsonObject card, int priority, String ownOrg) {
    String id = card.getString("id");
    IntakeRouting.QueuePoint q = intake.queuePoints().get(id);
    QueueWait wait = forNew(snapshot, id, priority);
    boolean chatNow =
        q != null
            && wait.staffed()
            && !q.orgId().equals(ownOrg)
            && (priority == 0 || !full(snapshot, id));
    return card.copy().put("wait", json(wait)).put("chatNow", chatNow);
  }

  /** Suggested help points of stored intake codes ({@code suggested}), or none. */
  static List<String> suggested(JsonObject intakeCodes) {
    List<String> out = new ArrayList<>();
    if (intakeCodes != null && intakeCodes.getValue("suggested") instanceof JsonArray list) {
      list.forEach(v -> out.add(String.valueOf(v)));
    }
    return out;
  }

  static boolean emergency(JsonObject intakeCodes) {
    return intakeCodes != null && Boolean.TRUE.equals(intakeCodes.getValue("emergency"));
  }

  /** The intake answers stored with the routed conversation, or none. */
  static JsonObject answers(JsonObject intakeCodes) {
    return intakeCodes != null && intakeCodes.getValue("answers") instanceof JsonObject a
        ? a
        : new JsonObject();
  }
}
