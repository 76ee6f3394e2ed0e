package nl.veiligpraten.routing;

/**
 * Urgency of a routing suggestion (brief §4.3). Lower ordinal = more urgent.
 *
 * <ul>
 *   <li>{@link #P0}: emergency (Q0 = yes) or counselor-flagged suicide risk; top of every queue.
 *   <li>{@link #P1}: acute sexual violence within the acute window, or a minor in an ongoing unsafe
 *       situation.
 *   <li>{@link #P2}: minors, sextortion, perpetrator worried about feelings towards minors.
 *   <li>{@link #P3}: everything else.
 * </ul>
 */
public enum Priority {
  P0,
  P1,
  P2,
  P3;

  /** Returns the more urgent of the two. */
  public static Priority mostUrgent(Priority a, Priority b) {
    return a.ordinal() <= b.ordinal() ? a : b;
  }
}
