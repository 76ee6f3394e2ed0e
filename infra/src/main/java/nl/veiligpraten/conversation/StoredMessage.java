package nl.veiligpraten.conversation;

import java.time.OffsetDateTime;

/** One stored message, body still sealed. */
public record StoredMessage(
    long seq,
    String sender,
    Long staffId,
    String clientId,
    byte[] sealedBody,
    OffsetDateTime createdAt) {}
