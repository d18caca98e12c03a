-- The admin audit log is append-only for everyone who connects to the database: the database
-- itself refuses to change, remove or truncate a record (docs/security.md).
CREATE OR REPLACE FUNCTION gridcase_refuse_audit_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'admin_audit is append-only: % refused', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE OR REPLACE TRIGGER admin_audit_append_only BEFORE UPDATE OR DELETE ON admin_audit
  FOR EACH ROW EXECUTE FUNCTION gridcase_refuse_audit_change();
CREATE OR REPLACE TRIGGER admin_audit_no_truncate BEFORE TRUNCATE ON admin_audit
  FOR EACH STATEMENT EXECUTE FUNCTION gridcase_refuse_audit_change();
