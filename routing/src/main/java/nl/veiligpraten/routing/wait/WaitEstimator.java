package nl.veiligpraten.routing.wait;

/**
 * Estimates the wait of a queued chat from who is present now and recent handling times, instead of
 * a constant per place in line.
 *
 * <p>The model: chats ahead of the visitor are taken first by the free places of present counselors
 * (at once), then one at a time as chats end. With {@code C} places held and a mean handling time
 * {@code H}, a place frees up every {@code H / C} seconds on average, so a visitor with {@code k}
 * chats ahead and {@code F} free places waits about {@code (k + 1 - F) * H / C}. No estimate is
 * given when nobody is present, or when it would need the handling time and fewer than {@code
 * minSamples} recent chats are known (a guess shown as a number would be a promise).
 */
public final class WaitEstimator {

  private final int minSamples;
  private final int maxSeconds;

  /**
   * @param minSamples recent finished chats needed before a handling time is trusted
   * @param maxSeconds estimates above this are not shown (the model says nothing useful that far
   *     out)
   */
  public WaitEstimator(int minSamples, int maxSeconds) {
    if (minSamples < 1 || maxSeconds < 1) {
      throw new IllegalArgumentException("minSamples and maxSeconds must be positive");
    }
    this.minSamples = minSamples;
    this.maxSeconds = maxSeconds;
  }

  /**
   * The wait of a chat with {@code ahead} chats before it in serving order.
   *
   * @param ahead queued chats of the organisation that will be served before this one (0 = first in
   *     line)
   * @param staffing who is present and how long chats took
   */
  public QueueWait estimate(long ahead, Staffing staffing) {
    if (ahead < 0) {
      throw new IllegalArgumentException("ahead cannot be negative");
    }
    if (!staffing.staffed()) {
      return QueueWait.UNSTAFFED;
    }
    long needed = ahead + 1 - staffing.freeSlots();
    if (needed <= 0) {
      // A free place is waiting for this chat: the assigner hands it over within seconds.
      return new QueueWait(true, 0);
    }
    if (staffing.handlingSamples() < minSamples
        || staffing.capacity() == 0
        || staffing.meanHandlingSeconds() <= 0) {
      return new QueueWait(true, null);
    }
    double seconds = needed * staffing.meanHandlingSeconds() / staffing.capacity();
    if (seconds > maxSeconds) {
      return new QueueWait(true, null);
    }
    return new QueueWait(true, (int) Math.ceil(seconds));
  }
}
