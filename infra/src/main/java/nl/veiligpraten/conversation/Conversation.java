package nl.veiligpraten.conversation;

import io.vertx.sqlclient.Row;
import java.time.OffsetDateTime;
import java.util.UUID;
import nl.veiligpraten.routing.conversation.ConversationStatus;

/**
 * A conversation row as the edges need it. Holds codes only; the transcript is read separately and
 * sealed.
 */
public record Conversation(
    UUID id,
    ConversationStatus status,
    String orgId,
    String helpPoint,
    Integer priority,
    String rulesVersion,
    String intakeJson,
    Long counselorId,
    long nextSeq,
    String outcome,
    OffsetDateTime createdAt,
    OffsetDateTime queuedAt,
    OffsetDateTime assignedAt,
    OffsetDateTime closedAt,
    String counselorName) {

  static Conversation from(Row row) {
    Short priority = row.getShort("priority");
    return new Conversation(
        row.getUUID("id"),
        ConversationStatus.fromCode(row.getString("status")),
        row.getString("org_id"),
        row.getString("help_point"),
        priority == null ? null : priority.intValue(),
        row.getString("rules_version"),
        row.getString("intake"),
        row.getLong("counselor_id"),
        row.getLong("next_seq"),
        row.getString("outcome"),
        row.getOffsetDateTime("created_at"),
        row.getOffsetDateTime("queued_at"),
        row.getOffsetDateTime("assigned_at"),
        row.getOffsetDateTime("closed_at"),
        row.getString("counselor_name"));
  }

  public boolean isClosed() {
    return status.isFinal();
  }
}
