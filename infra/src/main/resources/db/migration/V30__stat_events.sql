-- Statistics (issue 9). An append-only store of structured codes, filled by triggers, so no other component has to
-- remember to call statistics code and a forgotten call can never leak text into it.
--
-- Privacy rules of this schema:
--  * events hold codes only: never message text, resume hashes, counselor ids or conversation ids;
--  * the events of one conversation share a random case_ref. The only link from a conversation to its case_ref is
--    stat_case_link, which is deleted with the conversation (ON DELETE CASCADE): after deletion on request or a
--    retention shred, the remaining events describe "a case" and nothing points back to a person or transcript;
--  * events are kept when transcripts are shredded (they are the steering information the brief asks for).

CREATE TABLE stat_case_link (
  conversation_id uuid PRIMARY KEY REFERENCES conversation (id) ON DELETE CASCADE,
  case_ref        uuid NOT NULL DEFAULT gen_random_uuid(),
  replied         boolean NOT NULL DEFAULT false             -- first counselor reply already recorded
);

-- Text columns carry short codes. The alphabet (^[a-z0-9_+-]) is enforced where values enter: stat_code() in the
-- triggers and in stat_emit(). The table itself checks lengths only: per-row regular expressions made bulk loads
-- (the generator, a re-import) three times slower, and a length limit already rules out free text.
CREATE TABLE stat_event (
  id            bigserial PRIMARY KEY,
  case_ref      uuid NOT NULL,
  kind          text NOT NULL CHECK (kind IN ('started', 'queued', 'assigned', 'first_reply', 'transferred',
                  'overridden', 'referral_offered', 'referral_accepted', 'referral_declined', 'referral_picked_up',
                  'closed', 'abandoned', 'deleted')),
  at            timestamptz NOT NULL,
  org_id        text CHECK (length(org_id) <= 40),
  help_point    text CHECK (length(help_point) <= 40),
  priority      smallint CHECK (priority BETWEEN 0 AND 3),
  role          text CHECK (length(role) <= 40),          -- Q1 code
  age_band      text CHECK (length(age_band) <= 40),      -- Q2 code (already a band)
  setting       text CHECK (length(setting) <= 40),       -- Q5 code
  lang          text CHECK (length(lang) <= 40),          -- nl, nl_easy, en
  rule          text CHECK (length(rule) <= 40),          -- routing rule id or chosen_by_visitor
  rules_version text CHECK (length(rules_version) <= 40),
  outcome       text CHECK (length(outcome) <= 40),
  reason        text CHECK (length(reason) <= 40),        -- override / transfer / referral reason code
  to_org        text CHECK (length(to_org) <= 40),
  to_help_point text CHECK (length(to_help_point) <= 40)
);
CREATE INDEX stat_event_flow_idx ON stat_event (kind, at) WHERE kind NOT IN ('started', 'queued', 'assigned',
  'first_reply', 'closed');

-- Append-only: the statistics store is evidence; corrections are new events, never edits.
CREATE FUNCTION stat_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'stat_event is append-only';
END $$;
CREATE TRIGGER stat_event_no_update BEFORE UPDATE OR DELETE ON stat_event
  FOR EACH STATEMENT EXECUTE FUNCTION stat_event_append_only();

-- One row per case: a projection of stat_event kept current by a statement-level trigger, so figures group a
-- single narrow row per case instead of joining five events. Rebuildable from stat_event at any time.
CREATE TABLE stat_case (
  case_ref       uuid PRIMARY KEY,
  started_at     timestamptz,
  queued_at      timestamptz,
  org_id         text,
  help_point     text,
  priority       smallint,
  role           text,
  age_band       text,
  setting        text,
  lang           text,
  rule           text,
  rules_version  text,
  assigned_at    timestamptz,
  first_reply_at timestamptz,
  closed_at      timestamptz,
  outcome        text,
  abandoned      boolean NOT NULL DEFAULT false,
  transfers      int NOT NULL DEFAULT 0,
  overrides      int NOT NULL DEFAULT 0,
  referrals      int NOT NULL DEFAULT 0,
  deleted        boolean NOT NULL DEFAULT false,
  -- Queue entry to first counselor message; stored so percentiles sort a plain number.
  wait_seconds   double precision GENERATED ALWAYS AS (extract(epoch FROM first_reply_at - queued_at)::float8) STORED
);
-- Figures always filter a period of queue entry, usually for one organisation.
CREATE INDEX stat_case_org_queued_idx ON stat_case (org_id, queued_at);
-- Covering index for chain figures and the month overview: an index-only scan once the month's pages are vacuumed.
CREATE INDEX stat_case_queued_idx ON stat_case (queued_at) INCLUDE (help_point, priority, abandoned, wait_seconds);

