-- Counselor console: availability, skills, capacity-aware assignment history, transfers, referrals between
-- organisations (with the visitor's consent), counselor-only notes (whispers, transfer notes) and canned replies.
-- Still no free text in plain form about a visitor: notes are sealed like messages; tags and reasons are codes.

ALTER TABLE staff_user ADD COLUMN status text NOT NULL DEFAULT 'away'
  CHECK (status IN ('available', 'away', 'busy'));
ALTER TABLE staff_user ADD COLUMN skills text[] NOT NULL DEFAULT '{}';
-- NULL while the counselor has a live console socket; set when the last one closed. Chats of a counselor who is
-- gone longer than the grace period go back to the head of the queue.
ALTER TABLE staff_user ADD COLUMN disconnected_at timestamptz DEFAULT now();
-- Secret offered at enrolment, active only after a first valid code.
ALTER TABLE staff_user ADD COLUMN totp_pending bytea;

ALTER TABLE conversation ADD COLUMN tags text[] NOT NULL DEFAULT '{}';
ALTER TABLE conversation ADD COLUMN required_skills text[] NOT NULL DEFAULT '{}';
-- A chat that lost its counselor (disconnect, warm transfer to the queue, accepted referral) is served first.
ALTER TABLE conversation ADD COLUMN queue_head boolean NOT NULL DEFAULT false;
ALTER TABLE conversation ADD COLUMN transfer_count int NOT NULL DEFAULT 0;

-- Every time a conversation gets an owner: lets tests and statistics prove "assigned exactly once" and ordering.
CREATE TABLE assignment (
  id              bigserial PRIMARY KEY,
  conversation_id uuid NOT NULL REFERENCES conversation (id) ON DELETE CASCADE,
  org_id          text NOT NULL REFERENCES organisation (id),
  staff_id        bigint NOT NULL REFERENCES staff_user (id),
  how             text NOT NULL CHECK (how IN ('auto', 'pick', 'transfer')),
  priority        smallint,
  queued_at       timestamptz,
  assigned_at     timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX assignment_conversation_idx ON assignment (conversation_id);
CREATE INDEX assignment_staff_idx ON assignment (staff_id, assigned_at);

CREATE TABLE referral (
  id              uuid PRIMARY KEY,
  conversation_id uuid NOT NULL REFERENCES conversation (id) ON DELETE CASCADE,
  from_org        text NOT NULL REFERENCES organisation (id),
  to_org          text NOT NULL REFERENCES organisation (id),
  to_help_point   text NOT NULL,
  from_staff      bigint REFERENCES staff_user (id),
  state           text NOT NULL CHECK (state IN ('offered', 'accepted', 'declined', 'picked_up', 'closed', 'withdrawn')),
  created_at      timestamptz NOT NULL DEFAULT now(),
  decided_at      timestamptz,
  picked_up_at    timestamptz,
  closed_at       timestamptz,
  CHECK (from_org <> to_org)
);
CREATE UNIQUE INDEX referral_one_open_idx ON referral (conversation_id) WHERE state = 'offered';
CREATE INDEX referral_org_idx ON referral (from_org, to_org);

-- Counselor-only notes. Never in table message, so no visitor code path can read or deliver them.
-- Bodies are sealed with the conversation's data key; the associated data uses sender 'note:<kind>', a value
-- table message can never hold, so a note cannot be swapped into the transcript.
CREATE TABLE staff_note (
  conversation_id uuid NOT NULL REFERENCES conversation (id) ON DELETE CASCADE,
  seq             bigint NOT NULL,
  kind            text NOT NULL CHECK (kind IN ('whisper', 'transfer')),
  org_id          text NOT NULL REFERENCES organisation (id),
  staff_id        bigint NOT NULL REFERENCES staff_user (id),
  body            bytea NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (conversation_id, seq)
);

-- Canned replies: org_id NULL = platform defaults shown to every organisation; otherwise the organisation's own.
CREATE TABLE canned_reply (
  id         bigserial PRIMARY KEY,
  org_id     text REFERENCES organisation (id) ON DELETE CASCADE,
  title      text NOT NULL CHECK (length(title) BETWEEN 1 AND 60),
  body       text NOT NULL CHECK (length(body) BETWEEN 1 AND 2000),
  created_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO canned_reply (org_id, title, body) VALUES
  (NULL, 'Welkom', 'Hoi, fijn dat je er bent. Je praat nu met een hulpverlener. Je hoeft niets te vertellen wat je niet wilt.'),
  (NULL, 'Rustig aan', 'Neem rustig de tijd. Ik blijf hier.'),
  (NULL, '112', 'Ben je nu in gevaar? Bel dan 112.'),
  (NULL, 'Afsluiten', 'Dank je wel voor je vertrouwen. Je kunt altijd terugkomen.');
