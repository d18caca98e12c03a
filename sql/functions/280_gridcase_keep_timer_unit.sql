-- A stage-timer instance belongs to the unit that held the case when it started (reports charge
-- each handling instance to that unit: docs/reports.md, "Who is charged"). The case's row is
-- updated before the action's timers are written (PgCaseRepository::save_action), so a dispatch's
-- instances name the unit it dispatched to. A trigger keeps it, so no write path can forget to.
CREATE OR REPLACE FUNCTION gridcase_keep_timer_unit() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.unit_code := (SELECT c.unit_code FROM cases c WHERE c.id = NEW.case_id);
  RETURN NEW;
END;
$$;
CREATE OR REPLACE TRIGGER case_timers_keep_unit BEFORE INSERT ON case_timers
  FOR EACH ROW EXECUTE FUNCTION gridcase_keep_timer_unit();
