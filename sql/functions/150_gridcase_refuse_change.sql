-- The case event log and the admin audit log are append-only for everyone who connects to the
-- database: the database itself refuses to change, remove or truncate a row of either
-- (docs/security.md). One function for both tables; the message names the table.
CREATE OR REPLACE FUNCTION gridcase_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE OR REPLACE TRIGGER case_events_append_only BEFORE UPDATE OR DELETE ON case_events
  FOR EACH ROW EXECUTE FUNCTION gridcase_refuse_change();
CREATE OR REPLACE TRIGGER case_events_no_truncate BEFORE TRUNCATE ON case_events
  FOR EACH STATEMENT EXECUTE FUNCTION gridcase_refuse_change();
CREATE OR REPLACE TRIGGER admin_audit_append_only BEFORE UPDATE OR DELETE ON admin_audit
  FOR EACH ROW EXECUTE FUNCTION gridcase_refuse_change();
CREATE OR REPLACE TRIGGER admin_audit_no_truncate BEFORE TRUNCATE ON admin_audit
  FOR EACH STATEMENT EXECUTE FUNCTION gridcase_refuse_change();
