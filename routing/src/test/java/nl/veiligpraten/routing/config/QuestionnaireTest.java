package nl.veiligpraten.routing.config;

import nl.veiligpraten.routing.AgeBand;
import nl.veiligpraten.routing.Answers;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("The intake questionnaire")
class QuestionnaireTest {

    private final Questionnaire q = RoutingConfig.defaults().questionnaire();

    private List<String> visible(Map<String, Object> raw) {
        return q.visibleQuestions(Answers.parse(raw)).stream().map(Questionnaire.Question::id).toList();
    }

    @Test
    @DisplayName("P1 is only shown to someone worried about their own behaviour, B1 only to professionals")
    void showIf() {
        assertEquals(List.of("Q0", "Q1", "Q2", "Q3", "Q4", "Q5", "Q6", "Q7"), visible(Map.of()));
        assertTrue(visible(Map.of("Q1", "perpetrator")).contains("P1"));
        assertFalse(visible(Map.of("Q1", "perpetrator")).contains("B1_sector"));
        assertTrue(visible(Map.of("Q1", "professional")).containsAll(List.of("B1_sector", "B1_suspicion")));
        assertFalse(visible(Map.of("Q1", "victim")).contains("P1"));
    }

    @Test
    @DisplayName("Q2 asks about the person it happened to when the visitor is a relative or bystander")
    void q2Variant() {
        Questionnaire.Question q2 = q.question("Q2").orElseThrow();
        assertEquals("Hoe oud ben je?", q.textFor(q2, Answers.parse(Map.of("Q1", "victim"))).nl());
        assertEquals("Hoe oud is de persoon die het meemaakte?",
                q.textFor(q2, Answers.parse(Map.of("Q1", "relative"))).nl());
        assertEquals("How old is the person it happened to?",
                q.textFor(q2, Answers.parse(Map.of("Q1", "bystander"))).en());
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
    @DisplayName("'Weet ik niet' and 'Zeg ik liever niet' are offered exactly where the brief has them")
    void dontKnowOptions() {
        for (Questionnaire.Question question : q.questions()) {
            List<String> codes = question.answers().stream().map(Questionnaire.AnswerOption::code).toList();
            boolean dontKnow = codes.contains("unknown");
            boolean ratherNot = codes.contains("rather_not");
            assertEquals(List.of("Q0", "Q2", "Q3", "Q7", "P1", "B1_suspicion").contains(question.id()), dontKnow,
                    question.id());
            assertEquals(List.of("Q1", "Q2", "Q4", "Q5", "Q6").contains(question.id()), ratherNot, question.id());
        }
        Questionnaire.AnswerOption q7unknown = q.question("Q7").orElseThrow().answers().stream()
                .filter(a -> a.code().equals("unknown")).findFirst().orElseThrow();
        assertEquals("Weet ik nog niet", q7unknown.text().nl());
    }

    @Test
    @DisplayName("The acute window in the Q3 text comes from help-points.yaml")
    void placeholder() {
        String week = q.question("Q3").orElseThrow().answers().stream().filter(a -> a.code().equals("week"))
                .findFirst().orElseThrow().text().nl();
        assertEquals("1 tot " + RoutingConfig.defaults().helpPoints().acuteWindowDays() + " dagen geleden", week);
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
    @DisplayName("No visitor text asks 'why' or labels people")
    void noBannedWords() {
        for (Questionnaire.Question question : q.questions()) {
            for (Lang l : Lang.values()) {
                assertFalse(Questionnaire.BANNED.matcher(question.text().get(l)).find(), question.id());
            }
        }
    }
}
