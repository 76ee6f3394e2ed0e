package nl.veiligpraten.routing;

import static nl.veiligpraten.routing.TestAnswers.answers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import nl.veiligpraten.routing.config.RoutingConfig;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Age bands against configured limits")
class AgeBandsTest {

  private final AgeBands bands = new AgeBands(RoutingConfig.defaults());

  @Test
  @DisplayName("Q2 codes map to bands and the adult limit comes from help-points.yaml")
  void mapping() {
    assertEquals(new AgeBand("18-24", 18, 24), bands.of(answers("Q2", "18-24")).orElseThrow());
    assertTrue(bands.of(Answers.empty()).isEmpty());
    assertEquals(
        RoutingConfig.defaults().helpPoints().ageLimits().get("adult"), bands.limit("adult"));
    assertThrows(IllegalArgumentException.class, () -> bands.limit("elderly"));
  }

  @Test
  @DisplayName("Only bands entirely below the adult limit are minors; unknown age is not")
  void minors() {
    assertTrue(bands.isMinor(answers("Q2", "16-17"), "adult"));
    assertTrue(bands.isMinor(answers("Q2", "under12"), "adult"));
    assertFalse(bands.isMinor(answers("Q2", "18-24"), "adult"));
    assertFalse(bands.isMinor(answers("Q2", "unknown"), "adult"));
  }

  @Test
  @DisplayName("Eligibility follows each help point's configured ages")
  void eligibility() {
    assertTrue(bands.isEligible(answers("Q2", "18-24"), "sense"));
    assertFalse(bands.isEligible(answers("Q2", "25plus"), "sense"));
    assertTrue(bands.isEligible(answers("Q2", "12-15"), "halt"));
    assertFalse(bands.isEligible(answers("Q2", "under12"), "halt"));
    assertFalse(bands.isEligible(answers("Q2", "18-24"), "kindertelefoon"));
    assertTrue(bands.isEligible(Answers.empty(), "csg"), "no limits configured: everyone");
    assertFalse(
        bands.isEligible(Answers.empty(), "sense"), "unknown age is not certainly eligible");
  }
}
