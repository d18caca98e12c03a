-- RFC 3339 in UTC with Z, as api.md asks of every time.
CREATE OR REPLACE FUNCTION gridcase_iso(at timestamptz) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
$$;
