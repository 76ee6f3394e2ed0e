package nl.veiligpraten.staffing;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import nl.veiligpraten.assignment.QueueOrderQueries;
import nl.veiligpraten.routing.PriorityAgeing;
import nl.veiligpraten.routing.wait.Staffing;

/**
 * Reads the staffing view from PostgreSQL, the cluster-wide truth about who holds a live console
 * and which chats wait: presence counts and the present counselors' skills, recent handling times
 * and queue depth.
 */
public final class StaffingRepository {

  private final Pool pool;
  private final PriorityAgeing order;
  private final long handlingWindowSeconds;
  private final int handlingSamples;

  /**
   * @param order the serving order, with the ageing constants read once at start-up
   * @param handlingWindowSeconds only chats closed this recently count for the handling time
   * @param handlingSamples at most this many of the most recent chats per organisation count
   */
  public StaffingRepository(
      Pool pool, PriorityAgeing order, long handlingWindowSeconds, int handlingSamples) {
    this.pool = pool;
    this.order = order;
    this.handlingWindowSeconds = handlingWindowSeconds;
    this.handlingSamples = handlingSamples;
  }

  /** The whole view now, by the database's clock (five small queries). */
  public Future<QueueSnapshot> snapshot() {
    return snapshot(null);
  }

  /**
   * The whole view with the queue order at {@code at} (null = the database's clock, as in
   * production).
   */
  public Future<QueueSnapshot> snapshot(OffsetDateTime at) {
    long started = System.nanoTime();
    Future<Map<String, int[]>> present =
        pool.query(StaffingQueries.PRESENT)
            .execute()
            .map(
                rows -> {
                  Map<String, int[]> out = new HashMap<>();
                  for (Row r : rows) {
                    out.put(
                        r.getString("org_id"),
                        new int[] {
                          r.getLong("present").intValue(),
                          r.getLong("capacity").intValue(),
                          r.getLong("free").intValue()
                        });
                  }
                  return out;
                });
    Future<Map<String, double[]>> handling =
        pool.preparedQuery(StaffingQueries.HANDLING)
            .execute(Tuple.of((double) handlingWindowSeconds, handlingSamples))
            .map(
                rows -> {
                  Map<String, double[]> out = new HashMap<>();
                  for (Row r : rows) {
                    out.put(
                        r.getString("org_id"), new double[] {r.getLong("n"), r.getDouble("mean")});
                  }
                  return out;
                });
    Future<Map<String, List<Long>>> ahead =
        pool.preparedQuery(StaffingQueries.AHEAD_OF_NEW)
            .execute(QueueOrderQueries.bind(Tuple.tuple(), order, at))
            .map(
                rows -> {
                  Map<String, List<Long>> out = new HashMap<>();
                  for (Row r : rows) {
                    out.put(
                        r.getString("org_id"),
                        List.of(
                            r.getLong("p0"), r.getLong("p1"), r.getLong("p2"), r.getLong("p3")));
                  }
                  return out;
                });
    Future<Map<String, Long>> perHelpPoint =
        pool.query(StaffingQueries.QUEUED_PER_HELP_POINT)
            .execute()
            .map(
                rows -> {
                  Map<String, Long> out = new HashMap<>();
                  rows.forEach(r -> out.put(r.getString("help_point"), r.getLong("n")));
                  return out;
                });
    Future<Map<String, Set<String>>> skills =
        pool.query(StaffingQueries.PRESENT_SKILLS)
            .execute()
            .map(
                rows -> {
                  Map<String, Set<String>> out = new HashMap<>();
                  for (Row r : rows) {
                    String[] list = r.getArrayOfStrings("skills");
                    out.put(r.getString("org_id"), list == null ? Set.of() : Set.of(list));
                  }
                  return out;
                });
    return Future.all(present, handling, ahead, perHelpPoint, skills)
        .map(
            all -> {
              Set<String> orgs = new HashSet<>(present.result().keySet());
              orgs.addAll(handling.result().keySet());
              orgs.addAll(ahead.result().keySet());
              Map<String, QueueSnapshot.OrgQueue> byOrg = new HashMap<>();
              for (String org : orgs) {
                int[] p = present.result().getOrDefault(org, new int[3]);
                double[] h = handling.result().getOrDefault(org, new double[2]);
                byOrg.put(
                    org,
                    new QueueSnapshot.OrgQueue(
                        new Staffing(p[0], p[1], p[2], (int) h[0], h[1]),
                        ahead.result().getOrDefault(org, List.of(0L, 0L, 0L, 0L)),
                        skills.result().getOrDefault(org, Set.of())));
              }
              return new QueueSnapshot(byOrg, perHelpPoint.result(), started);
            });
  }

  /**
   * Where one queued chat stands: chats before it in serving order; empty when it is not queued.
   */
  public Future<Optional<Place>> place(UUID conversationId) {
    return place(conversationId, null);
  }

  /** Where one queued chat stands at {@code at} (null = the database's clock, as in production). */
  public Future<Optional<Place>> place(UUID conversationId, OffsetDateTime at) {
    return pool.preparedQuery(StaffingQueries.AHEAD_OF)
        .execute(QueueOrderQueries.bind(Tuple.of(conversationId), order, at))
        .map(
            rows -> {
              if (rows.rowCount() == 0) {
                return Optional.empty();
              }
              Row r = rows.iterator().next();
              return Optional.of(
                  new Place(
                      r.getLong("ahead"),
                      r.getString("org_id"),
                      r.getString("help_point"),
                      r.getInteger("priority")));
            });
  }

  /**
   * Marks a queued chat as a P0 claim beyond the flood limit, queued at P1 until a supervisor
   * confirms it.
   */
  public Future<Void> holdP0Claim(UUID conversationId) {
    return pool.preparedQuery(StaffingQueries.HOLD_P0).execute(Tuple.of(conversationId)).mapEmpty();
  }

  /** A queued chat's place: {@code ahead} chats are served before it. */
  public record Place(long ahead, String orgId, String helpPoint, int priority) {
    /** 1-based position shown to the visitor. */
    public long position() {
      return ahead + 1;
    }
  }
}
