package nl.veiligpraten.assignment;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Supervisor control of an organisation's open chats: take one over, reassign it to a named
 * colleague or to another queue of the organisation, close a burst of abuse chats at once with a
 * coded reason, and confirm a P0 claim that was held at P1 after a flood. Each action is one
 * transaction bounded by the supervisor's organisation: a chat of another organisation is refused
 * and nothing changes.
 */
public final class SupervisorRepository {

  private final Pool pool;

  public SupervisorRepository(Pool pool) {
    this.pool = pool;
  }

  /**
   * What a hand-over did: refused, or given to {@code staffId} (from {@code previous}, null when it
   * was queued).
   */
  public record Handover(
      AssignmentRepository.Outcome outcome,
      UUID conversationId,
      long staffId,
      String staffName,
      Long previous) {
    static Handover refused(AssignmentRepository.Outcome outcome) {
      return new Handover(outcome, null, 0, null, null);
    }

    public boolean done() {
      return outcome == AssignmentRepository.Outcome.ASSIGNED;
    }

    /** As the assignment result the console announces. */
    public AssignmentRepository.Result result() {
      return new AssignmentRepository.Result(outcome, conversationId, staffId, staffName);
    }
  }

  /**
   * Gives an open chat of the organisation to {@code toStaff} (a counselor or supervisor of it). A
   * take-over by the supervisor themselves ignores their capacity (stepping in is the point); a
   * reassignment to a colleague respects the colleague's.
   */
  public Future<Handover> give(UUID id, long toStaff, String orgId, boolean takeover) {
    return pool.withTransaction(
        conn ->
            conn.preparedQuery(AssignmentQueries.LOCK_STAFF)
                .execute(Tuple.of(toStaff, orgId))
                .compose(
                    staffRows -> {
                      if (staffRows.rowCount() == 0) {
                        return Future.succeededFuture(
                            Handover.refused(AssignmentRepository.Outcome.NOT_ALLOWED));
                      }
                      Row staff = staffRows.iterator().next();
                      String name = staff.getString("display_name");
                      int capacity = staff.getInteger("capacity");
                      return conn.preparedQuery(SupervisorQueries.LOCK_OPEN)
                          .execute(Tuple.of(id, orgId))
                          .compose(
                              rows -> {
                                if (rows.rowCount() == 0) {
                                  return Future.succeededFuture(
                                      Handover.refused(AssignmentRepository.Outcome.NOT_AVAILABLE));
                                }
                                Long previous = rows.iterator().next().getLong("counselor_id");
                                if (previous != null && previous == toStaff) {
                                  return Future.succeededFuture(
                                      Handover.refused(AssignmentRepository.Outcome.NOT_AVAILABLE));
                                }
                                Future<Boolean> room =
                                    takeover
                                        ? Future.succeededFuture(true)
                                        : load(conn, toStaff).map(n -> n < capacity);
                                return room.compose(
                                    ok -> {
                                      if (!ok) {
                                        return Future.succeededFuture(
                                            Handover.refused(
                                                AssignmentRepository.Outcome.AT_CAPACITY));
                                      }
                                      return conn.preparedQuery(SupervisorQueries.GIVE)
                                          .execute(Tuple.of(id, toStaff, orgId))
                                          .compose(
                                              g -> {
                                                Row row = g.iterator().next();
                                                return conn.preparedQuery(AssignmentQueries.LOG)
                                                    .execute(
                                                        Tuple.of(
                                                            id,
                                                            orgId,
                                                            toStaff,
                                                            takeover ? "takeover" : "reassign",
                                                            row.getShort("priority"),
                                                            row.getOffsetDateTime("queued_at")))
                                                    .map(
                                                        v ->
                                                            new Handover(
                                                                AssignmentRepository.Outcome
                                                                    .ASSIGNED,
                                                                id,
                                                                toStaff,
                                                                name,
                                                                previous));
                                              });
                                    });
                              });
                    }));
  }

  /**
   * Moves an open chat of the organisation to the head of one of its queues; the previous owner, if
   * any.
   */
  public Future<Optional<Optional<Long>>> toQueue(UUID id, String helpPoint, String orgId) {
    return pool.withTransaction(
        conn ->
            conn.preparedQuery(SupervisorQueries.LOCK_OPEN)
                .execute(Tuple.of(id, orgId))
                .compose(
                    rows -> {
                      if (rows.rowCount() == 0) {
                        return Future.succeededFuture(Optional.<Optional<Long>>empty());
                      }
                      Long previous = rows.iterator().next().getLong("counselor_id");
                      return conn.preparedQuery(SupervisorQueries.TO_QUEUE)
                          .execute(Tuple.of(id, helpPoint, orgId))
                          .map(v -> Optional.of(Optional.ofNullable(previous)));
                    }));
  }

  /** Closed chat of a burst and the counselor who held it (null when it was queued). */
  public record Closed(UUID conversationId, Long counselorId) {}

