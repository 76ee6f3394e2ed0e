package nl.veiligpraten.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * One intake step over the real routing engine and the shipped configuration, without a staffing
 * view (as the HTTP intake of a page without a socket runs when nobody's queue is known): the same
 * answer the socket gives.
 */
@DisplayName("Intake step: next question, or suggestions with a card for every help point offered")
class IntakeStepTest {

  /** A Wednesday at 11:00 in Amsterdam, so what is open does not depend on when the test runs. */
  static final EngineIntakeRouting ROUTING =
      EngineIntakeRouting.load(
          null, Clock.fixed(Instant.parse("2026-11-25T10:00:00Z"), ZoneOffset.UTC));

  static JsonObject step(JsonObject answers, String after) {
    Future<JsonObject> f =
        IntakeStep.answer(ROUTING, null, new VisitorFrame.Answers(answers, after));
    assertTrue(
        f.succeeded(), () -> "without a staffing view the step completes at once: " + f.cause());
    return f.result();
  }

  @Test
  @DisplayName("after a question is answered, the next visible question comes back")
  void nextQuestion() {
    JsonObject frame = step(new JsonObject().put("Q0", "no"), "Q0");
    assertEquals("question", frame.getString("type"));
    assertEquals("Q1", frame.getJsonObject("question").getString("id"));
  }

  @Test
  @DisplayName("a skipped question moves on just the same")
  void skipped() {
    JsonObject frame = step(new JsonObject(), "Q0");
    assertEquals("question", frame.getString("type"));
    assertEquals("Q1", frame.getJsonObject("question").getString("id"));
  }

  @Test
  @DisplayName(
      "without 'after', the route comes back at once, with a card for every suggested and also-offered "
          + "help point and no alternatives (no staffing view)")
  void suggestions() {
    JsonObject frame = step(new JsonObject().put("Q0", "no"), null);
    assertEquals("suggestions", frame.getString("type"));
    JsonObject route = frame.getJsonObject("route");
    JsonObject cards = frame.getJsonObject("cards");
    List<String> offered = new ArrayList<>();
    for (String list : new String[] {"suggestions", "alsoOffer"}) {
      route
          .getJsonArray(list, new JsonArray())
          .forEach(s -> offered.add(((JsonObject) s).getString("helpPoint")));
    }
    assertFalse(offered.isEmpty(), "a route always offers somewhere to go: " + route.encode());
    for (String helpPoint : offered) {
      assertNotNull(
          cards.getJsonObject(helpPoint), "card for " + helpPoint + " in " + cards.fieldNames());
    }
    assertEquals(
        new java.util.HashSet<>(offered),
        cards.fieldNames(),
        "no card for a help point not offered");
    assertFalse(frame.containsKey("alternatives"));
  }

  @Test
  @DisplayName(
      "an answer the questionnaire does not allow is refused before anything runs, with or without 'after'")
  void invalidAnswers() {
    JsonObject bad = new JsonObject().put("Q0", "maybe");
    assertThrows(
        IntakeRouting.InvalidIntakeException.class,
        () -> IntakeStep.answer(ROUTING, null, new VisitorFrame.Answers(bad, "Q0")));
    assertThrows(
        IntakeRouting.InvalidIntakeException.class,
        () -> IntakeStep.answer(ROUTING, null, new VisitorFrame.Answers(bad, null)));
    assertThrows(
        IntakeRouting.InvalidIntakeException.class,
        () -> IntakeStep.answer(ROUTING, null, new VisitorFrame.Answers(new JsonObject(), "Q99")));
  }
}
