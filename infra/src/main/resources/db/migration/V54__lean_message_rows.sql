-- Inserting a message row did three things per row besides the row and its two indexes: two foreign-key checks
-- (each a query with a row lock on the referenced row) and the statistics trigger's copy of every new row into a
-- transition table. Measured with pgbench on the benchmark's data (2-core box, batches of 35): about 70 µs of
-- PostgreSQL CPU per stored message with them, about 50 without. What they guaranteed is kept another way.

-- 1. First reply. The message writer already holds the conversation row (locked, and updated for next_seq) and
--    knows which of its messages are a counselor's: it sets first_reply_at in that same UPDATE. A row trigger whose
--    WHEN clause is false for every later update records the statistics event once, at the transaction's now() (the
--    created_at of the message), exactly as the statement-level message trigger of V53 did.
ALTER TABLE conversation ADD COLUMN first_reply_at timestamptz;

UPDATE conversation c SET first_reply_at = m.at
FROM (SELECT conversation_id, min(created_at) AS at FROM message WHERE sender = 'counselor' GROUP BY 1) m
WHERE m.conversation_id = c.id;

DROP TRIGGER stat_message_insert ON message;
DROP FUNCTION stat_messages_inserted();

CREATE FUNCTION stat_conversation_first_reply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO stat_event (case_ref, kind, at, org_id, help_point, priority)
  SELECT l.case_ref, 'first_reply', NEW.first_reply_at, NEW.org_id, NEW.help_point, NEW.priority
  FROM stat_case_link l WHERE l.conversation_id = NEW.id AND NOT l.replied;
  UPDATE stat_case_link SET replied = true WHERE conversation_id = NEW.id AND NOT replied;
  RETURN NULL;
EXCEPTION WHEN OTHERS THEN
  -- Statistics must never stop a chat: log (no data, only the error class) and let the chat's statement commit.
  RAISE WARNING 'statistics trigger % failed: %', TG_NAME, SQLSTATE;
  RETURN NULL;
END $$;

CREATE TRIGGER stat_conversation_first_reply AFTER UPDATE OF first_reply_at ON conversation
  FOR EACH ROW WHEN (OLD.first_reply_at IS NULL AND NEW.first_reply_at IS NOT NULL)
  EXECUTE FUNCTION stat_conversation_first_reply();

-- 2. Foreign keys of message. conversation_id: every insert goes through the message writer, which inserts only
--    under its own row lock on the conversation (a row it has just read, so it exists, and a DELETE waits for the
--    writer's commit). staff_id: the writer stores a staff id only for the counselor the conversation is assigned to,
--    checked under that same lock (conversation.counselor_id keeps its own foreign key). The cascade on delete
--    becomes a trigger: deleting a conversation still deletes its messages, including rows a writer committed while
--    the DELETE waited for the row lock (the trigger's statement sees them).
ALTER TABLE message DROP CONSTRAINT message_conversation_id_fkey;
ALTER TABLE message DROP CONSTRAINT message_staff_id_fkey;

CREATE FUNCTION conversation_messages_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- = ANY(ARRAY(...)) keeps this to index probes (a join with the transition table may be planned as a full scan).
  DELETE FROM message WHERE conversation_id = ANY (ARRAY(SELECT id FROM gone));
  RETURN NULL;
END $$;

CREATE TRIGGER conversation_delete_messages AFTER DELETE ON conversation REFERENCING OLD TABLE AS gone
  FOR EACH STATEMENT EXECUTE FUNCTION conversation_messages_deleted();
