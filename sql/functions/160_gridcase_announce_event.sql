-- Every committed event is announced for the live feed (GET /api/v1/events/stream), with the
-- payload a replay also sends (gridcase_event_payload).
CREATE OR REPLACE FUNCTION gridcase_announce_event() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('gridcase_events', gridcase_event_payload(NEW, c)::text)
  FROM cases c WHERE c.id = NEW.case_id;
  RETURN NULL;
END;
$$;
CREATE OR REPLACE TRIGGER case_events_announce AFTER INSERT ON case_events
  FOR EACH ROW EXECUTE FUNCTION gridcase_announce_event();
