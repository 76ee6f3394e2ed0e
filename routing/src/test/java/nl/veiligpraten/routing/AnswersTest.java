package nl.veiligpraten.routing;

import static nl.veiligpraten.routing.TestAnswers.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Answers validation")
class AnswersTest {

  @Test
  @DisplayName("An unknown answer code names the field and the allowed codes")
  void unknownCode() {
    InvalidAnswersException e =
        assertThrows(InvalidAnswersException.class, () -> Answers.parse(map("Q3", "yesterday")));
    assertEquals("Q3", e.field());
    assertEquals(List.of("today", "week", "older", "ongoing", "unknown"), e.allowed());
    assertTrue(e.getMessage().contains("yesterday"), e.getMessage());
  }

  @Test
  @DisplayName("An unknown code inside a list names the field and its allowed codes")
  void unknownCodeInList() {
    InvalidAnswersException e =
        assertThrows(
            InvalidAnswersException.class,
            () -> Answers.parse(map("Q7", List.of("listen", "hug"))));
    assertEquals("Q7", e.field());
    assertTrue(e.allowed().contains("police"));
    assertTrue(e.getMessage().contains("hug"));
  }

  @Test
  @DisplayName("An unknown question id is ignored (an older or newer page may send one)")
  void unknownKey() {
    assertEquals(
        Answers.parse(map("Q1", "victim")), Answers.parse(map("Q9", "yes", "Q1", "victim")));
  }

  @Test
  @DisplayName("A list for a single-answer question is rejected")
  void listForSingle() {
    InvalidAnswersException e =
        assertThrows(
            InvalidAnswersException.class, () -> Answers.parse(map("Q1", List.of("victim"))));
    assertEquals("Q1", e.field());
    assertTrue(e.getMessage().contains("not a list"), e.getMessage());
  }

  @Test
  @DisplayName("A single code for a multi-answer question is rejected")
  void singleForList() {
    InvalidAnswersException e =
        assertThrows(InvalidAnswersException.class, () -> Answers.parse(map("Q4", "physical")));
    assertEquals("Q4", e.field());
    assertTrue(e.getMessage().contains("list"), e.getMessage());
  }

  @Test
  @DisplayName("A number or a non-boolean talk_now is a wrong type")
  void wrongTypes() {
    assertEquals(
        "Q0",
        assertThrows(InvalidAnswersException.class, () -> Answers.parse(map("Q0", 1))).field());
    InvalidAnswersException e =
        assertThrows(InvalidAnswersException.class, () -> Answers.parse(map("talk_now", "yes")));
    assertEquals("talk_now", e.field());
    assertEquals(List.of("true", "false"), e.allowed());
  }

  @Test
  @DisplayName("Missing keys, nulls and empty lists all mean skipped")
  void skips() {
    Map<String, Object> raw = new HashMap<>();
    raw.put("Q0", null);
    raw.put("Q4", List.of());
    Answers a = Answers.parse(raw);
    assertTrue(a.isEmpty());
    assertFalse(a.isAnswered("Q0"));
    assertEquals(Set.of(), a.multi("Q4"));
    assertEquals(Answers.empty(), Answers.parse(null));
  }

  @Test
  @DisplayName("Multi answers are de-duplicated and order-independent, and survive a round trip")
  void multiNormalised() {
    Answers a =
        Answers.parse(
            map(
                "Q4",
                Arrays.asList("online", "physical", "online"),
                "Q1",
                "victim",
                "talk_now",
                true));
    Answers b =
        Answers.parse(map("Q1", "victim", "Q4", List.of("physical", "online"), "talk_now", true));
    assertEquals(a, b);
    assertEquals(List.of("physical", "online"), List.copyOf(a.multi("Q4")));
    assertTrue(a.talkNow());
    assertEquals(a, Answers.parse(a.toMap()));
  }
}
