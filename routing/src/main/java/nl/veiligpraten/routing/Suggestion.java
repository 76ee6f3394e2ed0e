package nl.veiligpraten.routing;

import nl.veiligpraten.routing.config.HelpPoint;
import nl.veiligpraten.routing.config.LocalizedText;

/**
 * One route offered to the visitor: a help point, the rule that produced it and why.
 *
 * @param helpPoint help point id from help-points.yaml
 * @param kind queue (chat with that organisation here) or card (contact information)
 * @param rule rule id, e.g. {@code R1}; {@code N1} when added because nothing else was reachable
 *     now
 * @param priority priority of this route (after the priority principles of brief §4.3)
 * @param why explanation in Dutch B1, easy-read Dutch and English, fitting the reader's role and
 *     age
 * @param source the citation from the rule (brief §4.2)
 * @param cost whether contacting it costs money
 * @param availability whether and how it can be reached at the decision's moment
 */
public record Suggestion(
    String helpPoint,
    HelpPoint.Kind kind,
    String rule,
    Priority priority,
    LocalizedText why,
    String source,
    HelpPoint.Cost cost,
    Availability availability) {

  /** Explanation in Dutch (B1). */
  public String whyNl() {
    return why.nl();
  }

  /** Explanation in English. */
  public String whyEn() {
    return why.en();
  }

  /** Reachable now and free: what rule N1 requires at least one suggestion to be. */
  public boolean reachableAndFree() {
    return availability.reachableNow() && cost == HelpPoint.Cost.FREE;
  }
}
