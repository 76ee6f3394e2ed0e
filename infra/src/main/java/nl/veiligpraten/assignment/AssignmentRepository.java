package nl.veiligpraten.assignment;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import nl.veiligpraten.routing.PriorityAgeing;
import nl.veiligpraten.routing.conversation.ConversationStatus;

/**
 * Capacity-aware assignment of queued chats, atomic in PostgreSQL. A chat changes owner only
 * through a conditional UPDATE ({@code status = 'queued'} or {@code counselor_id = <current
 * owner>}), so it is never owned twice; a counselor's row is locked before their load is counted,
 * so concurrent assignments never exceed their capacity; every assignment is logged in table {@code
 * assignment} in the same transaction.
 */
public final class AssignmentRepository {

  private static final int HEAD_WINDOW = 25;

  private final Pool pool;
  private final PriorityAgeing order;

  /**
   * @param order the serving order, with the ageing constants read once at start-up
   */
  public AssignmentRepository(Pool pool, PriorityAgeing order) {
    this.pool = pool;
    this.order = order;
  }

  /** Result of an assignment attempt. */
  public enum Outcome {
    ASSIGNED,
    NOT_AVAILABLE,
    AT_CAPACITY,
    NOT_ALLOWED
  }

  /** What happened, and to which chat and counselor. */
  /**
   * @param staffSkills the assigned counselor's skills (language skills included), so the visitor
   *     can be told in which language the counselor writes; empty where the path does not know them
   */
  public record Result(
      Outcome outcome,
      UUID conversationId,
      long staffId,
      String staffName,
      List<String> staffSkills) {
    public Result {
      staffSkills = staffSkills == null ? List.of() : List.copyOf(staffSkills);
    }

    public Result(Outcome outcome, UUID conversationId, long staffId, String staffName) {
      this(outcome, conversationId, staffId, staffName, List.of());
    }

    static Result of(Outcome outcome) {
      return new Result(outcome, null, 0, null);
    }

    public boolean assigned() {
      return outcome == Outcome.ASSIGNED;
    }
  }

  /**
   * The organisation's queue in serving order ({@link PriorityAgeing}), by the database's clock.
   */
  public Future<List<QueueItem>> queue(String orgId, int limit) {
    return queue(orgId, limit, null);
  }

  /**
   * The organisation's queue in serving order at {@code at} (null = the database's clock, as in
   * production).
   */
  public Future<List<QueueItem>> queue(String orgId, int limit, OffsetDateTime at) {
    return pool.preparedQuery(AssignmentQueries.QUEUE)
        .execute(queueArgs(orgId, limit, at))
        .map(AssignmentRepository::items);
  }

  /** One chat's queue view, with its status and owner; empty when it does not exist. */
  public Future<Optional<ItemState>> item(UUID id) {
    return pool.preparedQuery(AssignmentQueries.ITEM)
        .execute(Tuple.of(id))
        .map(
            rows -> {
              if (rows.rowCount() == 0) {
                return Optional.empty();
              }
              Row row = rows.iterator().next();
              return Optional.of(
                  new ItemState(
                      QueueItem.from(row),
                      ConversationStatus.fromCode(row.getString("status")),
                      row.getLong("counselor_id")));
            });
  }

  /** A chat with its status and owner. */
  public record ItemState(QueueItem item, ConversationStatus status, Long counselorId) {}

  /** Chats of the organisation that have an owner now (supervisor board). */
  public Future<List<ActiveChat>> active(String orgId) {
    return pool.preparedQuery(AssignmentQueries.ACTIVE)
        .execute(Tuple.of(orgId))
        .map(
            rows -> {
              List<ActiveChat> out = new ArrayList<>();
              for (Row r : rows) {
                Short p = r.getShort("priority");
                out.add(
                    new ActiveChat(
                        r.getUUID("id"),
                        r.getString("help_point"),
                        p == null ? 3 : p,
                        r.getLong("counselor_id"),
                        r.getString("display_name"),
                        r.getLong("seconds")));
              }
              return out;
            });
  }

  /** A chat in progress. */
  public record ActiveChat(
      UUID conversationId,
      String helpPoint,
      int priority,
      long counselorId,
      String counselorName,
      long secondsSinceAssigned) {}

