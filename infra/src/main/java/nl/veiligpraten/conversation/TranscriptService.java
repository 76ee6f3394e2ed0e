package nl.veiligpraten.conversation;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import nl.veiligpraten.audit.AuditAction;
import nl.veiligpraten.audit.AuditContext;
import nl.veiligpraten.audit.AuditLog;
import nl.veiligpraten.infra.metrics.AppendListener;
import nl.veiligpraten.retention.Shredder;

/**
 * Writes and reads transcripts: every body is sealed with the conversation's data key before it is
 * stored and opened only for an organisation that holds a wrapped copy of that key. Unwrapped data
 * keys are cached per process in a small LRU map (never in a cluster map) so a chat does not unwrap
 * its key for every message.
 *
 * @param <K> data key type of the crypto implementation
 */
public final class TranscriptService<K> {

  private static final int KEY_CACHE_SIZE = 50_000;
  private static final int RECENT_PER_CONVERSATION = 32;
  private static final int RECENT_CONVERSATIONS = 20_000;

  private final ConversationRepository conversations;
  private final ConversationCrypto<K> crypto;
  private final AuditLog audit;
  private final Shredder shredder;
  private final AtomicLong staffReads = new AtomicLong();

  /**
   * Unwrapped data keys by conversation, then by organisation (a conversation has one or two
   * readers). Keyed by conversation so that {@link #forget} removes one entry instead of scanning
   * up to {@value #KEY_CACHE_SIZE} keys under the monitor every message takes (issue 25: a
   * retention run stalled the message path).
   */
  private final Map<UUID, Map<String, K>> keyCache =
      new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<UUID, Map<String, K>> eldest) {
          return size() > KEY_CACHE_SIZE;
        }
      };

  /**
   * Last messages per conversation, so most deliveries need no read query (see {@link
   * RecentMessages}).
   */
  private final RecentMessages recent =
      new RecentMessages(RECENT_PER_CONVERSATION, RECENT_CONVERSATIONS);

  private final java.util.concurrent.atomic.AtomicLong memoryReads =
      new java.util.concurrent.atomic.AtomicLong();
  private final java.util.concurrent.atomic.AtomicLong databaseReads =
      new java.util.concurrent.atomic.AtomicLong();

  private volatile AppendListener appendListener = AppendListener.NONE;

  public TranscriptService(ConversationRepository conversations, ConversationCrypto<K> crypto) {
    this.conversations = conversations;
    this.crypto = crypto;
    this.audit = new AuditLog(conversations.pool());
    this.shredder = new Shredder(conversations.pool());
  }

  public ConversationRepository conversations() {
    return conversations;
  }

  /**
   * Puts a conversation into an organisation's queue with a fresh data key wrapped for that
   * organisation.
   */
  public Future<Optional<Conversation>> route(
      UUID id,
      String orgId,
      String helpPoint,
      int priority,
      String rulesVersion,
      String intakeJson) {
    ConversationCrypto.NewKey<K> key;
    try {
      key = crypto.newKey(id, orgId);
    } catch (RuntimeException e) {
      // Inside the future chain: a thrown exception here used to escape the caller's handler, so
      // the visitor got
      // no answer and nothing was logged (issue 25). The caller answers with an error frame and
      // logs it.
      return Future.failedFuture(e);
    }
    return conversations
        .route(id, orgId, helpPoint, priority, rulesVersion, intakeJson, key.keyId(), key.wrapped())
        .onSuccess(routed -> routed.ifPresent(c -> cache(id, orgId, key.key())));
  }

  /**
   * Issue 19: puts a conversation into an organisation's message inbox (instead of its queue) with
   * a fresh data key wrapped for that organisation, exactly as {@link #route} does for a chat, so
   * the thread is sealed, shredded, deleted and audited like any transcript.
   */
  public Future<Optional<Conversation>> toInbox(
      UUID id,
      String orgId,
      String helpPoint,
      int priority,
      String rulesVersion,
      String intakeJson,
      byte[] codeHash) {
    ConversationCrypto.NewKey<K> key;
    try {
      key = crypto.newKey(id, orgId);
    } catch (RuntimeException e) {
      // As in route: a failure stays in the future chain, so the caller answers with an error frame
      // and logs it.
      return Future.failedFuture(e);
    }
    return conversations
        .toInbox(
            id,
            orgId,
            helpPoint,
            priority,
            rulesVersion,
            intakeJson,
            codeHash,
            key.keyId(),
            key.wrapped())
        .onSuccess(left -> left.ifPresent(c -> cache(id, orgId, key.key())));
  }

  /** Seals and stores one message; resolves after commit with its sequence number. */
  public Future<AppendResult> append(
      UUID id, String orgId, String sender, Long staffId, String clientId, String body) {
    return observed(
        id,
        orgId,
        sender,
        staffId,
        clientId,
        body,
        key -> conversations.append(id, sender, staffId, clientId, sealer(key, id, sender, body)));
  }

  /**
   * A counselor's message, stored only while the conversation is assigned to that counselor in that
   * organisation, or is a message thread in that organisation's inbox (issue 19; checked under the
   * append's row lock); otherwise fails with {@link ConversationClosedException}.
   */
  public Future<AppendResult> appendAsAssignedCounselor(
      UUID id, String orgId, long staffId, String clientId, String body) {
    return appendAsAssignedCounselor(id, orgId, staffId, clientId, body, Promise.promise());
  }

  /**
   * As {@link #appendAsAssignedCounselor(UUID, String, long, String, String)}; {@code queued}
   * completes as soon as the message is in the writer's queue (or failed before it got there). The
   * writer stores a conversation's messages in queue order, so a caller that hands over its next
   * message only after {@code queued} gets them stored in the order it sent them, without waiting
   * for each commit.
   */
  public Future<AppendResult> appendAsAssignedCounselor(
      UUID id, String orgId, long staffId, String clientId, String body, Promise<Void> queued) {
    return observed(
            id,
            orgId,
            "counselor",
            staffId,
            clientId,
            body,
            key -> {
              Future<AppendResult> stored =
                  conversations.appendAsAssignedCounselor(
                      id, staffId, orgId, clientId, sealer(key, id, "counselor", body));
              queued.tryComplete();
              return stored;
            })
        .andThen(ar -> queued.tryComplete());
  }

  private BodySealer sealer(K key, UUID id, String sender, String body) {
    byte[] plain = body.getBytes(StandardCharsets.UTF_8);
    return seq -> crypto.seal(key, id, seq, sender, plain);
  }

  private Future<AppendResult> observed(
      UUID id,
      String orgId,
      String sender,
      Long staffId,
      String clientId,
      String body,
      java.util.function.Function<K, Future<AppendResult>> store) {
    AppendListener listener = appendListener;
    long started = System.nanoTime();
    listener.started();
    return key(id, orgId)
        .compose(store)
        .andThen(
            ar -> {
              if (ar.succeeded() && !ar.result().duplicate()) {
                // Committed: receivers on this node can now take it from memory instead of reading
                // it back.
                recent.add(
                    id,
                    List.of(
                        new PlainMessage(
                            ar.result().seq(),
                            sender,
                            staffId,
                            clientId,
                            body,
                            ar.result().createdAt())));
              }
              listener.finished(sender, System.nanoTime() - started, ar.succeeded());
            });
  }

  /** Sets the observer of appends (metrics, in-flight tracking for graceful shutdown). */
  public void appendListener(AppendListener listener) {
    this.appendListener = listener == null ? AppendListener.NONE : listener;
  }

  /** Messages after {@code afterSeq}, opened with the reading organisation's key. */
  public Future<List<PlainMessage>> read(UUID id, String readerOrgId, long afterSeq, int limit) {
    return read(id, readerOrgId, afterSeq, afterSeq, limit);
  }

  /** Reads answered from this node's memory of recently committed messages (metrics). */
  public long memoryReads() {
    return memoryReads.get();
  }

  /**
   * Reads that went to PostgreSQL (metrics; a socket's pump should need one only after a gap or a
   * reconnect).
   */
  public long databaseReads() {
    return databaseReads.get();
  }

  /**
   * Messages after {@code afterSeq}, when the caller knows (from a bus notification) that messages
   * up to {@code knownUpTo} exist: if this node committed or recently read all of them they come
   * from memory, otherwise from PostgreSQL. Either way only for an organisation that holds a key of
   * the conversation.
   */
  public Future<List<PlainMessage>> read(
      UUID id, String readerOrgId, long afterSeq, long knownUpTo, int limit) {
    return key(id, readerOrgId)
        .compose(
            key -> {
              List<PlainMessage> fromMemory = recent.after(id, afterSeq, knownUpTo, limit);
              if (fromMemory != null) {
                memoryReads.incrementAndGet();
                return Future.succeededFuture(fromMemory);
              }
              databaseReads.incrementAndGet();
              return conversations
                  .messagesAfter(id, afterSeq, limit)
                  .map(
                      stored -> {
                        List<PlainMessage> out = new ArrayList<>(stored.size());
                        for (StoredMessage m : stored) {
                          byte[] plain = crypto.open(key, id, m.seq(), m.sender(), m.sealedBody());
                          out.add(
                              new PlainMessage(
                                  m.seq(),
                                  m.sender(),
                                  m.staffId(),
                                  m.clientId(),
                                  new String(plain, StandardCharsets.UTF_8),
                                  m.createdAt()));
                        }
                        recent.add(id, out);
                        return out;
                      });
            });
  }

  /**
   * A staff member's read: writes exactly one access-log row per call (who, which messages) and
   * only then hands out the plaintext. If the row cannot be written the read fails: nothing is
   * shown unlogged. A refused read is logged too. Not logged: a read that discloses nothing written
   * by anyone else, that is an empty read or one that holds only this staff member's own messages
   * (a counselor's reply coming back to their own screen): such a row would say nothing to an
   * auditor, and under load it doubled the database writes per message. Visitors read their own
   * conversation with {@link #read} and are not logged (they are the data subject, not staff).
   */
  public Future<List<PlainMessage>> readForStaff(
      UUID id, String readerOrgId, long afterSeq, int limit, AuditContext who) {
    return readForStaff(id, readerOrgId, afterSeq, afterSeq, limit, who);
  }

  /**
   * {@link #readForStaff} with the {@code knownUpTo} hint of {@link #read(UUID, String, long, long,
   * int)}.
   */
  public Future<List<PlainMessage>> readForStaff(
      UUID id, String readerOrgId, long afterSeq, long knownUpTo, int limit, AuditContext who) {
    return read(id, readerOrgId, afterSeq, knownUpTo, limit)
        .compose(
            messages -> {
              if (!disclosesOthers(messages, who)) {
                return Future.succeededFuture(messages);
              }
              staffReads.incrementAndGet();
              Long last = messages.get(messages.size() - 1).seq();
              return audit
                  .record(who, AuditAction.READ_TRANSCRIPT, id, afterSeq, last, messages.size())
                  .map(messages);
            },
            failure -> {
              staffReads.incrementAndGet();
              return audit
                  .record(who, AuditAction.READ_TRANSCRIPT, id, afterSeq, null, 0)
                  .transform(ignored -> Future.failedFuture(failure));
            });
  }

  /** True when a message was written by someone other than the reading staff member. */
  static boolean disclosesOthers(List<PlainMessage> messages, AuditContext who) {
    for (PlainMessage m : messages) {
      if (!("counselor".equals(m.sender())
          && who.staffId() != null
          && who.staffId().equals(m.staffId()))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Number of logged {@link #readForStaff} calls in this process (tests compare it with the access
   * log).
   */
  public long staffReadCount() {
    return staffReads.get();
  }

  /**
   * Delete on request: the conversation's wrapped keys and messages are deleted at once (one
   * transaction, with an access-log row) and this process forgets its cached data key. Empty when
   * there is no such conversation.
   */
  public Future<Optional<Shredder.Erased>> eraseOnRequest(UUID id) {
    return shredder.eraseOnRequest(id, java.time.Instant.now()).andThen(ar -> forget(id));
  }

  /**
   * Wraps the conversation key for a second organisation; called only after the visitor consented.
   */
  public Future<Void> shareWith(UUID id, String fromOrgId, String toOrgId) {
    return key(id, fromOrgId)
        .compose(
            key -> {
              ConversationRepository.WrappedKeyRow row = crypto.wrapFor(key, id, toOrgId);
              return conversations.storeKey(id, toOrgId, row.keyId(), row.wrapped());
            });
  }

  /** Forgets cached data keys of a conversation (after deletion or shredding). */
  public void forget(UUID id) {
    recent.forget(id);
    synchronized (this) {
      keyCache.remove(id);
    }
  }

  /**
   * Drops every cached data key and every remembered plaintext, so the next read unwraps again with
   * the key store as it is now. Called when key-encryption key versions disappeared from the shared
   * key store (crypto-shredding on another node): a data key unwrapped before must not keep a
   * shredded transcript readable here.
   */
  public void forgetAll() {
    recent.forgetAll();
    synchronized (this) {
      keyCache.clear();
    }
  }

  private Future<K> key(UUID id, String orgId) {
    K cached = cached(id, orgId);
    if (cached != null) {
      return Future.succeededFuture(cached);
    }
    return conversations
        .keyFor(id, orgId)
        .map(
            row -> {
              if (row.isEmpty()) {
                throw new TranscriptAccessException(
                    "organisation has no key for this conversation");
              }
              K key = crypto.unwrap(id, orgId, row.get().keyId(), row.get().wrapped());
              cache(id, orgId, key);
              return key;
            });
  }

  private synchronized K cached(UUID id, String orgId) {
    Map<String, K> byOrg = keyCache.get(id);
    return byOrg == null ? null : byOrg.get(orgId);
  }

  private synchronized void cache(UUID id, String orgId, K key) {
    keyCache.computeIfAbsent(id, x -> new java.util.HashMap<>(2)).put(orgId, key);
  }
}
