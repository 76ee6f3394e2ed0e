package nl.veiligpraten.routing.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.ZonedDateTime;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Help point entries edited one at a time, validated by the start-up loader")
class HelpPointEntriesTest {

  static final ConfigTexts SEED = RoutingConfig.texts(null);

  @Test
  @DisplayName("the stored texts parse to the same configuration as the start-up load")
  void seedParses() {
    RoutingConfig parsed = RoutingConfig.parse(SEED, "version 1");
    RoutingConfig loaded = RoutingConfig.load(null);
    assertEquals(loaded.helpPoints(), parsed.helpPoints());
    assertEquals(loaded.rules().version(), parsed.rules().version());
    assertEquals(
        "help-points.yaml (version 1)", parsed.origins().get(RoutingConfig.HELP_POINTS_FILE));
  }

  @Test
  @DisplayName(
      "every entry put back unchanged leaves the file exactly as it was, comments included")
  void roundTrip() {
    Map<String, String> entries = HelpPointEntries.entries(SEED.helpPoints());
    assertEquals(RoutingConfig.load(null).helpPoints().byId().keySet(), entries.keySet());
    assertTrue(entries.get("csg").startsWith("id: csg\nkind: queue\n"), entries.get("csg"));
    for (Map.Entry<String, String> e : entries.entrySet()) {
      assertEquals(
          SEED.helpPoints(),
          HelpPointEntries.put(SEED.helpPoints(), e.getKey(), e.getValue()),
          e.getKey());
    }
  }

  @Test
  @DisplayName("an edited opening time changes only that help point; a new entry is appended")
  void editAndAdd() {
    String csg = HelpPointEntries.entries(SEED.helpPoints()).get("csg");
    String edited =
        csg.replace(
            "openingHours: \"24/7\"",
            "openingHours: {mon: \"09:00-17:00\", tue: closed, "
                + "wed: closed, thu: closed, fri: closed, sat: closed, sun: closed}");
    RoutingConfig after =
        RoutingConfig.parse(
            SEED.with(
                RoutingConfig.HELP_POINTS_FILE,
                HelpPointEntries.put(SEED.helpPoints(), "csg", edited)),
            "edit");
    RoutingConfig before = RoutingConfig.parse(SEED, "seed");
    ZonedDateTime tuesdayNoon = ZonedDateTime.of(2026, 12, 8, 12, 0, 0, 0, OpeningHours.ZONE);
    assertFalse(after.helpPoints().get("csg").openingHours().isOpenAt(tuesdayNoon));
    assertEquals(before.helpPoints().get("triage"), after.helpPoints().get("triage"));
    // A queue closed all week (a closure) is valid: N1 still finds triage open.
    String closed =
        csg.replace(
            "openingHours: \"24/7\"",
            "openingHours: {mon: closed, tue: closed, wed: closed, "
                + "thu: closed, fri: closed, sat: closed, sun: closed}");
    RoutingConfig closure =
        RoutingConfig.parse(
            SEED.with(
                RoutingConfig.HELP_POINTS_FILE,
                HelpPointEntries.put(SEED.helpPoints(), "csg", closed)),
            "closure");
    assertFalse(closure.helpPoints().get("csg").openingHours().isOpenAt(tuesdayNoon));
    assertNull(closure.helpPoints().get("csg").notice());
    // ... with a notice in every language variant; one variant missing is the loader's error.
    String notice =
        closed
            + "notice:\n  nl: Gesloten op 25 december.\n  nl_easy: Dicht op 25 december.\n"
            + "  en: Closed on 25 December.\n";
    RoutingConfig withNotice =
        RoutingConfig.parse(
            SEED.with(
                RoutingConfig.HELP_POINTS_FILE,
                HelpPointEntries.put(SEED.helpPoints(), "csg", notice)),
            "notice");
    assertEquals("Dicht op 25 december.", withNotice.helpPoints().get("csg").notice().nlEasy());
    String half = closed + "notice:\n  nl: Gesloten op 25 december.\n";
    assertThrows(
        ConfigException.class,
        () ->
            RoutingConfig.parse(
                SEED.with(
                    RoutingConfig.HELP_POINTS_FILE,
                    HelpPointEntries.put(SEED.helpPoints(), "csg", half)),
                "notice"));

    String added =
        HelpPointEntries.put(
            SEED.helpPoints(),
            "nieuw",
            """
            id: nieuw
            kind: queue
            name: Nieuwe hulplijn
            cost: free
            description:
              nl: Een nieuwe hulplijn.
              nl_easy: Een nieuwe hulplijn.
              en: A new help line.
              ar: خط مساعدة جديد.
              tr: Yeni bir yardım hattı.
              pl: Nowa linia pomocy.
              uk: Нова лінія допомоги.
            openingHours: "24/7"
            retentionDays: 30
            targetFirstResponseSeconds: {P0: 30, P1: 60, P2: 600, P3: 1800}
            queueCap: 10
            """);
    RoutingConfig withNew =
        RoutingConfig.parse(SEED.with(RoutingConfig.HELP_POINTS_FILE, added), "add");
    assertEquals(HelpPoint.Kind.QUEUE, withNew.helpPoints().get("nieuw").kind());
    assertEquals("nieuw", RoutingConfig.owner(withNew.helpPoints().get("nieuw")));
    assertEquals("veilig_thuis", RoutingConfig.owner(withNew.helpPoints().get("triage")));
  }

  @Test
  @DisplayName("an invalid edit fails with the loader's own error naming file, line and problem")
  void invalidEdit() {
    String csg = HelpPointEntries.entries(SEED.helpPoints()).get("csg");
    String broken =
        HelpPointEntries.put(SEED.helpPoints(), "csg", csg.replace("queueCap: 40", "queueCap: 0"));
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () -> RoutingConfig.parse(SEED.with(RoutingConfig.HELP_POINTS_FILE, broken), "edit"));
    assertTrue(e.getMessage().startsWith("help-points.yaml (edit), line "), e.getMessage());
    assertTrue(e.path().contains("queueCap"), e.path());
    ConfigException wrongId =
        assertThrows(
            ConfigException.class,
            () ->
                HelpPointEntries.put(
                    SEED.helpPoints(), "csg", csg.replace("id: csg", "id: other")));
    assertTrue(wrongId.getMessage().contains("the entry's id must be 'csg'"), wrongId.getMessage());
  }

  @Test
  @DisplayName("rule N1 is checked on a stored version as at start-up")
  void noDeadEnds() {
    String rules =
        SEED.rules()
            .replace(
                "  fallback: [triage, veilig_thuis, csg]", "  fallback: [triage, kindertelefoon]");
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () -> RoutingConfig.parse(SEED.with(RoutingConfig.RULES_FILE, rules), "version 2"));
    assertTrue(e.getMessage().contains("N1 violation"), e.getMessage());
    assertEquals("routing-rules.yaml (version 2)", e.file());
  }
}
