package nl.veiligpraten.routing.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import nl.veiligpraten.routing.Answers;
import nl.veiligpraten.routing.RoutingEngine;
import nl.veiligpraten.routing.Suggestion;
import nl.veiligpraten.routing.TestReach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Configuration loading and validation")
class ConfigValidationTest {

  @TempDir Path dir;

  static String bundled(String name) throws IOException {
    try (InputStream in =
        ConfigValidationTest.class.getClassLoader().getResourceAsStream("config/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** Writes the bundled file with one exact, unique text replaced. */
  private String writeBroken(String name, String from, String to) throws IOException {
    String text = bundled(name);
    int at = text.indexOf(from);
    assertTrue(at >= 0, "test setup: '" + from + "' not found in " + name);
    assertEquals(at, text.lastIndexOf(from), "test setup: '" + from + "' is not unique in " + name);
    String broken = text.substring(0, at) + to + text.substring(at + from.length());
    Files.writeString(dir.resolve(name), broken);
    return broken;
  }

  /** 1-based line of the first occurrence of {@code needle}. */
  private static int lineOf(String text, String needle) {
    int at = text.indexOf(needle);
    return (int) text.substring(0, at).chars().filter(c -> c == '\n').count() + 1;
  }

  private ConfigException loadFails() {
    return assertThrows(ConfigException.class, () -> RoutingConfig.load(dir));
  }

  @Test
  @DisplayName("The bundled configuration loads and has every rule, question and help point")
  void bundledLoads() {
    RoutingConfig c = RoutingConfig.load(null);
    assertEquals(
        List.of(
            "U0", "U1", "R1", "R2", "R3", "R4", "R5", "R6", "R7", "R8", "R9", "R10", "R11", "R12",
            "R13", "R14", "R15", "R16", "R17", "R18", "R19", "R20"),
        c.rules().rules().stream().map(Rule::id).toList());
    assertTrue(c.rules().rules().stream().allMatch(r -> !r.source().isBlank()));
    assertEquals(14, c.questionnaire().questions().size());
    assertEquals(7, c.helpPoints().acuteWindowDays());
    for (String queue : List.of("csg", "veilig_thuis", "sense", "cvsn", "mores", "triage")) {
      HelpPoint hp = c.helpPoints().get(queue);
      assertEquals(HelpPoint.Kind.QUEUE, hp.kind(), queue);
      assertEquals(4, hp.targetFirstResponseSeconds().size(), queue);
      assertTrue(hp.retentionDays() > 0, queue);
    }
    assertEquals(30, c.helpPoints().get("csg").retentionDays());
    assertEquals("veilig_thuis", c.helpPoints().get("triage").staffedBy());
    assertEquals(24, c.helpPoints().get("sense").ageMax());
    assertEquals(17, c.helpPoints().get("kindertelefoon").ageMax());
    assertEquals(12, c.helpPoints().get("halt").ageMin());
    assertTrue(c.helpPoints().get("csg").openingHours().alwaysOpen());
    assertEquals(
        List.of(),
        c.helpPoints().get("sense").openingHours().days().get(java.time.DayOfWeek.SUNDAY));
    assertTrue(c.origins().get(RoutingConfig.RULES_FILE).startsWith("classpath:"));
  }

  @Test
  @DisplayName("A rule pointing at an unknown help point names the file, the line and the id")
  void unknownHelpPoint() throws IOException {
    String text = writeBroken(RoutingConfig.RULES_FILE, "target: mores", "target: moress");
    ConfigException e = loadFails();
    assertTrue(e.getMessage().contains("routing-rules.yaml"), e.getMessage());
    assertTrue(e.getMessage().contains("unknown help point 'moress'"), e.getMessage());
    assertEquals(lineOf(text, "target: moress"), e.line());
    assertTrue(e.getMessage().contains("line " + e.line()), e.getMessage());
  }

  @Test
  @DisplayName("A rule without a source is rejected")
  void ruleWithoutSource() throws IOException {
    writeBroken(RoutingConfig.RULES_FILE, "    source: \"004_636094551056a9d2.txt ~885\"\n", "");
    ConfigException e = loadFails();
    assertTrue(e.getMessage().contains("routing-rules.yaml"), e.getMessage());
    assertTrue(e.getMessage().contains("R11 has no source"), e.getMessage());
    assertTrue(e.line() > 0);
  }

  @Test
  @DisplayName("A duplicate rule id is rejected at the line of the second one")
  void duplicateRuleId() throws IOException {
    String text = writeBroken(RoutingConfig.RULES_FILE, "  - id: R12\n", "  - id: R11\n");
    ConfigException e = loadFails();
    assertTrue(e.getMessage().contains("duplicate rule id 'R11'"), e.getMessage());
    assertEquals(lineOf(text, "  - id: R11\n    # v2: catcalling"), e.line(), e.getMessage());
  }

  @Test
  @DisplayName(
      "The bundled reassignAfterSeconds are each shorter than every queue's first-response target")
  void bundledReassignAfter() {
    HelpPoints hps = RoutingConfig.load(null).helpPoints();
    assertEquals(
        Map.of(
            nl.veiligpraten.routing.Priority.P0,
            20,
            nl.veiligpraten.routing.Priority.P1,
            45,
            nl.veiligpraten.routing.Priority.P2,
            300,
            nl.veiligpraten.routing.Priority.P3,
            900),
        hps.reassignAfterSeconds());
    for (HelpPoint hp : hps.byId().values()) {
      hp.targetFirstResponseSeconds()
          .forEach(
              (p, target) ->
                  assertTrue(hps.reassignAfterSeconds().get(p) < target, hp.id() + " " + p));
    }
  }

  @Test
  @DisplayName("A missing reassignAfterSeconds stops loading with its name")
  void reassignAfterMissing() throws IOException {
    writeBroken(
        RoutingConfig.HELP_POINTS_FILE,
        "reassignAfterSeconds: {P0: 20, P1: 45, P2: 300, P3: 900}\n",
        "");
    ConfigException e = loadFails();
    assertTrue(e.getMessage().contains("reassignAfterSeconds"), e.getMessage());
  }

  @Test
  @DisplayName(
      "A reassignAfterSeconds without one priority, negative, or not shorter than a target is rejected")
  void reassignAfterInvalid() throws IOException {
    String line = "reassignAfterSeconds: {P0: 20, P1: 45, P2: 300, P3: 900}";
    writeBroken(
        RoutingConfig.HELP_POINTS_FILE, line, "reassignAfterSeconds: {P0: 20, P1: 45, P2: 300}");
    assertTrue(
        loadFails().getMessage().contains("reassignAfterSeconds: missing value for priority P3"));
    writeBroken(
        RoutingConfig.HELP_POINTS_FILE,
        line,
        "reassignAfterSeconds: {P0: -5, P1: 45, P2: 300, P3: 900}");
    assertTrue(
        loadFails().getMessage().contains("reassignAfterSeconds.P0 must be at least 1 second"));
    // CSG's P1 target is 60 s: a P1 chat must move on before it is missed.
    writeBroken(
        RoutingConfig.HELP_POINTS_FILE,
        line,
        "reassignAfterSeconds: {P0: 20, P1: 60, P2: 300, P3: 900}");
    ConfigException e = loadFails();
    assertTrue(
        e.getMessage()
            .contains(
                "reassignAfterSeconds.P1 (60) must be shorter than the first-response "
                    + "target of 'csg' for P1 (60)"),
        e.getMessage());
    assertTrue(e.line() > 0, e.getMessage());
  }

  @Test
  @DisplayName("A duplicate help point id is rejected")
  void duplicateHelpPoint() throws IOException {
    writeBroken(RoutingConfig.HELP_POINTS_FILE, "  - id: gp\n", "  - id: police\n");
    ConfigException e = loadFails();
    assertTrue(e.getMessage().contains("help-points.yaml"), e.getMessage());
    assertTrue(e.getMessage().contains("duplicate help point id 'police'"), e.getMessage());
  }

  @Test
  @DisplayName("A duplicate YAML key is rejected instead of silently overwriting")
  void duplicateKey() throws IOException {
    writeBroken(
        RoutingConfig.HELP_POINTS_FILE,
        "    phone: \"0800-0188\"\n",
        "    phone: \"0800-0188\"\n    phone: \"0800-0000\"\n");
    ConfigException e = loadFails();
    assertTrue(e.getMessage().contains("duplicate key 'phone'"), e.getMessage());
    assertTrue(e.path().contains("phone"), e.path());
  }

  @Test
  @DisplayName("A missing easy-read translation in the questionnaire is rejected")
  void missingEasyTranslation() throws IOException {
    writeBroken(RoutingConfig.QUESTIONNAIRE_FILE, "      nl_easy: Wanneer was het?\n", "");
    ConfigException e = loadFails();
    assertTrue(e.getMessage().contains("questionnaire.yaml"), e.getMessage());
    assertTrue(e.getMessage().contains("missing translation 'nl_easy'"), e.getMessage());
    assertTrue(e.path().startsWith("questions[6]"), e.path());
  }

  @Test
  @DisplayName("A missing English explanation of a rule is rejected")
  void missingWhyTranslation() throws IOException {
    writeBroken(
        RoutingConfig.RULES_FILE,
        "      en: It happened at work. A confidential adviser at work listens and thinks along. Not every workplace"
            + " has one, so you also see other help.\n",
        "");
    ConfigException e = loadFails();
    assertTrue(e.getMessage().contains("missing translation 'en'"), e.getMessage());
  }

  @Test
  @DisplayName("A missing English help point description is rejected")
  void missingDescriptionTranslation() throws IOException {
    writeBroken(
        RoutingConfig.HELP_POINTS_FILE,
        "      en: Your own GP can help or refer you, also for mental health support.\n",
        "");
    ConfigException e = loadFails();
    assertTrue(e.getMessage().contains("help-points.yaml"), e.getMessage());
    assertTrue(e.getMessage().contains("missing translation 'en'"), e.getMessage());
  }

  @Test
  @DisplayName("An unknown answer code in a condition lists the allowed codes")
  void unknownCodeInCondition() throws IOException {
    writeBroken(
        RoutingConfig.RULES_FILE, "{answer: Q5, in: [religion]}", "{answer: Q5, in: [church]}");
    ConfigException e = loadFails();
    assertTrue(e.getMessage().contains("unknown answer code 'church' for Q5"), e.getMessage());
    assertTrue(e.getMessage().contains("religion"), e.getMessage());
  }

  @Test
  @DisplayName("Using a multi-answer question with 'answer' is rejected with a hint")
  void singleMultiMixUp() throws IOException {
    writeBroken(
        RoutingConfig.RULES_FILE,
        "condition: {contains: Q7, any: [police]}",
        "condition: {answer: Q7, in: [police]}");
    ConfigException e = loadFails();
    assertTrue(e.getMessage().contains("contains: Q7"), e.getMessage());
  }

  @Test
  @DisplayName("An unknown field is rejected with the allowed fields")
  void unknownField() throws IOException {
    String text =
        writeBroken(
            RoutingConfig.HELP_POINTS_FILE, "  - id: gp\n", "  - id: gp\n    colour: blue\n");
    ConfigException e = loadFails();
    assertTrue(e.getMessage().contains("unknown field 'colour'"), e.getMessage());
    assertEquals(lineOf(text, "colour: blue"), e.line());
  }

  @Test
  @DisplayName("An unknown age limit name is rejected, so limits cannot be mistyped into rules")
  void unknownAgeLimit() throws IOException {
    writeBroken(
        RoutingConfig.RULES_FILE,
        "        - {ageAtLeast: adult}\n        - {answer: Q3, in: [older, unknown]}",
        "        - {ageAtLeast: grownup}\n        - {answer: Q3, in: [older, unknown]}");
    ConfigException e = loadFails();
    assertTrue(e.getMessage().contains("unknown age limit 'grownup'"), e.getMessage());
  }

  @Test
  @DisplayName("Rules that refer to each other in a cycle are rejected")
  void cycle() throws IOException {
    // R16's condition already refers to R9; make R9's condition refer back to R16
    writeBroken(
        RoutingConfig.RULES_FILE,
        "condition: {answer: Q5, in: [work]}",
        "condition: {matched: R16}");
    ConfigException e = loadFails();
    assertTrue(e.getMessage().contains("cycle"), e.getMessage());
    assertTrue(e.getMessage().contains("R16"), e.getMessage());
  }

  @Test
  @DisplayName("A condition may refer to a rule whose also-offer refers back: that is not a cycle")
  void alsoOfferReferenceIsNotACycle() throws IOException {
    // R1's also-offer uses {matched: R2}; R2's condition may use {matched: R1}
    writeBroken(
        RoutingConfig.RULES_FILE,
        "        - {answer: Q5, in: [home, partner]}\n",
        "        - {matched: R1}\n");
    RoutingEngine engine = new RoutingEngine(RoutingConfig.load(dir));
    List<String> hps =
        TestReach.decide(engine, Answers.parse(Map.of("Q4", List.of("physical"), "Q3", "today")))
            .suggestions()
            .stream()
            .map(Suggestion::helpPoint)
            .toList();
    assertEquals(List.of("csg", "veilig_thuis"), hps);
  }

  @Test
  @DisplayName("A why-question or a label in a visitor text is rejected")
  void bannedWords() throws IOException {
    writeBroken(
        RoutingConfig.QUESTIONNAIRE_FILE,
        "nl: Waarover wil je praten?",
        "nl: Waarom wil je praten?");
    ConfigException e = loadFails();
    assertTrue(e.getMessage().contains("'Waarom'"), e.getMessage());
  }

  @Test
  @DisplayName("A YAML syntax error reports the line")
  void syntaxError() throws IOException {
    writeBroken(
        RoutingConfig.RULES_FILE, "version: \"2026-12-06.1\"", "version: [\"2026-12-06.1\"");
    ConfigException e = loadFails();
    assertTrue(e.getMessage().contains("YAML syntax error"), e.getMessage());
    assertTrue(e.line() > 0);
  }

  @Test
  @DisplayName("A missing config directory is an error, not a silent fallback")
  void missingDirectory() {
    ConfigException e =
        assertThrows(ConfigException.class, () -> RoutingConfig.load(dir.resolve("nope")));
    assertTrue(e.getMessage().contains("does not exist"));
  }

  @Test
  @DisplayName(
      "An organisation can override a phone number by dropping one file in the config directory")
  void overridePhone() throws IOException {
    writeBroken(
        RoutingConfig.HELP_POINTS_FILE, "    phone: \"0800-0188\"\n", "    phone: \"0800-1234\"\n");
    RoutingConfig c = RoutingConfig.load(dir);
    assertEquals("0800-1234", c.helpPoints().get("csg").phone());
    assertEquals(
        dir.resolve(RoutingConfig.HELP_POINTS_FILE).toString(),
        c.origins().get(RoutingConfig.HELP_POINTS_FILE));
    assertTrue(
        c.origins().get(RoutingConfig.RULES_FILE).startsWith("classpath:"),
        "other files stay bundled");
  }

  @Test
  @DisplayName(
      "Age limits come from help-points.yaml: lowering Sense's ageMax changes routing without touching rules")
  void ageLimitsFromConfig() throws IOException {
    Map<String, Object> raw = Map.of("Q2", "18-24", "Q4", List.of("question"));
    RoutingEngine bundled = RoutingEngine.withDefaults();
    assertTrue(
        TestReach.decide(bundled, Answers.parse(raw)).suggestions().stream()
            .anyMatch(s -> s.helpPoint().equals("sense")));

    writeBroken(RoutingConfig.HELP_POINTS_FILE, "    ageMax: 24\n", "    ageMax: 17\n");
    RoutingEngine changed = new RoutingEngine(RoutingConfig.load(dir));
    List<String> hps =
        TestReach.decide(changed, Answers.parse(raw)).suggestions().stream()
            .map(Suggestion::helpPoint)
            .toList();
    assertFalse(hps.contains("sense"), hps.toString());
  }

  @Test
  @DisplayName("A rule change with a new version is recorded in every decision")
  void versionRecorded() throws IOException {
    writeBroken(RoutingConfig.RULES_FILE, "version: \"2026-12-06.1\"", "version: \"2026-12-07.1\"");
    RoutingEngine engine = new RoutingEngine(RoutingConfig.load(dir));
    assertEquals("2026-12-07.1", TestReach.decide(engine, Answers.empty()).rulesVersion());
  }

  @Test
  @DisplayName("A rule that reads an unknown question is rejected with file, line and path")
  void unknownQuestionInRule() throws IOException {
    String text =
        writeBroken(
            RoutingConfig.RULES_FILE,
            "condition: {answer: Q5, in: [work]}",
            "condition: {answer: Q9, in: [work]}");
    ConfigException e = loadFails();
    assertTrue(e.getMessage().contains("routing-rules.yaml"), e.getMessage());
    assertTrue(e.getMessage().contains("unknown question 'Q9'"), e.getMessage());
    assertEquals(lineOf(text, "{answer: Q9"), e.line());
    assertTrue(e.path().startsWith("rules["), e.path());
  }

  @Test
  @DisplayName("A help point without any contact and without 'supplement: true' stops start-up")
  void helpPointWithoutContact() throws IOException {
    writeBroken(
        RoutingConfig.HELP_POINTS_FILE,
        "    cost: free\n    supplement: true\n    nameEn: GP (family doctor)\n",
        "    cost: free\n    nameEn: GP (family doctor)\n");
    ConfigException e = loadFails();
    assertTrue(e.getMessage().contains("help-points.yaml"), e.getMessage());
    assertTrue(e.getMessage().contains("'gp' has no contact"), e.getMessage());
    assertTrue(e.getMessage().contains("supplement: true"), e.getMessage());
    assertTrue(e.path().startsWith("helpPoints["), e.path());
  }

  @Test
  @DisplayName("A help point without cost, or with another cost than free or paid, stops start-up")
  void costRequired() throws IOException {
    writeBroken(
        RoutingConfig.HELP_POINTS_FILE,
        "    name: Slachtofferhulp Nederland\n    cost: paid\n",
        "    name: Slachtofferhulp Nederland\n    cost: cheap\n");
    ConfigException e = loadFails();
    assertTrue(e.getMessage().contains("cost must be 'free' or 'paid'"), e.getMessage());
  }

  @Test
  @DisplayName(
      "A missing easy-read variant of a why text or a help-point description stops start-up")
  void missingEasyWhyAndDescription() throws IOException {
    writeBroken(
        RoutingConfig.RULES_FILE,
        "      nl_easy: Het gaat om een kerk of geloof. Er zijn meldpunten die luisteren en hulp zoeken.\n",
        "");
    ConfigException e = loadFails();
    assertTrue(e.getMessage().contains("missing translation 'nl_easy'"), e.getMessage());
    assertTrue(e.path().contains("why"), e.path());
    Files.delete(dir.resolve(RoutingConfig.RULES_FILE));
    writeBroken(
        RoutingConfig.HELP_POINTS_FILE,
        "      nl_easy: Je eigen huisarts kan je helpen. Of je naar andere hulp sturen.\n",
        "");
    e = loadFails();
    assertTrue(e.getMessage().contains("help-points.yaml"), e.getMessage());
    assertTrue(e.getMessage().contains("missing translation 'nl_easy'"), e.getMessage());
  }

  @Test
  @DisplayName(
      "Banned phrasing in a why text or a description stops start-up ('waarom heb je', labels)")
  void bannedInWhyAndDescription() throws IOException {
    writeBroken(
        RoutingConfig.RULES_FILE,
        "nl: Het gaat om een kerk of geloof. Er zijn meldpunten die luisteren en naar hulp verwijzen.",
        "nl: Waarom heb je niets gezegd? Er zijn meldpunten die luisteren en naar hulp verwijzen.");
    assertTrue(loadFails().getMessage().contains("'Waarom'"));
    Files.delete(dir.resolve(RoutingConfig.RULES_FILE));
    writeBroken(
        RoutingConfig.HELP_POINTS_FILE,
        "nl: Meldpunten van kerken die luisteren en doorverwijzen naar hulp.",
        "nl: Meldpunten van kerken voor elk slachtoffer.");
    assertTrue(loadFails().getMessage().contains("'slachtoffer'"));
    Files.delete(dir.resolve(RoutingConfig.HELP_POINTS_FILE));
    writeBroken(
        RoutingConfig.QUESTIONNAIRE_FILE, "nl: Iets wat ik gedaan heb", "nl: Ik ben een dader");
    assertTrue(loadFails().getMessage().contains("'dader'"));
  }

  @Test
  @DisplayName(
      "An N1 violation found at load time (no free line open at some hour with nobody staffed) stops start-up")
  void noDeadEndsAtLoad() throws IOException {
    String text =
        writeBroken(
            RoutingConfig.RULES_FILE,
            "  fallback: [triage, veilig_thuis, csg]",
            "  fallback: [triage, kindertelefoon]");
    ConfigException e = loadFails();
    assertTrue(e.getMessage().contains("routing-rules.yaml"), e.getMessage());
    assertTrue(e.getMessage().contains("N1 violation"), e.getMessage());
    assertTrue(e.getMessage().contains("mon at 00:00"), e.getMessage());
    assertEquals("noDeadEnds.fallback", e.path());
    assertEquals(lineOf(text, "  fallback: [triage, kindertelefoon]"), e.line());
    Files.delete(dir.resolve(RoutingConfig.RULES_FILE));
    // a paid line does not count: a dead end must not cost money
    writeBroken(
        RoutingConfig.RULES_FILE,
        "  fallback: [triage, veilig_thuis, csg]",
        "  fallback: [police]");
    assertTrue(loadFails().getMessage().contains("must be free"));
  }

  @Test
  @DisplayName("Answer texts of a variant must use known answer codes")
  void variantAnswerCode() throws IOException {
    writeBroken(RoutingConfig.QUESTIONNAIRE_FILE, "          physical:\n", "          fysiek:\n");
    ConfigException e = loadFails();
    assertTrue(e.getMessage().contains("unknown answer code 'fysiek' for Q4"), e.getMessage());
  }

  @Test
  @DisplayName("QA must use the same age bands as Q2")
  void askerAgeBands() throws IOException {
    String text = bundled(RoutingConfig.QUESTIONNAIRE_FILE);
    int qa = text.indexOf("  - id: QA");
    int at = text.indexOf("        ageMax: 24\n", qa);
    Files.writeString(
        dir.resolve(RoutingConfig.QUESTIONNAIRE_FILE),
        text.substring(0, at)
            + "        ageMax: 23\n"
            + text.substring(at + "        ageMax: 24\n".length()));
    ConfigException e = loadFails();
    assertTrue(e.getMessage().contains("QA must use the same age bands as Q2"), e.getMessage());
  }

  @Test
  @DisplayName(
      "A queue cap that is missing, negative or absurd, or an absurd first-response target, stops loading "
          + "with its name")
  void queueCapAndTarget() throws IOException {
    writeBroken(
        "help-points.yaml",
        "P1: 60, P2: 600, P3: 1800}\n    queueCap: 40\n",
        "P1: 60, P2: 600, P3: 1800}\n");
    assertTrue(loadFails().getMessage().contains("queueCap is missing"));
    writeBroken("help-points.yaml", "queueCap: 60", "queueCap: -1");
    assertTrue(loadFails().getMessage().contains("queueCap must be from 1"));
    writeBroken("help-points.yaml", "queueCap: 60", "queueCap: 99999999");
    assertTrue(loadFails().getMessage().contains("queueCap must be from 1"));
    writeBroken(
        "help-points.yaml",
        "targetFirstResponseSeconds: {P0: 30, P1: 60, P2: 600, P3: 1800}",
        "targetFirstResponseSeconds: {P0: 30, P1: 6000000, P2: 600, P3: 1800}");
    assertTrue(loadFails().getMessage().contains("targetFirstResponseSeconds.P1"));
    writeBroken("help-points.yaml", "queueCap: 60", "queueCap: 60\n    overflowTo: police");
    assertTrue(loadFails().getMessage().contains("overflowTo"));
  }
}
