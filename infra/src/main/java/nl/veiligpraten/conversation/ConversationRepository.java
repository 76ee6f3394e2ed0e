package nl.veiligpraten.conversation;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import nl.veiligpraten.infra.db.Reply;

/**
 * Conversations and their messages in PostgreSQL, the system of record. A message is acknowledged
 * only after the transaction that stores it has committed; a resend with the same client id returns
 * the stored sequence number.
 */
public final class ConversationRepository {

  private final Pool pool;
  private final MessageWriter writer;

  public ConversationRepository(Pool pool) {
    this.pool = pool;
    this.writer = new MessageWriter(pool);
  }

  /** The pool, for collaborators that write in the same database (access log, shredding). */
  public Pool pool() {
    return pool;
  }

  public Future<Void> create(UUID id, byte[] resumeHash, byte[] resumeCodeHash) {
    return pool.preparedQuery(ConversationQueries.INSERT)
        .execute(Tuple.of(id, Buffer.buffer(resumeHash), Buffer.buffer(resumeCodeHash)))
        .mapEmpty();
  }

  public Future<Optional<Conversation>> byResumeCodeHash(byte[] resumeCodeHash) {
    return one(
        pool.preparedQuery(ConversationQueries.BY_RESUME_CODE_HASH)
            .execute(Tuple.of(Buffer.buffer(resumeCodeHash))));
  }

  public Future<Optional<Conversation>> byResumeHash(byte[] resumeHash) {
    return one(
        pool.preparedQuery(ConversationQueries.BY_RESUME_HASH)
            .execute(Tuple.of(Buffer.buffer(resumeHash))));
  }

  public Future<Optional<Conversation>> byId(UUID id) {
    return one(pool.preparedQuery(ConversationQueries.BY_ID).execute(Tuple.of(id)));
  }

  /**
   * Moves a conversation from intake into an organisation's queue and stores its wrapped data key,
   * in one transaction. Empty when the conversation was not in intake any more.
   */
  public Future<Optional<Conversation>> route(
      UUID id,
      String orgId,
      String helpPoint,
      int priority,
      String rulesVersion,
      String intakeJson,
      String keyId,
      byte[] wrapped) {
    return pool.withTransaction(
        conn ->
            conn.preparedQuery(ConversationQueries.ROUTE)
                .execute(
                    Tuple.of(
                        id,
                        orgId,
                        helpPoint,
                        (short) priority,
                        rulesVersion,
                        new io.vertx.core.json.JsonObject(intakeJson)))
                .compose(
                    rows -> {
                      if (rows.rowCount() == 0) {
                        return Future.succeededFuture(Optional.<Conversation>empty());
                      }
                      Conversation routed = Conversation.from(rows.iterator().next());
                      return conn.preparedQuery(ConversationQueries.INSERT_KEY)
                          .execute(Tuple.of(id, orgId, keyId, Buffer.buffer(wrapped)))
                          .map(ignored -> Optional.of(routed));
                    }));
  }

  /** Stores a wrapped data key for one more organisation (referral after consent). */
  public Future<Void> storeKey(UUID id, String orgId, String keyId, byte[] wrapped) {
    return pool.preparedQuery(ConversationQueries.INSERT_KEY)
        .execute(Tuple.of(id, orgId, keyId, Buffer.buffer(wrapped)))
        .mapEmpty();
  }

  /**
   * The wrapped data key of a conversation for one organisation, if that organisation may read it.
   */
  public Future<Optional<WrappedKeyRow>> keyFor(UUID id, String orgId) {
    return pool.preparedQuery(ConversationQueries.KEY_FOR)
        .execute(Tuple.of(id, orgId))
        .map(
            rows -> {
              if (rows.rowCount() == 0) {
                return Optional.empty();
              }
              Row row = rows.iterator().next();
              return Optional.of(
                  new WrappedKeyRow(row.getString("key_id"), row.getBuffer("wrapped").getBytes()));
            });
  }

  /**
   * Stores one message and returns its sequence number, after commit. Appends are written in
   * pipelined batches (see {@link MessageWriter}); the row lock on each conversation serialises its
   * writers, so sequence numbers are gap-free and a concurrent resend cannot be stored twice.
   */
  public Future<AppendResult> append(
      UUID id, String sender, Long staffId, String clientId, BodySealer sealer) {
    return writer.append(
        new MessageWriter.Append(id, sender, staffId, clientId, sealer, null, null, new Reply<>()));
  }

  /**
   * Like {@link #append}, but only while the conversation is assigned to {@code staffId} in {@code
   * orgId}: checked under the same row lock as the insert, so a transfer or close cannot slip in
   * between check and write.
   */
  public Future<AppendResult> appendAsAssignedCounselor(
      UUID id, long staffId, String orgId, String clientId, BodySealer sealer) {
    return writer.append(
        new MessageWriter.Append(
            id, "counselor", staffId, clientId, sealer, staffId, orgId, new Reply<>()));
  }

  /** Appends waiting for the next batch (metrics). */
  public int appendsWaiting() {
    return writer.waiting();
  }

