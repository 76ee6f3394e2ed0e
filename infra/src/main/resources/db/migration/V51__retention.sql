-- Crypto-shredding bookkeeping.
-- shredded_at: when the conversation's wrapped keys and messages were destroyed (retention or visitor request);
-- the row itself stays with structured codes only (status, help point, priority, outcome, intake codes).
ALTER TABLE conversation ADD COLUMN shredded_at timestamptz;
ALTER TABLE conversation ADD COLUMN shred_reason text CHECK (shred_reason IN ('retention', 'visitor_request'));
CREATE INDEX conversation_retention_idx ON conversation (org_id, closed_at) WHERE status = 'closed' AND shredded_at IS NULL;

-- Life cycle of organisation key-encryption-key (KEK) versions, one version per retention epoch. A version is
-- destroyed in the key store (outside the database) once no conversation_key row refers to it any more, which
-- makes old database dumps of the wrapped keys useless too. Times come from the retention job's clock.
CREATE TABLE kek_version (
  key_id         text PRIMARY KEY,                         -- e.g. csg#v3 (also the key store alias)
  org_id         text NOT NULL,
  created_at     timestamptz NOT NULL,                     -- first seen as current by the retention job
  superseded_at  timestamptz,                              -- a newer version became current
  destroyed_at   timestamptz                               -- deleted from the key store
);
CREATE INDEX kek_version_org_idx ON kek_version (org_id);

-- The retention job asks "does any wrapped key still use KEK version X?".
CREATE INDEX conversation_key_key_id_idx ON conversation_key (key_id);
