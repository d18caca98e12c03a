-- $1 the last event id a stream's client (or this process's listener) saw, $2 at most this many
-- events (oldest first): the live feed's payloads (sql/011_feed_replay.sql) of the events it may
-- have missed, for a replay. Those numbered after $1, and those numbered before it whose
-- transaction the snapshot that wrote $1 did not see (they may have committed after it:
-- sql/032_feed_horizon.sql); a client may have seen some of the latter, and passes over an id it
-- has. An unknown $1 (or one written before 032) replays only the events after it. Two halves,
-- each read by its own index (the primary key; case_events_xact_idx), merged by id.
WITH seen AS (SELECT s.snapshot FROM case_events s WHERE s.id = $1::bigint)
SELECT m.payload FROM (
  (SELECT e.id, gridcase_event_payload(e, c)::text AS payload
   FROM case_events e JOIN cases c ON c.id = e.case_id
   WHERE e.id > $1::bigint
   ORDER BY e.id
   LIMIT $2::int)
  UNION ALL
  SELECT e.id, gridcase_event_payload(e, c)::text
  FROM seen, case_events e JOIN cases c ON c.id = e.case_id
  WHERE e.xact >= pg_snapshot_xmin(seen.snapshot) AND e.id < $1::bigint
    AND NOT pg_visible_in_snapshot(e.xact, seen.snapshot)
) m
ORDER BY m.id
LIMIT $2::int
