-- An officer's duty over a cell (an officer_cells row) is in force on a day when it has begun
-- (valid_from <= day) and not yet ended (valid_to is exclusive, NULL for open-ended). Before,
-- each query restated that predicate, and the case document, the officer scope and the officer
-- named in a verification event checked only valid_to: a duty dated to start tomorrow already
-- showed as the cell's grid officer and widened that officer's scope today. They also ignored
-- officers.active, which locate and the officer lists honour.
--
-- Both functions are single SQL expressions, so PostgreSQL inlines them into the calling query
-- (same plan as the predicate written out). The two-argument form asks for the district's local
-- date twice instead of taking it as an argument: an argument used twice that contains a
-- sub-select (gridcase_today() reads the work calendar) would stop the inlining.
CREATE FUNCTION gridcase_in_force(valid_from date, valid_to date, on_day date) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT valid_from <= on_day AND (valid_to IS NULL OR valid_to > on_day)
$$;

CREATE FUNCTION gridcase_in_force(valid_from date, valid_to date) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT valid_from <= gridcase_today() AND (valid_to IS NULL OR valid_to > gridcase_today())
$$;

-- The gridcase functions that wrote the predicate out (gridcase_case_json, gridcase_in_scope)
-- are redefined from their own text (pg_get_functiondef) with it replaced: an active officer
-- whose duty is in force today.
DO $$
DECLARE
  f regprocedure;
  body text;
BEGIN
  FOR f IN
    SELECT p.oid::regprocedure FROM pg_proc p
    WHERE p.pronamespace = 'public'::regnamespace AND p.proname LIKE 'gridcase\_%'
      AND p.proname <> 'gridcase_in_force' AND p.prosrc ILIKE '%oc.valid_to%'
  LOOP
    body := pg_get_functiondef(f);
    body := regexp_replace(body,
      '(o\.active\s+AND\s+)?oc\.valid_from\s*<=\s*gridcase_today\(\)\s+AND\s+\(oc\.valid_to IS NULL OR oc\.valid_to > gridcase_today\(\)\)',
      'o.active AND gridcase_in_force(oc.valid_from, oc.valid_to)', 'g');
    body := regexp_replace(body,
      '\(oc\.valid_to IS NULL OR oc\.valid_to > gridcase_today\(\)\)',
      'o.active AND gridcase_in_force(oc.valid_from, oc.valid_to)', 'g');
    EXECUTE body;
  END LOOP;
  IF EXISTS (SELECT FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace
             AND p.proname LIKE 'gridcase\_%' AND p.proname <> 'gridcase_in_force'
             AND p.prosrc ~* 'valid_(from|to)\s*[<>]') THEN
    RAISE EXCEPTION 'a gridcase function still writes out the in-force predicate';
  END IF;
END
$$;
