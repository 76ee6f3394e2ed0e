package nl.veiligpraten.routing.stats;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The published figures (brief §6). Each figure names which splits ({@code by}) it accepts; all
 * counts are of cases (one conversation = one case) that entered a help point's queue in the
 * period, unless said otherwise.
 */
public enum Figure {
  /** Cases entering a queue, split by one dimension. */
  INFLOW(
      "inflow",
      "Inflow: chats that entered a queue",
      Set.of(
          Dimension.NONE,
          Dimension.ROLE,
          Dimension.AGE_BAND,
          Dimension.SETTING,
          Dimension.PRIORITY,
          Dimension.LANG,
          Dimension.CAME_FROM,
          Dimension.HELP_POINT,
          Dimension.CHANNEL),
      true),
  /**
   * Queue entry to first counselor message, p50/p90, per priority. Columns are always priorities.
   */
  WAITING(
      "waiting",
      "Waiting time to first reply (p50/p90, seconds)",
      Set.of(Dimension.PRIORITY, Dimension.CHANNEL),
      true),
  /** Closed while still queued, never taken: abandoned / answered-or-taken. */
  ABANDONED("abandoned", "Abandoned before an answer", Set.of(Dimension.NONE), true),
  /**
   * Left before being helped: in the queue (never taken), after assignment before the first reply,
   * or during the chat (closed as "visitor left" after a reply); the rest stayed.
   */
  LEFT("left", "Left before being helped", Set.of(Dimension.NONE), true),
  /**
   * Waited longer than the configured thresholds (default 5 and 10 minutes) without an answer, and
   * answered within the help point's target (service level), per priority; shares are derived from
   * the shown counts.
   */
  WAITED(
      "waited", "Waited longer than thresholds; service level", Set.of(Dimension.PRIORITY), true),
  /** Inflow by weekday and hour against counselors online. Inside the organisation only. */
  HEATMAP(
      "heatmap",
      "Inflow by weekday and hour against counselors online",
      Set.of(Dimension.NONE),
      false),
  /**
   * Chats referred to the organisation and accepted, per receiving help point (own figures only).
   */
  REFERRED_IN("referred_in", "Referred in from other help points", Set.of(Dimension.NONE), true),
  /**
   * Queue length (maximum per bucket, from events) and counselors online (sampled). Inside the
   * organisation only.
   */
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

  /** Dutch title (the statistics page is Dutch first). */
  public String titleNl() {
    return switch (this) {
      case INFLOW -> "Instroom: chats in een wachtrij";
      case WAITING -> "Wachttijd tot eerste antwoord (p50/p90, seconden)";
      case ABANDONED -> "Weggegaan voor een antwoord";
      case LEFT -> "Weggegaan voordat iemand hielp";
      case WAITED -> "Langer gewacht dan de grens; servicegraad";
      case HEATMAP -> "Instroom per weekdag en uur tegen hulpverleners online";
      case REFERRED_IN -> "Doorverwezen naar ons";
      case QUEUE -> "Wachtrij en hulpverleners online";
      case REFERRALS -> "Doorverwijzingen van → naar";
      case TRANSFERS -> "Overdrachten per chat";
      case OUTCOMES -> "Afsluiting (codes)";
      case OVERRIDES -> "Route aangepast, per reden";
      case REACH -> "Bereik van doelgroepen";
    };
  }

  /** Splits this figure accepts as {@code by}. */
  public Set<Dimension> splits() {
    return splits;
  }

  /** The split used when the request names none. */
  public Dimension defaultSplit() {
    if (splits.contains(Dimension.NONE)) {
      return Dimension.NONE;
    }
    // Waiting times are per priority unless the channel split (issue 19) is asked for.
    return splits.contains(Dimension.PRIORITY) ? Dimension.PRIORITY : splits.iterator().next();
  }

  /** Whether rows may be time buckets (otherwise rows are help points or referral pairs). */
  public boolean allowsTimeRows() {
    return timeRows || this == QUEUE;
  }

  /**
   * Figures shown inside the organisation only (operational detail, or counted for another
   * organisation).
   */
  public boolean insideOnly() {
    return this == QUEUE || this == HEATMAP || this == REFERRED_IN;
  }

  public static Optional<Figure> parse(String code) {
    return Arrays.stream(values()).filter(f -> f.code.equals(code)).findFirst();
  }

  public static List<String> codes() {
    return Arrays.stream(values()).map(Figure::code).toList();
  }
}
