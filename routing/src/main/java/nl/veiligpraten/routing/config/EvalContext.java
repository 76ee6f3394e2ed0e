package nl.veiligpraten.routing.config;

import java.util.Optional;
import nl.veiligpraten.routing.AgeBand;
import nl.veiligpraten.routing.Answers;
import nl.veiligpraten.routing.Priority;

/** What a {@link Condition} can look at while being evaluated. */
public interface EvalContext {

  /**
   * The answers, already reduced to the questions shown for this role (the engine applies
   * visibility).
   */
  Answers answers();

  /** The age band of the person it is about (Q2), empty when skipped, unknown or rather not. */
  Optional<AgeBand> age();

  /**
   * The asker's own age band (QA for relatives and bystanders, Q2 when the asker is the person it
   * is about).
   */
  Optional<AgeBand> askerAge();

  /**
   * Whether a question is shown for these answers (e.g. Q3 is not shown on the path about own
   * behaviour).
   */
  boolean shown(String questionId);

  /** Whether the condition of another rule matches these answers. */
  boolean matched(String ruleId);

  /** True when no other intake rule with a route matched at this priority or a more urgent one. */
  boolean noOtherRouteAt(Priority priority);
}
