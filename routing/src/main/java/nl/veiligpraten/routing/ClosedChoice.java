package nl.veiligpraten.routing;

import java.util.List;

/**
 * What the visitor is offered when the chosen help point cannot be reached now ({@link
 * RoutingEngine#whenUnavailable}): the page shows this and nothing else, so page and engine cannot
 * disagree.
 *
 * @param helpPoint the chosen help point
 * @param availability when it opens and which of its lines are open now (e.g. its phone while its
 *     chat is closed)
 * @param openNow options reachable now, the visitor's own suggestions and also-offers first; never
 *     empty, and at least one is free (rule N1)
 * @param emergency Q0 was "yes": the page keeps the "Bel 112" button on this screen too
 */
public record ClosedChoice(
    String helpPoint, Availability availability, List<Suggestion> openNow, boolean emergency) {

  public ClosedChoice {
    openNow = List.copyOf(openNow);
  }
}
