-- The nightly report counts every case in the rows of the cell, unit and category it had at the
-- end of the period (docs/reports.md); `cases` holds only the current ones, so every change is
-- also kept in case_attribute_history, stamped with the time of the action that made it
-- (cases.updated_at, written in the same statement). A trigger keeps it, so no write path can
-- forget to.
CREATE OR REPLACE FUNCTION gridcase_keep_case_attributes() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO case_attribute_history (case_id, at, cell_code, unit_code, category_key)
  VALUES (NEW.id, NEW.updated_at, NEW.cell_code, NEW.unit_code, NEW.category_key);
  RETURN NULL;
END;
$$;
CREATE OR REPLACE TRIGGER cases_keep_attributes_on_insert AFTER INSERT ON cases
  FOR EACH ROW EXECUTE FUNCTION gridcase_keep_case_attributes();
CREATE OR REPLACE TRIGGER cases_keep_attributes_on_update AFTER UPDATE ON cases
  FOR EACH ROW WHEN (OLD.cell_code IS DISTINCT FROM NEW.cell_code
                     OR OLD.unit_code IS DISTINCT FROM NEW.unit_code
                     OR OLD.category_key IS DISTINCT FROM NEW.category_key)
  EXECUTE FUNCTION gridcase_keep_case_attributes();
