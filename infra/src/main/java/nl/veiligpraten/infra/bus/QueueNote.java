package nl.veiligpraten.infra.bus;

import java.util.Locale;

/**
 * A note on an organisation's queue address ({@link Addresses#queue}): something changed that can
 * move a waiting visitor's place, the console's queue list or the auto-assigner. It carries only
 * its kind; listeners re-read the queue from PostgreSQL. An enum, so a {@code switch} expression
 * over it must name every kind.
 */
public enum QueueNote implements BusNote {
  /** A chat entered the queue (routed, or referred from another organisation). */
  QUEUED,
  /** A counselor took (or was assigned) a chat. */
  TAKEN,
  /** A chat left the queue (closed, deleted, swept, referred away). */
  LEFT,
  /**
   * A chat came back to the queue (counselor gone, unanswered, given back, moved by a supervisor).
   */
  REQUEUED,
  /** A counselor closed a chat and has room for another one. */
  CAPACITY,
  /** The queue's order changed (a held P0 claim was confirmed). */
  CHANGED,
  /** A counselor of the organisation came, went or changed availability. */
  STAFFING;

  @Override
  public String kind() {
    return name().toLowerCase(Locale.ROOT);
  }
}
