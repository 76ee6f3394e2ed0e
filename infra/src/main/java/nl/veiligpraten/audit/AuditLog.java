package nl.veiligpraten.audit;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import nl.veiligpraten.infra.db.PipelinedBatches;
import nl.veiligpraten.infra.db.Reply;

/**
 * The append-only access log (NEN 7513 style). Each call to {@link #record} writes exactly one row
 * and resolves only after that row committed; callers write it before they hand out what was read,
 * so a read that cannot be logged is refused rather than unlogged. Rows are written in pipelined
 * batches (one round trip and one commit for all rows that arrived while the previous batch was
 * written), because every live delivery to a counselor is a logged read.
 */
public final class AuditLog {

  /** Largest page an admin can ask for. */
  public static final int MAX_PAGE = 500;

  private static final int MAX_BATCH = 256;
  private static final int MAX_IN_FLIGHT = 2;

  private final SqlClient client;
  private final PipelinedBatches<Row> batches =
      new PipelinedBatches<>(MAX_BATCH, MAX_IN_FLIGHT, this::write);

  /** One access-log row waiting for its batch (as the JSON object the batch statement reads). */
  private record Row(JsonObject json, Reply<Void> reply) {}

  public AuditLog(SqlClient client) {
    this.client = client;
  }

  /**
   * Writes one row. {@code afterSeq}/{@code lastSeq}/{@code count} describe which messages were
   * read (null when not a read).
   */
  public Future<Void> record(
      AuditContext who,
      AuditAction action,
      UUID conversationId,
      Long afterSeq,
      Long lastSeq,
      Integer count) {
    return write(
        new JsonObject()
            .put("staff", who.staffId())
            .put("role", who.role())
            .put("org", who.orgId())
            .put("conversation", conversationId == null ? null : conversationId.toString())
            .put("action", action.code())
            .put("reason", who.reason())
            .put("after", afterSeq)
            .put("last", lastSeq)
            .put("count", count));
  }

  /**
   * Writes the {@code read_audit_log} row of a read of the log: who, and which filter and format
   * they asked for ({@code detail}: filter values and the format only).
   */
  public Future<Void> recordLogRead(AuditContext who, AuditFilter filter, String format) {
    return write(
        new JsonObject()
            .put("staff", who.staffId())
            .put("role", who.role())
            .put("org", filter.orgId())
            .put("action", AuditAction.READ_AUDIT_LOG.code())
            .put("reason", who.reason())
            .put("detail", new JsonObject().put("filter", filter.json()).put("format", format)));
  }

  private Future<Void> write(JsonObject json) {
    Row row = new Row(json, new Reply<>());
    batches.submit(row);
    return row.reply().future();
  }

  /**
   * One INSERT for the whole batch (rows as a JSON array: NULLs travel as JSON nulls), one commit.
   */
  private Future<?> write(List<Row> batch) {
    if (batch.size() == 1) {
      return writeAlone(batch.get(0));
    }
    return insert(batch)
        .onSuccess(v -> batch.forEach(r -> r.reply().succeed(null)))
        // A row the database refuses fails alone: retry each row by itself.
        .recover(e -> PipelinedBatches.eachAlone(batch, this::writeAlone));
  }

  private Future<Void> writeAlone(Row r) {
    return insert(List.of(r))
        .onSuccess(v -> r.reply().succeed(null))
        .onFailure(r.reply()::fail)
        .otherwiseEmpty();
  }

  private Future<Void> insert(List<Row> rows) {
    JsonArray json = new JsonArray();
    rows.forEach(r -> json.add(r.json()));
    return client.preparedQuery(AuditQueries.INSERT_BATCH).execute(Tuple.of(json)).mapEmpty();
  }

  /** Rows of one organisation, newest first, with an id below {@code beforeId} (for paging). */
  public Future<List<AuditEntry>> ofOrganisation(String orgId, long beforeId, int limit) {
    return page(AuditFilter.all(orgId), beforeId, limit);
  }

  /**
   * Rows matching the filter, newest first, with an id below {@code beforeId}; at most {@code
   * limit} rows.
   */
  public Future<List<AuditEntry>> page(AuditFilter filter, long beforeId, int limit) {
    return select(AuditQueries.PAGE, filter, beforeId, limit);
  }

  /** Rows matching the filter, oldest first, with an id above {@code afterId} (a SIEM's cursor). */
  public Future<List<AuditEntry>> feed(AuditFilter filter, long afterId, int limit) {
    return select(AuditQueries.FEED, filter, afterId, limit);
  }

  private Future<List<AuditEntry>> select(String sql, AuditFilter f, long cursor, int limit) {
    Tuple args =
        Tuple.tuple()
            .addString(f.orgId())
            .addLong(f.staffId())
            .addUUID(f.conversationId())
            .addOffsetDateTime(f.from())
            .addOffsetDateTime(f.to())
            .addString(f.action() == null ? null : f.action().code())
            .addLong(cursor)
            .addInteger(Math.max(1, limit));
    return client
        .preparedQuery(sql)
        .execute(args)
        .map(
            rows -> {
              List<AuditEntry> out = new ArrayList<>(rows.rowCount());
              for (io.vertx.sqlclient.Row r : rows) {
                String detail = r.getString("detail");
                out.add(
                    new AuditEntry(
                        r.getLong("id"),
                        r.getOffsetDateTime("at"),
                        r.getLong("staff_id"),
                        r.getString("staff_name"),
                        r.getString("role"),
                        r.getString("org_id"),
                        r.getUUID("conversation_id"),
                        r.getString("action"),
                        r.getString("reason"),
                        r.getLong("after_seq"),
                        r.getLong("last_seq"),
                        r.getInteger("message_count"),
                        detail == null ? null : new JsonObject(detail)));
              }
              return out;
            });
  }
}
