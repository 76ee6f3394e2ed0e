-- Access log (NEN 7513 style): one row per access to a transcript or per deletion. It never holds message content,
-- only who (staff id, role, organisation), what (action, conversation, which messages), when and why.
-- Append-only: the application's database role gets SELECT and INSERT only (granted at start-up by
-- nl.veiligpraten.audit.DatabaseRoles), and the trigger below refuses UPDATE for every role, owner included.
CREATE TABLE audit_log (
  id              bigserial PRIMARY KEY,
  at              timestamptz NOT NULL DEFAULT now(),
  staff_id        bigint,                                  -- NULL for visitor and system actions; no FK: kept after staff removal
  role            text NOT NULL CHECK (role IN ('counselor', 'supervisor', 'stats_viewer', 'org_admin',
                                                 'platform_admin', 'chain_viewer', 'visitor', 'system')),
  org_id          text,                                    -- organisation on whose behalf the access happened
  conversation_id uuid,                                    -- no FK: the row outlives shredding of the transcript
  action          text NOT NULL CHECK (action IN ('read_transcript', 'export_transcript', 'delete_on_request',
                                                   'retention_shred', 'read_audit_log')),
  reason          text CHECK (reason IS NULL OR length(reason) BETWEEN 1 AND 500),
  after_seq       bigint,                                  -- messages read: seq in (after_seq, last_seq]
  last_seq        bigint,
  message_count   int,
  CHECK (role <> 'supervisor' OR action NOT IN ('read_transcript', 'export_transcript') OR reason IS NOT NULL)
);
CREATE INDEX audit_log_org_idx ON audit_log (org_id, id);
CREATE INDEX audit_log_conversation_idx ON audit_log (conversation_id);

CREATE FUNCTION audit_log_no_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only';
END
$$;

CREATE TRIGGER audit_log_append_only BEFORE UPDATE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_no_update();
