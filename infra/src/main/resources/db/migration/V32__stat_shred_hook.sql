-- Shredding (retention job, or delete on request by the visitor) keeps the conversation row with its codes but
-- replaces its resume hash. That is the moment statistics unlink: a 'deleted' event when the visitor asked for it,
-- and the link row conversation -> case_ref goes, so the events of the case no longer point to any conversation.
-- The trigger watches resume_hash (present since V1, changed only by shredding) because the shred columns are added
-- by a later migration (V51); the reason is read without naming the column so this works in any order.
CREATE FUNCTION stat_conversation_shredded() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ref uuid;
BEGIN
  DELETE FROM stat_case_link WHERE conversation_id = NEW.id RETURNING case_ref INTO ref;
  IF FOUND AND to_jsonb(NEW) ->> 'shred_reason' = 'visitor_request' THEN
    INSERT INTO stat_event (case_ref, kind, at, org_id, help_point, priority)
    VALUES (ref, 'deleted', now(), NEW.org_id, NEW.help_point, NEW.priority);
  END IF;
  RETURN NULL;
EXCEPTION WHEN OTHERS THEN
  RAISE WARNING 'statistics trigger % failed: %', TG_NAME, SQLSTATE;
  RETURN NULL;
END $$;
-- Named to fire after stat_conversation_update (triggers of one event fire in name order), which still needs the link
-- to record the 'closed' event of the same statement.
CREATE TRIGGER stat_conversation_update_shred AFTER UPDATE OF resume_hash ON conversation
  FOR EACH ROW WHEN (OLD.resume_hash IS DISTINCT FROM NEW.resume_hash)
  EXECUTE FUNCTION stat_conversation_shredded();
