package nl.veiligpraten.infra.audit;

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
}
