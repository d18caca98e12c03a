-- Case numbers (`<district>-<YYYYMMDD>-<6-digit sequence>`, built by
-- src/storage/queries/insert_case.sql) count per local day: one sequence per local date,
-- created on first use. Sequences never roll back, so numbers are unique across server
-- processes without a lock (gaps are allowed); a day ends at 999999 cases: the next nextval
-- fails with sequence_generator_limit_exceeded, which the server answers with 503 and logs
-- (src/storage/pg_errors.cpp). The number is not widened: a seventh digit would break its shape
-- (domain::is_case_number) and its order as text.
CREATE OR REPLACE FUNCTION gridcase_next_case_seq(local_day date) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
  name text := 'case_seq_' || to_char(local_day, 'YYYYMMDD');
BEGIN
  IF to_regclass(name) IS NULL THEN
    BEGIN
      EXECUTE format('CREATE SEQUENCE IF NOT EXISTS %I MAXVALUE 999999', name);
    EXCEPTION WHEN unique_violation OR duplicate_table THEN
      NULL;  -- another transaction created it first
    END;
  END IF;
  RETURN nextval(name::regclass);
END;
$$;
