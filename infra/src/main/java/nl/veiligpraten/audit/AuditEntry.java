package nl.veiligpraten.audit;

import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * One row of the access log as an organisation admin sees it. Holds no message content; {@code
 * detail} is the filter and format of a {@code read_audit_log} row (null for other actions).
 */
public record AuditEntry(
    long id,
    OffsetDateTime at,
    Long staffId,
    String staffName,
    String role,
    String orgId,
    UUID conversationId,
    String action,
    String reason,
    Long afterSeq,
    Long lastSeq,
    Integer messageCount,
    JsonObject detail) {}
