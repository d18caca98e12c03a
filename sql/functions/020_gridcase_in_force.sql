-- An officer's duty over a cell (an officer_cells row) is in force on a day when it has begun
-- (valid_from <= day) and not yet ended (valid_to is exclusive, NULL for open-ended). Every
-- query that asks whose a cell is today goes through here.
--
-- Both forms are single SQL expressions, so PostgreSQL inlines them into the calling query
-- (same plan as the predicate written out). The two-argument form asks for the district's local
-- date twice instead of taking it as an argument: an argument used twice that contains a
-- sub-select (gridcase_today() reads the work calendar) would stop the inlining.
CREATE OR REPLACE FUNCTION gridcase_in_force(valid_from date, valid_to date, on_day date) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT valid_from <= on_day AND (valid_to IS NULL OR valid_to > on_day)
$$;

CREATE OR REPLACE FUNCTION gridcase_in_force(valid_from date, valid_to date) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT valid_from <= gridcase_today() AND (valid_to IS NULL OR valid_to > gridcase_today())
$$;