CREATE FUNCTION stat_case_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO stat_case AS c (case_ref, started_at, queued_at, org_id, help_point, priority, role, age_band, setting,
                              lang, rule, rules_version, assigned_at, first_reply_at, closed_at, outcome, abandoned,
                              transfers, overrides, referrals, deleted)
  SELECT n.case_ref,
         min(n.at) FILTER (WHERE n.kind = 'started'),
         min(n.at) FILTER (WHERE n.kind = 'queued'),
         max(n.org_id) FILTER (WHERE n.kind = 'queued'),
         max(n.help_point) FILTER (WHERE n.kind = 'queued'),
         max(n.priority) FILTER (WHERE n.kind = 'queued'),
         max(n.role) FILTER (WHERE n.kind = 'queued'),
         max(n.age_band) FILTER (WHERE n.kind = 'queued'),
         max(n.setting) FILTER (WHERE n.kind = 'queued'),
         max(n.lang) FILTER (WHERE n.kind = 'queued'),
         max(n.rule) FILTER (WHERE n.kind = 'queued'),
         max(n.rules_version) FILTER (WHERE n.kind = 'queued'),
         min(n.at) FILTER (WHERE n.kind = 'assigned'),
         min(n.at) FILTER (WHERE n.kind = 'first_reply'),
         min(n.at) FILTER (WHERE n.kind = 'closed'),
         max(n.outcome) FILTER (WHERE n.kind = 'closed'),
         bool_or(n.kind = 'abandoned'),
         count(*) FILTER (WHERE n.kind = 'transferred'),
         count(*) FILTER (WHERE n.kind = 'overridden'),
         count(*) FILTER (WHERE n.kind = 'referral_offered'),
         bool_or(n.kind = 'deleted')
  FROM new_events n
  GROUP BY n.case_ref
  ON CONFLICT (case_ref) DO UPDATE SET
    started_at     = coalesce(c.started_at, EXCLUDED.started_at),
    queued_at      = coalesce(c.queued_at, EXCLUDED.queued_at),
    org_id         = coalesce(c.org_id, EXCLUDED.org_id),
    help_point     = coalesce(c.help_point, EXCLUDED.help_point),
    priority       = coalesce(c.priority, EXCLUDED.priority),
    role           = coalesce(c.role, EXCLUDED.role),
    age_band       = coalesce(c.age_band, EXCLUDED.age_band),
    setting        = coalesce(c.setting, EXCLUDED.setting),
    lang           = coalesce(c.lang, EXCLUDED.lang),
    rule           = coalesce(c.rule, EXCLUDED.rule),
    rules_version  = coalesce(c.rules_version, EXCLUDED.rules_version),
    assigned_at    = coalesce(c.assigned_at, EXCLUDED.assigned_at),
    first_reply_at = coalesce(c.first_reply_at, EXCLUDED.first_reply_at),
    closed_at      = coalesce(c.closed_at, EXCLUDED.closed_at),
    outcome        = coalesce(c.outcome, EXCLUDED.outcome),
    abandoned      = c.abandoned OR EXCLUDED.abandoned,
    transfers      = c.transfers + EXCLUDED.transfers,
    overrides      = c.overrides + EXCLUDED.overrides,
    referrals      = c.referrals + EXCLUDED.referrals,
    deleted        = c.deleted OR EXCLUDED.deleted;
  RETURN NULL;
