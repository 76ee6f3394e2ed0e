package nl.veiligpraten.infra.audit;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The append-only access log (NEN 7513 style). Each call to {@link #record} writes exactly one row; callers write it
 * before they hand out what was read, so a read that cannot be logged is refused rather than unlogged.
 */
public final class AuditLog {

  /** Largest page an admin can ask for. */
  public static final int MAX_PAGE = 500;

  private final SqlClient client;

  public AuditLog(SqlClient client) {
    this.client = client;
  }

  /**
   * Writes one row. {@code afterSeq}/{@code lastSeq}/{@code count} describe which messages were read (null when not
   * a read).
   */
  public Future<Void> record(AuditContext who, AuditAction action, UUID conversationId, Long afterSeq, Long lastSeq,
                             Integer count) {
    return client.preparedQuery(AuditQueries.INSERT)
        .execute(Tuple.from(java.util.Arrays.asList(who.staffId(), who.role(), who.orgId(), conversationId,
            action.code(), who.reason(), afterSeq, lastSeq, count)))
        .mapEmpty();
  }

  /** Rows of one organisation, newest first, with an id below {@code beforeId} (for paging). */
  public Future<List<AuditEntry>> ofOrganisation(String orgId, long beforeId, int limit) {
    int page = Math.max(1, Math.min(limit, MAX_PAGE));
    return client.preparedQuery(AuditQueries.OF_ORG).execute(Tuple.of(orgId, beforeId, page)).map(rows -> {
      List<AuditEntry> out = new ArrayList<>(rows.rowCount());
      for (Row r : rows) {
        out.add(new AuditEntry(r.getLong("id"), r.getOffsetDateTime("at"), r.getLong("staff_id"),
            r.getString("staff_name"), r.getString("role"), r.getString("org_id"), r.getUUID("conversation_id"),
            r.getString("action"), r.getString("reason"), r.getLong("after_seq"), r.getLong("last_seq"),
            r.getInteger("message_count")));
      }
      return out;
    });
  }
}
