package nl.veiligpraten.routing.wait;

/**
 * What the visitor is told about a queue: whether someone who may take the chat is present now, and
 * an estimate of the wait only when an honest one exists.
 *
 * @param staffed at least one counselor of the organisation who may take this priority is present
 *     now
 * @param estimatedWaitSeconds the estimate, or {@code null} when there is none (nobody present, or
 *     too little recent history to say)
 */
public record QueueWait(boolean staffed, Integer estimatedWaitSeconds) {

  /** Nobody present: no estimate. */
  public static final QueueWait UNSTAFFED = new QueueWait(false, null);
}
