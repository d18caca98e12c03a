-- Keyset page of the admin audit log, newest first (GET /api/v1/admin/audit). Every filter is
-- optional (NULL = not given).
-- $1 actor, $2 action, $3 target, $4 at or after (epoch ms), $5 before (epoch ms),
-- $6 cursor (id), $7 page size
WITH page AS (
  SELECT a.id, a.at, a.actor, a.action, a.target, a.before, a.after
  FROM admin_audit a
  WHERE ($1::text IS NULL OR a.actor = $1::text)
    AND ($2::text IS NULL OR a.action = $2::text)
    AND ($3::text IS NULL OR a.target = $3::text)
    AND ($4::bigint IS NULL OR a.at >= to_timestamp($4::bigint / 1000.0))
    AND ($5::bigint IS NULL OR a.at < to_timestamp($5::bigint / 1000.0))
    AND ($6::bigint IS NULL OR a.id < $6::bigint)
  ORDER BY a.id DESC
  LIMIT $7::int + 1
),
shown AS (SELECT * FROM page ORDER BY id DESC LIMIT $7::int)
SELECT json_build_object(
  'items', coalesce((SELECT json_agg(json_build_object(
             'id', id, 'at', gridcase_iso(at), 'actor', actor, 'action', action,
             'target', target, 'before', before, 'after', after) ORDER BY id DESC)
           FROM shown), '[]'::json),
  'next_cursor', CASE WHEN (SELECT count(*) FROM page) > $7::int
                      THEN (SELECT min(id) FROM shown)::text END
)::text
