-- "Today" is the district's local date, not the session's. Sessions run in UTC (timestamps are
-- formatted as UTC), so CURRENT_DATE was the UTC date: from 00:00 to 08:00 in Baotou a duty
-- that began today was not yet anyone's, and one that ended today still was. The local offset is
-- the work calendar's (PUT /api/v1/calendar; +08:00 until one is stored).
CREATE FUNCTION gridcase_today() RETURNS date
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT ((now() AT TIME ZONE 'UTC')
          + make_interval(mins => coalesce((SELECT utc_offset_minutes FROM work_calendar WHERE id = 1), 480)))::date
$$;

ALTER TABLE grid_nodes ALTER COLUMN valid_from SET DEFAULT gridcase_today();
ALTER TABLE officer_cells ALTER COLUMN valid_from SET DEFAULT gridcase_today();

-- Every gridcase function that asked for CURRENT_DATE asks for gridcase_today() instead: the
-- same definitions (pg_get_functiondef), redefined with that one word changed.
DO $$
DECLARE
  f regprocedure;
BEGIN
  FOR f IN
    SELECT p.oid::regprocedure FROM pg_proc p
    WHERE p.pronamespace = 'public'::regnamespace AND p.proname LIKE 'gridcase\_%'
      AND p.prosrc ILIKE '%current_date%'
  LOOP
    EXECUTE regexp_replace(pg_get_functiondef(f), '\mCURRENT_DATE\M', 'gridcase_today()', 'gi');
  END LOOP;
  IF EXISTS (SELECT FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace
             AND p.proname LIKE 'gridcase\_%' AND p.prosrc ILIKE '%current_date%') THEN
    RAISE EXCEPTION 'a gridcase function still reads CURRENT_DATE';
  END IF;
END
$$;
