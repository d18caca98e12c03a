-- $1 code, $2 include the geometry, $3 history: retired children too (else current ones only)
SELECT json_build_object(
  'code', n.code, 'name', n.name, 'level', n.level, 'parent_code', n.parent_code,
  'valid_from', n.valid_from, 'valid_to', n.valid_to,
  'area_m2', round(ST_Area(n.geom::geography)),
  'bbox', json_build_array(round(ST_XMin(n.geom)::numeric, 7), round(ST_YMin(n.geom)::numeric, 7),
                           round(ST_XMax(n.geom)::numeric, 7), round(ST_YMax(n.geom)::numeric, 7)),
  'geometry', CASE WHEN $2::boolean THEN ST_AsGeoJSON(n.geom, 7)::json END,
  'parents', (SELECT coalesce(json_agg(json_build_object('code', p.code, 'name', p.name,
                                                         'level', p.level) ORDER BY nlevel(p.path)), '[]'::json)
              FROM grid_nodes p WHERE p.path @> n.path AND p.code <> n.code),
  'children', (SELECT coalesce(json_agg(json_build_object('code', c.code, 'name', c.name,
                                                          'level', c.level, 'valid_to', c.valid_to)
                                        ORDER BY c.code), '[]'::json)
               FROM grid_nodes c WHERE c.parent_code = n.code AND ($3::boolean OR c.valid_to IS NULL)),
  'current_cells', (SELECT count(*) FROM grid_nodes c
                    WHERE c.path <@ n.path AND c.level = 'cell' AND c.valid_to IS NULL)
)::text
FROM grid_nodes n
WHERE n.code = $1
