package nl.veiligpraten.routing.config;

import nl.veiligpraten.routing.AgeBand;
import nl.veiligpraten.routing.Answers;

import java.util.Optional;

/** What a {@link Condition} can look at while being evaluated. */
public interface EvalContext {

    Answers answers();

    /** The age band of the person it happened to (Q2), empty when skipped, unknown or rather not. */
    Optional<AgeBand> age();

    /** Whether the condition of another rule matches these answers. */
    boolean matched(String ruleId);
}
