-- Current gazetteer entries sharing at least half of the query's pairs of neighbouring
-- characters (gridcase_bigrams), most shared first, then the shortest address (the closest), then
-- code point order and id. `score` is the share of the query's pairs an entry has.
-- $1 normalized query, $2 cursor (the id of the previous page's last entry) or NULL, $3 page size
WITH q AS (SELECT gridcase_bigrams($1::text) AS grams),
scored AS (
  SELECT a.*, cardinality(q.grams) AS wanted,
         (SELECT count(*) FROM unnest(a.bigrams) g WHERE g = ANY (q.grams))::int AS shared,
         cardinality(a.bigrams) AS size
  FROM addresses a, q
  WHERE a.retired_by IS NULL AND a.bigrams && q.grams
),
good AS (SELECT * FROM scored WHERE shared * 2 >= wanted),
after AS (SELECT -shared AS rank, size, search_text, id FROM good WHERE id = $2::bigint),
page AS (
  SELECT * FROM good
  WHERE $2::bigint IS NULL
     OR (-shared, size, search_text COLLATE "C", id)
        > (SELECT rank, size, search_text COLLATE "C", id FROM after)
  ORDER BY -shared, size, search_text COLLATE "C", id
  LIMIT $3::int + 1
),
shown AS (
  SELECT p.*, row_number() OVER (ORDER BY -p.shared, p.size, p.search_text COLLATE "C", p.id) AS n
  FROM page p ORDER BY n LIMIT $3::int
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
                                ORDER BY g.code LIMIT 1),
                       'score', round(s.shared::numeric / s.wanted, 2)) ORDER BY s.n)
                     FROM shown s), '[]'::json),
  'next_cursor', CASE WHEN (SELECT count(*) FROM page) > $3::int
                      THEN (SELECT id::text FROM shown ORDER BY n DESC LIMIT 1) END
)::text
