package nl.veiligpraten.conversation;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import nl.veiligpraten.infra.db.PipelinedBatches;
import nl.veiligpraten.infra.db.PipelinedTransaction;
import nl.veiligpraten.infra.db.Reply;
import nl.veiligpraten.routing.conversation.ConversationStatus;

/**
 * Stores messages in pipelined batches (group commit): every append that arrives while a batch is
 * being written goes into the next one, and a batch is one transaction of three statements whatever
 * its size: lock the batch's conversations in id order, insert every new row, move the sequence
 * counters (and mark a conversation's first counselor reply), commit. BEGIN travels with the lock
 * and COMMIT with the writes ({@link PipelinedTransaction}): two round trips to PostgreSQL per
 * batch. So persistence is not capped at one commit flush per message, and an idle system still
 * writes at once.
 *
 * <p>Resends are rare (a client resends only what it sent without getting an ack), so a batch does
 * not look them up first: the unique index on (conversation, sender, client id) refuses a stored
 * one, the whole transaction rolls back, and the batch is written again with a lookup of every key
 * (a fourth statement). The lookup cost one index probe per message, about a sixth of PostgreSQL's
 * CPU per stored message (pgbench on the benchmark's data).
 *
 * <p>Each append is answered only after the commit (never before: an acknowledged message is in
 * PostgreSQL). A resend with the same sender and client id gets the stored sequence number back,
 * also when the original is in the same batch. One refused item (closed conversation, a counselor
 * who no longer holds the chat) does not stop the others; if a whole batch fails for another reason
 * its items are retried one by one, so one bad item cannot take its neighbours down with it.
 */
final class MessageWriter {

  static final int MAX_BATCH = 256;

  /**
   * One batch at a time per shard. Measured against two in flight on one queue (`./bench relay`,
   * same box): batches twice as large and the CPU per stored message down from about 150 to 110 µs
   * (gateway plus PostgreSQL).
   */
  static final int MAX_IN_FLIGHT = 1;

  /**
   * Conversations are spread over this many independent queues by id, so that several database
   * backends (cores) write at once while one conversation's appends still commit in order. Shards
   * never share a conversation, so their row locks cannot deadlock each other.
   */
  static final int SHARDS = 2;

  private static final String DEADLOCK = "40P01";
  private static final String UNIQUE_VIOLATION = "23505";
  private static final String COUNSELOR = "counselor";

  private final Pool pool;
  private final List<PipelinedBatches<Append>> shards = new ArrayList<>();
  private final java.util.concurrent.atomic.AtomicLong lookupRetries =
      new java.util.concurrent.atomic.AtomicLong();

  /**
   * One message to store. {@code counselorGuard}: when not null the conversation must be assigned
   * to that staff member in {@code orgGuard}, checked under the row lock (so it cannot change
   * between the check and the insert).
   */
  record Append(
      UUID conversationId,
      String sender,
      Long staffId,
      String clientId,
      BodySealer sealer,
      Long counselorGuard,
      String orgGuard,
      Reply<AppendResult> reply) {

    ResendKey resendKey() {
      return new ResendKey(conversationId, sender, clientId);
    }
  }

  /** What makes a message unique: the same sender's client id within one conversation. */
  private record ResendKey(UUID conversationId, String sender, String clientId) {}

  /** Row of the locked conversation. */
  private record Locked(
      long nextSeq, ConversationStatus status, Long counselorId, String orgId, OffsetDateTime at) {}

  MessageWriter(Pool pool) {
    this.pool = pool;
    for (int i = 0; i < SHARDS; i++) {
      shards.add(new PipelinedBatches<>(MAX_BATCH, MAX_IN_FLIGHT, this::write));
    }
  }

  Future<AppendResult> append(Append append) {
    shards.get(Math.floorMod(append.conversationId().hashCode(), SHARDS)).submit(append);
    return append.reply().future();
  }

  /** Appends waiting for a batch (metrics). */
  int waiting() {
    return shards.stream().mapToInt(PipelinedBatches::waiting).sum();
  }

  /** Batches written so far, all shards. */
  long batches() {
    return shards.stream().mapToLong(PipelinedBatches::batches).sum();
  }

  /** Appends handed to batches so far, all shards. */
  long items() {
    return shards.stream().mapToLong(PipelinedBatches::items).sum();
  }

  /**
   * Batches written a second time with a resend lookup because the first try met a stored client
   * id.
   */
  long lookupRetries() {
    return lookupRetries.get();
  }

