-- The case event log and the admin audit log refused changes through two functions that differed
-- only in the table name of their message: sql/functions/150_gridcase_refuse_change.sql replaces
-- both with one, and re-creates the four triggers on it. Dropping the old functions drops their
-- triggers too; the function files run after this migration in the same transaction, so the
-- tables are never left without them.
DROP FUNCTION IF EXISTS gridcase_refuse_event_change() CASCADE;
DROP FUNCTION IF EXISTS gridcase_refuse_audit_change() CASCADE;
