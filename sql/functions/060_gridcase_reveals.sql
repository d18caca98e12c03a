-- Reporter fields by domain.md §9: level 2 (operator) sees every reporter in full, level 1 (admin)
-- those who did not ask for confidentiality, level 0 nobody. The level is
-- domain::reporter_access(roles) as an integer (domain::ReporterAccess).
CREATE OR REPLACE FUNCTION gridcase_reveals(level int, confidential boolean) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
  SELECT level >= 2 OR (level = 1 AND NOT confidential)
$$;
