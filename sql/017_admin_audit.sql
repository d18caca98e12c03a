-- Records a regulator asks for (docs/security.md, "Records a regulator will ask for").
--
-- The admin audit log: every administrative change (accounts, roles, scopes, tokens, the grid,
-- units and officers, the category catalogue, the work calendar) and every erasure of a
-- reporter's personal data, written by the service in the same transaction as the change
-- itself, so a change is committed exactly when its record is. `before` and `after` are what the
-- database rendered of the thing changed (gridcase_audit_snapshot): never a password hash or a
-- token digest, never a reporter's name or phone. Append-only: the triggers of
-- sql/functions/230_gridcase_refuse_audit_change.sql refuse every UPDATE, DELETE and TRUNCATE.
CREATE TABLE admin_audit (
  id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at     timestamptz NOT NULL DEFAULT now(),
  actor  text NOT NULL,  -- a username, 'cli' (a command on the server's machine) or 'system'
  action text NOT NULL,  -- domain::AuditAction: user.create, grid.import, reporter.erase, ...
  target text NOT NULL,  -- what was changed: a username, a token id, a district code, a case number
  before jsonb,
  after  jsonb
);
-- The filters of GET /api/v1/admin/audit, newest first by id.
CREATE INDEX admin_audit_actor_idx ON admin_audit (actor, id);
CREATE INDEX admin_audit_action_idx ON admin_audit (action, id);
CREATE INDEX admin_audit_target_idx ON admin_audit (target, id);

-- Reporter retention: the closed cases that still hold a reporter's name or phone, by the time
-- they were closed. An erased case leaves the index.
CREATE INDEX cases_reporter_kept_idx ON cases (closed_at, id)
  WHERE closed_at IS NOT NULL AND (reporter_name IS NOT NULL OR reporter_phone IS NOT NULL);
