-- Issue 14: reports charge each handling instance to the unit, cell and officer that held it, and
-- dispatches record whether they followed the first dispatch suggestion (docs/reports.md,
-- "Who is charged"; docs/case-lifecycle.md, "Dispatch suggestions").

-- The unit that held a stage-timer instance: the case's unit when the instance started (kept by
-- sql/functions/280_gridcase_keep_timer_unit.sql). A handling instance is its unit's even after
-- a return or reassign has taken the case away.
ALTER TABLE case_timers ADD COLUMN unit_code text;

-- Instances written before, of the unit's own stages (the only ones reports charge by it): a
-- handling instance's unit is the one its cycle was dispatched to (cycle n starts with the case's
-- n-th dispatch or reassign); an acknowledgement instance's, the case's unit as kept by
-- case_attribute_history when it started (that dispatch's). Other instances are left NULL.
UPDATE case_timers t SET unit_code = (
  SELECT d.params->>'unit' FROM case_events d
  WHERE d.case_id = t.case_id AND d.action IN ('dispatch', 'reassign')
  ORDER BY d.id OFFSET t.cycle_no - 1 LIMIT 1)
WHERE t.timer = 'handling' AND t.cycle_no >= 1;
UPDATE case_timers t SET unit_code = (
  SELECT h.unit_code FROM case_attribute_history h
  WHERE h.case_id = t.case_id AND h.at <= t.started_at ORDER BY h.id DESC LIMIT 1)
WHERE t.timer = 'acknowledgement';

-- A unit's load (its open handling instances) and its recent on-time handling, for suggestions.
CREATE INDEX case_timers_unit_open_idx ON case_timers (unit_code)
  WHERE timer = 'handling' AND ended_at IS NULL;
CREATE INDEX case_timers_unit_ended_idx ON case_timers (unit_code, ended_at)
  WHERE timer = 'handling' AND ended_at IS NOT NULL;

-- "Suggestion followed": dispatches and reassigns that had a suggestion, and of those the ones
-- that chose its first unit (beside dispatch accuracy, which keeps its definition).
ALTER TABLE report_snapshots ADD COLUMN dispatches_suggested bigint NOT NULL DEFAULT 0;
ALTER TABLE report_snapshots ADD COLUMN suggestions_followed bigint NOT NULL DEFAULT 0;

-- Every stored snapshot charged returned and reassigned instances to the case's later unit (and
-- cells and officers to the period's end): it is stale. A stale period counts as not computed, so
-- a request or the nightly job computes it again (ReportService::run_nightly recomputes stale
-- periods too, one a run); `gridcase report` recomputes one at once. The sums of running
-- periods' finished days are derived from the days: dropped, they are summed again.
ALTER TABLE report_runs ADD COLUMN stale boolean NOT NULL DEFAULT false;
UPDATE report_runs SET stale = true WHERE period <> 'days';
DELETE FROM report_snapshots WHERE period = 'days';
DELETE FROM report_runs WHERE period = 'days';
