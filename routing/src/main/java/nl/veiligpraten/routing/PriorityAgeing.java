package nl.veiligpraten.routing;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import nl.veiligpraten.routing.config.RoutingConfig;
import nl.veiligpraten.routing.config.RuleSet;

/**
 * The serving order of an organisation's queue: the one definition of who is served next.
 * PostgreSQL orders the queue with the same keys and the same constants (the SQL is generated from
 * {@link #KEYS} in infra's {@code QueueOrderQueries}, with the constants of this instance as
 * parameters), and a property test on a real PostgreSQL checks that both give the same order
 * ({@code QueueOrderAgreementIT}).
 *
 * <p>A queued chat is served before another when, comparing key by key ({@link Key}):
 *
 * <ol>
 *   <li>{@link Key#EMERGENCY}: it is P0 and the other is not. P0 (emergency, suicide risk) is not
 *       aged: it is always first (brief §4.3, "the case goes to the top of the queue").
 *   <li>{@link Key#HEAD}: it lost its counselor (went unanswered, the counselor left or handed it
 *       back, a referral arrived) and the other did not: a person who was already taken on does not
 *       start over.
 *   <li>{@link Key#SCORE}: its ageing score is higher. {@code score = baseScore[priority] +
 *       pointsPerMinute × minutes waited}, exact to the microsecond (PostgreSQL's resolution), not
 *       rounded to whole points. A waiting P3 keeps rising and is never starved by a stream of
 *       fresh P2 chats: with the bundled constants (P1 300, P2 200, P3 100, 10 points per minute,
 *       in routing-rules.yaml) a P3 outranks a fresh P2 after 10 minutes and a fresh P1 after 20. A
 *       wait below zero (a clock ahead of the reader's) counts as zero. P0 chats all have the same
 *       score.
 *   <li>{@link Key#QUEUED_AT}: it entered the queue earlier (ties in score go to whoever waited
 *       longest).
 *   <li>{@link Key#ID}: its id is lower in unsigned byte order, as PostgreSQL compares a {@code
 *       uuid}, so the order is total and every reader sees the same one.
 * </ol>
 *
 * A chat without a priority is ordered as P3. Skills do not change the order: they decide who may
 * take a chat, and assignment takes the first chat in this order that a free counselor can take.
 */
public final class PriorityAgeing {

  /** The sort keys, most significant first. */
  public enum Key {
    /** P0 before everything else. */
    EMERGENCY(true),
    /** Chats that lost their counselor before the rest. */
    HEAD(true),
    /** Higher ageing score first. */
    SCORE(true),
    /** Longer waiting first. */
    QUEUED_AT(false),
    /** Lower id first (unsigned bytes, as PostgreSQL orders uuid). */
    ID(false);

    private final boolean descending;

    Key(boolean descending) {
      this.descending = descending;
    }

    /** True when a higher value of this key is served first. */
    public boolean descending() {
      return descending;
    }
  }

  /** The order's keys, most significant first. */
  public static final List<Key> KEYS = List.of(Key.values());

  /**
   * Score units per point (microseconds per minute): the exact score counts points per minute ×
   * microseconds waited.
   */
  public static final long SCORE_UNITS_PER_POINT = 60_000_000L;

  private static final long MILLIS_PER_MINUTE = Duration.ofMinutes(1).toMillis();

  /**
   * What the order needs to know of one queued chat.
   *
   * @param id the conversation id
   * @param priority its priority; null is ordered as P3
   * @param head true when it lost its counselor and went back to the head of the queue
   * @param queuedAt when it entered the queue
   */
  public record Queued(UUID id, Priority priority, boolean head, Instant queuedAt) {
    public Queued {
      priority = priority == null ? Priority.P3 : priority;
    }
  }

  private final Map<Priority, Long> baseScore;
  private final long pointsPerMinute;

  public PriorityAgeing(RuleSet.AgeingSettings settings) {
    this.baseScore = new EnumMap<>(Priority.class);
    this.baseScore.putAll(settings.baseScore());
    this.pointsPerMinute = settings.pointsPerMinute();
  }

