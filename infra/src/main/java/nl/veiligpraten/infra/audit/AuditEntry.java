package nl.veiligpraten.infra.audit;

import java.time.OffsetDateTime;
import java.util.UUID;

/** One row of the access log as an organisation admin sees it. Holds no message content. */
public record AuditEntry(long id, OffsetDateTime at, Long staffId, String staffName, String role, String orgId,
                         UUID conversationId, String action, String reason, Long afterSeq, Long lastSeq,
                         Integer messageCount) {
}
