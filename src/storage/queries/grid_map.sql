-- The grid under a node as a GeoJSON FeatureCollection, one feature per current node of one level
-- in its subtree (the node itself when it is of that level), each with its open cases (status
-- neither closed nor rejected) and how many of them have a running timer past its deadline (a red
-- light), counting only the cases the reader may read.
-- $1 node code, $2 level of the features (street, community, cell), $3 the reader's scope kind,
-- $4 its code (NULL for the district): the rule of gridcase_in_scope (sql/004_accounts.sql),
-- written out as list_cases.sql does so that the planner sees the uncorrelated subqueries once.
-- No row when the grid has no node $1.
WITH root AS (SELECT path FROM grid_nodes WHERE code = $1::text),
features AS (
  SELECT n.code, n.name, n.level, n.path, n.geom
  FROM grid_nodes n, root
  WHERE n.path <@ root.path AND n.level = $2::text AND n.valid_to IS NULL
),
depth AS (SELECT nlevel(path) AS n FROM features LIMIT 1),
open_cases AS (
  SELECT subpath(c.grid_path, 0, (SELECT n FROM depth)) AS key,
         EXISTS (SELECT 1 FROM case_timers t
                 WHERE t.case_id = c.id AND t.ended_at IS NULL AND t.paused_at IS NULL
                   AND t.deadline < now()) AS overdue
  FROM cases c, root
  WHERE c.status NOT IN ('closed', 'rejected') AND c.grid_path <@ root.path
    AND nlevel(c.grid_path) >= (SELECT n FROM depth)
    AND CASE $3::text
          WHEN 'district' THEN true
          WHEN 'grid' THEN coalesce(c.grid_path <@ (SELECT path FROM grid_nodes WHERE code = $4::text), false)
          WHEN 'unit' THEN coalesce(c.unit_code = $4::text, false)
          WHEN 'officer' THEN coalesce(c.cell_code IN (
              SELECT oc.cell_code FROM officer_cells oc JOIN officers o ON o.id = oc.officer_id
              WHERE o.code = $4::text AND o.active
                AND gridcase_in_force(oc.valid_from, oc.valid_to)), false)
          ELSE false END
),
counted AS (
  SELECT key, count(*) AS open, count(*) FILTER (WHERE overdue) AS overdue
  FROM open_cases GROUP BY key
)
SELECT json_build_object(
  'type', 'FeatureCollection',
  'features', coalesce((
    SELECT json_agg(json_build_object(
             'type', 'Feature', 'id', f.code,
             'geometry', ST_AsGeoJSON(f.geom, 6)::json,
             'properties', json_build_object('code', f.code, 'name', f.name, 'level', f.level,
                                             'open', coalesce(k.open, 0),
                                             'overdue', coalesce(k.overdue, 0)))
           ORDER BY f.code)
    FROM features f LEFT JOIN counted k ON k.key = f.path), '[]'::json)
)::text
FROM root
