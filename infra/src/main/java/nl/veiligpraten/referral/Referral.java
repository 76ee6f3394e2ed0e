package nl.veiligpraten.referral;

import io.vertx.sqlclient.Row;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A proposed handover of a chat to another organisation. States: offered → accepted (visitor said
 * yes) → picked_up (a counselor of the receiving organisation took it) → closed; or offered →
 * declined / withdrawn. Codes only.
 */
public record Referral(
    UUID id,
    UUID conversationId,
    String fromOrg,
    String toOrg,
    String toHelpPoint,
    Long fromStaff,
    String state,
    OffsetDateTime createdAt,
    OffsetDateTime decidedAt,
    OffsetDateTime pickedUpAt,
    OffsetDateTime closedAt) {

  static Referral from(Row r) {
    return new Referral(
        r.getUUID("id"),
        r.getUUID("conversation_id"),
        r.getString("from_org"),
        r.getString("to_org"),
        r.getString("to_help_point"),
        r.getLong("from_staff"),
        r.getString("state"),
        r.getOffsetDateTime("created_at"),
        r.getOffsetDateTime("decided_at"),
        r.getOffsetDateTime("picked_up_at"),
        r.getOffsetDateTime("closed_at"));
  }
}
