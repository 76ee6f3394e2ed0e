package nl.veiligpraten.assignment;

import io.vertx.sqlclient.Row;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * A queued chat as the console shows it: codes only (help point, priority, intake answer codes,
 * skills).
 *
 * @param waitingSeconds seconds since it entered the queue, measured by PostgreSQL
 */
public record QueueItem(
    UUID id,
    String orgId,
    String helpPoint,
    int priority,
    String intakeJson,
    OffsetDateTime queuedAt,
    List<String> requiredSkills,
    boolean queueHead,
    int transferCount,
    long waitingSeconds) {

  static QueueItem from(Row row) {
    Short p = row.getShort("priority");
    Long waiting = row.getLong("waiting");
    return new QueueItem(
        row.getUUID("id"),
        row.getString("org_id"),
        row.getString("help_point"),
        p == null ? 3 : p,
        row.getString("intake"),
        row.getOffsetDateTime("queued_at"),
        List.of(row.getArrayOfStrings("required_skills")),
        row.getBoolean("queue_head"),
        row.getInteger("transfer_count"),
        waiting == null ? 0 : waiting);
  }
}
