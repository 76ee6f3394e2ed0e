-- Single sign-on for staff (issue 21). An admin binds an account of an organisation with single sign-on to the
-- person's subject ("sub") at that organisation's OpenID Connect provider; such an account signs in only through the
-- provider (no password, no TOTP of ours: the provider's multi-factor sign-in is checked on the ID token instead).
ALTER TABLE staff_user ADD COLUMN sso_subject text
  CHECK (sso_subject IS NULL OR length(sso_subject) BETWEEN 1 AND 255);
CREATE UNIQUE INDEX staff_user_sso_subject_idx ON staff_user (org_id, sso_subject) WHERE sso_subject IS NOT NULL;

-- NULL for a local (password + TOTP) sign-in. For a single sign-on session: when the provider last confirmed the
-- person (the sign-in, then every successful refresh). A session whose confirmation is older than twice the re-check
-- interval is over on every node, so a node that died with the refresh token in its memory cannot leave it open.
ALTER TABLE staff_session ADD COLUMN sso_checked_at timestamptz;
