-- Core schema of Veilig Praten. Privacy by construction: no column holds an IP address, user agent, name of a
-- visitor or plaintext message. Message bodies are sealed (AES-256-GCM) before they reach this database.

CREATE TABLE organisation (
  id          text PRIMARY KEY CHECK (id ~ '^[a-z][a-z0-9_]{1,39}$'),
  name        text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE staff_user (
  id            bigserial PRIMARY KEY,
  org_id        text REFERENCES organisation (id),          -- NULL only for platform/chain roles
  username      text NOT NULL UNIQUE CHECK (length(username) BETWEEN 3 AND 64),
  display_name  text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 64),
  role          text NOT NULL CHECK (role IN ('counselor', 'supervisor', 'stats_viewer', 'org_admin',
                                              'platform_admin', 'chain_viewer')),
  password_hash text NOT NULL,                                -- Argon2id, PHC string format
  totp_secret   bytea,                                        -- NULL until enrolled
  totp_last_step bigint NOT NULL DEFAULT 0,                   -- last accepted TOTP time step (reuse refused)
  capacity      int NOT NULL DEFAULT 3 CHECK (capacity BETWEEN 1 AND 20),
  created_at    timestamptz NOT NULL DEFAULT now()
);

-- Sessions of staff (console). Only a SHA-256 of the session id is stored, so a dump cannot be replayed.
CREATE TABLE staff_session (
  id_hash       bytea PRIMARY KEY,
  user_id       bigint NOT NULL REFERENCES staff_user (id) ON DELETE CASCADE,
  csrf_token    text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  last_seen_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE conversation (
  id              uuid PRIMARY KEY,
  resume_hash     bytea NOT NULL UNIQUE,                  -- SHA-256 of the resume token (token lives on the device only)
  resume_code_hash bytea UNIQUE,                          -- SHA-256 of the short resume code the visitor may write down
  status          text NOT NULL CHECK (status IN ('intake', 'queued', 'assigned', 'closed')),
  org_id          text REFERENCES organisation (id),      -- the organisation whose queue holds it
  help_point      text,
  priority        smallint CHECK (priority BETWEEN 0 AND 3),
  rules_version   text,
  intake          jsonb NOT NULL DEFAULT '{}'::jsonb,     -- structured answer codes only, never free text
  counselor_id    bigint REFERENCES staff_user (id),
  next_seq        bigint NOT NULL DEFAULT 0,
  outcome         text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  queued_at       timestamptz,
  assigned_at     timestamptz,
  closed_at       timestamptz,
  visitor_left_at timestamptz,                            -- socket dropped; the queue place is kept for a grace period
  CHECK ((status = 'assigned') = (counselor_id IS NOT NULL) OR status = 'closed')
);
CREATE INDEX conversation_queue_idx ON conversation (org_id, priority, queued_at) WHERE status = 'queued';
CREATE INDEX conversation_counselor_idx ON conversation (counselor_id) WHERE status = 'assigned';

-- One row per message. body is sealed with the conversation's data key; associated data binds
-- (conversation, seq, sender) so rows cannot be swapped.
CREATE TABLE message (
  conversation_id uuid NOT NULL REFERENCES conversation (id) ON DELETE CASCADE,
  seq             bigint NOT NULL,
  sender          text NOT NULL CHECK (sender IN ('visitor', 'counselor', 'system')),
  staff_id        bigint REFERENCES staff_user (id),
  client_id       text NOT NULL CHECK (length(client_id) BETWEEN 1 AND 64),
  body            bytea NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (conversation_id, seq),
  UNIQUE (conversation_id, sender, client_id)
);

-- The conversation's data key, wrapped for each organisation allowed to read the transcript.
CREATE TABLE conversation_key (
  conversation_id uuid NOT NULL REFERENCES conversation (id) ON DELETE CASCADE,
  org_id          text NOT NULL REFERENCES organisation (id),
  key_id          text NOT NULL,
  wrapped         bytea NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (conversation_id, org_id)
);
