-- Shredding now deletes the conversation row itself (after its keys and messages), so the statistics link row
-- (stat_case_link, ON DELETE CASCADE) goes too and the kept statistics events no longer point to any conversation.
-- The bookkeeping columns of V51 are therefore not needed; the audit log records every shred and deletion.
ALTER TABLE conversation DROP COLUMN shredded_at;
ALTER TABLE conversation DROP COLUMN shred_reason;
CREATE INDEX conversation_closed_idx ON conversation (org_id, closed_at) WHERE status = 'closed';
