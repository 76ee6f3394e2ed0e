-- Access log viewer (issue 21). A read of the access log is itself a row of it (action read_audit_log); the filter
-- and format of that read are kept beside it, so an organisation can see who looked at which counselor's or
-- conversation's reads and over which period. Only filter values (staff id, conversation id, dates, action,
-- format) are stored: never content, addresses or user agents.
ALTER TABLE audit_log ADD COLUMN detail jsonb;

-- An organisation admin asking for another organisation's access log is refused and the attempt is written to the
-- admin audit trail.
ALTER TABLE admin_audit DROP CONSTRAINT admin_audit_action_check;
ALTER TABLE admin_audit ADD CONSTRAINT admin_audit_action_check CHECK (action IN ('invite', 'edit', 'disable',
  'enable', 'reset_two_factor', 'enrol', 'create_user', 'create_organisation', 'create_first_admin',
  'read_access_log'));
