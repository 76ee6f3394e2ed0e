package nl.veiligpraten.routing;

import static nl.veiligpraten.routing.TestAnswers.answers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import nl.veiligpraten.routing.config.HelpPoint;
import nl.veiligpraten.routing.config.Lang;
import nl.veiligpraten.routing.config.LocalizedText;
import nl.veiligpraten.routing.config.Questionnaire;
import nl.veiligpraten.routing.config.RoutingConfig;
import nl.veiligpraten.routing.config.Rule;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** One test per bullet under "Why" in issue 16 (routing v2), on the engine and configuration. */
@DisplayName("Routing v2: the cases that went wrong before")
class WhyBulletsTest {

  private static final RoutingEngine ENGINE = RoutingEngine.withDefaults();
  private static final RoutingConfig CONFIG = ENGINE.config();

  private static List<String> shown(Decision d) {
    return d.suggestions().stream().map(Suggestion::helpPoint).toList();
  }

  private static List<String> everything(Decision d) {
    return Stream.concat(d.suggestions().stream(), d.alsoOffer().stream())
        .map(Suggestion::helpPoint)
        .toList();
  }

  @Test
  @DisplayName(
      "A young adult facing ongoing abuse where they live with support gets Veilig Thuis (phone, chat), "
          + "not a lone 'Vertrouwenspersoon' card")
  void ongoingInCare() {
    for (Reachability at : List.of(TestReach.NOON_STAFFED, TestReach.NIGHT_UNSTAFFED)) {
      Decision d =
          ENGINE.decide(answers("Q1", "victim", "Q2", "18-24", "Q3", "ongoing", "Q5", "care"), at);
      assertEquals("veilig_thuis", d.suggestions().get(0).helpPoint(), d.toString());
      assertFalse(shown(d).contains("vertrouwenspersoon"));
      assertTrue(d.alsoOffer().stream().anyMatch(s -> s.helpPoint().equals("vertrouwenspersoon")));
      assertTrue(d.suggestions().get(0).availability().openNow().contains(Channel.PHONE));
    }
  }

  @Test
  @DisplayName("A 16-year-old raped at a party gets CSG and never the street-harassment card")
  void rapedAtAParty() {
    Decision d =
        TestReach.decide(
            ENGINE,
            answers(
                "Q1",
                "victim",
                "Q2",
                "16-17",
                "Q3",
                "today",
                "Q4",
                List.of("physical"),
                "Q5",
                "street"));
    assertEquals("csg", d.suggestions().get(0).helpPoint());
    assertEquals(Priority.P1, d.priority());
    assertFalse(everything(d).contains("street_harassment"), d.toString());
  }

  @Test
  @DisplayName("'Weet ik niet' on when, 'Zeg ik liever niet' or skipping what happened keep CSG")
  void unknownKeepsCsg() {
    assertTrue(
        shown(
                TestReach.decide(
                    ENGINE, answers("Q1", "victim", "Q3", "unknown", "Q4", List.of("physical"))))
            .contains("csg"));
    assertTrue(
        shown(
                TestReach.decide(
                    ENGINE, answers("Q1", "victim", "Q3", "today", "Q4", List.of("rather_not"))))
            .contains("csg"));
    assertTrue(
        shown(TestReach.decide(ENGINE, answers("Q1", "victim", "Q3", "week"))).contains("csg"));
    assertTrue(
        shown(
                TestReach.decide(
                    ENGINE, answers("Q1", "victim", "Q3", "today", "Q4", List.of("unknown"))))
            .contains("csg"));
  }

  @Test
  @DisplayName("A child abused now by a coach, a teacher or in youth care gets Veilig Thuis at P1")
  void childAbusedNowBySomeoneInCharge() {
    for (String setting : List.of("sport", "education", "care", "religion", "culture_media")) {
      Decision d =
          TestReach.decide(
              ENGINE, answers("Q1", "victim", "Q2", "12-15", "Q3", "ongoing", "Q5", setting));
      assertTrue(shown(d).contains("veilig_thuis"), setting + ": " + d);
      assertEquals(Priority.P1, d.priority(), setting);
    }
  }

