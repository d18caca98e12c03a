SELECT json_build_object('items', coalesce(json_agg(json_build_object(
  'key', c.key, 'type', c.type, 'code', c.code, 'name', c.name,
  'conditions', (SELECT json_agg(json_build_object(
                   'id', f.id, 'text', f.text,
                   'limit', json_build_object('value', f.limit_value, 'unit', f.limit_unit),
                   'unit_type', f.unit_type, 'close_when', f.close_when) ORDER BY f.position)
                 FROM filing_conditions f WHERE f.category_key = c.key)
) ORDER BY c.type DESC, c.code), '[]'::json))::text
FROM categories c
