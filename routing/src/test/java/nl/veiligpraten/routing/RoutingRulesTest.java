package nl.veiligpraten.routing;

import static nl.veiligpraten.routing.TestAnswers.answers;
import static nl.veiligpraten.routing.TestAnswers.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

@DisplayName("The decision table (brief §4.2)")
class RoutingRulesTest {

  private static final RoutingEngine ENGINE = RoutingEngine.withDefaults();
  private static final List<String> FLAGS =
      List.of("bystander_advice", "support_relative", "perpetrator_skill");

  private static List<String> helpPoints(Decision d) {
    return d.suggestions().stream().map(Suggestion::helpPoint).toList();
  }

  private static List<String> alsoOffered(Decision d) {
    return d.alsoOffer().stream().map(Suggestion::helpPoint).toList();
  }

  /** One table row: answers that fire the rule with its target, or a near miss that must not. */
  record Case(
      String rule, boolean fires, String expect, Map<String, Object> answers, String description) {
    @Override
    public String toString() {
      return description;
    }
  }

  static Case fires(String rule, String helpPointOrFlag, String description, Object... kv) {
    return new Case(rule, true, helpPointOrFlag, map(kv), rule + " fires: " + description);
  }

  static Case misses(String rule, String helpPointOrFlag, String description, Object... kv) {
    return new Case(rule, false, helpPointOrFlag, map(kv), rule + " near miss: " + description);
  }

