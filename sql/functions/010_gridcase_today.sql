-- "Today" is the district's local date, not the session's: sessions run in UTC, so CURRENT_DATE
-- would be the UTC date, and from 00:00 to 08:00 in Baotou a duty that began today would not yet
-- be anyone's. The local offset is the work calendar's (PUT /api/v1/calendar; +08:00 until one
-- is stored). grid_nodes.valid_from and officer_cells.valid_from default to it.
CREATE OR REPLACE FUNCTION gridcase_today() RETURNS date
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT ((now() AT TIME ZONE 'UTC')
          + make_interval(mins => coalesce((SELECT utc_offset_minutes FROM work_calendar WHERE id = 1), 480)))::date
$$;
