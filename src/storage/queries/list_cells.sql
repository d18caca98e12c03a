-- $1 subtree root code, $2 cursor (last code of the previous page) or NULL, $3 page size,
-- $4 history: retired cells too (each with its valid_to); otherwise current cells only
WITH root AS (SELECT path FROM grid_nodes WHERE code = $1),
page AS (
  SELECT c.code, c.name, c.parent_code, c.valid_from, c.valid_to, ST_PointOnSurface(c.geom) AS inside
  FROM grid_nodes c, root
  WHERE c.path <@ root.path AND c.level = 'cell' AND ($4::boolean OR c.valid_to IS NULL)
    AND ($2::text IS NULL OR c.code > $2::text)
  ORDER BY c.code
  LIMIT $3::int + 1
),
shown AS (SELECT * FROM page ORDER BY code LIMIT $3::int)
SELECT json_build_object(
  'items', coalesce((SELECT json_agg(json_build_object(
                       'code', code, 'name', name, 'community', parent_code, 'valid_from', valid_from,
                       'valid_to', valid_to,
                       'point', json_build_array(round(ST_X(inside)::numeric, 7),
                                                 round(ST_Y(inside)::numeric, 7))) ORDER BY code)
                     FROM shown), '[]'::json),
  'next_cursor', CASE WHEN (SELECT count(*) FROM page) > $3::int
                      THEN (SELECT max(code) FROM shown) END
)::text
FROM root
