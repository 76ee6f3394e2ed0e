package nl.veiligpraten.routing;

import nl.veiligpraten.routing.config.RoutingConfig;
import nl.veiligpraten.routing.config.RuleSet;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Queue ordering with priority ageing, as pure functions.
 *
 * <p>{@code effectiveScore = baseScore[priority] + pointsPerMinute × minutes waited}; higher goes first. A waiting
 * P3 therefore keeps rising and is never starved by a stream of fresh P2 cases. With the bundled constants
 * (P1 300, P2 200, P3 100, 10 points per minute, in routing-rules.yaml) a P3 outranks a fresh P2 after 10 minutes
 * and a fresh P1 after 20 minutes. P0 (emergency, suicide risk) is not aged: it always comes first.
 */
public final class PriorityAgeing {

    private static final long MILLIS_PER_MINUTE = Duration.ofMinutes(1).toMillis();

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

    /**
     * The score of a case with priority {@code p} that has waited {@code waited}; higher is served first.
     * P0 always returns {@link Long#MAX_VALUE}; aged scores saturate just below it. Negative waits count as zero.
     */
    public long effectiveScore(Priority p, Duration waited) {
        if (p == Priority.P0) {
            return Long.MAX_VALUE;
        }
        long millis = Math.max(0, waited.isNegative() ? 0 : safeMillis(waited));
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

    private static long safeMillis(Duration d) {
        try {
            return d.toMillis();
        } catch (ArithmeticException overflow) {
            return Long.MAX_VALUE;
        }
    }

    /**
     * Queue order at {@code now}: highest effective score first, then longest waiting first. Works on any queue
     * item type via the two accessors, so gateway and console can share it.
     */
    public <T> Comparator<T> queueOrder(Instant now, Function<? super T, Priority> priorityOf,
                                        Function<? super T, Instant> enqueuedAtOf) {
        Comparator<T> byScore = Comparator.comparingLong(
                (T item) -> effectiveScore(priorityOf.apply(item), Duration.between(enqueuedAtOf.apply(item), now)));
        Comparator<T> byWaiting = Comparator.comparing(enqueuedAtOf);
        return byScore.reversed().thenComparing(byWaiting);
    }
}
