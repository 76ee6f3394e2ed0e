-- Messages are now inserted in batches (one INSERT ... SELECT FROM unnest per group commit). The first-reply
-- statistics trigger becomes statement-level: one UPDATE of stat_case_link and one INSERT of stat_event per batch,
-- instead of a row trigger with its own exception block (a subtransaction) for every counselor message.
DROP TRIGGER stat_message_insert ON message;

-- Lookups go through = ANY(array) and LATERAL ... LIMIT 1, so every access is an index probe: a join with the
-- transition table (estimated at any size) could otherwise be planned as a scan of the whole table per batch.
CREATE FUNCTION stat_messages_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  replied_in uuid[];
BEGIN
  SELECT array_agg(DISTINCT conversation_id) INTO replied_in FROM new_messages WHERE sender = 'counselor';
  IF replied_in IS NULL THEN
    RETURN NULL;
  END IF;
  WITH flipped AS (
    UPDATE stat_case_link SET replied = true
    WHERE conversation_id = ANY (replied_in) AND NOT replied
    RETURNING case_ref, conversation_id
  )
  -- Messages carry the transaction's now() as created_at: the first reply happened at now().
  INSERT INTO stat_event (case_ref, kind, at, org_id, help_point, priority)
  SELECT fl.case_ref, 'first_reply', now(), c.org_id, c.help_point, c.priority
  FROM flipped fl,
       LATERAL (SELECT org_id, help_point, priority FROM conversation WHERE id = fl.conversation_id LIMIT 1) c;
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
