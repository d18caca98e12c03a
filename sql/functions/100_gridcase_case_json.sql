-- The JSON every client sees of a case (GET /api/v1/cases/{case_no} and every write's answer);
-- reporter fields masked unless `reveal` (gridcase_reveals). The grid officer and road chief
-- are the active officers whose duty over the cell is in force today. The reader is confined to
-- `reader_kind`/`reader_code` (and to the cases `reader_received_by` submitted, for an
-- integration: domain::case_confinement): possible duplicates it may not read are left out
-- (gridcase_readable_cases), the original a case was merged into is null when the reader may
-- not read it, and an integration sees of officers only their codes and not who the case is
-- assigned to (the public fields, domain.md §5), nor which desk claims it (`claim`, running
-- claims only).
--
-- plpgsql, not SQL: PostgreSQL plans the body of a non-inlined SQL function anew for every query
-- that calls it, and its dozen subqueries cost more to plan (≈ 1 ms) than to run. plpgsql keeps
-- the plans for the session.
CREATE OR REPLACE FUNCTION gridcase_case_json(c cases, reveal boolean, reader_kind text,
                                              reader_code text, reader_received_by text)
RETURNS json
LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN (
    SELECT json_build_object(
      'case_no', c.case_no, 'status', c.status, 'version', c.version, 'channel', c.channel,
      'description', c.description, 'address', c.address,
      'lon', ST_X(c.location), 'lat', ST_Y(c.location), 'located', c.cell_code IS NOT NULL,
      'cell', (SELECT json_build_object('code', code, 'name', name) FROM grid_nodes WHERE code = c.cell_code),
      'community', (SELECT json_build_object('code', code, 'name', name)
                    FROM grid_nodes WHERE code = left(c.cell_code, 12)),
      'street', (SELECT json_build_object('code', code, 'name', name)
                 FROM grid_nodes WHERE code = left(c.cell_code, 9)),
      'district', (SELECT json_build_object('code', code, 'name', name)
                   FROM grid_nodes WHERE code = left(c.cell_code, 6)),
      'grid_officer', (SELECT CASE WHEN reader_received_by IS NULL
                                   THEN json_build_object('code', o.code, 'name', o.name, 'phone', o.phone)
                                   ELSE json_build_object('code', o.code) END
                       FROM officer_cells oc JOIN officers o ON o.id = oc.officer_id
                       WHERE oc.cell_code = c.cell_code AND oc.duty = 'grid_officer'
                         AND o.active AND gridcase_in_force(oc.valid_from, oc.valid_to) LIMIT 1),
      'road_chief', (SELECT CASE WHEN reader_received_by IS NULL
                                 THEN json_build_object('code', o.code, 'name', o.name, 'phone', o.phone)
                                 ELSE json_build_object('code', o.code) END
                     FROM officer_cells oc JOIN officers o ON o.id = oc.officer_id
                     WHERE oc.cell_code = c.cell_code AND oc.duty = 'road_chief'
                       AND o.active AND gridcase_in_force(oc.valid_from, oc.valid_to) LIMIT 1),
      'category', c.category_key,
      'category_name', (SELECT name FROM categories WHERE key = c.category_key),
      'condition', c.condition_id,
      'handling_limit', CASE WHEN c.limit_value IS NOT NULL
                             THEN json_build_object('value', c.limit_value, 'unit', c.limit_unit) END,
      'unit', (SELECT json_build_object('code', u.code, 'name', u.name) FROM units u WHERE u.code = c.unit_code),
      'assignee', CASE WHEN reader_received_by IS NULL THEN c.assignee END,
      'reporter', CASE WHEN c.reporter_name IS NOT NULL OR c.reporter_phone IS NOT NULL THEN
                    json_build_object(
                      'name', CASE WHEN reveal THEN c.reporter_name ELSE gridcase_mask_name(c.reporter_name) END,
                      'phone', CASE WHEN reveal THEN c.reporter_phone ELSE gridcase_mask_phone(c.reporter_phone) END,
                      'confidential', c.reporter_confidential) END,
      'intake', c.intake, 'photos', c.photos, 'received_by', c.received_by,
      'received_at', gridcase_iso(c.received_at), 'occurred_at', gridcase_iso(c.occurred_at),
      'updated_at', gridcase_iso(c.updated_at), 'closed_at', gridcase_iso(c.closed_at),
      'outcome', c.outcome,
      'merged_into', (SELECT (gridcase_readable_cases(ARRAY[m.case_no], reader_kind, reader_code,
                                                      reader_received_by))[1]
                      FROM cases m WHERE m.id = c.merged_into),
      'possible_duplicates', gridcase_readable_cases(c.duplicate_candidates, reader_kind,
                                                     reader_code, reader_received_by),
      'extension_pending', c.extension_pending, 'rework_count', c.rework_count,
      'escalation_level', c.escalation_level,
      'suspension_requested_until', gridcase_iso(c.suspension_requested_until),
      'suspended_until', gridcase_iso(c.suspended_until),
      'handling_cycle', c.cycle_no, 'handling_deadline', gridcase_iso(c.cycle_deadline),
      'claim', (SELECT json_build_object('claimed_by', k.claimed_by,
                                         'claimed_until', gridcase_iso(k.claimed_until))
                FROM case_claims k
                WHERE k.case_id = c.id AND k.claimed_until > now() AND reader_received_by IS NULL))
  );
END;
$$;
