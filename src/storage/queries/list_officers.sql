-- $1 subtree root code, $2 cursor (last officer code of the previous page) or NULL, $3 page size,
-- $4 $5 the reader's scope (kind, code): only duties over cells inside it are listed, so
-- officers' names and phones stay within the scope that works with them
WITH root AS (SELECT path FROM grid_nodes WHERE code = $1),
duties AS (
  SELECT o.code, o.name, o.phone, oc.duty, count(*) AS cells
  FROM root, officer_cells oc
  JOIN grid_nodes c ON c.code = oc.cell_code
  JOIN officers o ON o.id = oc.officer_id
  WHERE c.path <@ root.path AND c.valid_to IS NULL AND o.active
    AND gridcase_in_force(oc.valid_from, oc.valid_to)
    AND ($2::text IS NULL OR o.code > $2::text)
    AND ($4::text = 'district' OR gridcase_in_scope(c.path, NULL, c.code, $4::text, $5::text))
  GROUP BY o.code, o.name, o.phone, oc.duty
),
page AS (
  SELECT code, name, phone,
         json_agg(json_build_object('duty', duty, 'cells', cells) ORDER BY duty) AS duties
  FROM duties
  GROUP BY code, name, phone
  ORDER BY code
  LIMIT $3::int + 1
),
shown AS (SELECT * FROM page ORDER BY code LIMIT $3::int)
SELECT json_build_object(
  'items', coalesce((SELECT json_agg(json_build_object('code', code, 'name', name, 'phone', phone,
                                                       'duties', duties) ORDER BY code)
                     FROM shown), '[]'::json),
  'next_cursor', CASE WHEN (SELECT count(*) FROM page) > $3::int
                      THEN (SELECT max(code) FROM shown) END
)::text
FROM root
