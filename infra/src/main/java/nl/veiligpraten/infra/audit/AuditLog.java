package nl.veiligpraten.infra.audit;

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
 * The append-only access log (NEN 7513 style). Each call to {@link #record} writes exactly one row and resolves only
 * after that row committed; callers write it before they hand out what was read, so a read that cannot be logged is
 * refused rather than unlogged. Rows are written in pipelined batches (one round trip and one commit for all rows
 * that arrived while the previous batch was written), because every live delivery to a counselor is a logged read.
 */
public final class AuditLog {

  /** Largest page an admin can ask for. */
  public static final int MAX_PAGE = 500;

  private static final int MAX_BATCH = 256;
  private static final int MAX_IN_FLIGHT = 2;

  private final SqlClient client;
  private final PipelinedBatches<Row> batches = new PipelinedBatches<>(MAX_BATCH, MAX_IN_FLIGHT, this::write);

  /** One access-log row waiting for its batch (as the JSON object the batch statement reads). */
  private record Row(JsonObject json, Reply<Void> reply) {
  }

  public AuditLog(SqlClient client) {
    this.client = client;
  }

  /**
   * Writes one row. {@code afterSeq}/{@code lastSeq}/{@code count} describe which messages were read (null when not
   * a read).
   */
  public Future<Void> record(AuditContext who, AuditAction action, UUID conversationId, Long afterSeq, Long lastSeq,
                             Integer count) {
    Row row = new Row(new JsonObject().put("staff", who.staffId()).put("role", who.role()).put("org", who.orgId())
            .put("conversation", conversationId == null ? null : conversationId.toString()).put("action", action.code())
            .put("reason", who.reason()).put("after", afterSeq).put("last", lastSeq).put("count", count),
        new Reply<>());
    batches.submit(row);
    return row.reply().future();
  }

  /** One INSERT for the whole batch (rows as a JSON array: NULLs travel as JSON nulls), one commit. */
  private Future<?> write(List<Row> batch) {
    if (batch.size() == 1) {
      return writeAlone(batch.get(0));
    }
    return insert(batch).onSuccess(v -> batch.forEach(r -> r.reply().succeed(null)))
        // A row the database refuses fails alone: retry each row by itself.
        .recover(e -> PipelinedBatches.eachAlone(batch, this::writeAlone));
  }

  private Future<Void> writeAlone(Row r) {
    return insert(List.of(r)).onSuccess(v -> r.reply().succeed(null)).onFailure(r.reply()::fail).otherwiseEmpty();
  }

  private Future<Void> insert(List<Row> rows) {
    JsonArray json = new JsonArray();
    rows.forEach(r -> json.add(r.json()));
    return client.preparedQuery(AuditQueries.INSERT_BATCH).execute(Tuple.of(json)).mapEmpty();
  }

  /** Rows of one organisation, newest first, with an id below {@code beforeId} (for paging). */
  public Future<List<AuditEntry>> ofOrganisation(String orgId, long beforeId, int limit) {
    int page = Math.max(1, Math.min(limit, MAX_PAGE));
    return client.preparedQuery(AuditQueries.OF_ORG).execute(Tuple.of(orgId, beforeId, page)).map(rows -> {
      List<AuditEntry> out = new ArrayList<>(rows.rowCount());
      for (io.vertx.sqlclient.Row r : rows) {
        out.add(new AuditEntry(r.getLong("id"), r.getOffsetDateTime("at"), r.getLong("staff_id"),
            r.getString("staff_name"), r.getString("role"), r.getString("org_id"), r.getUUID("conversation_id"),
            r.getString("action"), r.getString("reason"), r.getLong("after_seq"), r.getLong("last_seq"),
            r.getInteger("message_count")));
      }
      return out;
    });
  }
}
