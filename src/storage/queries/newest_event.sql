-- The newest event's id, 0 when there is none: where a server process's live feed starts
-- (its catch-up after the listener reconnects replays from there).
SELECT coalesce(max(id), 0) FROM case_events
