package nl.veiligpraten.routing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The explain format of a decision, shared by the CLI, the HTTP endpoint and the {@code
 * suggestions} frame's {@code route} ({@code ExplainJson.toJson(engine.decide(Answers.parse(map),
 * reach))}):
 *
 * <pre>{"rulesVersion":"…","priority":"P1","emergency":false,
 *  "suggestions":[{"helpPoint":"csg","kind":"queue","rule":"R1","priority":"P1","why":"…","whyEn":"…",
 *                  "whyText":{"nl":"…","nl_easy":"…","en":"…"},"source":"…","cost":"free",
 *                  "reachableNow":true,"openNow":["phone"],"opensAt":null,"hoursKnown":true}],
 *  "alsoOffer":[ same shape ]}</pre>
 *
 * <p>{@code why} is the Dutch B1 text (the default visitor language) and {@code whyEn} the English
 * one, so consumers that expect a plain string keep working; {@code whyText} has all three
 * variants. {@code alsoOffer} is the "Ook mogelijk" list (never a duplicate of a suggestion).
 * {@code opensAt} is local time in the Netherlands (ISO-8601 with offset) when the help point is
 * not reachable now and its hours say when one of its lines opens.
 */
public final class ExplainJson {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private ExplainJson() {}

  /** The decision as a map with stable key order (useful for embedding in a larger response). */
  public static Map<String, Object> toMap(Decision decision) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("rulesVersion", decision.rulesVersion());
    root.put("priority", decision.priority().name());
    root.put("emergency", decision.emergency());
    root.put("suggestions", list(decision.suggestions()));
    root.put("alsoOffer", list(decision.alsoOffer()));
    return root;
  }

  /** The options of a closed or unstaffed choice, in the same item shape as suggestions. */
  public static Map<String, Object> toMap(ClosedChoice closed) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("helpPoint", closed.helpPoint());
    root.put("emergency", closed.emergency());
    root.putAll(availability(closed.availability()));
    root.put("openNowOptions", list(closed.openNow()));
    return root;
  }

  private static List<Map<String, Object>> list(List<Suggestion> items) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Suggestion s : items) {
      out.add(item(s));
    }
    return out;
  }

  /** One suggestion or also-offer. */
  public static Map<String, Object> item(Suggestion s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("helpPoint", s.helpPoint());
    m.put("kind", s.kind().code());
    m.put("rule", s.rule());
    m.put("priority", s.priority().name());
    m.put("why", s.whyNl());
    m.put("whyEn", s.whyEn());
    Map<String, Object> text = new LinkedHashMap<>();
    text.put("nl", s.why().nl());
    text.put("nl_easy", s.why().nlEasy());
    text.put("en", s.why().en());
    m.put("whyText", text);
    m.put("source", s.source());
    m.put("cost", s.cost().code());
    m.putAll(availability(s.availability()));
    return m;
  }

  private static Map<String, Object> availability(Availability a) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("reachableNow", a.reachableNow());
    m.put("channels", a.channels().stream().map(Channel::code).toList());
    m.put("openNow", a.openNow().stream().map(Channel::code).toList());
    m.put("opensAt", a.opensAt().map(t -> t.toOffsetDateTime().toString()).orElse(null));
    m.put("hoursKnown", a.hoursKnown());
    return m;
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
