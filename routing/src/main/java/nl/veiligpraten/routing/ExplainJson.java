package nl.veiligpraten.routing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The explain format of a decision, shared by the CLI and the HTTP endpoint
 * ({@code ExplainJson.toJson(engine.decide(Answers.parse(map)))}):
 *
 * <pre>{"rulesVersion":"…","priority":"P1","emergency":false,
 *  "suggestions":[{"helpPoint":"csg","kind":"queue","rule":"R1","why":"…","whyEn":"…","source":"…"}]}</pre>
 *
 * <p>{@code why} is the Dutch B1 text (the default visitor language) and {@code whyEn} the English one, so
 * consumers that expect a plain string keep working. Also-offer items and counselor flags are deliberately not
 * part of this format; they are on {@link Decision} for the console.
 */
public final class ExplainJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ExplainJson() {
    }

    /** The decision as a map with stable key order (useful for embedding in a larger response). */
    public static Map<String, Object> toMap(Decision decision) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("rulesVersion", decision.rulesVersion());
        root.put("priority", decision.priority().name());
        root.put("emergency", decision.emergency());
        List<Map<String, Object>> suggestions = new ArrayList<>();
        for (Suggestion s : decision.suggestions()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("helpPoint", s.helpPoint());
            m.put("kind", s.kind().code());
            m.put("rule", s.rule());
            m.put("why", s.whyNl());
            m.put("whyEn", s.whyEn());
            m.put("source", s.source());
            suggestions.add(m);
        }
        root.put("suggestions", suggestions);
        return root;
    }

    /** Compact JSON, UTF-8 safe, deterministic key order. */
    public static String toJson(Decision decision) {
        try {
            return MAPPER.writeValueAsString(toMap(decision));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise decision", e);
        }
    }
}
