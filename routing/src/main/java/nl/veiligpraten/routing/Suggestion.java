package nl.veiligpraten.routing;

import nl.veiligpraten.routing.config.HelpPoint;
import nl.veiligpraten.routing.config.LocalizedText;

/**
 * One route offered to the visitor: a help point, the rule that produced it and why.
 *
 * @param helpPoint help point id from help-points.yaml
 * @param kind      queue (chat with that organisation here) or card (contact information)
 * @param rule      rule id, e.g. {@code R1}
 * @param priority  priority of this route
 * @param why       explanation in Dutch B1 and English
 * @param source    the citation from the rule (brief §4.2)
 */
public record Suggestion(String helpPoint, HelpPoint.Kind kind, String rule, Priority priority, LocalizedText why,
                         String source) {

    /** Explanation in Dutch (B1). */
    public String whyNl() {
        return why.nl();
    }

    /** Explanation in English. */
    public String whyEn() {
        return why.en();
    }
}
