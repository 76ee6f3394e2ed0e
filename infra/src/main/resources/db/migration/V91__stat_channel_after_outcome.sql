-- V90 redefined the statistics trigger functions from their V58 text and so dropped what V86 (issue 18, the
-- counselor's outcome of a chat the visitor ended: the 'outcome' event and stat_case.left_by_visitor) had added;
-- both migrations were written at the same time. This is V86's text with V90's message channel (issue 19) added:
-- intake -> inbox records a 'queued' event with channel 'message', inbox -> assigned an 'assigned' event.
CREATE OR REPLACE FUNCTION stat_case_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO stat_case AS c (case_ref, started_at, queued_at, org_id, help_point, priority, role, age_band, setting,
                              came_from, channel, lang, rule, rules_version, assigned_at, first_reply_at, closed_at, outcome, abandoned,
                              transfers, overrides, referrals, deleted, left_by_visitor)
  SELECT n.case_ref,
         min(n.at) FILTER (WHERE n.kind = 'started'),
         min(n.at) FILTER (WHERE n.kind = 'queued'),
         max(n.org_id) FILTER (WHERE n.kind = 'queued'),
         max(n.help_point) FILTER (WHERE n.kind = 'queued'),
         max(n.priority) FILTER (WHERE n.kind = 'queued'),
         max(n.role) FILTER (WHERE n.kind = 'queued'),
         max(n.age_band) FILTER (WHERE n.kind = 'queued'),
         max(n.setting) FILTER (WHERE n.kind = 'queued'),
         max(n.came_from) FILTER (WHERE n.kind = 'queued'),
         max(n.channel) FILTER (WHERE n.kind = 'queued'),
         max(n.lang) FILTER (WHERE n.kind = 'queued'),
         max(n.rule) FILTER (WHERE n.kind = 'queued'),
         max(n.rules_version) FILTER (WHERE n.kind = 'queued'),
         min(n.at) FILTER (WHERE n.kind = 'assigned'),
         min(n.at) FILTER (WHERE n.kind = 'first_reply'),
         min(n.at) FILTER (WHERE n.kind = 'closed'),
         -- The counselor's outcome of a chat the visitor ended comes after its 'closed' event and replaces it.
         coalesce(max(n.outcome) FILTER (WHERE n.kind = 'outcome'), max(n.outcome) FILTER (WHERE n.kind = 'closed')),
         bool_or(n.kind = 'abandoned'),
         count(*) FILTER (WHERE n.kind = 'transferred'),
         count(*) FILTER (WHERE n.kind = 'overridden'),
         count(*) FILTER (WHERE n.kind = 'referral_offered'),
         bool_or(n.kind = 'deleted'),
         coalesce(bool_or(n.kind = 'closed' AND n.outcome IN ('visitor_left', 'visitor_left_hurry')), false)
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
    came_from      = coalesce(c.came_from, EXCLUDED.came_from),
    channel        = coalesce(c.channel, EXCLUDED.channel),
    lang           = coalesce(c.lang, EXCLUDED.lang),
    rule           = coalesce(c.rule, EXCLUDED.rule),
    rules_version  = coalesce(c.rules_version, EXCLUDED.rules_version),
    assigned_at    = coalesce(c.assigned_at, EXCLUDED.assigned_at),
    first_reply_at = coalesce(c.first_reply_at, EXCLUDED.first_reply_at),
    closed_at      = coalesce(c.closed_at, EXCLUDED.closed_at),
    outcome        = CASE WHEN c.left_by_visitor AND c.outcome IN ('visitor_left', 'visitor_left_hurry')
                          THEN coalesce(EXCLUDED.outcome, c.outcome) ELSE coalesce(c.outcome, EXCLUDED.outcome) END,
    abandoned      = c.abandoned OR EXCLUDED.abandoned,
    transfers      = c.transfers + EXCLUDED.transfers,
    overrides      = c.overrides + EXCLUDED.overrides,
    referrals      = c.referrals + EXCLUDED.referrals,
    deleted        = c.deleted OR EXCLUDED.deleted,
    left_by_visitor = c.left_by_visitor OR EXCLUDED.left_by_visitor;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION stat_conversation_updated() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ref uuid;
  answers jsonb;
  rule_code text;
BEGIN
  SELECT case_ref INTO ref FROM stat_case_link WHERE conversation_id = NEW.id;
  IF NOT FOUND THEN
    RETURN NULL;
  END IF;
  IF NEW.status IN ('queued', 'inbox') AND OLD.status = 'intake' THEN
    answers := coalesce(NEW.intake -> 'answers', '{}'::jsonb);
    rule_code := NEW.intake ->> 'rule';
    INSERT INTO stat_event (case_ref, kind, at, org_id, help_point, priority, role, age_band, setting, came_from,
                            lang, rule, rules_version, channel)
    VALUES (ref, 'queued', coalesce(NEW.queued_at, now()), NEW.org_id, NEW.help_point, NEW.priority,
            stat_code(answers ->> 'Q1'), stat_code(answers ->> 'Q2'), stat_code(answers ->> 'Q5'),
            stat_code(answers ->> 'QF'),
            stat_code(coalesce(NEW.intake ->> 'lang', answers ->> 'lang')),
            CASE WHEN rule_code ~ '^[A-Za-z0-9_.-]{1,40}$' THEN rule_code END,
            left(NEW.rules_version, 40),
            CASE WHEN NEW.status = 'inbox' THEN 'message' ELSE 'chat' END);
  ELSIF NEW.status = 'assigned' AND OLD.status IN ('queued', 'inbox') THEN
    INSERT INTO stat_event (case_ref, kind, at, org_id, help_point, priority)
    VALUES (ref, 'assigned', coalesce(NEW.assigned_at, now()), NEW.org_id, NEW.help_point, NEW.priority);
  ELSIF NEW.status = 'closed' AND OLD.status = 'closed' AND OLD.outcome_pending AND NOT NEW.outcome_pending THEN
    -- The counselor recorded the outcome of a chat the visitor ended: counted as that outcome from now on.
    INSERT INTO stat_event (case_ref, kind, at, org_id, help_point, priority, outcome)
    VALUES (ref, 'outcome', now(), NEW.org_id, NEW.help_point, NEW.priority, stat_code(NEW.outcome));
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
