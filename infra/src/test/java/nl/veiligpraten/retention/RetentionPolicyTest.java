package nl.veiligpraten.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import nl.veiligpraten.routing.config.RoutingConfig;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Retention policy from help-points.yaml")
class RetentionPolicyTest {

  @Test
  @DisplayName(
      "each queue organisation gets its retentionDays; an organisation staffing two queues gets the shorter")
  void fromBundledConfig() {
    RetentionPolicy policy = RetentionPolicy.from(RoutingConfig.load(null).helpPoints());
    assertEquals(30, policy.days("csg").orElseThrow());
    assertEquals(90, policy.days("veilig_thuis").orElseThrow());
    assertEquals(90, policy.days("sense").orElseThrow());
    assertTrue(policy.days("helpwanted").isEmpty(), "cards have no transcripts");
    assertTrue(policy.days("triage").isEmpty(), "triage is staffed by veilig_thuis");
  }

  @Test
  @DisplayName("a retention below one day is refused, and settings must be positive")
  void invalid() {
    assertThrows(IllegalArgumentException.class, () -> new RetentionPolicy(Map.of("csg", 0)));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new RetentionSettings(
                Duration.ZERO, Duration.ZERO, Duration.ofDays(7), Duration.ofHours(1), 10));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new RetentionSettings(
                Duration.ofHours(1), Duration.ZERO, Duration.ofDays(7), Duration.ofHours(1), 0));
  }
}
