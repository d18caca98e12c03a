-- A duty that has not yet ended: in force today or starting later (what an officer still holds
-- or is about to hold, as an admin reads it before a change).
CREATE OR REPLACE FUNCTION gridcase_not_ended(valid_to date) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT valid_to IS NULL OR valid_to > gridcase_today()
$$;
