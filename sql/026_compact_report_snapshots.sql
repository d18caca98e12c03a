-- Issue 12: a stored report in about half the bytes (docs/reports.md, "Storage"). A night of the
-- bench's 1,000,000 cases stores some 80,000 rows; with a bigint per count, five bigint arrays
-- and a timestamp each, a year of nights took 15 GB. Now:
--   - counts are integers (a count of cases, instances or callbacks in one period and scope);
--   - the three stage-timer arrays are one, `timers`: for each stage in kAllStageTimers order
--     (verification, registration, dispatch, acknowledgement, handling, check, close) its on-time,
--     late and still-running-overdue counts, so timers[3k+1..3k+3] are stage k's (k from 0);
--   - the two backlog arrays are one, `backlog`: the five age buckets (< 1 day, 1–3, 3–7, 7–30,
--     >= 30 days), then the three lights (green, yellow, red);
--   - no computed_at per row: report_runs has it once per period and scope;
--   - the fixed-width columns first, so that no padding sits between them.
-- The stored rows are converted, not dropped: nothing has to be computed again.
CREATE TABLE report_snapshots_compact (
  handling_work_hours  double precision NOT NULL,
  first_day            date NOT NULL,
  end_day              date NOT NULL CHECK (end_day > first_day),
  received             integer NOT NULL,
  registered           integer NOT NULL,
  dispatched           integer NOT NULL,
  dispatches_kept      integer NOT NULL,
  dispatches_suggested integer NOT NULL,
  suggestions_followed integer NOT NULL,
  handled              integer NOT NULL,
  closed               integer NOT NULL,
  closed_on_time       integer NOT NULL,
  closed_reworked      integer NOT NULL,
  closed_extended      integer NOT NULL,
  merged               integer NOT NULL,
  due                  integer NOT NULL,
  handling_instances   integer NOT NULL,
  callbacks_reached    integer NOT NULL,
  callbacks_satisfied  integer NOT NULL,
  period               text NOT NULL
                         CHECK (period IN ('day', 'week', 'month', 'quarter', 'ytd', 'days')),
  scope                text NOT NULL,
  dimension            text NOT NULL CHECK (dimension IN ('district', 'street', 'community', 'cell',
                         'unit', 'officer', 'channel', 'category')),
  key                  text NOT NULL,
  name                 text NOT NULL,
  timers               integer[] NOT NULL CHECK (cardinality(timers) = 21),
  backlog              integer[] NOT NULL CHECK (cardinality(backlog) = 8)
);

INSERT INTO report_snapshots_compact
SELECT s.handling_work_hours, s.first_day, s.end_day, s.received, s.registered, s.dispatched,
       s.dispatches_kept, s.dispatches_suggested, s.suggestions_followed, s.handled, s.closed,
       s.closed_on_time, s.closed_reworked, s.closed_extended, s.merged, s.due,
       s.handling_instances, s.callbacks_reached, s.callbacks_satisfied, s.period, s.scope,
       s.dimension, s.key, s.name,
       ARRAY(SELECT v.count
             FROM unnest(s.timer_on_time, s.timer_late, s.timer_overdue)
                  WITH ORDINALITY AS t(on_time, late, overdue, stage),
                  LATERAL (VALUES (1, t.on_time), (2, t.late), (3, t.overdue)) AS v(kind, count)
             ORDER BY t.stage, v.kind)::integer[],
       (s.backlog_by_age || s.backlog_by_light)::integer[]
FROM report_snapshots s;

DROP TABLE report_snapshots;
ALTER TABLE report_snapshots_compact RENAME TO report_snapshots;
ALTER TABLE report_snapshots
  ADD CONSTRAINT report_snapshots_pkey PRIMARY KEY (period, first_day, end_day, scope, dimension, key);
