package nl.veiligpraten.audit;

import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.util.Objects;
import java.util.UUID;

/**
 * What part of one organisation's access log to read (issue 21, access log viewer): always exactly
 * one organisation, optionally one staff member, one conversation, a period {@code [from, to)} and
 * one action. Built by the console from the caller's session and checked query parameters; the
 * organisation never comes from a parameter of an organisation admin.
 *
 * @param orgId the organisation whose log is read (required)
 * @param staffId only rows of this staff account, or null
 * @param conversationId only rows about this conversation, or null
 * @param from only rows at or after this moment, or null
 * @param to only rows before this moment, or null
 * @param action only rows with this action, or null
 */
public record AuditFilter(
    String orgId,
    Long staffId,
    UUID conversationId,
    OffsetDateTime from,
    OffsetDateTime to,
    AuditAction action) {

  public AuditFilter {
    Objects.requireNonNull(orgId, "orgId");
    if (from != null && to != null && !from.isBefore(to)) {
      throw new IllegalArgumentException("from must lie before to");
    }
  }

  /** The whole log of one organisation. */
  public static AuditFilter all(String orgId) {
    return new AuditFilter(orgId, null, null, null, null, null);
  }

  /** The filter as stored beside a {@code read_audit_log} row: only the parts that were set. */
  public JsonObject json() {
    JsonObject out = new JsonObject();
    if (staffId != null) {
      out.put("staff", staffId);
    }
    if (conversationId != null) {
      out.put("conversation", conversationId.toString());
    }
    if (from != null) {
      out.put("from", from.toInstant().toString());
    }
    if (to != null) {
      out.put("to", to.toInstant().toString());
    }
    if (action != null) {
      out.put("action", action.code());
    }
    return out;
  }
}
