-- Reports any account can ask for are read, not computed (docs/reports.md, "Snapshots"): every
-- stored period keeps one report per scope a caller can have (the district, each grid node, unit
-- and officer), and a running period keeps the sum of its finished days per scope.
--
-- scope: '' the whole district, 'grid:<code>', 'unit:<code>' or 'officer:<code>'.
-- period 'days': the finished days [first_day, end_day) of a running period, summed (event
-- counts added up, the state at each day's end left out: ReportService::get adds the running day).
--
-- Snapshots are derived data: the ones stored before this migration hold the district's rows
-- only, so they are dropped and computed again with every scope (the nightly job catches up).
DELETE FROM report_snapshots;
DELETE FROM report_runs;

ALTER TABLE report_snapshots ADD COLUMN scope text NOT NULL DEFAULT '';
ALTER TABLE report_snapshots DROP CONSTRAINT report_snapshots_pkey;
ALTER TABLE report_snapshots ADD PRIMARY KEY (period, first_day, end_day, scope, dimension, key);
ALTER TABLE report_snapshots DROP CONSTRAINT report_snapshots_period_check;
ALTER TABLE report_snapshots ADD CONSTRAINT report_snapshots_period_check
  CHECK (period IN ('day', 'week', 'month', 'quarter', 'ytd', 'days'));

ALTER TABLE report_runs ADD COLUMN scope text NOT NULL DEFAULT '';
ALTER TABLE report_runs DROP CONSTRAINT report_runs_pkey;
ALTER TABLE report_runs ADD PRIMARY KEY (period, first_day, scope, end_day);
