-- Issue 17 (queue control): a P0 ("in danger") claim beyond the flood limit is queued at P1 until a supervisor
-- confirms it; supervisors take over and reassign chats, which the assignment log records as such.
ALTER TABLE conversation ADD COLUMN p0_held boolean NOT NULL DEFAULT false;
CREATE INDEX conversation_p0_held_idx ON conversation (org_id) WHERE status = 'queued' AND p0_held;

ALTER TABLE assignment DROP CONSTRAINT IF EXISTS assignment_how_check;
ALTER TABLE assignment ADD CONSTRAINT assignment_how_check
  CHECK (how IN ('auto', 'pick', 'transfer', 'takeover', 'reassign'));

-- When the organisation's supervisors were alerted that this chat is about to miss its first-response target (set
-- by one atomic UPDATE, so one alert per chat however many nodes run the watch).
ALTER TABLE conversation ADD COLUMN target_alerted_at timestamptz;
