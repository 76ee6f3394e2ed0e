package nl.veiligpraten.assignment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Skills a chat would profit from, derived from intake codes")
class IntakeSkillsTest {

  @Test
  @DisplayName("minors, perpetrators, easy language and English are recognised from the codes")
  void derived() {
    assertEquals(
        List.of("youth", "perpetrator"),
        IntakeSkills.of("{\"answers\":{\"Q2\":\"12-15\",\"Q1\":\"perpetrator\"}}"));
    assertEquals(List.of("easy_language"), IntakeSkills.of("{\"answers\":{\"lang\":\"nl_easy\"}}"));
    assertEquals(
        List.of("english"), IntakeSkills.of("{\"answers\":{\"lang\":\"en\",\"Q2\":\"25plus\"}}"));
    assertTrue(IntakeSkills.easyLanguage("{\"answers\":{\"easy\":true}}"));
    assertFalse(IntakeSkills.easyLanguage("{\"answers\":{}}"));
  }

  @Test
  @DisplayName(
      "every non-Dutch page language is a language skill; Dutch and easy-read Dutch are not")
  void languages() {
    assertEquals(List.of("arabic"), IntakeSkills.of("{\"lang\":\"ar\",\"answers\":{}}"));
    assertEquals(List.of("turkish"), IntakeSkills.of("{\"lang\":\"tr\"}"));
    assertEquals(List.of("polish"), IntakeSkills.of("{\"lang\":\"pl\"}"));
    assertEquals(List.of("ukrainian"), IntakeSkills.of("{\"lang\":\"uk\"}"));
    assertEquals("arabic", IntakeSkills.languageSkill("{\"lang\":\"ar\"}"));
    assertEquals(null, IntakeSkills.languageSkill("{\"lang\":\"nl_easy\"}"));
    assertEquals(null, IntakeSkills.languageSkill("{\"lang\":\"nl\"}"));
    assertTrue(
        IntakeSkills.ALL.containsAll(
            List.of("english", "arabic", "turkish", "polish", "ukrainian")));
  }

  @Test
  @DisplayName(
      "a counselor writes the visitor's language when they list it, else English to a non-Dutch reader "
          + "when they write it, else Dutch")
  void writesIn() {
    assertEquals("ar", IntakeSkills.writesIn("ar", List.of("arabic")));
    assertEquals("en", IntakeSkills.writesIn("ar", List.of("english", "youth")));
    assertEquals("nl", IntakeSkills.writesIn("ar", List.of("youth")));
    assertEquals("en", IntakeSkills.writesIn("en", List.of("english")));
    assertEquals("nl", IntakeSkills.writesIn("en", List.of()));
    assertEquals("nl_easy", IntakeSkills.writesIn("nl_easy", List.of()));
    assertEquals("nl", IntakeSkills.writesIn(null, List.of("english")));
  }

  @Test
  @DisplayName("missing, empty or malformed intake gives no skills instead of an error")
  void tolerant() {
    assertEquals(List.of(), IntakeSkills.of(null));
    assertEquals(List.of(), IntakeSkills.of("{}"));
    assertEquals(List.of(), IntakeSkills.of("not json"));
    assertEquals(List.of(), IntakeSkills.of("{\"answers\":\"text\"}"));
  }
}
