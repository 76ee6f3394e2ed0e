package nl.veiligpraten.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static nl.veiligpraten.routing.TestAnswers.answers;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
        Decision d = RoutingEngine.withDefaults().decide(answers("Q0", "yes", "Q5", "sport"));
        JsonNode root = new ObjectMapper().readTree(ExplainJson.toJson(d));
        assertEquals(List.of("rulesVersion", "priority", "emergency", "suggestions"), keys(root));
        assertEquals("P0", root.get("priority").asText());
        assertEquals(true, root.get("emergency").asBoolean());
        assertEquals(d.rulesVersion(), root.get("rulesVersion").asText());
        JsonNode first = root.get("suggestions").get(0);
        assertEquals(List.of("helpPoint", "kind", "rule", "why", "whyEn", "source"), keys(first));
        assertEquals("triage", first.get("helpPoint").asText());
        assertEquals("queue", first.get("kind").asText());
        assertEquals("U0", first.get("rule").asText());
        assertEquals(d.suggestions().get(0).whyNl(), first.get("why").asText());
        assertEquals(d.suggestions().get(0).whyEn(), first.get("whyEn").asText());
        assertEquals(d.suggestions().size(), root.get("suggestions").size());
        assertEquals("cvsn", root.get("suggestions").get(1).get("helpPoint").asText());
    }
}