END $$;
CREATE TRIGGER stat_event_project AFTER INSERT ON stat_event REFERENCING NEW TABLE AS new_events
  FOR EACH STATEMENT EXECUTE FUNCTION stat_case_apply();

-- Counselors online and queue length, sampled once a minute per organisation by the console (StatsSampler).
-- Presence lives in memory/the cluster, not in PostgreSQL, so it cannot be derived from events afterwards.
CREATE TABLE stat_capacity_sample (
  org_id            text NOT NULL,
  sampled_at        timestamptz NOT NULL,
  counselors_online int NOT NULL CHECK (counselors_online >= 0),
  queue_length      int NOT NULL CHECK (queue_length >= 0),
  PRIMARY KEY (org_id, sampled_at)
);

-- Only codes from a fixed alphabet leave the intake jsonb; anything else becomes NULL (never free text).
CREATE FUNCTION stat_code(v text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN v ~ '^[a-z0-9_+-]{1,40}$' THEN v END
$$;

-- Hook for other tables (transfers, referrals, overrides) and repositories: records one event for a conversation
-- with codes only. Unknown conversations are ignored (nothing to count).
CREATE FUNCTION stat_emit(p_conversation uuid, p_kind text, p_reason text, p_to_org text, p_to_help_point text)
  RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  ref uuid;
  c   conversation%ROWTYPE;
BEGIN
  SELECT case_ref INTO ref FROM stat_case_link WHERE conversation_id = p_conversation;
  IF NOT FOUND THEN
    RETURN;
  END IF;
  SELECT * INTO c FROM conversation WHERE id = p_conversation;
  INSERT INTO stat_event (case_ref, kind, at, org_id, help_point, priority, reason, to_org, to_help_point)
  VALUES (ref, p_kind, now(), c.org_id, c.help_point, c.priority, stat_code(p_reason), stat_code(p_to_org),
          stat_code(p_to_help_point));
END $$;


CREATE FUNCTION stat_conversation_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ref uuid;
BEGIN
  INSERT INTO stat_case_link (conversation_id) VALUES (NEW.id) RETURNING case_ref INTO ref;
  INSERT INTO stat_event (case_ref, kind, at) VALUES (ref, 'started', NEW.created_at);
  RETURN NULL;
EXCEPTION WHEN OTHERS THEN
  -- Statistics must never stop a chat: log (no data, only the error class) and let the chat's statement commit.
  RAISE WARNING 'statistics trigger % failed: %', TG_NAME, SQLSTATE;
  RETURN NULL;
END $$;
CREATE TRIGGER stat_conversation_insert AFTER INSERT ON conversation
  FOR EACH ROW EXECUTE FUNCTION stat_conversation_inserted();

CREATE FUNCTION stat_conversation_updated() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ref uuid;
  answers jsonb;
  rule_code text;
BEGIN
  SELECT case_ref INTO ref FROM stat_case_link WHERE conversation_id = NEW.id;
  IF NOT FOUND THEN
    RETURN NULL;
  END IF;
  IF NEW.status = 'queued' AND OLD.status = 'intake' THEN
    answers := coalesce(NEW.intake -> 'answers', '{}'::jsonb);
    rule_code := NEW.intake ->> 'rule';
    INSERT INTO stat_event (case_ref, kind, at, org_id, help_point, priority, role, age_band, setting, lang, rule,
                            rules_version)
    VALUES (ref, 'queued', coalesce(NEW.queued_at, now()), NEW.org_id, NEW.help_point, NEW.priority,
            stat_code(answers ->> 'Q1'), stat_code(answers ->> 'Q2'), stat_code(answers ->> 'Q5'),
            stat_code(coalesce(NEW.intake ->> 'lang', answers ->> 'lang')),
            CASE WHEN rule_code ~ '^[A-Za-z0-9_.-]{1,40}$' THEN rule_code END,
            left(NEW.rules_version, 40));
  ELSIF NEW.status = 'assigned' AND OLD.status = 'queued' THEN
    INSERT INTO stat_event (case_ref, kind, at, org_id, help_point, priority)
    VALUES (ref, 'assigned', coalesce(NEW.assigned_at, now()), NEW.org_id, NEW.help_point, NEW.priority);
  ELSIF NEW.status = 'closed' AND OLD.status <> 'closed' THEN
    INSERT INTO stat_event (case_ref, kind, at, org_id, help_point, priority, outcome)
    VALUES (ref, 'closed', coalesce(NEW.closed_at, now()), NEW.org_id, NEW.help_point, NEW.priority,
            stat_code(NEW.outcome));
    -- Abandoned before answer: the visitor was waiting in a queue and nobody had taken the chat yet.
    IF OLD.status = 'queued' THEN
      INSERT INTO stat_event (case_ref, kind, at, org_id, help_point, priority)
      VALUES (ref, 'abandoned', coalesce(NEW.closed_at, now()), NEW.org_id, NEW.help_point, NEW.priority);
    END IF;
  END IF;
  -- A queue change of a live conversation (transfer by a counselor) keeps the first queue as the case's inflow.
  IF OLD.org_id IS NOT NULL AND NEW.status <> 'closed'
     AND (NEW.org_id IS DISTINCT FROM OLD.org_id OR NEW.help_point IS DISTINCT FROM OLD.help_point) THEN
    INSERT INTO stat_event (case_ref, kind, at, org_id, help_point, priority, to_org, to_help_point)
    VALUES (ref, 'transferred', now(), OLD.org_id, OLD.help_point, OLD.priority, NEW.org_id, NEW.help_point);
  END IF;
  RETURN NULL;
EXCEPTION WHEN OTHERS THEN
  -- Statistics must never stop a chat: log (no data, only the error class) and let the chat's statement commit.
  RAISE WARNING 'statistics trigger % failed: %', TG_NAME, SQLSTATE;
  RETURN NULL;
END $$;
CREATE TRIGGER stat_conversation_update AFTER UPDATE OF status, org_id, help_point ON conversation
  FOR EACH ROW EXECUTE FUNCTION stat_conversation_updated();

-- Deletion on request: one last event, then the link row goes with the conversation (cascade).
CREATE FUNCTION stat_conversation_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ref uuid;
BEGIN
  SELECT case_ref INTO ref FROM stat_case_link WHERE conversation_id = OLD.id;
  IF FOUND THEN
    INSERT INTO stat_event (case_ref, kind, at, org_id, help_point) VALUES (ref, 'deleted', now(), OLD.org_id,
                                                                           OLD.help_point);
  END IF;
  RETURN OLD;
EXCEPTION WHEN OTHERS THEN
  RAISE WARNING 'statistics trigger % failed: %', TG_NAME, SQLSTATE;
  RETURN OLD;
END $$;
CREATE TRIGGER stat_conversation_delete BEFORE DELETE ON conversation
  FOR EACH ROW EXECUTE FUNCTION stat_conversation_deleted();

-- First counselor message = first reply (waiting time ends here).
CREATE FUNCTION stat_message_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ref uuid;
  c   conversation%ROWTYPE;
BEGIN
  UPDATE stat_case_link SET replied = true WHERE conversation_id = NEW.conversation_id AND NOT replied
    RETURNING case_ref INTO ref;
  IF FOUND THEN
    SELECT * INTO c FROM conversation WHERE id = NEW.conversation_id;
    INSERT INTO stat_event (case_ref, kind, at, org_id, help_point, priority)
    VALUES (ref, 'first_reply', NEW.created_at, c.org_id, c.help_point, c.priority);
  END IF;
  RETURN NULL;
EXCEPTION WHEN OTHERS THEN
  -- Statistics must never stop a chat: log (no data, only the error class) and let the chat's statement commit.
  RAISE WARNING 'statistics trigger % failed: %', TG_NAME, SQLSTATE;
  RETURN NULL;
END $$;
CREATE TRIGGER stat_message_insert AFTER INSERT ON message
  FOR EACH ROW WHEN (NEW.sender = 'counselor') EXECUTE FUNCTION stat_message_inserted();
