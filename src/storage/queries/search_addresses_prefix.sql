-- Current gazetteer entries whose address (road, door number and building written together) or
-- building starts with the query, in code point order of the address, then id.
-- $1 normalized query, $2 cursor (the id of the previous page's last entry) or NULL, $3 page size
WITH bounds AS (SELECT $1::text AS low, $1::text || chr(1114111) AS high),
after AS (SELECT search_text, id FROM addresses WHERE id = $2::bigint),
matches AS (
  SELECT a.id FROM addresses a, bounds b
  WHERE a.retired_by IS NULL
    AND a.search_text COLLATE "C" >= b.low AND a.search_text COLLATE "C" < b.high
    AND starts_with(a.search_text, b.low)
  UNION
  SELECT a.id FROM addresses a, bounds b
  WHERE a.retired_by IS NULL AND a.building_text IS NOT NULL
    AND a.building_text COLLATE "C" >= b.low AND a.building_text COLLATE "C" < b.high
    AND starts_with(a.building_text, b.low)
),
page AS (
  SELECT a.* FROM addresses a JOIN matches m ON m.id = a.id
  WHERE $2::bigint IS NULL
     OR (a.search_text COLLATE "C", a.id) > (SELECT search_text COLLATE "C", id FROM after)
  ORDER BY a.search_text COLLATE "C", a.id
  LIMIT $3::int + 1
),
shown AS (
  SELECT p.*, row_number() OVER (ORDER BY p.search_text COLLATE "C", p.id) AS n
  FROM page p ORDER BY p.search_text COLLATE "C", p.id LIMIT $3::int
)
SELECT json_build_object(
  'items', coalesce((SELECT json_agg(json_build_object(
                       'id', s.id, 'road', s.road, 'door_number', s.door_number,
                       'building', s.building,
                       'address', s.road || coalesce(s.door_number, '') || coalesce(s.building, ''),
                       'point', json_build_array(round(ST_X(s.location)::numeric, 7),
                                                 round(ST_Y(s.location)::numeric, 7)),
                       'cell', (SELECT g.code FROM grid_nodes g
                                WHERE g.level = 'cell' AND g.valid_to IS NULL
                                  AND ST_Intersects(g.geom, s.location)
                                ORDER BY g.code LIMIT 1)) ORDER BY s.n)
                     FROM shown s), '[]'::json),
  'next_cursor', CASE WHEN (SELECT count(*) FROM page) > $3::int
                      THEN (SELECT id::text FROM shown ORDER BY n DESC LIMIT 1) END
)::text
