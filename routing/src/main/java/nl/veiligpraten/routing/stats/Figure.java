package nl.veiligpraten.routing.stats;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The published figures (brief §6). Each figure names which splits ({@code by}) it accepts; all counts are of cases
 * (one conversation = one case) that entered a help point's queue in the period, unless said otherwise.
 */
public enum Figure {
    /** Cases entering a queue, split by one dimension. */
    INFLOW("inflow", "Inflow: chats that entered a queue",
        Set.of(Dimension.NONE, Dimension.ROLE, Dimension.AGE_BAND, Dimension.SETTING, Dimension.PRIORITY,
            Dimension.LANG, Dimension.HELP_POINT), true),
    /** Queue entry to first counselor message, p50/p90, per priority. Columns are always priorities. */
    WAITING("waiting", "Waiting time to first reply (p50/p90, seconds)", Set.of(Dimension.PRIORITY), true),
    /** Closed while still queued, never taken: abandoned / answered-or-taken. */
    ABANDONED("abandoned", "Abandoned before an answer", Set.of(Dimension.NONE), true),
    /** Queue length (maximum per bucket, from events) and counselors online (sampled). Inside the organisation only. */
    QUEUE("queue", "Queue length and counselors online", Set.of(Dimension.NONE), false),
    /** Referral pairs from → to, by answer (accepted, declined, open). */
    REFERRALS("referrals", "Referrals from → to", Set.of(Dimension.NONE), false),
    /** Transfers per chat: 0, 1, 2, 3+. */
    TRANSFERS("transfers", "Transfers per chat", Set.of(Dimension.NONE), true),
    /** Closure codes. */
    OUTCOMES("outcomes", "Outcomes (closure codes)", Set.of(Dimension.OUTCOME), true),
    /** Counselor overrides of the suggested route, by coded reason. */
    OVERRIDES("overrides", "Routing overrides by reason", Set.of(Dimension.NONE), false),
    /** Youth (&lt; 25), bystanders, perpetrators, easy language, English: each against the rest. */
    REACH("reach", "Reach of target groups", Set.of(Dimension.NONE), false);

    private final String code;
    private final String title;
    private final Set<Dimension> splits;
    private final boolean timeRows;

    Figure(String code, String title, Set<Dimension> splits, boolean timeRows) {
        this.code = code;
        this.title = title;
        this.splits = splits;
        this.timeRows = timeRows;
    }

    public String code() {
        return code;
    }

    public String title() {
        return title;
    }

    /** Splits this figure accepts as {@code by}. */
    public Set<Dimension> splits() {
        return splits;
    }

    /** The split used when the request names none. */
    public Dimension defaultSplit() {
        return splits.contains(Dimension.NONE) ? Dimension.NONE : splits.iterator().next();
    }

    /** Whether rows may be time buckets (otherwise rows are help points or referral pairs). */
    public boolean allowsTimeRows() {
        return timeRows || this == QUEUE;
    }

    public static Optional<Figure> parse(String code) {
        return Arrays.stream(values()).filter(f -> f.code.equals(code)).findFirst();
    }

    public static List<String> codes() {
        return Arrays.stream(values()).map(Figure::code).toList();
    }
}
