package nl.veiligpraten.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.ZonedDateTime;
import nl.veiligpraten.routing.config.RoutingConfig;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Help-point directory of the console (bundled help-points.yaml)")
class HelpPointDirectoryTest {

  private final HelpPointDirectory directory = HelpPointDirectory.from(RoutingConfig.defaults());

  private static ZonedDateTime amsterdam(String local) {
    return ZonedDateTime.parse(local + "+01:00[Europe/Amsterdam]");
  }

  @Test
  @DisplayName("queues map to the organisation that staffs them; cards are not referral targets")
  void queues() {
    assertEquals("csg", directory.queue("csg").orElseThrow().orgId());
    assertEquals("veilig_thuis", directory.queue("triage").orElseThrow().orgId());
    assertTrue(directory.queue("helpwanted").isEmpty());
    assertTrue(directory.queue(null).isEmpty());
  }

  @Test
  @DisplayName("targets per priority come from targetFirstResponseSeconds")
  void targets() {
    assertEquals(60, directory.target("csg", 1).orElseThrow());
    assertEquals(300, directory.target("mores", 1).orElseThrow());
  }

  @Test
  @DisplayName("opening hours are evaluated in Amsterdam time; 24/7 is always open")
  void openingHours() {
    assertTrue(directory.openAt("sense", amsterdam("2026-11-23T10:00:00")));
    assertFalse(directory.openAt("sense", amsterdam("2026-11-23T08:59:00")));
    assertFalse(directory.openAt("sense", amsterdam("2026-11-23T17:00:00")));
    assertTrue(directory.openAt("csg", amsterdam("2026-11-22T03:00:00")));
    assertFalse(directory.openAt("helpwanted", amsterdam("2026-11-23T10:00:00")));
  }

  @Test
  @DisplayName("the consent question names the receiving organisation")
  void consent() {
    String[] q = directory.consentQuestion("Veilig Thuis");
    assertTrue(q[0].startsWith("Mag ik dit gesprek doorsturen naar Veilig Thuis?"), q[0]);
    assertTrue(q[1].contains("Veilig Thuis"));
  }
}
