-- A running period's dispatch accuracy (docs/reports.md, "A running period"): the returns and
-- reassigns since the period began are read to find the dispatches of its finished days they
-- overturned (src/storage/queries/report_overturned_dispatches.sql). A partial index keeps that
-- read to those events, not every event of the year.
CREATE INDEX case_events_overturn_idx ON case_events (at) WHERE action IN ('return', 'reassign');
