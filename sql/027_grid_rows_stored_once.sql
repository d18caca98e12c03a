-- Issue 12: a street's, community's or cell's own report keeps no street, community or cell rows
-- (docs/reports.md, "Storage"). Each such row counts the cases (and the stage-timer instances
-- charged) whose node it names, which are all inside the scope's node: it is equal to the
-- district's ('') row of that node, stored in the same transaction (ReportRepository::
-- replace_snapshot stores every scope of a period together). A night stored every cell's row
-- four times over (the district, its street, its community and the cell itself). Reads of such a
-- scope take its grid rows from the district's rows of the nodes under it
-- (storage/pg_report_repository.cpp, kSelectSnapshot). The district node's own scope and the sums
-- of running periods' days (period 'days', stored one scope at a time) keep theirs.
DELETE FROM report_snapshots
WHERE period <> 'days' AND scope LIKE 'grid:%' AND length(scope) > length('grid:') + 6
  AND dimension IN ('street', 'community', 'cell');
UPDATE report_runs r SET row_count = (
  SELECT count(*) FROM report_snapshots s
  WHERE s.period = r.period AND s.first_day = r.first_day AND s.end_day = r.end_day)
WHERE r.period <> 'days';
