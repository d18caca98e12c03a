-- The case event log is append-only for everyone who connects to the database, and every event
-- carries a hash chained to the previous event of its case, so that an edit made behind the
-- database's back (a flipped byte in a file, a restore of a doctored dump) is found by
-- `gridcase verify-events`, which names the first broken event (docs/security.md, Audit).

-- The digest of one event: SHA-256 over the previous event's hash and the event's own fields in
-- a fixed text form (times in microseconds since the epoch, jsonb in its canonical text).
CREATE FUNCTION gridcase_event_digest(prev bytea, e case_events) RETURNS bytea
LANGUAGE sql IMMUTABLE AS $$
  SELECT sha256(coalesce(prev, '\x'::bytea) || convert_to(concat_ws(E'\x1f',
    e.id::text, e.case_id::text, (extract(epoch FROM e.at) * 1000000)::bigint::text, e.actor,
    e.actor_role, e.action, coalesce(e.from_status, ''), coalesce(e.to_status, ''), e.params::text,
    coalesce(e.note, E'\x1e'), array_to_string(e.attachments, E'\x1e')), 'UTF8'))
$$;

ALTER TABLE case_events ADD COLUMN hash bytea;

-- Events written before this migration join the chain now, case by case in id order.
DO $$
DECLARE
  e case_events;
  prev bytea;
  last_case bigint := NULL;
BEGIN
  FOR e IN SELECT * FROM case_events ORDER BY case_id, id LOOP
    IF last_case IS DISTINCT FROM e.case_id THEN
      prev := NULL;
      last_case := e.case_id;
    END IF;
    prev := gridcase_event_digest(prev, e);
    UPDATE case_events SET hash = prev WHERE id = e.id;
  END LOOP;
END;
$$;

ALTER TABLE case_events ALTER COLUMN hash SET NOT NULL;

-- Every new event: the case is locked (a no-op for the actions and the scheduler, which hold its
-- row already; it orders the rare writers that do not, such as replies passed on to merged
-- duplicates), then the hash chained to the case's latest event.
CREATE FUNCTION gridcase_chain_event() RETURNS trigger
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
CREATE TRIGGER case_events_chain BEFORE INSERT ON case_events
  FOR EACH ROW EXECUTE FUNCTION gridcase_chain_event();

-- Append-only: the database itself refuses to change or remove an event.
CREATE FUNCTION gridcase_refuse_event_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'case_events is append-only: % refused', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER case_events_append_only BEFORE UPDATE OR DELETE ON case_events
  FOR EACH ROW EXECUTE FUNCTION gridcase_refuse_event_change();
CREATE TRIGGER case_events_no_truncate BEFORE TRUNCATE ON case_events
  FOR EACH STATEMENT EXECUTE FUNCTION gridcase_refuse_event_change();

-- The first event whose stored hash does not match its fields and its predecessor's stored hash.
CREATE FUNCTION gridcase_first_broken_event() RETURNS TABLE (id bigint, case_no text, checked bigint)
LANGUAGE sql STABLE AS $$
  WITH checked AS (
    SELECT e.id, e.case_id, e.hash,
           gridcase_event_digest(lag(e.hash) OVER (PARTITION BY e.case_id ORDER BY e.id), e) AS expected
    FROM case_events e
  )
  SELECT b.id, (SELECT c.case_no FROM cases c WHERE c.id = b.case_id), (SELECT count(*) FROM checked)
  FROM (SELECT * FROM checked WHERE hash IS DISTINCT FROM expected ORDER BY id LIMIT 1) b
  UNION ALL
  SELECT NULL, NULL, (SELECT count(*) FROM checked)
  WHERE NOT EXISTS (SELECT 1 FROM checked WHERE hash IS DISTINCT FROM expected)
$$;
