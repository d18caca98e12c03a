-- The orders of GET /api/v1/cases besides newest and oldest (the primary key serves both):
-- `deadline` walks the handling deadline in force, soonest first, cases without one last;
-- `updated` the latest change first. Each page reads one index from the cursor on and stops.
CREATE INDEX cases_deadline_order_idx
  ON cases ((coalesce(cycle_deadline, 'infinity'::timestamptz)), id);
CREATE INDEX cases_updated_order_idx ON cases (updated_at, id);