  /** Ids of every organisation (the auto-assigner listens to each one's queue). */
  public Future<List<String>> organisations() {
    return pool.query(AssignmentQueries.ALL_ORGS)
        .execute()
        .map(
            rows -> {
              List<String> out = new ArrayList<>();
              rows.forEach(r -> out.add(r.getString(0)));
              return out;
            });
  }

  /** Organisations that have at least one queued chat. */
  public Future<List<String>> organisationsWithQueue() {
    return pool.query(AssignmentQueries.ORGS_WITH_QUEUE)
        .execute()
        .map(
            rows -> {
              List<String> out = new ArrayList<>();
              rows.forEach(r -> out.add(r.getString(0)));
              return out;
            });
  }

  /**
   * Auto-assignment: the first queued chat (in serving order) that some available, connected
   * counselor with free capacity and the required skills can take goes to the least-loaded such
   * counselor. Serialised per organisation by locking its available counselors, so the serving
   * order is exact.
   */
  public Future<Result> autoAssign(String orgId) {
    return pool.withTransaction(
        conn ->
            conn.preparedQuery(AssignmentQueries.LOCK_AVAILABLE)
                .execute(Tuple.of(orgId))
                .compose(
                    staffRows -> {
                      List<Candidate> staff = candidates(staffRows);
                      if (staff.isEmpty()) {
                        return Future.succeededFuture(Result.of(Outcome.NOT_AVAILABLE));
                      }
                      return withLoads(conn, staff)
                          .compose(
                              free -> {
                                if (free.isEmpty()) {
                                  return Future.succeededFuture(Result.of(Outcome.AT_CAPACITY));
                                }
                                return conn.preparedQuery(AssignmentQueries.QUEUE_HEAD_LOCKED)
                                    .execute(queueArgs(orgId, HEAD_WINDOW))
                                    .compose(
                                        head -> {
                                          for (Row row : head) {
                                            QueueItem item = QueueItem.from(row);
                                            // A counselor who let this chat go unanswered does not
                                            // get it straight back automatically.
                                            Long passedOver = row.getLong("passed_over_by");
                                            // Required skills are hard; skills derived from the
                                            // intake are a preference, so a chat
                                            // never starves for want of a specialist. Preference
                                            // order: every intake skill, else the
                                            // visitor's language (issue 23: being understood
                                            // matters more than youth or perpetrator
                                            // experience), else, for a visitor in another language
                                            // than Dutch or English, a counselor who
                                            // writes English (more often shared with newcomers than
                                            // Dutch), else anyone.
                                            List<String> preferred =
                                                IntakeSkills.of(item.intakeJson());
                                            String language =
                                                IntakeSkills.languageSkill(item.intakeJson());
                                            Candidate best =
                                                pick(free, item, passedOver, List.of());
                                            Candidate skilled =
                                                preferred.isEmpty()
                                                    ? null
                                                    : pick(free, item, passedOver, preferred);
                                            Candidate speaker =
                                                language == null
                                                    ? null
                                                    : pick(
                                                        free, item, passedOver, List.of(language));
                                            Candidate english =
                                                language == null || "english".equals(language)
                                                    ? null
                                                    : pick(
                                                        free, item, passedOver, List.of("english"));
                                            if (skilled != null) {
                                              best = skilled;
                                            } else if (speaker != null) {
                                              best = speaker;
                                            } else if (english != null) {
                                              best = english;
                                            }
                                            if (best != null) {
                                              return assignIn(conn, item.id(), orgId, best, "auto");
                                            }
                                          }
                                          return Future.succeededFuture(
                                              Result.of(Outcome.NOT_AVAILABLE));
                                        });
                              });
                    }));
  }

  /**
   * The best free counselor (least loaded, see {@link #better}) who has the chat's required skills
   * and {@code with}, and did not just let it go unanswered; null when there is none.
   */
  private static Candidate pick(
      List<Candidate> free, QueueItem item, Long passedOver, List<String> with) {
    Candidate best = null;
    for (Candidate c : free) {
      if (!c.skills.containsAll(item.requiredSkills())
          || Long.valueOf(c.id).equals(passedOver)
          || !c.skills.containsAll(with)) {
        continue;
      }
      if (best == null || better(c, best)) {
        best = c;
      }
    }
    return best;
  }