  @Test
  @DisplayName(
      "A parent does not get De Kindertelefoon; a 12-15-year-old who skips the role question does")
  void kindertelefoonForTheAsker() {
    Decision parent =
        TestReach.decide(
            ENGINE,
            answers(
                "Q1", "relative", "QA", "25plus", "Q2", "under12", "Q5", "home", "Q3", "ongoing"));
    assertFalse(everything(parent).contains("kindertelefoon"), parent.toString());
    Decision parentNoAge = TestReach.decide(ENGINE, answers("Q1", "relative", "Q2", "12-15"));
    assertFalse(everything(parentNoAge).contains("kindertelefoon"));
    Decision teen = TestReach.decide(ENGINE, answers("Q2", "12-15"));
    assertTrue(shown(teen).contains("kindertelefoon"), teen.toString());
    Decision teenFriend =
        TestReach.decide(ENGINE, answers("Q1", "bystander", "QA", "12-15", "Q2", "16-17"));
    assertTrue(shown(teenFriend).contains("kindertelefoon"));
  }

  @Test
  @DisplayName(
      "Someone worried about their own urges is asked about their worry; a professional is asked the "
          + "client's age, and the rules read it as the client's age")
  void questionsFitTheRole() {
    Questionnaire q = CONFIG.questionnaire();
    Answers worried = answers("Q1", "perpetrator");
    List<String> seen =
        q.visibleQuestions(worried).stream().map(Questionnaire.Question::id).toList();
    assertFalse(
        seen.contains("Q4") || seen.contains("Q6") || seen.contains("Q3") || seen.contains("Q5"));
    assertTrue(seen.containsAll(List.of("PW", "P1", "Q2", "Q7")));
    for (Questionnaire.Question question : q.visibleQuestions(worried)) {
      for (Questionnaire.AnswerOption a : q.answersFor(question, worried)) {
        assertFalse(a.text().nl().contains("die ik niet wilde"), question.id());
      }
      assertFalse(q.textFor(question, worried).nl().contains("Ken je de persoon"), question.id());
    }
    // answers to hidden questions are ignored by the rules
    Decision d =
        TestReach.decide(
            ENGINE,
            answers(
                "Q1",
                "perpetrator",
                "Q2",
                "25plus",
                "P1",
                "no",
                "Q4",
                List.of("physical", "sextortion"),
                "Q3",
                "today",
                "Q5",
                "home"));
    assertFalse(
        everything(d).contains("csg")
            || everything(d).contains("helpwanted")
            || everything(d).contains("veilig_thuis")
                && d.suggestions().stream()
                    .anyMatch(s -> s.helpPoint().equals("veilig_thuis") && !s.rule().equals("N1")),
        d.toString());

    Answers pro = answers("Q1", "professional");
    assertTrue(
        q.textFor(q.question("Q2").orElseThrow(), pro).nl().startsWith("Hoe oud is de persoon"));
    assertFalse(q.visibleQuestions(pro).stream().anyMatch(x -> x.id().equals("QA")));
    Decision client =
        TestReach.decide(
            ENGINE, answers("Q1", "professional", "Q2", "12-15", "Q3", "ongoing", "Q5", "sport"));
    assertTrue(
        shown(client).contains("veilig_thuis"), "the client is a minor abused now: " + client);
    assertFalse(everything(client).contains("kindertelefoon"), "not the professional's own line");
  }

  @Test
  @DisplayName(
      "In danger at night with nobody staffed: a free line open now, also on the closed screen; unknown "
          + "hours are never 'reachable now'")
  void dangerAtNight() {
    Decision d =
        ENGINE.decide(
            answers("Q0", "yes", "Q1", "victim", "talk_now", true), TestReach.NIGHT_UNSTAFFED);
    assertTrue(d.emergency());
    assertTrue(d.suggestions().stream().anyMatch(Suggestion::reachableAndFree), d.toString());
    ClosedChoice closed = ENGINE.whenUnavailable(d, "triage", TestReach.NIGHT_UNSTAFFED);
    assertTrue(closed.emergency());
    assertFalse(closed.availability().reachableNow(), "triage is not staffed");
    assertTrue(closed.openNow().stream().anyMatch(Suggestion::reachableAndFree), closed.toString());
    assertTrue(closed.openNow().stream().noneMatch(s -> s.helpPoint().equals("triage")));

    HelpPoint slachtofferhulp = CONFIG.helpPoints().get("slachtofferhulp");
    Availability unknown = Availability.of(slachtofferhulp, TestReach.NOON_STAFFED);
    assertFalse(unknown.hoursKnown());
    assertFalse(unknown.reachableNow());
    // a closed help point says when it opens and which of its lines are open now
    Availability sense =
        Availability.of(CONFIG.helpPoints().get("sense"), TestReach.NIGHT_UNSTAFFED);
    assertFalse(sense.reachableNow());
    assertEquals(9, sense.opensAt().orElseThrow().getHour());
    Availability csg = Availability.of(CONFIG.helpPoints().get("csg"), TestReach.NIGHT_UNSTAFFED);
    assertEquals(
        List.of(Channel.PHONE),
        csg.openNow(),
        "the phone is open although the chat is not staffed");
  }

