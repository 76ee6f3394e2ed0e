package nl.veiligpraten.routing;

import static nl.veiligpraten.routing.TestAnswers.answers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The explain JSON")
class ExplainJsonTest {

  private static List<String> keys(JsonNode n) {
    List<String> k = new ArrayList<>();
    n.fieldNames().forEachRemaining(k::add);
    return k;
  }

  @Test
  @DisplayName("Has exactly the agreed keys in a stable order, with Dutch why and English whyEn")
  void shape() throws Exception {
    Decision d =
        TestReach.decide(RoutingEngine.withDefaults(), answers("Q0", "yes", "Q5", "sport"));
    JsonNode root = new ObjectMapper().readTree(ExplainJson.toJson(d));
    assertEquals(
        List.of("rulesVersion", "priority", "emergency", "suggestions", "alsoOffer"), keys(root));
    assertEquals("P0", root.get("priority").asText());
    assertEquals(true, root.get("emergency").asBoolean());
    assertEquals(d.rulesVersion(), root.get("rulesVersion").asText());
    JsonNode first = root.get("suggestions").get(0);
    List<String> itemKeys =
        List.of(
            "helpPoint",
            "kind",
            "rule",
            "priority",
            "why",
            "whyEn",
            "whyText",
            "source",
            "cost",
            "reachableNow",
            "channels",
            "openNow",
            "opensAt",
            "hoursKnown");
    assertEquals(itemKeys, keys(first));
    assertEquals(List.of("nl", "nl_easy", "en"), keys(first.get("whyText")));
    assertEquals("free", first.get("cost").asText());
    assertEquals("triage", first.get("helpPoint").asText());
    assertEquals("queue", first.get("kind").asText());
    assertEquals("U0", first.get("rule").asText());
    assertEquals(d.suggestions().get(0).whyNl(), first.get("why").asText());
    assertEquals(d.suggestions().get(0).whyEn(), first.get("whyEn").asText());
    assertEquals(d.suggestions().size(), root.get("suggestions").size());
    assertEquals("cvsn", root.get("suggestions").get(1).get("helpPoint").asText());
    // the "Ook mogelijk" list has the same item shape and no duplicates of a suggestion
    JsonNode also = root.get("alsoOffer");
    assertEquals("vertrouwenscontactpersoon", also.get(0).get("helpPoint").asText());
    assertEquals(itemKeys, keys(also.get(0)));
    for (JsonNode a : also) {
      for (JsonNode s : root.get("suggestions")) {
        assertNotEquals(s.get("helpPoint").asText(), a.get("helpPoint").asText());
      }
    }
  }
}
