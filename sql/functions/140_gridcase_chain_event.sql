-- Every new case event carries a hash chained to the previous event of its case
-- (gridcase_event_digest). The case is locked first (a no-op for the actions and the scheduler,
-- which hold its row already; it orders the rare writers that do not, such as replies passed on
-- to merged duplicates), then the hash chained to the case's latest event.
CREATE OR REPLACE FUNCTION gridcase_chain_event() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  prev bytea;
BEGIN
  PERFORM 1 FROM cases WHERE id = NEW.case_id FOR UPDATE;
  SELECT hash INTO prev FROM case_events WHERE case_id = NEW.case_id ORDER BY id DESC LIMIT 1;
  NEW.hash := gridcase_event_digest(prev, NEW);
  RETURN NEW;
END;
$$;
CREATE OR REPLACE TRIGGER case_events_chain BEFORE INSERT ON case_events
  FOR EACH ROW EXECUTE FUNCTION gridcase_chain_event();
