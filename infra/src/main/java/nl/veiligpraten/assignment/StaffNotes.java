package nl.veiligpraten.assignment;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import nl.veiligpraten.conversation.ConversationCrypto;
import nl.veiligpraten.conversation.ConversationRepository;
import nl.veiligpraten.conversation.TranscriptAccessException;

/**
 * Counselor-only notes on a chat: a supervisor's whisper and the note of a warm transfer. Safety by
 * construction: they live in table {@code staff_note}, which no visitor code path reads, instead of
 * being messages with a special sender that every visitor-side reader would have to remember to
 * filter out. Bodies are sealed with the chat's data key (associated data sender {@code
 * note:<kind>}), and only staff of the organisation that wrote a note read it.
 *
 * @param <K> data key type
 */
public final class StaffNotes<K> {

  private final Pool pool;
  private final ConversationRepository conversations;
  private final ConversationCrypto<K> crypto;

  public StaffNotes(Pool pool, ConversationRepository conversations, ConversationCrypto<K> crypto) {
    this.pool = pool;
    this.conversations = conversations;
    this.crypto = crypto;
  }

  /** A note opened for its reader. */
  public record Note(
      long seq,
      String kind,
      long staffId,
      String staffName,
      String body,
      OffsetDateTime createdAt) {}

  /** Seals and stores a note; resolves with its number after commit. */
  public Future<Long> add(UUID id, String orgId, String kind, long staffId, String body) {
    return addFor(id, orgId, orgId, kind, staffId, body);
  }

  /**
   * A note written by staff of {@code writerOrg} for the staff of {@code readerOrg} (a referral's
   * handover note): sealed with the chat's data key, which the writer holds now and the reader only
   * once the visitor consented to the referral (the key is then wrapped for the reader). Only
   * {@code readerOrg} lists it.
   */
  public Future<Long> addFor(
      UUID id, String writerOrg, String readerOrg, String kind, long staffId, String body) {
    byte[] plain = body.getBytes(StandardCharsets.UTF_8);
    String orgId = readerOrg;
    return key(id, writerOrg)
        .compose(
            key ->
                pool.withTransaction(
                    conn ->
                        conn.preparedQuery(StaffNotesQueries.LOCK)
                            .execute(Tuple.of(id))
                            .compose(
                                v ->
                                    conn.preparedQuery(StaffNotesQueries.NEXT)
                                        .execute(Tuple.of(id)))
                            .compose(
                                rows -> {
                                  long seq = rows.iterator().next().getLong(0);
                                  byte[] sealed = crypto.seal(key, id, seq, "note:" + kind, plain);
                                  return conn.preparedQuery(StaffNotesQueries.INSERT)
                                      .execute(
                                          Tuple.of(
                                              id, seq, kind, orgId, staffId, Buffer.buffer(sealed)))
                                      .map(r -> seq);
                                })));
  }

  /** Notes of the reader's organisation after {@code afterSeq}. */
  public Future<List<Note>> after(UUID id, String orgId, long afterSeq) {
    // Rows first: most chats have no notes, and then no key has to be fetched and unwrapped.
    return pool.preparedQuery(StaffNotesQueries.AFTER)
        .execute(Tuple.of(id, orgId, afterSeq))
        .compose(
            rows ->
                rows.rowCount() == 0
                    ? Future.succeededFuture(List.<Note>of())
                    : key(id, orgId)
                        .map(
                            key -> {
                              List<Note> out = new ArrayList<>();
                              for (Row r : rows) {
                                long seq = r.getLong("seq");
                                String kind = r.getString("kind");
                                byte[] plain =
                                    crypto.open(
                                        key,
                                        id,
                                        seq,
                                        "note:" + kind,
                                        r.getBuffer("body").getBytes());
                                out.add(
                                    new Note(
                                        seq,
                                        kind,
                                        r.getLong("staff_id"),
                                        r.getString("display_name"),
                                        new String(plain, StandardCharsets.UTF_8),
                                        r.getOffsetDateTime("created_at")));
                              }
                              return out;
                            }));
  }

  private Future<K> key(UUID id, String orgId) {
    return conversations
        .keyFor(id, orgId)
        .map(
            row -> {
              if (row.isEmpty()) {
                throw new TranscriptAccessException(
                    "organisation has no key for this conversation");
              }
              return crypto.unwrap(id, orgId, row.get().keyId(), row.get().wrapped());
            });
  }
}
