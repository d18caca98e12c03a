-- The nightly report judges running timers by the deadline in force at the end of the period:
-- the deadline and pause of a timer instance from each change on (a handling cycle's deadline
-- moves with suspension, resumption and approved extensions) are kept in case_timer_history.
CREATE OR REPLACE FUNCTION gridcase_keep_timer_state() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO case_timer_history (timer_id, at, deadline, paused_at)
  SELECT NEW.id,
         CASE WHEN TG_OP = 'INSERT' THEN NEW.started_at
              ELSE (SELECT c.updated_at FROM cases c WHERE c.id = NEW.case_id) END,
         NEW.deadline, NEW.paused_at;
  RETURN NULL;
END;
$$;
CREATE OR REPLACE TRIGGER case_timers_keep_state_on_insert AFTER INSERT ON case_timers
  FOR EACH ROW EXECUTE FUNCTION gridcase_keep_timer_state();
CREATE OR REPLACE TRIGGER case_timers_keep_state_on_update AFTER UPDATE ON case_timers
  FOR EACH ROW WHEN (OLD.deadline IS DISTINCT FROM NEW.deadline
                     OR OLD.paused_at IS DISTINCT FROM NEW.paused_at)
  EXECUTE FUNCTION gridcase_keep_timer_state();
