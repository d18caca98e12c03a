-- The category catalogue is retired, never deleted (sql/022_catalogue_versions.sql): old cases
-- and reports keep the names and conditions they were filed under.
CREATE OR REPLACE FUNCTION gridcase_keep_catalogue() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% rows are retired, never deleted: % refused', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE OR REPLACE TRIGGER categories_never_deleted BEFORE DELETE ON categories
  FOR EACH ROW EXECUTE FUNCTION gridcase_keep_catalogue();
CREATE OR REPLACE TRIGGER categories_no_truncate BEFORE TRUNCATE ON categories
  FOR EACH STATEMENT EXECUTE FUNCTION gridcase_keep_catalogue();
CREATE OR REPLACE TRIGGER filing_conditions_never_deleted BEFORE DELETE ON filing_conditions
  FOR EACH ROW EXECUTE FUNCTION gridcase_keep_catalogue();
CREATE OR REPLACE TRIGGER filing_conditions_no_truncate BEFORE TRUNCATE ON filing_conditions
  FOR EACH STATEMENT EXECUTE FUNCTION gridcase_keep_catalogue();
