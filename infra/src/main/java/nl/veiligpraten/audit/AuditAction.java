package nl.veiligpraten.audit;

/** What happened, as stored in {@code audit_log.action}. */
public enum AuditAction {
  READ_TRANSCRIPT("read_transcript"),
  EXPORT_TRANSCRIPT("export_transcript"),
  DELETE_ON_REQUEST("delete_on_request"),
  RETENTION_SHRED("retention_shred"),
  READ_AUDIT_LOG("read_audit_log");

  private final String code;

  AuditAction(String code) {
    this.code = code;
  }

  public String code() {
    return code;
  }

  /** The action with this stored code, or empty. */
  public static java.util.Optional<AuditAction> fromCode(String code) {
    for (AuditAction a : values()) {
      if (a.code.equals(code)) {
        return java.util.Optional.of(a);
      }
    }
    return java.util.Optional.empty();
  }
}