  private Future<?> write(List<Append> batch) {
    return attempt(batch, true, false)
        .recover(
            e -> {
              if (batch.size() == 1) {
                batch.get(0).reply().fail(e);
                return Future.<Void>succeededFuture();
              }
              return PipelinedBatches.eachAlone(
                  batch, a -> attempt(List.of(a), true, true).onFailure(a.reply()::fail));
            });
  }

  /**
   * One transaction for the batch. A deadlock (another node's batch or a close) is retried once; a
   * stored client id met without a lookup ({@code lookup} false) makes the batch run again with
   * one.
   */
  private Future<Void> attempt(List<Append> batch, boolean retryDeadlock, boolean lookup) {
    List<Runnable> answers = new ArrayList<>(batch.size());
    return PipelinedTransaction.<Void>run(
            pool,
            (conn, tx) -> {
              answers.clear();
              return writeIn(conn, tx, batch, answers, lookup);
            })
        .onSuccess(v -> answers.forEach(Runnable::run))
        .recover(
            e -> {
              String state = e instanceof PgException pg ? pg.getSqlState() : null;
              if (!lookup && UNIQUE_VIOLATION.equals(state)) {
                lookupRetries.incrementAndGet();
                return attempt(batch, retryDeadlock, true);
              }
              return retryDeadlock && DEADLOCK.equals(state)
                  ? attempt(batch, false, lookup)
                  : Future.failedFuture(e);
            });
  }

  private Future<Void> writeIn(
      SqlConnection conn,
      PipelinedTransaction tx,
      List<Append> batch,
      List<Runnable> answers,
      boolean lookup) {
    LinkedHashSet<UUID> ids = new LinkedHashSet<>();
    for (Append a : batch) {
      ids.add(a.conversationId());
    }
    // Sent together (the connection pipelines them); the resend lookup runs after the locks are
    // granted, so it
    // sees every message committed before this batch owned the conversations. Without it a stored
    // key is found by
    // the INSERT's unique index, under the same locks.
    Future<Map<UUID, Locked>> locks =
        conn.preparedQuery(MessageQueries.LOCK_BATCH)
            .execute(arrays(new Object[] {ids.toArray(new UUID[0])}))
            .map(
                rows -> {
                  Map<UUID, Locked> out = new HashMap<>();
                  for (Row r : rows) {
                    out.put(
                        r.getUUID("id"),
                        new Locked(
                            r.getLong("next_seq"),
                            ConversationStatus.fromCode(r.getString("status")),
                            r.getLong("counselor_id"),
                            r.getString("org_id"),
                            r.getOffsetDateTime("at")));
                  }
                  return out;
                });
    Future<Map<ResendKey, Long>> stored =
        lookup ? storedResends(conn, batch) : Future.succeededFuture(new HashMap<>());
    return Future.all(locks, stored)
        .compose(
            all -> {
              Rows rows = new Rows(batch.size());
              Map<UUID, Long> nextSeq = new HashMap<>();
              Set<UUID> replied = new HashSet<>();
              Map<ResendKey, Long> seen = stored.result();
              for (Append a : batch) {
                Locked c = locks.result().get(a.conversationId());
                Outcome outcome = decide(a, c, seen);
                if (outcome.refusal != null) {
                  ConversationClosedException refusal = outcome.refusal;
                  answers.add(() -> a.reply().fail(refusal));
                  continue;
                }
                if (outcome.resendOf != null) {
                  long seq = outcome.resendOf;
                  answers.add(() -> a.reply().succeed(new AppendResult(seq, true)));
                  continue;
                }
                long seq = nextSeq.getOrDefault(a.conversationId(), c.nextSeq()) + 1;
                nextSeq.put(a.conversationId(), seq);
                if (COUNSELOR.equals(a.sender())) {
                  replied.add(a.conversationId());
                }
                seen.put(a.resendKey(), seq);
                rows.add(a, seq, a.sealer().seal(seq));
                OffsetDateTime at = c.at();
                answers.add(() -> a.reply().succeed(new AppendResult(seq, false, at)));
              }
              if (rows.size == 0) {
                return tx.commit();
              }
              UUID[] bumpIds = nextSeq.keySet().toArray(new UUID[0]);
              Long[] bumpSeqs = new Long[bumpIds.length];
              for (int i = 0; i < bumpIds.length; i++) {
                bumpSeqs[i] = nextSeq.get(bumpIds[i]);
              }
              Future<?> insert =
                  conn.preparedQuery(MessageQueries.INSERT_BATCH).execute(rows.tuple());
              Future<?> bump =
                  conn.preparedQuery(MessageQueries.BUMP_BATCH)
                      .execute(
                          arrays(new Object[] {bumpIds, bumpSeqs, replied.toArray(new UUID[0])}));
              return Future.all(insert, bump, tx.commit()).mapEmpty();
            });
  }

