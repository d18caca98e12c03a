-- $1 the last event id a stream's client saw, $2 at most this many events (oldest first): the
-- live feed's payloads (sql/011_feed_replay.sql) of the events written since, for a replay.
SELECT gridcase_event_payload(e, c)::text
FROM case_events e JOIN cases c ON c.id = e.case_id
WHERE e.id > $1::bigint
ORDER BY e.id
LIMIT $2::int