  /** Append batches written by this node so far (metrics). */
  public long appendBatches() {
    return writer.batches();
  }

  /**
   * Appends handed to those batches (metrics: divided by {@link #appendBatches()} it is the mean
   * batch size).
   */
  public long appendBatchItems() {
    return writer.items();
  }

  /**
   * Batches written a second time, with a resend lookup, because a client id in them was already
   * stored (metrics: a figure close to {@link #appendBatches()} means clients resend far more than
   * they should).
   */
  public long appendBatchLookupRetries() {
    return writer.lookupRetries();
  }

  /** Messages with a sequence number above {@code afterSeq}, in order, at most {@code limit}. */
  public Future<List<StoredMessage>> messagesAfter(UUID id, long afterSeq, int limit) {
    return pool.preparedQuery(ConversationQueries.MESSAGES_AFTER)
        .execute(Tuple.of(id, afterSeq, limit))
        .map(
            rows -> {
              List<StoredMessage> out = new ArrayList<>(rows.rowCount());
              for (Row row : rows) {
                out.add(
                    new StoredMessage(
                        row.getLong("seq"),
                        row.getString("sender"),
                        row.getLong("staff_id"),
                        row.getString("client_id"),
                        row.getBuffer("body").getBytes(),
                        row.getOffsetDateTime("created_at")));
              }
              return out;
            });
  }

  public Future<List<Conversation>> queueOf(String orgId, int limit) {
    return many(
        pool.preparedQuery(ConversationQueries.QUEUE_OF_ORG).execute(Tuple.of(orgId, limit)));
  }

  /**
   * 1-based place in its organisation's queue, counting chats of higher priority and older ones of
   * equal priority.
   */
  public Future<Long> queuePosition(UUID id) {
    return pool.preparedQuery(ConversationQueries.QUEUE_POSITION)
        .execute(Tuple.of(id))
        .map(rows -> rows.iterator().next().getLong(0));
  }

  /**
   * Atomically assigns a queued conversation of the organisation to a counselor. Empty when it was
   * not queued in that organisation (taken by someone else, closed, or another organisation's).
   */
  public Future<Optional<Conversation>> take(UUID id, long staffId, String orgId) {
    return one(pool.preparedQuery(ConversationQueries.TAKE).execute(Tuple.of(id, staffId, orgId)));
  }

  /** Assigns the first conversation of the organisation's queue (priority, then waiting time). */
  public Future<Optional<Conversation>> takeOldest(long staffId, String orgId) {
    return one(
        pool.preparedQuery(ConversationQueries.TAKE_OLDEST).execute(Tuple.of(staffId, orgId)));
  }

  public Future<Optional<Conversation>> closeByCounselor(UUID id, long staffId, String outcome) {
    return one(
        pool.preparedQuery(ConversationQueries.CLOSE_BY_COUNSELOR)
            .execute(Tuple.of(id, staffId, outcome)));
  }

  public Future<Optional<Conversation>> closeByVisitor(UUID id, String outcome) {
    return one(
        pool.preparedQuery(ConversationQueries.CLOSE_BY_VISITOR).execute(Tuple.of(id, outcome)));
  }

  public Future<Void> visitorLeft(UUID id) {
    return pool.preparedQuery(ConversationQueries.VISITOR_LEFT).execute(Tuple.of(id)).mapEmpty();
  }

  public Future<Void> visitorBack(UUID id) {
    return pool.preparedQuery(ConversationQueries.VISITOR_BACK).execute(Tuple.of(id)).mapEmpty();
  }

  /**
   * Closes conversations still in intake or queue whose visitor left more than {@code graceSeconds}
   * ago (or {@code pauseGraceSeconds} when the visitor paused on purpose). Safe to run on every
   * node at once: each row is closed by exactly one UPDATE.
   */
  public Future<List<Conversation>> abandonExpired(long graceSeconds, long pauseGraceSeconds) {
    return many(
        pool.preparedQuery(ConversationQueries.ABANDON_EXPIRED)
            .execute(Tuple.of((double) graceSeconds, (double) pauseGraceSeconds)));
  }

  /** The visitor paused on purpose: a later drop keeps the queue place for the pause grace. */
  public Future<Void> visitorPaused(UUID id) {
    return pool.preparedQuery(ConversationQueries.VISITOR_PAUSED).execute(Tuple.of(id)).mapEmpty();
  }

  /**
   * Issue 19: moves a conversation from intake into the organisation's message inbox, with its
   * wrapped data key and the hash of the new message code (which replaces the resume code), in one
   * transaction. Empty when the conversation was not in intake any more.
   */
  public Future<Optional<Conversation>> toInbox(
      UUID id,
      String orgId,
      String helpPoint,
      int priority,
      String rulesVersion,
      String intakeJson,
      byte[] codeHash,
      String keyId,
      byte[] wrapped) {
    return pool.withTransaction(
        conn ->
            conn.preparedQuery(ConversationQueries.TO_INBOX)
                .execute(
                    Tuple.of(
                        id,
                        orgId,
                        helpPoint,
                        (short) priority,
                        rulesVersion,
                        new io.vertx.core.json.JsonObject(intakeJson),
                        Buffer.buffer(codeHash)))
                .compose(
                    rows -> {
                      if (rows.rowCount() == 0) {
                        return Future.succeededFuture(Optional.<Conversation>empty());
                      }
                      Conversation left = Conversation.from(rows.iterator().next());
                      return conn.preparedQuery(ConversationQueries.INSERT_KEY)
                          .execute(Tuple.of(id, orgId, keyId, Buffer.buffer(wrapped)))
                          .map(ignored -> Optional.of(left));
                    }));
  }

