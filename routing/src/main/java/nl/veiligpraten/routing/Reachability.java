package nl.veiligpraten.routing;

import java.time.Instant;
import java.util.Set;

/**
 * What the routing engine may assume about "now" (brief §4.2 N1, issue 16/17): the current time,
 * against which the configured opening hours are read, and which help points' counselor queues are
 * staffed right now. The engine stays pure: the caller supplies this view. A queue that is not
 * listed counts as NOT staffed (unknown = not staffed), so a queue nobody answers never counts as
 * reachable.
 *
 * @param now the moment the decision is for
 * @param staffedQueues ids of queue help points (from help-points.yaml, e.g. {@code triage}, {@code
 *     csg}) with at least one counselor present who can take a chat now
 */
public record Reachability(Instant now, Set<String> staffedQueues) {

  public Reachability {
    if (now == null) {
      throw new IllegalArgumentException("now is required");
    }
    staffedQueues = Set.copyOf(staffedQueues);
  }

  /** Nobody staffed: only phone and chat lines that are open by their hours count as reachable. */
  public static Reachability nothingStaffed(Instant now) {
    return new Reachability(now, Set.of());
  }

  /** Whether the queue of this help point is staffed now. */
  public boolean isStaffed(String helpPointId) {
    return staffedQueues.contains(helpPointId);
  }
}