  /** Ageing with the constants of the given configuration. */
  public static PriorityAgeing fromConfig(RoutingConfig config) {
    return new PriorityAgeing(config.rules().ageing());
  }

  /** The base score of P1, P2 or P3 (P0 has none: it is always first). */
  public long baseScore(Priority p) {
    if (p == Priority.P0) {
      throw new IllegalArgumentException("P0 has no base score, it is always first");
    }
    return baseScore.get(p);
  }

  /** Points added per minute waited. */
  public long pointsPerMinute() {
    return pointsPerMinute;
  }

  /**
   * The score in whole points (rounded down) of a case with priority {@code p} that has waited
   * {@code waited}; higher is served first. For display and reasoning; the order uses the exact
   * {@link #score}. P0 always returns {@link Long#MAX_VALUE}; aged scores saturate just below it.
   * Negative waits count as zero.
   */
  public long effectiveScore(Priority p, Duration waited) {
    if (p == Priority.P0) {
      return Long.MAX_VALUE;
    }
    long millis = waited.isNegative() ? 0 : safeMillis(waited);
    long base = baseScore.get(p);
    long boost;
    try {
      boost = Math.multiplyExact(millis, pointsPerMinute) / MILLIS_PER_MINUTE;
    } catch (ArithmeticException overflow) {
      return Long.MAX_VALUE - 1;
    }
    long score = base + boost;
    return score < base || score >= Long.MAX_VALUE - 1 ? Long.MAX_VALUE - 1 : score;
  }

  /**
   * The exact ageing score ({@link Key#SCORE}) in units of 1/{@value #SCORE_UNITS_PER_POINT} point:
   * {@code baseScore[p] × 60,000,000 + pointsPerMinute × microseconds waited}. P0 scores 0 (P0 is
   * ordered by {@link Key#EMERGENCY} and waiting time). Negative waits count as zero; a score
   * beyond {@code long} saturates (at 10 points per minute, after 29,000 years).
   */
  public long score(Priority p, Duration waited) {
    Priority priority = p == null ? Priority.P3 : p;
    if (priority == Priority.P0) {
      return 0;
    }
    long micros = waited.isNegative() ? 0 : safeMicros(waited);
    try {
      return Math.addExact(
          Math.multiplyExact(baseScore.get(priority), SCORE_UNITS_PER_POINT),
          Math.multiplyExact(pointsPerMinute, micros));
    } catch (ArithmeticException overflow) {
      return Long.MAX_VALUE;
    }
  }

  private static long safeMillis(Duration d) {
    try {
      return d.toMillis();
    } catch (ArithmeticException overflow) {
      return Long.MAX_VALUE;
    }
  }

  private static long safeMicros(Duration d) {
    try {
      return Math.addExact(Math.multiplyExact(d.getSeconds(), 1_000_000L), d.getNano() / 1000);
    } catch (ArithmeticException overflow) {
      return Long.MAX_VALUE;
    }
  }

  /**
   * The serving order at {@code now}, as described on this class: the first element is served
   * first.
   */
  public Comparator<Queued> queueOrder(Instant now) {
    Comparator<Queued> order = (a, b) -> 0;
    for (Key key : KEYS) {
      Comparator<Queued> byKey =
          switch (key) {
            case EMERGENCY -> Comparator.comparing((Queued q) -> q.priority() == Priority.P0);
            case HEAD -> Comparator.comparing(Queued::head);
            case SCORE ->
                Comparator.comparingLong(
                    (Queued q) -> score(q.priority(), Duration.between(q.queuedAt(), now)));
            case QUEUED_AT -> Comparator.comparing(Queued::queuedAt);
            case ID -> PriorityAgeing::compareUuids;
          };
      order = order.thenComparing(key.descending() ? byKey.reversed() : byKey);
    }
    return order;
  }

  /** Unsigned byte order of two ids, as PostgreSQL compares {@code uuid} values. */
  static int compareUuids(Queued a, Queued b) {
    int high =
        Long.compareUnsigned(a.id().getMostSignificantBits(), b.id().getMostSignificantBits());
    return high != 0
        ? high
        : Long.compareUnsigned(a.id().getLeastSignificantBits(), b.id().getLeastSignificantBits());
  }
}
