package nl.veiligpraten.infra.assignment;

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
    assertEquals(List.of("youth", "perpetrator"),
        IntakeSkills.of("{\"answers\":{\"Q2\":\"12-15\",\"Q1\":\"perpetrator\"}}"));
    assertEquals(List.of("easy_language"), IntakeSkills.of("{\"answers\":{\"lang\":\"nl_easy\"}}"));
    assertEquals(List.of("english"), IntakeSkills.of("{\"answers\":{\"lang\":\"en\",\"Q2\":\"25plus\"}}"));
    assertTrue(IntakeSkills.easyLanguage("{\"answers\":{\"easy\":true}}"));
    assertFalse(IntakeSkills.easyLanguage("{\"answers\":{}}"));
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
