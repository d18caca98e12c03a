SELECT json_build_object('items', coalesce(json_agg(json_build_object(
  'code', u.code, 'name', u.name, 'type', u.type, 'scope', u.scope_code, 'scope_name', g.name,
  'active', u.active) ORDER BY length(u.scope_code), u.scope_code, u.type), '[]'::json))::text
FROM units u JOIN grid_nodes g ON g.code = u.scope_code
