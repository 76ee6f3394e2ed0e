-- Help points, questionnaire and routing rules edited live (issue 21): every change is a new row holding all three
-- files as validated YAML text, with who and why. The highest version is the one every node runs; a rollback is a
-- new version with an older version's texts (restored_from), so the history is never rewritten. The YAML in the
-- repository (or VP_CONFIG_DIR) seeds version 1 of an empty table. Contact data, hours and texts only: no
-- conversation data and no secrets live here.
CREATE TABLE routing_config_version (
  version        int PRIMARY KEY CHECK (version >= 1),
  created_at     timestamptz NOT NULL DEFAULT now(),
  author_id      bigint,                                -- staff account; NULL for the seed
  author_name    text NOT NULL,                         -- user name at the time, 'seed' for the seed
  action         text NOT NULL CHECK (action IN ('seed', 'edit', 'import', 'rollback')),
  reason         text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
  restored_from  int REFERENCES routing_config_version (version),
  help_points    text NOT NULL,
  questionnaire  text NOT NULL,
  routing_rules  text NOT NULL
);

-- Append-only like the audit trails: a version is never changed, a correction is a new version.
CREATE FUNCTION routing_config_version_no_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'routing_config_version is append-only';
END
$$;

CREATE TRIGGER routing_config_version_append_only BEFORE UPDATE ON routing_config_version
  FOR EACH ROW EXECUTE FUNCTION routing_config_version_no_update();

-- The admin audit trail records configuration edits, imports and rollbacks too ('read_access_log' is the access-log
-- viewer's, issue 21, kept here so the order in which the two migrations land does not matter).
ALTER TABLE admin_audit DROP CONSTRAINT admin_audit_action_check;
ALTER TABLE admin_audit ADD CONSTRAINT admin_audit_action_check CHECK (action IN ('invite', 'edit', 'disable',
  'enable', 'reset_two_factor', 'enrol', 'create_user', 'create_organisation', 'create_first_admin',
  'read_access_log', 'edit_config', 'import_config', 'rollback_config'));
