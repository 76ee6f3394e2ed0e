-- Honest presence (issue 17). A counselor is present while some node holds a live console socket of theirs and
-- keeps renewing its lease row here. The rows of a node that died expire on their own; a node that starts deletes
-- the rows of its own previous run (other nodes' rows stay, so a rolling restart keeps their counselors present).
-- Kept in PostgreSQL, not in a cluster map, so assignment checks presence in the same transaction that locks the
-- counselor. Holds staff ids, a node name and times only.
CREATE TABLE staff_presence (
  staff_id   bigint NOT NULL REFERENCES staff_user (id) ON DELETE CASCADE,
  node_id    text NOT NULL CHECK (length(node_id) BETWEEN 1 AND 100),
  sockets    int NOT NULL CHECK (sockets > 0),
  since      timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (staff_id, node_id)
);
CREATE INDEX staff_presence_node_idx ON staff_presence (node_id);

-- The last moment the counselor was known present (last socket closed, or the lease of their last row ran out).
-- Read only while no live presence row exists: it starts the grace after which their chats go back to the queue.
ALTER TABLE staff_user ADD COLUMN last_present_at timestamptz;
UPDATE staff_user SET last_present_at = coalesce(disconnected_at, now());
-- disconnected_at was per node: one node's last close marked a counselor away, and a restart left it NULL for ever.
ALTER TABLE staff_user DROP COLUMN disconnected_at;

-- Unanswered assignment: the counselor a chat was taken from because they sent no first message in time. The
-- auto-assigner does not hand the chat straight back to them (they can still take it by hand).
ALTER TABLE conversation ADD COLUMN passed_over_by bigint REFERENCES staff_user (id) ON DELETE SET NULL;

-- A visitor who paused the chat on purpose (a phone locked in a pocket) keeps the queue place for the longer pause
-- grace instead of the queue grace.
ALTER TABLE conversation ADD COLUMN visitor_paused boolean NOT NULL DEFAULT false;