  /** Manual pick of one chat (after the intake preview) within the counselor's capacity. */
  public Future<Result> pick(UUID id, long staffId, String orgId) {
    return pool.withTransaction(
        conn ->
            lockOne(conn, staffId, orgId)
                .compose(
                    c -> {
                      if (c.isEmpty()) {
                        return Future.succeededFuture(Result.of(Outcome.NOT_ALLOWED));
                      }
                      if (c.get().load >= c.get().capacity) {
                        return Future.succeededFuture(Result.of(Outcome.AT_CAPACITY));
                      }
                      return assignIn(conn, id, orgId, c.get(), "pick");
                    }));
  }

  /** Manual "take next": the head of the queue whose skills the counselor has, within capacity. */
  public Future<Result> pickNext(long staffId, String orgId) {
    return pool.withTransaction(
        conn ->
            lockOne(conn, staffId, orgId)
                .compose(
                    c -> {
                      if (c.isEmpty()) {
                        return Future.succeededFuture(Result.of(Outcome.NOT_ALLOWED));
                      }
                      if (c.get().load >= c.get().capacity) {
                        return Future.succeededFuture(Result.of(Outcome.AT_CAPACITY));
                      }
                      return conn.preparedQuery(AssignmentQueries.QUEUE_HEAD_LOCKED)
                          .execute(queueArgs(orgId, HEAD_WINDOW))
                          .compose(
                              head -> {
                                for (QueueItem item : items(head)) {
                                  if (c.get().skills.containsAll(item.requiredSkills())) {
                                    return assignIn(conn, item.id(), orgId, c.get(), "pick");
                                  }
                                }
                                return Future.succeededFuture(Result.of(Outcome.NOT_AVAILABLE));
                              });
                    }));
  }

  /** Warm transfer to a colleague of the same organisation who has free capacity. */
  public Future<Result> transferToCounselor(UUID id, long fromStaff, long toStaff, String orgId) {
    return pool.withTransaction(
        conn ->
            lockOne(conn, AssignmentQueries.LOCK_PRESENT_STAFF, toStaff, orgId)
                .compose(
                    c -> {
                      if (c.isEmpty() || toStaff == fromStaff) {
                        return Future.succeededFuture(Result.of(Outcome.NOT_ALLOWED));
                      }
                      if (c.get().load >= c.get().capacity) {
                        return Future.succeededFuture(Result.of(Outcome.AT_CAPACITY));
                      }
                      return conn.preparedQuery(AssignmentQueries.TRANSFER_TO_COUNSELOR)
                          .execute(Tuple.of(id, fromStaff, toStaff, orgId))
                          .compose(
                              rows -> {
                                if (rows.rowCount() == 0) {
                                  return Future.succeededFuture(Result.of(Outcome.NOT_AVAILABLE));
                                }
                                Row row = rows.iterator().next();
                                return log(conn, id, orgId, toStaff, "transfer", row)
                                    .map(
                                        v ->
                                            new Result(
                                                Outcome.ASSIGNED, id, toStaff, c.get().name));
                              });
                    }));
  }

  /** A colleague as a transfer target: name, chats held now and capacity. */
  public record Colleague(String name, int load, int capacity) {
    public boolean full() {
      return load >= capacity;
    }
  }

  /** The colleague if they are of the organisation, may chat and are present now; else empty. */
  public Future<Optional<Colleague>> presentColleague(long staffId, String orgId) {
    return pool.preparedQuery(AssignmentQueries.PRESENT_COLLEAGUE)
        .execute(Tuple.of(staffId, orgId))
        .map(
            rows -> {
              if (rows.rowCount() == 0) {
                return Optional.empty();
              }
              Row r = rows.iterator().next();
              return Optional.of(
                  new Colleague(
                      r.getString("display_name"),
                      r.getLong("load").intValue(),
                      r.getInteger("capacity")));
            });
  }

  /** Warm transfer back to the organisation's queue, at its head. */
  public Future<Boolean> transferToQueue(UUID id, long fromStaff, String orgId) {
    return pool.preparedQuery(AssignmentQueries.TRANSFER_TO_QUEUE)
        .execute(Tuple.of(id, fromStaff, orgId))
        .map(rows -> rows.rowCount() == 1);
  }

  /**
   * Chats of counselors who are not present (no live console on any node, see {@link
   * nl.veiligpraten.presence.Presence}) and were last seen longer than the grace ago go back to the
   * head of their queue. Safe on every node at once: each row moves in exactly one UPDATE.
   */
  public Future<List<Requeued>> requeueAbandoned(long graceSeconds) {
    return pool.preparedQuery(AssignmentQueries.REQUEUE_ABANDONED)
        .execute(Tuple.of((double) graceSeconds))
        .map(AssignmentRepository::requeued);
  }