  /** Sequence numbers of the batch's keys that are already stored. */
  private static Future<Map<ResendKey, Long>> storedResends(
      SqlConnection conn, List<Append> batch) {
    UUID[] conversations = new UUID[batch.size()];
    String[] senders = new String[batch.size()];
    String[] clients = new String[batch.size()];
    for (int i = 0; i < batch.size(); i++) {
      conversations[i] = batch.get(i).conversationId();
      senders[i] = batch.get(i).sender();
      clients[i] = batch.get(i).clientId();
    }
    return conn.preparedQuery(MessageQueries.RESENDS_IN_BATCH)
        .execute(arrays(new Object[] {conversations, senders, clients}))
        .map(
            rows -> {
              Map<ResendKey, Long> out = new HashMap<>();
              for (Row r : rows) {
                out.put(
                    new ResendKey(
                        r.getUUID("conversation_id"),
                        r.getString("sender"),
                        r.getString("client_id")),
                    r.getLong("seq"));
              }
              return out;
            });
  }

  /** Refused, a resend of a stored message, or new (both null). */
  private record Outcome(ConversationClosedException refusal, Long resendOf) {
    static final Outcome NEW = new Outcome(null, null);
  }

  private static Outcome decide(Append a, Locked c, Map<ResendKey, Long> seen) {
    if (c == null) {
      return new Outcome(new ConversationClosedException("no such conversation"), null);
    }
    // A counselor writes in a chat assigned to them, or (issue 19) in a message thread of their
    // organisation's
    // inbox, which any counselor of that organisation may answer.
    if (a.counselorGuard() != null
        && !(Objects.equals(a.orgGuard(), c.orgId())
            && (c.status() == ConversationStatus.INBOX
                || (c.status() == ConversationStatus.ASSIGNED
                    && a.counselorGuard().equals(c.counselorId()))))) {
      return new Outcome(new ConversationClosedException("not assigned to you"), null);
    }
    Long resend = seen.get(a.resendKey());
    if (resend != null) {
      return new Outcome(null, resend);
    }
    if (c.status().isFinal()) {
      return new Outcome(new ConversationClosedException("conversation is closed"), null);
    }
    return Outcome.NEW;
  }

  /** Column arrays for the one INSERT of a batch. */
  private static final class Rows {
    final UUID[] conversation;
    final Long[] seq;
    final String[] sender;
    final Long[] staff;
    final String[] client;
    final Buffer[] body;
    int size;

    Rows(int capacity) {
      conversation = new UUID[capacity];
      seq = new Long[capacity];
      sender = new String[capacity];
      staff = new Long[capacity];
      client = new String[capacity];
      body = new Buffer[capacity];
    }

    void add(Append a, long s, byte[] sealed) {
      conversation[size] = a.conversationId();
      seq[size] = s;
      sender[size] = a.sender();
      // 0 stands for "no staff member" (ids start at 1): arrays of the binary protocol carry no
      // NULLs here.
      staff[size] = a.staffId() == null ? 0L : a.staffId();
      client[size] = a.clientId();
      body[size] = Buffer.buffer(sealed);
      size++;
    }

    Tuple tuple() {
      return arrays(
          new Object[] {
            java.util.Arrays.copyOf(conversation, size),
            java.util.Arrays.copyOf(seq, size),
            java.util.Arrays.copyOf(sender, size),
            java.util.Arrays.copyOf(staff, size),
            java.util.Arrays.copyOf(client, size),
            java.util.Arrays.copyOf(body, size)
          });
    }
  }

  /**
   * A tuple whose parameters are the given arrays, one parameter each. Not varargs on purpose:
   * Tuple.of and any Object... method spread a trailing array into separate parameters.
   */
  private static Tuple arrays(Object[] columns) {
    Tuple tuple = Tuple.tuple();
    for (Object column : columns) {
      tuple.addValue(column);
    }
    return tuple;
  }
}
