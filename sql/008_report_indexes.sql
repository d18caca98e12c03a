-- Indexes for the nightly report's facts (src/storage/queries/report_case_facts.sql; measured by
-- bench/report, docs/performance.md).
--
-- The case facts look up, for every case a period concerns, its latest handling-timer instance
-- (and the first of its cycle, and the one a close judged): case_timers had only a partial index
-- on running instances' case_id, so each lookup scanned the whole table (minutes at 1,000,000
-- cases). Ordered by id so "the latest of this case's handling instances" is one index probe.
CREATE INDEX case_timers_case_timer_idx ON case_timers (case_id, timer, id);
