package nl.veiligpraten.routing.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import nl.veiligpraten.routing.AgeBand;
import nl.veiligpraten.routing.Answers;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The intake questionnaire")
class QuestionnaireTest {

  private final Questionnaire q = RoutingConfig.defaults().questionnaire();

  private List<String> visible(Map<String, Object> raw) {
    return q.visibleQuestions(Answers.parse(raw)).stream().map(Questionnaire.Question::id).toList();
  }

  @Test
  @DisplayName(
      "Each role sees its own questions: QA for relatives and bystanders, PW and P1 instead of Q3-Q6 for "
          + "someone worried about their own behaviour, B1 for professionals, QF last for everyone")
  void perRole() {
    assertEquals(List.of("Q0", "Q1", "Q2", "Q3", "Q4", "Q5", "Q6", "Q7", "QF"), visible(Map.of()));
    assertEquals(
        List.of("Q0", "Q1", "Q2", "Q3", "Q4", "Q5", "Q6", "Q7", "QF"),
        visible(Map.of("Q1", "victim")));
    assertEquals(
        List.of("Q0", "Q1", "Q2", "QA", "Q3", "Q4", "Q5", "Q6", "Q7", "QF"),
        visible(Map.of("Q1", "relative")));
    assertEquals(
        List.of("Q0", "Q1", "Q2", "QA", "Q3", "Q4", "Q5", "Q6", "Q7", "QF"),
        visible(Map.of("Q1", "bystander")));
    assertEquals(
        List.of("Q0", "Q1", "PW", "P1", "Q2", "Q7", "QF"), visible(Map.of("Q1", "perpetrator")));
    assertEquals(
        List.of("Q0", "Q1", "Q2", "Q3", "Q4", "Q5", "Q6", "Q7", "B1_sector", "B1_suspicion", "QF"),
        visible(Map.of("Q1", "professional")));
    assertEquals(
        List.of("Q0", "Q1", "Q2", "Q3", "Q4", "Q5", "Q6", "Q7", "QF"),
        visible(Map.of("Q1", "rather_not")));
  }

  @Test
  @DisplayName("Answers to questions not shown for the role are dropped before the rules see them")
  void visibleOnly() {
    Answers raw =
        Answers.parse(
            Map.of(
                "Q1",
                "perpetrator",
                "Q4",
                List.of("physical"),
                "Q3",
                "today",
                "P1",
                "yes",
                "QA",
                "12-15",
                "B1_suspicion",
                "yes"));
    assertEquals(Answers.parse(Map.of("Q1", "perpetrator", "P1", "yes")), q.visibleOnly(raw));
    Answers pro =
        Answers.parse(Map.of("Q1", "professional", "QA", "25plus", "B1_suspicion", "yes"));
    assertEquals(
        Answers.parse(Map.of("Q1", "professional", "B1_suspicion", "yes")), q.visibleOnly(pro));
  }

  @Test
  @DisplayName(
      "Q2 asks about the other person for relatives, bystanders and professionals; never the asker's own age")
  void q2Variant() {
    Questionnaire.Question q2 = q.question("Q2").orElseThrow();
    assertEquals("Hoe oud ben je?", q.textFor(q2, Answers.parse(Map.of("Q1", "victim"))).nl());
    assertEquals("Hoe oud ben je?", q.textFor(q2, Answers.parse(Map.of("Q1", "perpetrator"))).nl());
    assertEquals(
        "Hoe oud is de persoon om wie het gaat?",
        q.textFor(q2, Answers.parse(Map.of("Q1", "relative"))).nl());
    assertEquals(
        "How old is the person it is about?",
        q.textFor(q2, Answers.parse(Map.of("Q1", "bystander"))).en());
    assertTrue(
        q.textFor(q2, Answers.parse(Map.of("Q1", "professional")))
            .nl()
            .startsWith("Hoe oud is de persoon om wie het gaat"));
    assertEquals("Hoe oud ben jij zelf?", q.question("QA").orElseThrow().text().nl());
  }

  @Test
  @DisplayName(
      "Relatives, bystanders and professionals read Q3-Q6 in the third person, answers included")
  void thirdPerson() {
    for (String role : List.of("relative", "bystander", "professional")) {
      Answers a = Answers.parse(Map.of("Q1", role));
      Questionnaire.Question q4 = q.question("Q4").orElseThrow();
      assertEquals(
          "Wat is er met die persoon gebeurd? Je hoeft geen details te geven. Je kunt meer antwoorden "
              + "kiezen.",
          q.textFor(q4, a).nl());
      for (Questionnaire.AnswerOption opt : q.answersFor(q4, a)) {
        if (List.of("unknown", "rather_not").contains(opt.code())) {
          continue; // the asker's own "Weet ik niet" / "Zeg ik liever niet"
        }
        for (Lang l : Lang.values()) {
          assertFalse(
              opt.text().get(l).matches("(?i).*\\b(ik|mij|mijn|I|me|my)\\b.*"),
              role + " Q4/" + opt.code() + " " + l + ": " + opt.text().get(l));
        }
      }
      assertEquals(
          "Kent die persoon degene die het deed?",
          q.textFor(q.question("Q6").orElseThrow(), a).nl());
      assertTrue(
          q.answersFor(q.question("Q5").orElseThrow(), a).stream()
              .noneMatch(o -> o.text().nl().startsWith("Mijn")),
          role);
    }
    Answers self = Answers.parse(Map.of("Q1", "victim"));
    assertTrue(
        q.answersFor(q.question("Q4").orElseThrow(), self)
            .get(0)
            .text()
            .nl()
            .contains("ik niet wilde"));
  }

