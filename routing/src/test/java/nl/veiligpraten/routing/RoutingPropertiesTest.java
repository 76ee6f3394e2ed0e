package nl.veiligpraten.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import nl.veiligpraten.routing.config.Rule;

/** Properties over random answer combinations, including skipped questions. */
@Label("Routing properties")
class RoutingPropertiesTest {

  private static final RoutingEngine ENGINE = RoutingEngine.withDefaults();

  @Provide
  Arbitrary<Map<String, Object>> answerMaps() {
    List<Arbitrary<Map.Entry<String, Object>>> parts = new ArrayList<>();
    for (IntakeCodes.QuestionSpec q : IntakeCodes.questions().values()) {
      Arbitrary<Object> value =
          q.type() == IntakeCodes.Type.SINGLE
              ? Arbitraries.of(q.codes()).map(c -> (Object) c)
              : Arbitraries.of(q.codes())
                  .list()
                  .ofMinSize(1)
                  .ofMaxSize(q.codes().size())
                  .map(l -> (Object) l);
      // null = the question was skipped
      parts.add(value.map(v -> Map.entry(q.id(), v)).injectNull(0.4));
    }
    parts.add(
        Arbitraries.of(true, false)
            .map(b -> Map.entry(IntakeCodes.TALK_NOW, (Object) b))
            .injectNull(0.5));
    return Combinators.combine(parts)
        .as(
            entries -> {
              Map<String, Object> m = new LinkedHashMap<>();
              for (Map.Entry<String, Object> e : entries) {
                if (e != null) {
                  m.put(e.getKey(), e.getValue());
                }
              }
              return m;
            });
  }

  @Property(tries = 2000)
  @Label("There is always at least one and never more than three suggestions")
  void oneToThree(@ForAll("answerMaps") Map<String, Object> raw) {
    Decision d = TestReach.decide(ENGINE, Answers.parse(raw));
    assertFalse(d.suggestions().isEmpty(), () -> "no suggestion for " + raw);
    assertTrue(
        d.suggestions().size() <= RoutingEngine.MAX_SUGGESTIONS, () -> "too many for " + raw);
  }

  @Property(tries = 2000)
  @Label("Emergency is true exactly when Q0 = yes, and then U0 is first at P0")
  void emergencyExactlyWhenDanger(@ForAll("answerMaps") Map<String, Object> raw) {
    Decision d = TestReach.decide(ENGINE, Answers.parse(raw));
    boolean danger = "yes".equals(raw.get("Q0"));
    assertEquals(danger, d.emergency(), () -> raw.toString());
    if (danger) {
      assertEquals("U0", d.suggestions().get(0).rule());
      assertEquals(Priority.P0, d.priority());
    } else {
      assertTrue(d.suggestions().stream().noneMatch(s -> s.priority() == Priority.P0));
    }
  }

  @Property(tries = 2000)
  @Label(
      "Suggestions are sorted by priority then rule number (R6 just before R5, N1 last), one per help point,"
          + " and priority is the minimum")
  void orderedAndDistinct(@ForAll("answerMaps") Map<String, Object> raw) {
    Decision d = TestReach.decide(ENGINE, Answers.parse(raw));
    List<Suggestion> s = d.suggestions();
    for (int i = 1; i < s.size(); i++) {
      Suggestion a = s.get(i - 1);
      Suggestion b = s.get(i);
      int byPriority = a.priority().compareTo(b.priority());
      assertTrue(
          byPriority < 0 || byPriority == 0 && rank(a.rule()) < rank(b.rule()),
          () -> "not sorted: " + s);
    }
    assertEquals(s.size(), new HashSet<>(s.stream().map(Suggestion::helpPoint).toList()).size());
    assertEquals(s.get(0).priority(), d.priority());
    assertTrue(
        d.alsoOffer().stream()
            .noneMatch(a -> s.stream().anyMatch(x -> x.helpPoint().equals(a.helpPoint()))));
  }

  /**
   * Table order with the configured exception: Halt (R6) sorts just before Stop it Now (R5); N1
   * comes last.
   */
  private static double rank(String rule) {
    if (rule.equals("N1")) {
      return Double.MAX_VALUE;
    }
    if (rule.equals("R6")) {
      return rank("R5") - 0.5;
    }
    List<Rule> rules = ENGINE.config().rules().rules();
    for (int i = 0; i < rules.size(); i++) {
      if (rules.get(i).id().equals(rule)) {
        return i;
      }
    }
    throw new AssertionError(rule);
  }

  @Property(tries = 1000)
  @Label(
      "The same answers always give the same decision, whatever order the keys and list items come in")
  void deterministic(@ForAll("answerMaps") Map<String, Object> raw) {
    Decision first = TestReach.decide(ENGINE, Answers.parse(raw));
    List<Map.Entry<String, Object>> entries = new ArrayList<>(raw.entrySet());
    Collections.reverse(entries);
    Map<String, Object> reordered = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : entries) {
      Object v = e.getValue();
      if (v instanceof List<?> l) {
        List<Object> rev = new ArrayList<>(l);
        Collections.reverse(rev);
        v = rev;
      }
      reordered.put(e.getKey(), v);
    }
    assertEquals(first, TestReach.decide(ENGINE, Answers.parse(reordered)));
    assertEquals(first, TestReach.decide(ENGINE, Answers.parse(raw)));
    assertEquals(
        ExplainJson.toJson(first),
        ExplainJson.toJson(TestReach.decide(ENGINE, Answers.parse(raw))));
  }

  @Property(tries = 1000)
  @Label(
      "Talk-now always keeps general triage; U1 never comes from intake; the police card is never alone")
  void guarantees(@ForAll("answerMaps") Map<String, Object> raw) {
    Decision d = TestReach.decide(ENGINE, Answers.parse(raw));
    if (Boolean.TRUE.equals(raw.get(IntakeCodes.TALK_NOW))) {
      assertTrue(
          d.suggestions().stream().anyMatch(s -> s.helpPoint().equals("triage")),
          () -> d.toString());
    }
    assertFalse(d.matchedRules().contains("U1"));
    assertFalse(d.suggestions().size() == 1 && d.suggestions().get(0).rule().equals("R15"));
    assertTrue(d.suggestions().stream().allMatch(s -> !s.source().isBlank()));
  }
}
