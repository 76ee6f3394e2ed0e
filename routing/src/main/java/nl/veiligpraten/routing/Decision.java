package nl.veiligpraten.routing;

import java.util.List;
import java.util.Set;

/**
 * Result of {@link RoutingEngine#decide(Answers)}.
 *
 * @param rulesVersion the {@code version} of routing-rules.yaml that made this decision (store it
 *     with the case)
 * @param priority the most urgent priority among the suggestions
 * @param emergency true exactly when Q0 = yes: the client shows the 112 advice immediately
 * @param suggestions 1 to 3 routes, ordered by priority then rule number, one per help point; at
 *     least one is reachable now and free (rule N1)
 * @param alsoOffer extra help points from the rules' "also offer" column, not already in {@code
 *     suggestions}; shown as a second, smaller list ("Ook mogelijk"), never counted against the
 *     three
 * @param flags hints for the counselor, e.g. {@code bystander_advice} (R17), {@code
 *     support_relative} (R18)
 * @param matchedRules every rule that fired, in table order (including ones whose route did not fit
 *     in three)
 */
public record Decision(
    String rulesVersion,
    Priority priority,
    boolean emergency,
    List<Suggestion> suggestions,
    List<Suggestion> alsoOffer,
    Set<String> flags,
    List<String> matchedRules) {

  public Decision {
    suggestions = List.copyOf(suggestions);
    alsoOffer = List.copyOf(alsoOffer);
    flags = java.util.Collections.unmodifiableSet(new java.util.TreeSet<>(flags));
    matchedRules = List.copyOf(matchedRules);
  }
}
