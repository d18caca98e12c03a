-- $1 lon, $2 lat, $3 $4 the reader's scope (kind, code): the cell's officers, names and phones,
-- are listed only to a reader whose scope holds the cell. A point on a shared edge belongs to the
-- lowest cell code (deterministic).
WITH cell AS (
  SELECT code, name, path
  FROM grid_nodes
  WHERE level = 'cell' AND valid_to IS NULL
    AND ST_Intersects(geom, ST_SetSRID(ST_MakePoint($1::float8, $2::float8), 4326))
  ORDER BY code
  LIMIT 1
)
SELECT json_build_object(
  'point', json_build_object('lon', $1::float8, 'lat', $2::float8),
  'cell', json_build_object('code', cell.code, 'name', cell.name),
  'community', (SELECT json_build_object('code', code, 'name', name)
                FROM grid_nodes WHERE code = left(cell.code, 12)),
  'street', (SELECT json_build_object('code', code, 'name', name)
             FROM grid_nodes WHERE code = left(cell.code, 9)),
  'district', (SELECT json_build_object('code', code, 'name', name)
               FROM grid_nodes WHERE code = left(cell.code, 6)),
  'officers', CASE WHEN gridcase_in_scope(cell.path, NULL, cell.code, $3::text, $4::text)
                   THEN coalesce((
    SELECT json_agg(json_build_object('duty', oc.duty, 'code', o.code, 'name', o.name,
                                      'phone', o.phone) ORDER BY oc.duty, o.code)
    FROM officer_cells oc JOIN officers o ON o.id = oc.officer_id
    WHERE oc.cell_code = cell.code AND o.active AND gridcase_in_force(oc.valid_from, oc.valid_to)
  ), '[]'::json) ELSE '[]'::json END
)::text
FROM cell
