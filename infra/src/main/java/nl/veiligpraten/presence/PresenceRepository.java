package nl.veiligpraten.presence;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Counselor presence in PostgreSQL, counted cluster-wide: each node keeps one lease row per
 * counselor it holds live console sockets of, and renews its rows every third of the lease. A
 * counselor is present while any node's row is live ({@link Presence#present}); a node that dies
 * stops renewing and its rows expire; a node that starts again first deletes the rows of its own
 * previous run, never another node's.
 */
public final class PresenceRepository {

  private final Pool pool;

  public PresenceRepository(Pool pool) {
    this.pool = pool;
  }

  /**
   * Start-up of node {@code nodeId}: forgets the presence its previous run held; returns who became
   * away.
   */
  public Future<List<Presence.Change>> claimNode(String nodeId) {
    return pool.preparedQuery(PresenceQueries.CLAIM_NODE)
        .execute(Tuple.of(nodeId))
        .map(PresenceRepository::away);
  }

  /** This node now holds {@code sockets} live console sockets of the staff user. */
  public Future<Void> hold(long staffId, String nodeId, int sockets, int leaseSeconds) {
    return pool.preparedQuery(PresenceQueries.HOLD)
        .execute(Tuple.of(staffId, nodeId, sockets, (double) leaseSeconds))
        .mapEmpty();
  }

  /** The staff user's last console socket on this node closed. */
  public Future<Void> release(long staffId, String nodeId) {
    return pool.preparedQuery(PresenceQueries.RELEASE)
        .execute(Tuple.of(staffId, nodeId))
        .mapEmpty();
  }

  /** Renews this node's rows to exactly {@code socketsPerStaff}. */
  public Future<Void> renew(String nodeId, Map<Long, Integer> socketsPerStaff, int leaseSeconds) {
    Long[] ids = socketsPerStaff.keySet().toArray(Long[]::new);
    Integer[] counts = new Integer[ids.length];
    for (int i = 0; i < ids.length; i++) {
      counts[i] = socketsPerStaff.get(ids[i]);
    }
    return pool.preparedQuery(PresenceQueries.RENEW)
        .execute(
            Tuple.tuple()
                .addString(nodeId)
                .addArrayOfLong(ids)
                .addArrayOfInteger(counts)
                .addDouble((double) leaseSeconds))
        .mapEmpty();
  }

  /** Removes rows whose lease ran out (any node); returns who became away by it. */
  public Future<List<Presence.Change>> expire() {
    return pool.preparedQuery(PresenceQueries.EXPIRE).execute().map(PresenceRepository::away);
  }

  /**
   * Everyone who may chat and is present now, per organisation (organisations without anyone
   * present are absent). This is the "who is present now with free capacity" view: filter with
   * {@link Presence.PresentCounselor#free()} or {@link Presence.PresentCounselor#canTake}.
   */
  public Future<Map<String, List<Presence.PresentCounselor>>> presentByOrganisation() {
    return pool.preparedQuery(PresenceQueries.PRESENT_STAFF)
        .execute()
        .map(
            rows -> {
              Map<String, List<Presence.PresentCounselor>> out = new LinkedHashMap<>();
              for (Presence.PresentCounselor c : counselors(rows)) {
                out.computeIfAbsent(c.orgId(), k -> new ArrayList<>()).add(c);
              }
              return out;
            });
  }

  /** Everyone of one organisation who may chat and is present now. */
  public Future<List<Presence.PresentCounselor>> presentOf(String orgId) {
    return pool.preparedQuery(PresenceQueries.PRESENT_STAFF_OF)
        .execute(Tuple.of(orgId))
        .map(PresenceRepository::counselors);
  }

  private static List<Presence.PresentCounselor> counselors(RowSet<Row> rows) {
    List<Presence.PresentCounselor> out = new ArrayList<>();
    for (Row r : rows) {
      out.add(
          new Presence.PresentCounselor(
              r.getLong("id"),
              r.getString("org_id"),
              r.getString("role"),
              r.getString("status"),
              r.getInteger("capacity"),
              List.of(r.getArrayOfStrings("skills")),
              r.getLong("load").intValue()));
    }
    return out;
  }

  private static List<Presence.Change> away(RowSet<Row> rows) {
    List<Presence.Change> out = new ArrayList<>();
    for (Row r : rows) {
      // Still present through another node's row: nobody became away.
      if (!r.getBoolean("present")) {
        out.add(new Presence.Change(r.getString("org_id"), r.getLong("id"), false));
      }
    }
    return out;
  }
}
