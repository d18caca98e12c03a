-- The live feed's message about one event has one home: the NOTIFY payload that
-- gridcase_announce_event sends after a commit, and the replay that a reconnecting stream asks
-- for with Last-Event-ID (GET /api/v1/events/stream, src/storage/queries/events_after.sql).
-- The case's grid, unit and cell are its current ones: a replay shows a caller only cases that
-- are in their scope now, like every other read; the cell lets an officer's stream be confined
-- to their cells.
CREATE OR REPLACE FUNCTION gridcase_event_payload(e case_events, c cases) RETURNS json
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT json_build_object(
    'id', e.id, 'case_no', c.case_no, 'grid_path', c.grid_path::text, 'unit', c.unit_code,
    'cell', c.cell_code, 'action', e.action, 'from', e.from_status, 'to', e.to_status,
    'actor', e.actor, 'at', e.at)
$$;