  /** A new message code for a thread already in the inbox; empty when it is not (any more). */
  public Future<Optional<Conversation>> newInboxCode(UUID id, byte[] codeHash) {
    return one(
        pool.preparedQuery(ConversationQueries.INBOX_NEW_CODE)
            .execute(Tuple.of(id, Buffer.buffer(codeHash))));
  }

  /** One open message thread as the inbox lists it: codes and times only, never text. */
  public record InboxItem(
      Conversation conversation,
      boolean visitorHere,
      String lastFrom,
      java.time.OffsetDateTime lastAt) {}

  /** The organisation's open message threads, oldest first. */
  public Future<List<InboxItem>> inbox(String orgId, int limit) {
    return pool.preparedQuery(ConversationQueries.INBOX_OF_ORG)
        .execute(Tuple.of(orgId, limit))
        .map(
            set -> {
              List<InboxItem> out = new ArrayList<>(set.rowCount());
              set.forEach(
                  row ->
                      out.add(
                          new InboxItem(
                              Conversation.from(row),
                              Boolean.TRUE.equals(row.getBoolean("visitor_here")),
                              row.getString("last_from"),
                              row.getOffsetDateTime("last_at"))));
              return out;
            });
  }

  /**
   * A counselor of the thread's organisation turns it into a live chat; empty when it is no longer
   * in the inbox.
   */
  public Future<Optional<Conversation>> takeFromInbox(UUID id, long staffId, String orgId) {
    return one(
        pool.preparedQuery(ConversationQueries.INBOX_TAKE).execute(Tuple.of(id, staffId, orgId)));
  }

  /**
   * Closes message threads idle for longer than {@code openSeconds} (outcome {@code
   * inbox_expired}).
   */
  public Future<List<Conversation>> expireInbox(long openSeconds) {
    return many(
        pool.preparedQuery(ConversationQueries.INBOX_EXPIRE)
            .execute(Tuple.of((double) openSeconds)));
  }

  public Future<List<Conversation>> assignedTo(long staffId) {
    return many(pool.preparedQuery(ConversationQueries.ASSIGNED_TO).execute(Tuple.of(staffId)));
  }

  /**
   * Issue 19: stores the hash of the conversation's new reload ticket (replacing any earlier one).
   */
  public Future<Void> setReloadTicket(UUID id, byte[] ticketHash) {
    return pool.preparedQuery(ConversationQueries.SET_RELOAD)
        .execute(Tuple.of(id, Buffer.buffer(ticketHash)))
        .mapEmpty();
  }

  /**
   * Consumes a reload ticket: present only when it existed, the conversation is open and its
   * visitor dropped less than {@code windowSeconds} ago (or is still connected). The ticket is gone
   * afterwards in every case.
   */
  public Future<Optional<Conversation>> takeReloadTicket(byte[] ticketHash, long windowSeconds) {
    return pool.preparedQuery(ConversationQueries.TAKE_RELOAD)
        .execute(Tuple.of(Buffer.buffer(ticketHash), (double) windowSeconds))
        .map(
            rows -> {
              var it = rows.iterator();
              if (!it.hasNext()) {
                return Optional.<Conversation>empty();
              }
              Row row = it.next();
              return Boolean.TRUE.equals(row.getBoolean("usable"))
                  ? Optional.of(Conversation.from(row))
                  : Optional.empty();
            });
  }

  public Future<Void> revokeReloadTicket(UUID id) {
    return pool.preparedQuery(ConversationQueries.REVOKE_RELOAD).execute(Tuple.of(id)).mapEmpty();
  }

  public Future<Void> rotateResumeToken(UUID id, byte[] resumeHash) {
    return pool.preparedQuery(ConversationQueries.ROTATE_RESUME)
        .execute(Tuple.of(id, Buffer.buffer(resumeHash)))
        .mapEmpty();
  }

  private static Future<Optional<Conversation>> one(Future<RowSet<Row>> rows) {
    return rows.map(
        set ->
            set.rowCount() == 0
                ? Optional.empty()
                : Optional.of(Conversation.from(set.iterator().next())));
  }

  private static Future<List<Conversation>> many(Future<RowSet<Row>> rows) {
    return rows.map(
        set -> {
          List<Conversation> out = new ArrayList<>(set.rowCount());
          set.forEach(row -> out.add(Conversation.from(row)));
          return out;
        });
  }

  /** A wrapped data key row. */
  public record WrappedKeyRow(String keyId, byte[] wrapped) {}
}
