-- The district's local date at a given time: gridcase_today() (010) for any moment, with the
-- same offset (the work calendar's, +08:00 until one is stored). A grid change takes its date
-- from the service's clock through it (src/storage/pg_grid_repository.cpp).
CREATE OR REPLACE FUNCTION gridcase_local_date(at timestamptz) RETURNS date
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT ((at AT TIME ZONE 'UTC')
          + make_interval(mins => coalesce((SELECT utc_offset_minutes FROM work_calendar WHERE id = 1), 480)))::date
$$;
