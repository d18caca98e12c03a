-- A notice's case: what a messaging gateway needs to tell a unit or an officer about a task, an
-- urge or an escalation, and nothing an Open311 reader could not see (no description, address,
-- reporter, intake record or photos): the account did not submit the case and cannot read it.
CREATE OR REPLACE FUNCTION gridcase_notice_case_json(c cases) RETURNS json
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT json_build_object(
    'case_no', c.case_no, 'status', c.status, 'category', c.category_key,
    'unit', c.unit_code, 'cell', c.cell_code,
    'lon', ST_X(c.location), 'lat', ST_Y(c.location),
    'received_at', gridcase_iso(c.received_at), 'escalation_level', c.escalation_level)
$$;