  /**
   * Chats whose counselor sent no message within the priority's time since the assignment go back
   * to the head of the queue (and not straight back to that counselor). {@code secondsByPriority}
   * holds P0..P3.
   */
  public Future<List<Requeued>> reassignUnanswered(int[] secondsByPriority) {
    return pool.preparedQuery(AssignmentQueries.REASSIGN_UNANSWERED)
        .execute(
            Tuple.of(
                (double) secondsByPriority[0],
                (double) secondsByPriority[1],
                (double) secondsByPriority[2],
                (double) secondsByPriority[3]))
        .map(AssignmentRepository::requeued);
  }

  private static List<Requeued> requeued(RowSet<Row> rows) {
    List<Requeued> out = new ArrayList<>();
    for (Row r : rows) {
      Short p = r.getShort("priority");
      out.add(
          new Requeued(
              r.getUUID("id"),
              r.getString("org_id"),
              r.getString("help_point"),
              p == null ? 3 : p,
              r.getLong("counselor_id"),
              r.getColumnIndex("counselor_name") >= 0 ? r.getString("counselor_name") : null));
    }
    return out;
  }

  /**
   * A chat that went back to the head of the queue.
   *
   * @param counselorId who held it
   * @param counselorName their display name, when the caller needs it (unanswered assignments),
   *     else null
   */
  public record Requeued(
      UUID conversationId,
      String orgId,
      String helpPoint,
      int priority,
      Long counselorId,
      String counselorName) {}

  /**
   * Closes the counselor's chat with an outcome code and coded tags; closes or withdraws its
   * referral.
   */
  public Future<Optional<String>> close(UUID id, long staffId, String outcome, List<String> tags) {
    return pool.withTransaction(
        conn ->
            conn.preparedQuery(AssignmentQueries.CLOSE)
                .execute(Tuple.of(id, staffId, outcome, tags.toArray(new String[0])))
                .compose(
                    rows -> {
                      if (rows.rowCount() == 0) {
                        return Future.succeededFuture(Optional.<String>empty());
                      }
                      String org = rows.iterator().next().getString("org_id");
                      return conn.preparedQuery(AssignmentQueries.CLOSE_REFERRALS)
                          .execute(Tuple.of(id))
                          .map(v -> Optional.of(org));
                    }));
  }

  /**
   * Records the counselor's outcome of a chat the visitor ended, once, by the counselor who held
   * it; empty when there is no such pending chat (someone else's, already recorded, or not ended by
   * the visitor).
   */
  public Future<Optional<String>> recordOutcome(
      UUID id, long staffId, String outcome, List<String> tags) {
    return pool.preparedQuery(AssignmentQueries.RECORD_OUTCOME)
        .execute(Tuple.of(id, staffId, outcome, tags.toArray(new String[0])))
        .map(
            rows ->
                rows.rowCount() == 0
                    ? Optional.<String>empty()
                    : Optional.of(rows.iterator().next().getString("org_id")));
  }

  /** Chats the visitor ended that wait for this counselor's outcome. */
  public Future<List<ItemState>> pendingOutcomes(long staffId) {
    return pool.preparedQuery(AssignmentQueries.PENDING_OUTCOMES)
        .execute(Tuple.of(staffId))
        .map(
            rows -> {
              List<ItemState> out = new ArrayList<>();
              for (Row row : rows) {
                out.add(
                    new ItemState(
                        QueueItem.from(row),
                        ConversationStatus.fromCode(row.getString("status")),
                        row.getLong("counselor_id")));
              }
              return out;
            });
  }

  private Future<Result> assignIn(
      SqlConnection conn, UUID id, String orgId, Candidate c, String how) {
    return conn.preparedQuery(AssignmentQueries.ASSIGN)
        .execute(Tuple.of(id, c.id, orgId))
        .compose(
            rows -> {
              if (rows.rowCount() == 0) {
                return Future.succeededFuture(Result.of(Outcome.NOT_AVAILABLE));
              }
              Row row = rows.iterator().next();
              return log(conn, id, orgId, c.id, how, row)
                  .compose(
                      v ->
                          conn.preparedQuery(AssignmentQueries.PICKED_UP)
                              .execute(Tuple.of(id, orgId)))
                  .map(v -> new Result(Outcome.ASSIGNED, id, c.id, c.name, c.skills));
            });
  }

