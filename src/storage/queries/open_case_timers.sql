-- The open cases (status neither closed nor rejected) of a node's subtree that the reader may
-- read, each with its running timers (none: one row with NULL timer columns), for the counts by
-- status and traffic light (GET /api/v1/grid/{code}/counts; the lights are computed with the work
-- calendar in the domain). $1 node code, $2 the reader's scope kind, $3 its code (NULL for the
-- district): the rule of gridcase_in_scope, written out as in list_cases.sql. No row at all
-- besides the first (node) row when nothing is open: the first row says whether the node exists.
WITH root AS (SELECT path FROM grid_nodes WHERE code = $1::text),
open_cases AS (
  SELECT c.id, c.status, c.cycle_no, c.cycle_extensions
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
SELECT NULL::bigint AS case_id, NULL::text AS status, NULL::text AS timer, NULL::int AS cycle_no,
       NULL::bigint AS started_at, NULL::bigint AS deadline, NULL::int AS limit_value,
       NULL::text AS limit_unit, NULL::bigint AS paused_at, NULL::int AS extensions
FROM root
UNION ALL
SELECT o.id, o.status, t.timer, t.cycle_no, (extract(epoch FROM t.started_at) * 1000)::bigint,
       (extract(epoch FROM t.deadline) * 1000)::bigint, t.limit_value, t.limit_unit,
       (extract(epoch FROM t.paused_at) * 1000)::bigint,
       CASE WHEN t.timer = 'handling' AND t.cycle_no = o.cycle_no THEN o.cycle_extensions ELSE 0 END
FROM open_cases o LEFT JOIN case_timers t ON t.case_id = o.id AND t.ended_at IS NULL
