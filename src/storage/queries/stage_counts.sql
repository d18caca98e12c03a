-- The open cases (status neither closed nor rejected) of a node's subtree by status, each with how
-- many have a running timer past its deadline (a red light), counting only the cases the reader
-- may read. $1 node code, $2 the reader's scope kind, $3 its code (NULL for the district): the
-- rule of gridcase_in_scope, written out as in list_cases.sql. No row when the grid has no node $1.
WITH root AS (SELECT path FROM grid_nodes WHERE code = $1::text),
open_cases AS (
  SELECT c.status,
         EXISTS (SELECT 1 FROM case_timers t
                 WHERE t.case_id = c.id AND t.ended_at IS NULL AND t.paused_at IS NULL
                   AND t.deadline < now()) AS overdue
  FROM cases c, root
  WHERE c.status NOT IN ('closed', 'rejected') AND c.grid_path <@ root.path
    AND CASE $2::text
          WHEN 'district' THEN true
          WHEN 'grid' THEN coalesce(c.grid_path <@ (SELECT path FROM grid_nodes WHERE code = $3::text), false)
          WHEN 'unit' THEN coalesce(c.unit_code = $3::text, false)
          WHEN 'officer' THEN coalesce(c.cell_code IN (
              SELECT oc.cell_code FROM officer_cells oc JOIN officers o ON o.id = oc.officer_id
              WHERE o.code = $3::text AND o.active
                AND gridcase_in_force(oc.valid_from, oc.valid_to)), false)
          ELSE false END
)
SELECT json_build_object(
  'code', $1::text,
  'stages', coalesce((
    SELECT json_agg(json_build_object('status', status, 'open', open, 'overdue', overdue)
                    ORDER BY status)
    FROM (SELECT status, count(*) AS open, count(*) FILTER (WHERE overdue) AS overdue
          FROM open_cases GROUP BY status) s), '[]'::json),
  'open', (SELECT count(*) FROM open_cases),
  'overdue', (SELECT count(*) FILTER (WHERE overdue) FROM open_cases)
)::text
FROM root
