package nl.veiligpraten.routing.wait;

/**
 * Who can answer an organisation's chats right now, and how long its chats took recently. A
 * snapshot read from the system of record; the estimate is a pure function of it.
 *
 * @param present counselors of the organisation who may take chats and are present now (live
 *     console, available)
 * @param capacity the sum of their capacities (chats at once)
 * @param freeSlots chats they could take at once right now (capacity minus the chats they hold, per
 *     person)
 * @param handlingSamples recently finished chats the handling time is taken from
 * @param meanHandlingSeconds mean time from assignment to close of those chats (0 when there are
 *     none)
 */
public record Staffing(
    int present, int capacity, int freeSlots, int handlingSamples, double meanHandlingSeconds) {

  /** Nobody present and no history: what "unknown" means (unknown = not staffed). */
  public static final Staffing NOBODY = new Staffing(0, 0, 0, 0, 0);

  public Staffing {
    if (present < 0
        || capacity < 0
        || freeSlots < 0
        || handlingSamples < 0
        || meanHandlingSeconds < 0) {
      throw new IllegalArgumentException("staffing figures cannot be negative");
    }
  }

  /** At least one counselor who may take chats is present now. */
  public boolean staffed() {
    return present > 0;
  }
}
