package nl.veiligpraten.routing.conversation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("An outcome is a stored code; counselors choose from their own list only")
class OutcomeTest {

  @Test
  @DisplayName(
      "counselors choose from the seven codes the console has always listed, in that order")
  void counselorChoices() {
    assertEquals(
        List.of(
            "listened",
            "advice",
            "referred",
            "emergency_112",
            "police_info",
            "visitor_left",
            "other"),
        Outcome.counselorCodes());
  }

  @ParameterizedTest
  @EnumSource(Outcome.class)
  @DisplayName("every outcome reads back from its own code")
  void roundTrip(Outcome o) {
    assertEquals(o, Outcome.fromCode(o.code()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"abandoned", "inbox_expired", "visitor_left_hurry", "misbruik"})
  @DisplayName(
      "the codes the service, the visitor's page or a supervisor write are outcomes a counselor cannot send")
  void notForCounselors(String code) {
    assertEquals(code, Outcome.fromCode(code).code());
    assertEquals(Optional.empty(), Outcome.counselorChoice(code));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "Listened", "open", "closed", "helped"})
  @DisplayName("an unknown code is refused with a message naming it")
  void unknownRefused(String code) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Outcome.fromCode(code));
    assertTrue(e.getMessage().contains("'" + code + "'"), e.getMessage());
    assertEquals(Optional.empty(), Outcome.counselorChoice(code));
    assertEquals(Optional.empty(), Outcome.counselorChoice(null));
  }

  @Test
  @DisplayName("the tags are the eight codes the console has always listed, at most five on a chat")
  void tags() {
    assertEquals(
        List.of(
            "earlier_victimisation",
            "suicide_risk",
            "safety_plan",
            "police_report_considered",
            "medical_help_advised",
            "returning_visitor",
            "perpetrator_support",
            "bystander_advice"),
        OutcomeTag.codes());
    assertEquals(5, OutcomeTag.MAX_PER_CHAT);
    assertEquals(Optional.of(OutcomeTag.SAFETY_PLAN), OutcomeTag.find("safety_plan"));
    assertEquals(Optional.empty(), OutcomeTag.find("Safety_plan"));
    assertEquals(Optional.empty(), OutcomeTag.find(null));
  }
}
