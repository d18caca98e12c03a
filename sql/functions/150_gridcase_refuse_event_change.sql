-- The case event log is append-only for everyone who connects to the database: the database
-- itself refuses to change, remove or truncate an event.
CREATE OR REPLACE FUNCTION gridcase_refuse_event_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'case_events is append-only: % refused', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE OR REPLACE TRIGGER case_events_append_only BEFORE UPDATE OR DELETE ON case_events
  FOR EACH ROW EXECUTE FUNCTION gridcase_refuse_event_change();
CREATE OR REPLACE TRIGGER case_events_no_truncate BEFORE TRUNCATE ON case_events
  FOR EACH STATEMENT EXECUTE FUNCTION gridcase_refuse_event_change();
