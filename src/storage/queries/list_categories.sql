-- The category catalogue (GET /api/v1/categories, and what the admin audit log keeps of it):
-- $1 true: retired categories and conditions too, with the time they were retired; $2 one
-- category's key, or NULL for all. `time_limits` are the category's stage-limit overrides.
SELECT json_build_object('items', coalesce(json_agg(json_build_object(
  'key', c.key, 'type', c.type, 'code', c.code, 'name', c.name,
  'retired_at', gridcase_iso(c.retired_at),
  'time_limits', (SELECT coalesce(json_object_agg(o.timer, json_build_object(
                          'value', o.limit_value, 'unit', o.limit_unit) ORDER BY o.timer), '{}')
                  FROM category_time_limits o WHERE o.category_key = c.key),
  'conditions', (SELECT coalesce(json_agg(json_build_object(
                   'id', f.id, 'text', f.text,
                   'limit', json_build_object('value', f.limit_value, 'unit', f.limit_unit),
                   'unit_type', f.unit_type, 'close_when', f.close_when,
                   'retired_at', gridcase_iso(f.retired_at)) ORDER BY f.position), '[]')
                 FROM filing_conditions f
                 WHERE f.category_key = c.key AND ($1::boolean OR f.retired_at IS NULL))
) ORDER BY c.type DESC, c.code), '[]'::json))::text
FROM categories c
WHERE ($1::boolean OR c.retired_at IS NULL) AND ($2::text IS NULL OR c.key = $2::text)
