-- The case JSON is rendered for its reader: gridcase_case_json takes the reader's confinement
-- (sql/functions/100_gridcase_case_json.sql), so that possible duplicates name only cases the
-- reader may read. The two-argument form it replaces goes; every caller passes the reader.
DROP FUNCTION IF EXISTS gridcase_case_json(cases, boolean);
