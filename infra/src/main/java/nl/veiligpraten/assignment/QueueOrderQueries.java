package nl.veiligpraten.assignment;

import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import nl.veiligpraten.routing.Priority;
import nl.veiligpraten.routing.PriorityAgeing;
import nl.veiligpraten.routing.PriorityAgeing.Key;

/**
 * SQL fragments of the queue's serving order, generated from {@link PriorityAgeing#KEYS} so that
 * PostgreSQL orders a queue exactly as {@link PriorityAgeing#queueOrder} does (the order is
 * described there; {@code QueueOrderAgreementIT} checks the agreement on random queues). Every
 * statement that orders the queue, or counts who is before whom, uses these fragments: the
 * console's queue list, assignment's take-next and auto-assignment, the visitor's place in the
 * queue and the wait estimate for a new chat.
 *
 * <p>Each fragment takes {@link #PARAMS} parameters from its first index {@code i} on, bound by
 * {@link #bind}: {@code $i} the clock (null = the database's {@code now()}, which production uses:
 * one clock for every node, the same that stamped {@code queued_at}), then the base scores of P1,
 * P2 and P3 and the points per minute of the {@link PriorityAgeing} read once at start-up. The
 * score is computed in {@code numeric}, exact to the microsecond.
 */
public final class QueueOrderQueries {

  /** Parameters each fragment takes. */
  public static final int PARAMS = 5;

  private QueueOrderQueries() {}

  /** The clock of the fragments starting at parameter {@code i}. */
  public static String clock(int i) {
    return "coalesce($" + i + "::timestamptz, now())";
  }

  /** {@code ORDER BY} the serving order of the rows of {@code alias}, first served first. */
  public static String orderBy(String alias, int i) {
    List<String> keys = new ArrayList<>();
    for (Key key : PriorityAgeing.KEYS) {
      keys.add(key(key, Row.of(alias), i) + (key.descending() ? " DESC" : ""));
    }
    return " ORDER BY " + String.join(", ", keys);
  }

  /**
   * True when the row {@code a} is served before the row {@code b} (both queued, of one
   * organisation).
   */
  public static String before(String a, String b, int i) {
    return compare(Row.of(a), Row.of(b), PriorityAgeing.KEYS, ">", i);
  }

  /**
   * True when the row {@code a} would be served before a chat of {@code priority} that entered the
   * queue at the clock, not at the head. The new chat has no id yet: it comes after every chat it
   * ties with (it arrived last).
   */
  public static String beforeNew(String a, Priority priority, int i) {
    Row fresh = new Row(String.valueOf(priority.ordinal()), "false", clock(i), null);
    return compare(
        Row.of(a), fresh, PriorityAgeing.KEYS.stream().filter(k -> k != Key.ID).toList(), ">=", i);
  }

  /**
   * Appends the {@link #PARAMS} parameters of a fragment: the clock ({@code at}, null = now()) and
   * the weights.
   */
  public static Tuple bind(Tuple tuple, PriorityAgeing order, OffsetDateTime at) {
    return tuple
        .addOffsetDateTime(at)
        .addLong(order.baseScore(Priority.P1))
        .addLong(order.baseScore(Priority.P2))
        .addLong(order.baseScore(Priority.P3))
        .addLong(order.pointsPerMinute());
  }

  /** The columns (or expressions) of one chat that the order reads. */
  private record Row(String priority, String head, String queuedAt, String id) {
    static Row of(String alias) {
      return new Row(
          alias + ".priority", alias + ".queue_head", alias + ".queued_at", alias + ".id");
    }
  }

  /**
   * Lexicographic comparison of two chats on {@code keys} as one row comparison: ascending keys
   * swap sides, so {@code >} means "served before" on every key.
   */
  private static String compare(Row a, Row b, List<Key> keys, String op, int i) {
    List<String> left = new ArrayList<>();
    List<String> right = new ArrayList<>();
    for (Key key : keys) {
      Row first = key.descending() ? a : b;
      Row second = key.descending() ? b : a;
      left.add(key(key, first, i));
      right.add(key(key, second, i));
    }
    return "(" + String.join(", ", left) + ") " + op + " (" + String.join(", ", right) + ")";
  }

  private static String key(Key key, Row r, int i) {
    return switch (key) {
      case EMERGENCY -> "(coalesce(" + r.priority() + ", 3) = 0)";
      case HEAD -> r.head();
      case SCORE -> score(r, i);
      case QUEUED_AT -> r.queuedAt();
      case ID -> r.id();
    };
  }

  /**
   * {@link PriorityAgeing#score}: base × 60,000,000 + points per minute × microseconds waited (at
   * least 0).
   */
  private static String score(Row r, int i) {
    String p = "coalesce(" + r.priority() + ", 3)";
    return "(CASE "
        + p
        + " WHEN 0 THEN 0::numeric ELSE (CASE "
        + p
        + " WHEN 1 THEN $"
        + (i + 1)
        + "::bigint WHEN 2 "
        + "THEN $"
        + (i + 2)
        + "::bigint ELSE $"
        + (i + 3)
        + "::bigint END)::numeric * "
        + PriorityAgeing.SCORE_UNITS_PER_POINT
        + " + $"
        + (i + 4)
        + "::bigint::numeric * greatest(0::numeric, "
        + "extract(epoch FROM ("
        + clock(i)
        + " - "
        + r.queuedAt()
        + ")) * 1000000) END)";
  }
}
