-- Staff lifecycle (issue 21): invitations with one-time enrolment links, disabled accounts, last sign-in, and the
-- admin audit trail. Existing accounts (created with a password by an admin or the demo data) count as enrolled.
ALTER TABLE staff_user ADD COLUMN disabled_at timestamptz;                -- NULL: active; set: no login, no session
ALTER TABLE staff_user ADD COLUMN enrolled_at timestamptz DEFAULT now();  -- NULL: invited, password and TOTP not set yet
ALTER TABLE staff_user ADD COLUMN last_sign_in_at timestamptz;

-- One-time enrolment links. Only a SHA-256 of the link's token is stored (a dump cannot be used to enrol); a link is
-- used once (used_at), expires, and is burnt after too many wrong TOTP codes.
CREATE TABLE staff_enrolment (
  token_hash   bytea PRIMARY KEY,
  user_id      bigint NOT NULL REFERENCES staff_user (id) ON DELETE CASCADE,
  purpose      text NOT NULL CHECK (purpose IN ('invite', 'reset_two_factor', 'first_admin')),
  created_at   timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL,
  used_at      timestamptz,
  failed_codes int NOT NULL DEFAULT 0
);
CREATE INDEX staff_enrolment_user_idx ON staff_enrolment (user_id);

-- Admin audit trail: who did what to which account or organisation, when, and whether it was refused. Never a
-- password, TOTP secret, enrolment token or session id: detail holds field names and their new non-secret values.
-- Append-only like audit_log: the trigger refuses UPDATE for every role, and the app role gets no UPDATE/DELETE
-- (nl.veiligpraten.audit.DatabaseRoles).
CREATE TABLE admin_audit (
  id          bigserial PRIMARY KEY,
  at          timestamptz NOT NULL DEFAULT now(),
  actor_id    bigint,                                   -- no FK: the row outlives the account; NULL for the command line
  actor_name  text NOT NULL,                            -- user name at the time, 'create-admin' for the command line
  actor_role  text NOT NULL,
  actor_org   text,
  action      text NOT NULL CHECK (action IN ('invite', 'edit', 'disable', 'enable', 'reset_two_factor', 'enrol',
                                              'create_user', 'create_organisation', 'create_first_admin')),
  target_id   bigint,                                   -- the staff account acted on, if any
  target_name text,
  target_org  text,                                     -- organisation the action concerns (NULL: platform level)
  outcome     text NOT NULL CHECK (outcome IN ('done', 'refused')),
  reason      text CHECK (reason IS NULL OR length(reason) BETWEEN 1 AND 64),  -- refusal code
  detail      jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX admin_audit_org_idx ON admin_audit (target_org, id);
CREATE INDEX admin_audit_actor_org_idx ON admin_audit (actor_org, id);

CREATE FUNCTION admin_audit_no_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'admin_audit is append-only';
END
$$;

CREATE TRIGGER admin_audit_append_only BEFORE UPDATE ON admin_audit
  FOR EACH ROW EXECUTE FUNCTION admin_audit_no_update();