  @Test
  @DisplayName(
      "'Iemand die luistert' never gets only a paid 0900 number; sextortion today never only a website; "
          + "De Kindertelefoon comes with its chat")
  void freeAndReachable() {
    for (Reachability at : List.of(TestReach.NOON_STAFFED, TestReach.NIGHT_UNSTAFFED)) {
      Decision listen =
          ENGINE.decide(
              answers(
                  "Q1",
                  "victim",
                  "Q2",
                  "25plus",
                  "Q3",
                  "older",
                  "Q4",
                  List.of("verbal"),
                  "Q7",
                  List.of("listen")),
              at);
      assertTrue(
          listen.suggestions().stream().anyMatch(Suggestion::reachableAndFree), listen.toString());
      Decision sextortion =
          ENGINE.decide(
              answers("Q1", "victim", "Q2", "18-24", "Q3", "today", "Q4", List.of("sextortion")),
              at);
      assertTrue(
          sextortion.suggestions().stream().anyMatch(s -> !s.availability().openNow().isEmpty()),
          sextortion.toString());
    }
    HelpPoint kt = CONFIG.helpPoints().get("kindertelefoon");
    assertTrue(kt.chatUrl() != null);
    assertTrue(Availability.of(kt, TestReach.NOON_STAFFED).openNow().contains(Channel.CHAT));
  }

  @Test
  @DisplayName(
      "Easy-read and English exist for every why text and help-point description; English names; paid "
          + "0900 numbers are marked paid")
  void wordsForEveryReader() {
    List<LocalizedText> texts = new ArrayList<>();
    for (Rule r : CONFIG.rules().rules()) {
      texts.addAll(r.why().values());
      r.alsoOffer().stream()
          .filter(a -> a.why() != null)
          .forEach(a -> texts.addAll(a.why().values()));
    }
    texts.add(CONFIG.rules().noDeadEnds().why());
    CONFIG.helpPoints().byId().values().forEach(h -> texts.add(h.description()));
    for (LocalizedText t : texts) {
      for (Lang l : Lang.values()) {
        assertTrue(t.get(l) != null && !t.get(l).isBlank(), t + " " + l);
      }
      assertFalse(t.nlEasy().equals(t.en()));
    }
    assertEquals("Sexual Assault Centre", CONFIG.helpPoints().get("csg").name(Lang.EN));
    assertEquals("Centrum Seksueel Geweld", CONFIG.helpPoints().get("csg").name(Lang.NL));
    for (HelpPoint h : CONFIG.helpPoints().byId().values()) {
      if (h.phone() != null && h.phone().startsWith("0900")) {
        assertEquals(HelpPoint.Cost.PAID, h.cost(), h.id());
      }
      if (h.phone() != null && h.phone().startsWith("0800")) {
        assertEquals(HelpPoint.Cost.FREE, h.cost(), h.id());
      }
    }
    // U0 no longer says "misschien" nor that someone comes to the door
    LocalizedText u0 = CONFIG.rules().rule("U0").orElseThrow().why().otherwise();
    assertFalse(u0.nl().contains("misschien") || u0.nl().contains("bij je"), u0.nl());
    // no "als jongere" to a parent, no "wat je hebt meegemaakt" to a bystander
    Decision parent =
        TestReach.decide(
            ENGINE,
            answers("Q1", "relative", "QA", "25plus", "Q2", "18-24", "Q4", List.of("question")));
    Decision bystander =
        TestReach.decide(
            ENGINE, answers("Q1", "bystander", "Q2", "25plus", "Q3", "older", "Q5", "work"));
    for (Decision d : List.of(parent, bystander)) {
      for (Suggestion s :
          Stream.concat(d.suggestions().stream(), d.alsoOffer().stream()).toList()) {
        assertFalse(
            s.whyNl().contains("als jongere") || s.whyNl().contains("wat je hebt meegemaakt"),
            s.whyNl());
      }
    }
  }
}
