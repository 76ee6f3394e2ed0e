-- Messages are now inserted in batches (one INSERT ... SELECT FROM unnest per group commit). The first-reply
-- statistics trigger becomes statement-level: one UPDATE of stat_case_link and one INSERT of stat_event per batch,
-- instead of a row trigger with its own exception block (a subtransaction) for every counselor message.
DROP TRIGGER stat_message_insert ON message;

CREATE FUNCTION stat_messages_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  WITH first_reply AS (
    SELECT conversation_id, min(created_at) AS at
    FROM new_messages WHERE sender = 'counselor' GROUP BY conversation_id
  ), flipped AS (
    UPDATE stat_case_link l SET replied = true FROM first_reply f
    WHERE l.conversation_id = f.conversation_id AND NOT l.replied
    RETURNING l.case_ref, f.conversation_id, f.at
  )
  INSERT INTO stat_event (case_ref, kind, at, org_id, help_point, priority)
  SELECT fl.case_ref, 'first_reply', fl.at, c.org_id, c.help_point, c.priority
  FROM flipped fl JOIN conversation c ON c.id = fl.conversation_id;
  RETURN NULL;
EXCEPTION WHEN OTHERS THEN
  -- Statistics must never stop a chat: log (no data, only the error class) and let the chat's statement commit.
  RAISE WARNING 'statistics trigger % failed: %', TG_NAME, SQLSTATE;
  RETURN NULL;
END $$;

CREATE TRIGGER stat_message_insert AFTER INSERT ON message REFERENCING NEW TABLE AS new_messages
  FOR EACH STATEMENT EXECUTE FUNCTION stat_messages_inserted();

DROP FUNCTION stat_message_inserted();

-- Every message batch moves next_seq of its conversations: room on each page lets PostgreSQL update in place
-- (HOT, no new index entries in the conversation indexes).
ALTER TABLE conversation SET (fillfactor = 70);
