-- The nightly report (domain.md §8, docs/reports.md): what it needs of the past, and its snapshots.

-- A report counts every case in the rows of the cell, unit and category it had at the end of
-- the period, and judges running timers by the deadline in force then. `cases` and `case_timers`
-- hold only the current values, so every change of those is also kept here, stamped with the
-- time of the action that made it (cases.updated_at, written in the same statement). Triggers
-- keep them, so no write path can forget to.
CREATE TABLE case_attribute_history (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  case_id      bigint NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
  at           timestamptz NOT NULL,
  cell_code    text,
  unit_code    text,
  category_key text
);
CREATE INDEX case_attribute_history_case_idx ON case_attribute_history (case_id, id);

CREATE FUNCTION gridcase_keep_case_attributes() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO case_attribute_history (case_id, at, cell_code, unit_code, category_key)
  VALUES (NEW.id, NEW.updated_at, NEW.cell_code, NEW.unit_code, NEW.category_key);
  RETURN NULL;
END;
$$;
CREATE TRIGGER cases_keep_attributes_on_insert AFTER INSERT ON cases
  FOR EACH ROW EXECUTE FUNCTION gridcase_keep_case_attributes();
CREATE TRIGGER cases_keep_attributes_on_update AFTER UPDATE ON cases
  FOR EACH ROW WHEN (OLD.cell_code IS DISTINCT FROM NEW.cell_code
                     OR OLD.unit_code IS DISTINCT FROM NEW.unit_code
                     OR OLD.category_key IS DISTINCT FROM NEW.category_key)
  EXECUTE FUNCTION gridcase_keep_case_attributes();

-- Deadline and pause of a timer instance from each change on (a handling cycle's deadline moves
-- with suspension, resumption and approved extensions).
CREATE TABLE case_timer_history (
  id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  timer_id  bigint NOT NULL REFERENCES case_timers (id) ON DELETE CASCADE,
  at        timestamptz NOT NULL,
  deadline  timestamptz NOT NULL,
  paused_at timestamptz
);
CREATE INDEX case_timer_history_timer_idx ON case_timer_history (timer_id, id);

CREATE FUNCTION gridcase_keep_timer_state() RETURNS trigger
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
CREATE TRIGGER case_timers_keep_state_on_insert AFTER INSERT ON case_timers
  FOR EACH ROW EXECUTE FUNCTION gridcase_keep_timer_state();
CREATE TRIGGER case_timers_keep_state_on_update AFTER UPDATE ON case_timers
  FOR EACH ROW WHEN (OLD.deadline IS DISTINCT FROM NEW.deadline
                     OR OLD.paused_at IS DISTINCT FROM NEW.paused_at)
  EXECUTE FUNCTION gridcase_keep_timer_state();

-- Rows written before this migration start their history with what they hold now.
INSERT INTO case_attribute_history (case_id, at, cell_code, unit_code, category_key)
SELECT id, received_at, cell_code, unit_code, category_key FROM cases;
INSERT INTO case_timer_history (timer_id, at, deadline, paused_at)
SELECT id, started_at, deadline, paused_at FROM case_timers;

-- One row per (period, dimension, key): the counts of domain.md §8 as ReportCounts holds them.
-- Re-running a period replaces its rows. Timer arrays are indexed like kAllStageTimers
-- (verification, registration, dispatch, acknowledgement, handling, check, close).
CREATE TABLE report_snapshots (
  period              text NOT NULL CHECK (period IN ('day', 'week', 'month', 'quarter', 'ytd')),
  first_day           date NOT NULL,
  end_day             date NOT NULL CHECK (end_day > first_day),
  dimension           text NOT NULL CHECK (dimension IN ('district', 'street', 'community', 'cell',
                        'unit', 'officer', 'channel', 'category')),
  key                 text NOT NULL,
  name                text NOT NULL,
  received            bigint NOT NULL,
  registered          bigint NOT NULL,
  dispatched          bigint NOT NULL,
  dispatches_kept     bigint NOT NULL,
  handled             bigint NOT NULL,
  closed              bigint NOT NULL,
  closed_on_time      bigint NOT NULL,
  closed_reworked     bigint NOT NULL,
  closed_extended     bigint NOT NULL,
  merged              bigint NOT NULL,
  due                 bigint NOT NULL,
  timer_on_time       bigint[] NOT NULL,
  timer_late          bigint[] NOT NULL,
  timer_overdue       bigint[] NOT NULL,
  handling_instances  bigint NOT NULL,
  handling_work_hours double precision NOT NULL,
  callbacks_reached   bigint NOT NULL,
  callbacks_satisfied bigint NOT NULL,
  backlog_by_age      bigint[] NOT NULL,
  backlog_by_light    bigint[] NOT NULL,
  computed_at         timestamptz NOT NULL,
  PRIMARY KEY (period, first_day, end_day, dimension, key)
);

-- One row per computed period, even one with no rows: the nightly job's record of what is done.
CREATE TABLE report_runs (
  period      text NOT NULL,
  first_day   date NOT NULL,
  end_day     date NOT NULL,
  computed_at timestamptz NOT NULL,
  row_count   integer NOT NULL,
  PRIMARY KEY (period, first_day, end_day)
);
