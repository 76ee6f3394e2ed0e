package nl.veiligpraten.gateway;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import nl.veiligpraten.staffing.QueueSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One intake step: the answer to an {@code answers} frame, the next visible {@code question} or the
 * {@code suggestions} with cards, waits and what is open now. Shared by the socket ({@link
 * VisitorConnection}) and {@code POST /api/intake} (issue 19: a page whose socket cannot connect
 * still completes the intake and sees the phone numbers that are open now), so both answer exactly
 * the same.
 */
final class IntakeStep {

  private static final Logger LOG = LoggerFactory.getLogger(IntakeStep.class);

  private IntakeStep() {}

  /**
   * @throws IntakeRouting.InvalidIntakeException for answers the questionnaire does not allow
   *     (before anything runs)
   */
  static Future<JsonObject> answer(
      IntakeRouting intake, QueueControl queue, VisitorFrame.Answers a) {
    if (a.after() != null) {
      Optional<JsonObject> next = intake.nextQuestion(a.answers(), a.after());
      if (next.isPresent()) {
        return Future.succeededFuture(
            new JsonObject().put("type", "question").put("question", next.get()));
      }
    } else {
      // Validates the answers now (InvalidIntakeException before anything runs, as documented); the
      // decision itself
      // waits for the staffing view below.
      intake.nextQuestion(a.answers(), null);
    }
    return snapshot(queue)
        .map(
            snapshot -> {
              // Decided with the queues staffed now (this event loop's snapshot, read without
              // blocking; unknown = none):
              // the suggestions, the also-offers and rule N1 see the same staffing as the wait
              // notes and alternatives.
              java.util.Set<String> staffed =
                  queue == null ? java.util.Set.of() : queue.waits().staffedQueues(snapshot);
              JsonObject route = intake.explain(a.answers(), staffed);
              JsonObject cards = new JsonObject();
              List<String> suggested = new ArrayList<>();
              List<Integer> priorities = new ArrayList<>();
              for (String list : new String[] {"suggestions", "alsoOffer"}) {
                route
                    .getJsonArray(list, new JsonArray())
                    .forEach(
                        item -> {
                          if (item instanceof JsonObject suggestion) {
                            String helpPoint = suggestion.getString("helpPoint");
                            cards.put(helpPoint, intake.card(helpPoint, staffed));
                            if (!suggested.contains(helpPoint)) {
                              suggested.add(helpPoint);
                              priorities.add(
                                  intake
                                      .route(helpPoint, a.answers(), staffed)
                                      .map(IntakeRouting.Route::priority)
                                      .orElse(3));
                            }
                          }
                        });
              }
              if (queue != null) {
                // Every queue card says before choosing whether someone is there now and what the
                // wait is.
                for (int i = 0; i < suggested.size(); i++) {
                  String helpPoint = suggested.get(i);
                  if (intake.queuePoints().containsKey(helpPoint)) {
                    cards
                        .getJsonObject(helpPoint)
                        .put(
                            "wait",
                            QueueWaits.json(
                                queue.waits().forNew(snapshot, helpPoint, priorities.get(i))))
                        .put(
                            "full",
                            priorities.get(i) > 0 && queue.waits().full(snapshot, helpPoint));
                  }
                }
              }
              JsonObject frame =
                  new JsonObject()
                      .put("type", "suggestions")
                      .put("route", route)
                      .put("cards", cards);
              if (queue != null) {
                // What is open now (staffed chats of the visitor's route, 24/7 lines), for "nobody
                // online" on a card.
                frame.put(
                    "alternatives",
                    queue
                        .waits()
                        .alternatives(
                            snapshot,
                            alternativesFor(intake, a.answers(), staffed),
                            suggested,
                            priorities.isEmpty()
                                ? 3
                                : priorities.stream().min(Integer::compare).orElse(3),
                            null,
                            null));
              }
              return frame;
            });
  }

  private static JsonArray alternativesFor(
      IntakeRouting intake, JsonObject answers, java.util.Set<String> staffed) {
    try {
      return intake.openAlternatives(answers, null, staffed);
    } catch (IntakeRouting.InvalidIntakeException e) {
      return new JsonArray();
    }
  }

  private static Future<QueueSnapshot> snapshot(QueueControl queue) {
    if (queue == null) {
      return Future.succeededFuture(QueueSnapshot.EMPTY);
    }
    return queue
        .view()
        .current()
        .recover(
            e -> {
              // Unknown counts as not staffed: the visitor is told nobody is there rather than
              // promised someone.
              LOG.warn("staffing view failed: {}", e.getClass().getName());
              return Future.succeededFuture(QueueSnapshot.EMPTY);
            });
  }
}