  private static Future<Void> log(
      SqlConnection conn, UUID id, String orgId, long staffId, String how, Row row) {
    Short p = row.getShort("priority");
    OffsetDateTime queuedAt = row.getOffsetDateTime("queued_at");
    return conn.preparedQuery(AssignmentQueries.LOG)
        .execute(Tuple.of(id, orgId, staffId, how, p, queuedAt))
        .mapEmpty();
  }

  private Future<Optional<Candidate>> lockOne(SqlConnection conn, long staffId, String orgId) {
    return lockOne(conn, AssignmentQueries.LOCK_STAFF, staffId, orgId);
  }

  private Future<Optional<Candidate>> lockOne(
      SqlConnection conn, String lockSql, long staffId, String orgId) {
    return conn.preparedQuery(lockSql)
        .execute(Tuple.of(staffId, orgId))
        .compose(
            rows -> {
              List<Candidate> list = candidates(rows);
              if (list.isEmpty()) {
                return Future.succeededFuture(Optional.<Candidate>empty());
              }
              return loads(conn, list).map(v -> Optional.of(list.get(0)));
            });
  }

  /** Least loaded first; on equal load, whoever got a chat least recently (never = first). */
  private static boolean better(Candidate c, Candidate than) {
    if (c.load != than.load) {
      return c.load < than.load;
    }
    if (c.lastAssigned == null || than.lastAssigned == null) {
      return c.lastAssigned == null && than.lastAssigned != null;
    }
    return c.lastAssigned.isBefore(than.lastAssigned);
  }

  /** Fills in loads (counted after the rows were locked) and returns those with free capacity. */
  private Future<List<Candidate>> withLoads(SqlConnection conn, List<Candidate> staff) {
    Long[] ids = staff.stream().map(c -> c.id).toArray(Long[]::new);
    return loads(conn, staff)
        .compose(
            v ->
                conn.preparedQuery(AssignmentQueries.LAST_ASSIGNED)
                    .execute(Tuple.tuple().addArrayOfLong(ids)))
        .map(
            rows -> {
              Map<Long, OffsetDateTime> last = new HashMap<>();
              rows.forEach(r -> last.put(r.getLong("staff_id"), r.getOffsetDateTime("last")));
              staff.forEach(c -> c.lastAssigned = last.get(c.id));
              List<Candidate> free = new ArrayList<>();
              for (Candidate c : staff) {
                if (c.load < c.capacity) {
                  free.add(c);
                }
              }
              return free;
            });
  }

  private Future<Void> loads(SqlConnection conn, List<Candidate> staff) {
    Long[] ids = staff.stream().map(c -> c.id).toArray(Long[]::new);
    return conn.preparedQuery(AssignmentQueries.LOADS)
        .execute(Tuple.tuple().addArrayOfLong(ids))
        .map(
            rows -> {
              Map<Long, Integer> load = new HashMap<>();
              rows.forEach(r -> load.put(r.getLong("counselor_id"), r.getLong("n").intValue()));
              staff.forEach(c -> c.load = load.getOrDefault(c.id, 0));
              return null;
            });
  }

  private static List<Candidate> candidates(RowSet<Row> rows) {
    List<Candidate> out = new ArrayList<>();
    for (Row r : rows) {
      Candidate c = new Candidate();
      c.id = r.getLong("id");
      c.capacity = r.getInteger("capacity");
      c.skills = List.of(r.getArrayOfStrings("skills"));
      c.name = r.getString("display_name");
      out.add(c);
    }
    return out;
  }

  private Tuple queueArgs(String orgId, int limit) {
    return queueArgs(orgId, limit, null);
  }

  private Tuple queueArgs(String orgId, int limit, OffsetDateTime at) {
    return QueueOrderQueries.bind(Tuple.of(orgId, limit), order, at);
  }

  private static List<QueueItem> items(RowSet<Row> rows) {
    List<QueueItem> out = new ArrayList<>(rows.rowCount());
    rows.forEach(r -> out.add(QueueItem.from(r)));
    return out;
  }

  /** A counselor that could take a chat. */
  private static final class Candidate {
    long id;
    int capacity;
    List<String> skills;
    String name;
    int load;
    OffsetDateTime lastAssigned;
  }
}
