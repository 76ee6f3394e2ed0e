-- Issue 19, continuity in the same tab: a reload or Back during a chat resumes it with a single-use reload ticket
-- that the page keeps in sessionStorage (which browsers write to disk). Only the ticket's SHA-256 is stored, it is
-- replaced by a new one at every (re)connect, consumed by its one use, accepted only while the visitor's line is
-- up or dropped less than about a minute ago, and gone as soon as the conversation is closed in any way.
ALTER TABLE conversation ADD COLUMN reload_hash bytea;
CREATE UNIQUE INDEX conversation_reload_hash ON conversation (reload_hash) WHERE reload_hash IS NOT NULL;

CREATE FUNCTION conversation_drop_reload_on_close() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.reload_hash := NULL;
  RETURN NEW;
END;
$$;

-- Every close path (visitor, counselor, sweep, supervisor, retention) revokes the ticket, without each query
-- having to remember it.
CREATE TRIGGER conversation_drop_reload_on_close BEFORE UPDATE ON conversation
  FOR EACH ROW WHEN (NEW.status = 'closed' AND NEW.reload_hash IS NOT NULL)
  EXECUTE FUNCTION conversation_drop_reload_on_close();