  /**
   * Closes every listed chat with the coded reason, all or nothing: when any id is unknown or
   * belongs to another organisation (or is still in intake, so has none), nothing changes and empty
   * is returned. Chats of the organisation that are closed already are left as they are.
   */
  public Future<Optional<List<Closed>>> closeBurst(List<UUID> ids, String orgId, String reason) {
    UUID[] array = ids.toArray(new UUID[0]);
    return pool.withTransaction(
        conn ->
            conn.preparedQuery(SupervisorQueries.LOCK_BURST)
                .execute(Tuple.tuple().addArrayOfUUID(array))
                .compose(
                    rows -> {
                      if (rows.rowCount() != array.length) {
                        return Future.succeededFuture(Optional.<List<Closed>>empty());
                      }
                      for (Row r : rows) {
                        if (!orgId.equals(r.getString("org_id"))) {
                          return Future.succeededFuture(Optional.<List<Closed>>empty());
                        }
                      }
                      return conn.preparedQuery(SupervisorQueries.CLOSE_BURST)
                          .execute(
                              Tuple.tuple()
                                  .addArrayOfUUID(array)
                                  .addString(orgId)
                                  .addString(reason))
                          .compose(
                              closed -> {
                                List<Closed> out = new ArrayList<>();
                                closed.forEach(
                                    r ->
                                        out.add(
                                            new Closed(
                                                r.getUUID("id"), r.getLong("counselor_id"))));
                                return conn.preparedQuery(SupervisorQueries.CLOSE_BURST_REFERRALS)
                                    .execute(Tuple.tuple().addArrayOfUUID(array))
                                    .map(v -> Optional.of(out));
                              });
                    }));
  }

  /**
   * Confirms a held P0 claim: the chat becomes P0 again. False when it is not a held claim of the
   * organisation.
   */
  public Future<Boolean> confirmP0(UUID id, String orgId) {
    return pool.preparedQuery(SupervisorQueries.CONFIRM_P0)
        .execute(Tuple.of(id, orgId))
        .map(r -> r.rowCount() == 1);
  }

  /** An open chat without a first answer yet. */
  public record Unanswered(
      UUID conversationId,
      String helpPoint,
      int priority,
      String status,
      Long counselorId,
      boolean p0Held,
      long waitedSeconds) {}

  /** Open chats of the organisation that have not had a first counselor answer. */
  public Future<List<Unanswered>> unanswered(String orgId) {
    return pool.preparedQuery(SupervisorQueries.UNANSWERED)
        .execute(Tuple.of(orgId))
        .map(
            rows -> {
              List<Unanswered> out = new ArrayList<>();
              for (Row r : rows) {
                out.add(
                    new Unanswered(
                        r.getUUID("id"),
                        r.getString("help_point"),
                        r.getInteger("priority"),
                        r.getString("status"),
                        r.getLong("counselor_id"),
                        r.getBoolean("p0_held"),
                        r.getLong("waited")));
              }
              return out;
            });
  }

  /**
   * A chat the supervisors are told about: it is about to miss (or missed) its first-response
   * target.
   */
  public record DueAlert(
      UUID conversationId,
      String orgId,
      String helpPoint,
      int priority,
      String status,
      int targetSeconds,
      long waitedSeconds) {}

  /**
   * One target to watch: chats of this help point and priority are alerted once they waited {@code
   * alertAfter}.
   */
  public record Watch(
      String helpPoint, int priority, double alertAfterSeconds, int targetSeconds) {}

  /** Marks and returns every chat that is due an alert now (each exactly once, cluster-wide). */
  public Future<List<DueAlert>> dueAlerts(List<Watch> watches) {
    Tuple args =
        Tuple.tuple()
            .addArrayOfString(watches.stream().map(Watch::helpPoint).toArray(String[]::new))
            .addArrayOfInteger(watches.stream().map(Watch::priority).toArray(Integer[]::new))
            .addArrayOfDouble(watches.stream().map(Watch::alertAfterSeconds).toArray(Double[]::new))
            .addArrayOfInteger(watches.stream().map(Watch::targetSeconds).toArray(Integer[]::new));
    return pool.preparedQuery(SupervisorQueries.DUE_ALERTS)
        .execute(args)
        .map(
            rows -> {
              List<DueAlert> out = new ArrayList<>();
              for (Row r : rows) {
                out.add(
                    new DueAlert(
                        r.getUUID("id"),
                        r.getString("org_id"),
                        r.getString("help_point"),
                        r.getInteger("priority"),
                        r.getString("status"),
                        r.getInteger("target"),
                        r.getLong("waited")));
              }
              return out;
            });
  }

  private static Future<Integer> load(SqlConnection conn, long staffId) {
    return conn.preparedQuery(AssignmentQueries.LOADS)
        .execute(Tuple.tuple().addArrayOfLong(new Long[] {staffId}))
        .map(rows -> rows.rowCount() == 0 ? 0 : rows.iterator().next().getLong("n").intValue());
  }
}