  @Test
  @DisplayName("Every text exists in Dutch B1, easy-read Dutch and English")
  void threeVariants() {
    for (Questionnaire.Question question : q.questions()) {
      for (Lang l : Lang.values()) {
        assertFalse(question.text().get(l).isBlank(), question.id() + " " + l);
        for (Questionnaire.AnswerOption a : question.answers()) {
          assertFalse(a.text().get(l).isBlank(), question.id() + "/" + a.code() + " " + l);
        }
      }
      assertFalse(question.text().nlEasy().isBlank());
    }
    assertEquals("Ik wil meteen met iemand praten", q.talkNow().nl());
    assertEquals("I want to talk to someone now", q.talkNow().en());
    assertFalse(q.skip().nlEasy().isBlank());
    assertTrue(q.consent().nl().startsWith("Mag ik dit gesprek doorsturen naar {organisation}?"));
  }

  @Test
  @DisplayName(
      "'Weet ik niet' and 'Zeg ik liever niet' are offered exactly where the brief has them")
  void dontKnowOptions() {
    for (Questionnaire.Question question : q.questions()) {
      List<String> codes =
          question.answers().stream().map(Questionnaire.AnswerOption::code).toList();
      boolean dontKnow = codes.contains("unknown");
      boolean ratherNot = codes.contains("rather_not");
      assertEquals(
          List.of("Q0", "PW", "P1", "Q2", "QA", "Q3", "Q4", "Q6", "Q7", "B1_suspicion")
              .contains(question.id()),
          dontKnow,
          question.id());
      assertEquals(
          List.of("Q1", "Q2", "QA", "Q4", "Q5", "Q6").contains(question.id()),
          ratherNot,
          question.id());
    }
    Questionnaire.AnswerOption q7unknown =
        q.question("Q7").orElseThrow().answers().stream()
            .filter(a -> a.code().equals("unknown"))
            .findFirst()
            .orElseThrow();
    assertEquals("Weet ik nog niet", q7unknown.text().nl());
  }

  @Test
  @DisplayName("The acute window in the Q3 text comes from help-points.yaml")
  void placeholder() {
    String week =
        q.question("Q3").orElseThrow().answers().stream()
            .filter(a -> a.code().equals("week"))
            .findFirst()
            .orElseThrow()
            .text()
            .nl();
    assertEquals(
        "1 tot " + RoutingConfig.defaults().helpPoints().acuteWindowDays() + " dagen geleden",
        week);
    assertFalse(q.question("P1").orElseThrow().text().en().contains("{"));
  }

  @Test
  @DisplayName("Q2 bands map to ages; unknown and rather-not have no band")
  void ageBands() {
    assertEquals(new AgeBand("12-15", 12, 15), q.ageBand("12-15").orElseThrow());
    AgeBand adult = q.ageBand("25plus").orElseThrow();
    assertTrue(adult.atLeast(18));
    assertFalse(adult.atMost(24));
    assertTrue(q.ageBand("unknown").isEmpty());
    assertTrue(q.ageBand(Answers.parse(Map.of("Q2", "rather_not"))).isEmpty());
    AgeBand teen = q.ageBand("16-17").orElseThrow();
    assertTrue(teen.under(18));
    assertFalse(teen.under(17));
    assertTrue(teen.within(12, 17));
    assertFalse(teen.within(null, 16));
  }

  @Test
  @DisplayName(
      "QF 'Hoe ben je hier terechtgekomen?' is the optional last question with the agreed codes")
  void foundUs() {
    Questionnaire.Question qf = q.questions().get(q.questions().size() - 1);
    assertEquals("QF", qf.id());
    assertEquals("Hoe ben je hier terechtgekomen?", qf.text().nl());
    assertEquals(
        List.of("gp", "school", "police", "friend_family", "search", "campaign", "other"),
        qf.answers().stream().map(Questionnaire.AnswerOption::code).toList());
    assertTrue(qf.showIf() == null);
  }

  @Test
  @DisplayName("No visitor text asks 'why' or labels people")
  void noBannedWords() {
    for (Questionnaire.Question question : q.questions()) {
      for (Lang l : Lang.values()) {
        assertFalse(Questionnaire.BANNED.matcher(question.text().get(l)).find(), question.id());
      }
    }
  }
}