  static Stream<Case> table() {
    return Stream.of(
        fires("U0", "triage", "Q0 = yes puts a counselor on it at P0", "Q0", "yes"),
        misses("U0", null, "Q0 = don't know is not an emergency", "Q0", "unknown"),
        fires("R1", "csg", "physical, today", "Q4", List.of("physical"), "Q3", "today"),
        fires(
            "R1",
            "csg",
            "physical, within the week, any role",
            "Q1",
            "bystander",
            "Q4",
            List.of("physical", "verbal"),
            "Q3",
            "week"),
        misses(
            "R1",
            "csg",
            "physical but longer ago gives no CSG",
            "Q4",
            List.of("physical"),
            "Q3",
            "older"),
        misses("R1", "csg", "today but not physical", "Q4", List.of("verbal"), "Q3", "today"),
        fires("R1", "csg", "today, what happened skipped", "Q3", "today"),
        fires(
            "R1",
            "csg",
            "within the week, 'rather not say' what happened",
            "Q3",
            "week",
            "Q4",
            List.of("rather_not")),
        fires(
            "R1",
            "csg",
            "within the week, does not know what happened (drugging)",
            "Q3",
            "week",
            "Q4",
            List.of("unknown")),
        fires(
            "R1",
            "csg",
            "physical, does not know when",
            "Q4",
            List.of("physical"),
            "Q3",
            "unknown"),
        misses("R1", "csg", "longer ago and what happened skipped", "Q3", "older"),
        fires("R2", "veilig_thuis", "at home", "Q5", "home"),
        fires("R2", "veilig_thuis", "partner or ex", "Q5", "partner"),
        fires(
            "R2",
            "veilig_thuis",
            "professional suspects domestic violence",
            "Q1",
            "professional",
            "B1_suspicion",
            "yes"),
        misses("R2", "veilig_thuis", "somewhere else", "Q5", "elsewhere"),
        misses(
            "R2",
            "veilig_thuis",
            "professional without suspicion",
            "Q1",
            "professional",
            "B1_suspicion",
            "no"),
        fires(
            "R2",
            "veilig_thuis",
            "professional in doubt (meldcode: consult)",
            "Q1",
            "professional",
            "B1_suspicion",
            "unknown"),
        fires(
            "R2",
            "veilig_thuis",
            "a child abused now by a coach",
            "Q2",
            "12-15",
            "Q3",
            "ongoing",
            "Q5",
            "sport"),
        misses(
            "R2",
            "veilig_thuis",
            "an adult abused now by a coach",
            "Q2",
            "25plus",
            "Q3",
            "ongoing",
            "Q5",
            "sport"),
        misses(
            "R2",
            "veilig_thuis",
            "a child, by a coach, longer ago",
            "Q2",
            "12-15",
            "Q3",
            "older",
            "Q5",
            "sport"),
        fires("R3", "cvsn", "sport", "Q5", "sport"),
        fires("R3", "cvsn", "professional in sport", "Q1", "professional", "B1_sector", "sport"),
        misses("R3", "cvsn", "work is not sport", "Q5", "work"),
        fires("R4", "mores", "culture and media", "Q5", "culture_media"),
        misses("R4", "mores", "church is not culture", "Q5", "religion"),
        fires(
            "R5",
            "stop_it_now",
            "worried about feelings towards minors",
            "Q1",
            "perpetrator",
            "P1",
            "yes"),
        fires(
            "R5",
            "stop_it_now",
            "not sure whether it is about minors",
            "Q1",
            "perpetrator",
            "P1",
            "unknown"),
        misses("R5", "stop_it_now", "not about minors", "Q1", "perpetrator", "P1", "no"),
        misses(
            "R5",
            "stop_it_now",
            "P1 = yes without the perpetrator role",
            "Q1",
            "victim",
            "P1",
            "yes"),
        fires(
            "R6",
            "halt",
            "young person 12-15 worried about own behaviour",
            "Q1",
            "perpetrator",
            "Q2",
            "12-15"),
        fires(
            "R6",
            "halt",
            "16-17 is still within Halt's limits",
            "Q1",
            "perpetrator",
            "Q2",
            "16-17"),
        misses(
            "R6",
            "halt",
            "18-24 is outside Halt's configured ages",
            "Q1",
            "perpetrator",
            "Q2",
            "18-24"),
        misses(
            "R6",
            "halt",
            "under 12 is outside Halt's configured ages",
            "Q1",
            "perpetrator",
            "Q2",
            "under12"),
        misses("R6", "halt", "a young person it happened to", "Q1", "victim", "Q2", "12-15"),
        fires("R7", "helpwanted", "sextortion", "Q4", List.of("sextortion")),
        fires("R7", "helpwanted", "online setting", "Q5", "online"),
        misses("R7", "helpwanted", "verbal only", "Q4", List.of("verbal"), "Q5", "street"),
        misses(
            "R7",
            "helpwanted",
            "online answers are ignored on the path about own behaviour",
            "Q1",
            "perpetrator",
            "Q4",
            List.of("online"),
            "Q5",
            "online"),
        fires("R8", "sense", "18-24 with a question", "Q2", "18-24", "Q4", List.of("question")),
        fires("R8", "sense", "16-17, longer ago", "Q2", "16-17", "Q3", "older"),
        misses(
            "R8",
            "sense",
            "25 or older is outside Sense's configured ages",
            "Q2",
            "25plus",
            "Q4",
            List.of("question")),
        misses(
            "R8",
            "sense",
            "unknown age never matches an age rule",
            "Q2",
            "unknown",
            "Q4",
            List.of("question")),
        fires("R9", "vertrouwenspersoon", "work", "Q5", "work"),
        misses("R9", "vertrouwenspersoon", "street is not work", "Q5", "street"),
        fires("R10", "school_confidential", "school", "Q5", "education"),
        fires(
            "R10",
            "school_confidential",
            "professional in education",
            "Q1",
            "professional",
            "B1_sector",
            "education"),
        misses("R10", "school_confidential", "somewhere else", "Q5", "elsewhere"),
        fires("R11", "veilige_kerk", "church or faith", "Q5", "religion"),
        misses("R11", "veilige_kerk", "school", "Q5", "education"),
        fires(
            "R12",
            "street_harassment",
            "comments on the street",
            "Q5",
            "street",
            "Q4",
            List.of("verbal")),
        misses("R12", "street_harassment", "online", "Q5", "online", "Q4", List.of("verbal")),
        misses(
            "R12",
            "street_harassment",
            "assault at a party is not catcalling",
            "Q5",
            "street",
            "Q4",
            List.of("physical", "verbal")),
        misses("R12", "street_harassment", "street with what happened skipped", "Q5", "street"),
        fires("R13", "veilig_thuis", "care, minor: Veilig Thuis", "Q5", "care", "Q2", "12-15"),
        fires(
            "R13",
            "veilig_thuis",
            "care, adult: a dependency relation, so Veilig Thuis too",
            "Q5",
            "care",
            "Q2",
            "18-24"),
        misses("R13", "veilig_thuis", "not in care", "Q5", "elsewhere", "Q2", "25plus"),
        fires("R14", "kindertelefoon", "child, something happened", "Q1", "victim", "Q2", "12-15"),
        fires(
            "R14",
            "kindertelefoon",
            "a child worried about a sibling",
            "Q1",
            "relative",
            "QA",
            "under12"),
        fires(
            "R14",
            "kindertelefoon",
            "a teenager worried about a friend (asker age QA)",
            "Q1",
            "bystander",
            "QA",
            "12-15",
            "Q2",
            "16-17"),
        fires("R14", "kindertelefoon", "role skipped, 12-15", "Q2", "12-15"),
        misses(
            "R14",
            "kindertelefoon",
            "a parent asking about a child",
            "Q1",
            "relative",
            "QA",
            "25plus",
            "Q2",
            "under12"),
        misses(
            "R14",
            "kindertelefoon",
            "a professional asking about a child",
            "Q1",
            "professional",
            "Q2",
            "12-15"),
        misses("R14", "kindertelefoon", "adult", "Q1", "victim", "Q2", "18-24"),
        fires("R15", "police", "wants to file a police report", "Q7", List.of("police")),
        misses("R15", "police", "wants advice only", "Q7", List.of("advice")),
        fires(
            "R16",
            "slachtofferhulp",
            "adult, longer ago",
            "Q1",
            "victim",
            "Q2",
            "25plus",
            "Q3",
            "older"),
        misses(
            "R16",
            "slachtofferhulp",
            "a sector rule (work) matched",
            "Q1",
            "victim",
            "Q2",
            "25plus",
            "Q3",
            "older",
            "Q5",
            "work"),
        misses("R16", "slachtofferhulp", "a minor", "Q1", "victim", "Q2", "16-17", "Q3", "older"),
        fires(
            "R16",
            "slachtofferhulp",
            "adult, does not know when",
            "Q1",
            "victim",
            "Q2",
            "25plus",
            "Q3",
            "unknown"),
        fires(
            "R16",
            "slachtofferhulp",
            "a sector rule does not block it when it was physical",
            "Q1",
            "victim",
            "Q2",
            "25plus",
            "Q3",
            "older",
            "Q5",
            "work",
            "Q4",
            List.of("physical")),
        misses(
            "R16",
            "slachtofferhulp",
            "a relative (only for the person it happened to)",
            "Q1",
            "relative",
            "Q2",
            "25plus",
            "Q3",
            "older"),
        fires("R17", "bystander_advice", "bystander", "Q1", "bystander"),
        misses("R17", "bystander_advice", "it happened to the visitor", "Q1", "victim"),
        fires("R18", "support_relative", "relative", "Q1", "relative"),
        misses("R18", "support_relative", "bystander", "Q1", "bystander"),
        fires(
            "R19",
            "triage",
            "adult worried about own behaviour, not about minors",
            "Q1",
            "perpetrator",
            "Q2",
            "25plus",
            "P1",
            "no"),
        misses(
            "R19",
            null,
            "R5 matched instead",
            "Q1",
            "perpetrator",
            "Q2",
            "25plus",
            "P1",
            "yes",
            "Q7",
            List.of("advice")),
        fires("R20", "triage", "no answers at all", new Object[0]),
        fires("R20", "triage", "nothing else matched", "Q0", "no", "Q5", "elsewhere"),
        fires("R20", "triage", "talk now", "talk_now", true),
        fires(
            "R20",
            "triage",
            "does not know yet what is wanted",
            "Q5",
            "work",
            "Q7",
            List.of("unknown")),
        fires(
            "R20",
            "triage",
            "does not know when, no P1 route",
            "Q5",
            "work",
            "Q3",
            "unknown",
            "Q7",
            List.of("advice")),
        fires(
            "R20",
            "triage",
            "role 'rather not say'",
            "Q1",
            "rather_not",
            "Q5",
            "work",
            "Q7",
            List.of("advice")),
        misses(
            "R20",
            null,
            "questions not shown to the role do not count as skipped",
            "Q1",
            "perpetrator",
            "Q2",
            "12-15",
            "P1",
            "no",
            "Q7",
            List.of("advice")),
        misses(
            "R20",
            "triage",
            "acute physical routes to CSG, not triage",
            "Q4",
            List.of("physical"),
            "Q3",
            "today"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  @DisplayName("Each rule fires on its row and not on a near miss")
  void rule(Case c) {
    Decision d = TestReach.decide(ENGINE, Answers.parse(c.answers()));
    boolean isFlag = c.expect() != null && FLAGS.contains(c.expect());
    if (c.fires()) {
      assertTrue(d.matchedRules().contains(c.rule()), c.rule() + " should match: " + d);
      if (isFlag) {
        assertTrue(d.flags().contains(c.expect()), "flag " + c.expect() + " expected: " + d);
      } else {
        // a route that did not fit in three is not lost: it is in the "Ook mogelijk" list
        assertTrue(
            java.util.stream.Stream.concat(d.suggestions().stream(), d.alsoOffer().stream())
                .anyMatch(s -> s.helpPoint().equals(c.expect()) && s.rule().equals(c.rule())),
            c.expect() + " from " + c.rule() + " expected: " + d);
      }
    } else {
      assertFalse(d.matchedRules().contains(c.rule()), c.rule() + " should not match: " + d);
      assertTrue(d.suggestions().stream().noneMatch(s -> s.rule().equals(c.rule())));
      if (isFlag) {
        assertFalse(d.flags().contains(c.expect()), "flag " + c.expect() + " unexpected: " + d);
      } else if (c.expect() != null) {
        assertFalse(
            helpPoints(d).contains(c.expect()), c.expect() + " should not be suggested: " + d);
      }
    }
  }

  @Test
  @DisplayName("R2 is P1 for a minor in an ongoing situation and P2 otherwise")
  void r2Priority() {
    assertEquals(
        Priority.P1, priorityOf("R2", answers("Q5", "home", "Q3", "ongoing", "Q2", "12-15")));
    assertEquals(
        Priority.P2, priorityOf("R2", answers("Q5", "home", "Q3", "ongoing", "Q2", "18-24")));
    assertEquals(
        Priority.P2, priorityOf("R2", answers("Q5", "home", "Q3", "older", "Q2", "12-15")));
    assertEquals(Priority.P2, priorityOf("R2", answers("Q5", "home", "Q3", "ongoing")));
  }

  @Test
  @DisplayName("R7 is P2 for sextortion and P3 for other online cases")
  void r7Priority() {
    assertEquals(Priority.P2, priorityOf("R7", answers("Q4", List.of("sextortion"))));
    assertEquals(Priority.P3, priorityOf("R7", answers("Q4", List.of("online"))));
  }

  @Test
  @DisplayName("An emergency comes first at P0 even when many other rules match")
  void emergencyFirst() {
    Decision d =
        TestReach.decide(
            ENGINE,
            answers(
                "Q0",
                "yes",
                "Q4",
                List.of("physical", "sextortion"),
                "Q3",
                "today",
                "Q5",
                "home",
                "Q7",
                List.of("police")));
    assertTrue(d.emergency());
    assertEquals(Priority.P0, d.priority());
    assertEquals("U0", d.suggestions().get(0).rule());
    assertEquals(3, d.suggestions().size());
    assertEquals(List.of("triage", "csg", "veilig_thuis"), helpPoints(d));
    assertTrue(d.matchedRules().containsAll(List.of("U0", "R1", "R2", "R7", "R15")));
  }

  @Test
  @DisplayName("No answers at all goes to general triage only")
  void emptyGoesToTriage() {
    Decision d = TestReach.decide(ENGINE, Answers.empty());
    assertEquals(List.of("triage"), helpPoints(d));
    assertEquals("queue", d.suggestions().get(0).kind().code());
    assertEquals(Priority.P3, d.priority());
    assertFalse(d.emergency());
    assertEquals(ENGINE.config().rules().version(), d.rulesVersion());
  }

  @Test
  @DisplayName("Talk-now keeps general triage even when three better routes exist")
  void talkNowKeepsTriage() {
    Map<String, Object> many =
        map("Q4", List.of("physical", "sextortion"), "Q3", "today", "Q5", "home", "Q2", "12-15");
    assertFalse(helpPoints(TestReach.decide(ENGINE, Answers.parse(many))).contains("triage"));
    many.put("talk_now", true);
    Decision d = TestReach.decide(ENGINE, Answers.parse(many));
    assertEquals(3, d.suggestions().size());
    assertEquals(List.of("csg", "veilig_thuis", "triage"), helpPoints(d));
  }

  @Test
  @DisplayName("The police card is never the only option")
  void policeNeverAlone() {
    Decision d = TestReach.decide(ENGINE, answers("Q7", List.of("police")));
    assertEquals(List.of("police", "triage"), helpPoints(d));
    assertEquals("card", d.suggestions().get(0).kind().code());
  }

  @Test
  @DisplayName("The same help point is suggested once, from its most urgent rule")
  void deduplicates() {
    // R2 (home) and R13 (care, minor) both target Veilig Thuis
    Decision d =
        TestReach.decide(
            ENGINE,
            answers(
                "Q1", "professional", "B1_suspicion", "yes", "B1_sector", "care", "Q2", "12-15"));
    assertEquals(1, helpPoints(d).stream().filter("veilig_thuis"::equals).count());
    assertEquals(
        "R2",
        d.suggestions().stream()
            .filter(s -> s.helpPoint().equals("veilig_thuis"))
            .findFirst()
            .orElseThrow()
            .rule());
    assertTrue(d.matchedRules().containsAll(List.of("R2", "R13")));
  }

  @Test
  @DisplayName(
      "A relative of a child at home gets Veilig Thuis at P1 and support; Kindertelefoon only for a young asker")
  void relativeRoutesForThePersonInvolved() {
    Decision parent =
        TestReach.decide(
            ENGINE,
            answers(
                "Q1",
                "relative",
                "QA",
                "25plus",
                "Q2",
                "under12",
                "Q5",
                "home",
                "Q3",
                "ongoing",
                "Q7",
                List.of("advice")));
    assertEquals(List.of("veilig_thuis"), helpPoints(parent));
    assertEquals(Priority.P1, parent.priority());
    assertEquals(List.of(), alsoOffered(parent));
    assertEquals(java.util.Set.of("support_relative"), parent.flags());
    Decision sibling =
        TestReach.decide(
            ENGINE,
            answers(
                "Q1",
                "relative",
                "QA",
                "12-15",
                "Q2",
                "under12",
                "Q5",
                "home",
                "Q3",
                "ongoing",
                "Q7",
                List.of("advice")));
    assertEquals(List.of("veilig_thuis", "kindertelefoon"), helpPoints(sibling));
  }

  @Test
  @DisplayName("Also-offer items are listed separately and never repeat a suggestion")
  void alsoOffer() {
    Decision d =
        TestReach.decide(
            ENGINE,
            answers("Q1", "victim", "Q2", "25plus", "Q3", "older", "Q7", List.of("advice")));
    // Slachtofferhulp's 0900 line costs money and has no configured hours: N1 adds a free option
    // open now
    assertEquals(List.of("slachtofferhulp", "triage"), helpPoints(d));
    assertEquals(List.of("gp", "csg"), alsoOffered(d));
    assertTrue(
        d.alsoOffer().stream()
            .filter(s -> s.helpPoint().equals("csg"))
            .findFirst()
            .orElseThrow()
            .whyNl()
            .contains("advies"),
        "CSG also-offer carries its own explanation");

    Decision acuteAtHome =
        TestReach.decide(ENGINE, answers("Q4", List.of("physical"), "Q3", "today", "Q5", "home"));
    assertTrue(helpPoints(acuteAtHome).containsAll(List.of("csg", "veilig_thuis")));
    assertFalse(alsoOffered(acuteAtHome).contains("veilig_thuis"));
  }

  @Test
  @DisplayName(
      "An adult in care gets Veilig Thuis (a dependency relation); the confidential adviser is an extra")
  void careAdult() {
    Decision d =
        TestReach.decide(
            ENGINE,
            answers(
                "Q1",
                "relative",
                "QA",
                "25plus",
                "Q5",
                "care",
                "Q2",
                "25plus",
                "Q3",
                "older",
                "Q4",
                List.of("physical"),
                "Q7",
                List.of("advice")));
    assertEquals(List.of("veilig_thuis"), helpPoints(d));
    assertEquals(List.of("vertrouwenspersoon", "slachtofferhulp"), alsoOffered(d));
  }

  @Test
  @DisplayName("R19 flags the perpetrator skill for the general counselor")
  void perpetratorSkill() {
    Decision d = TestReach.decide(ENGINE, answers("Q1", "perpetrator", "Q2", "25plus", "P1", "no"));
    assertTrue(d.flags().contains("perpetrator_skill"));
    assertTrue(alsoOffered(d).containsAll(List.of("gp")));
  }

  @Test
  @DisplayName("U1 is never matched from intake answers but a counselor can apply it")
  void u1ByCounselor() {
    Suggestion u1 = ENGINE.suicideRiskSuggestion(TestReach.NOON_STAFFED);
    assertEquals("U1", u1.rule());
    assertEquals("suicide_prevention", u1.helpPoint());
    assertEquals(Priority.P0, u1.priority());
    assertFalse(u1.source().isBlank());

    Decision before =
        TestReach.decide(
            ENGINE,
            answers(
                "Q4", List.of("physical"), "Q3", "today", "Q5", "home", "Q7", List.of("police")));
    assertFalse(before.matchedRules().contains("U1"));
    Decision after = ENGINE.applyCounselorRule(before, "U1", TestReach.NOON_STAFFED);
    assertEquals(u1, after.suggestions().get(0));
    assertEquals(3, after.suggestions().size());
    assertEquals(Priority.P0, after.priority());
    assertTrue(after.matchedRules().containsAll(List.of("U1")));
    assertEquals(before.rulesVersion(), after.rulesVersion());
  }

  @Test
  @DisplayName("Only counselor-triggered rules can be applied by a counselor")
  void applyingIntakeRuleFails() {
    Decision d = TestReach.decide(ENGINE, Answers.empty());
    assertThrows(
        IllegalArgumentException.class,
        () -> ENGINE.applyCounselorRule(d, "R1", TestReach.NOON_STAFFED));
    assertThrows(
        IllegalArgumentException.class,
        () -> ENGINE.applyCounselorRule(d, "U9", TestReach.NOON_STAFFED));
  }

  private static Priority priorityOf(String rule, Answers a) {
    return TestReach.decide(ENGINE, a).suggestions().stream()
        .filter(s -> s.rule().equals(rule))
        .findFirst()
        .orElseThrow(() -> new AssertionError(rule + " did not fire for " + a))
        .priority();
  }
}
