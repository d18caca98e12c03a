-- Dispatch suggestions' candidates (docs/case-lifecycle.md, "Dispatch suggestions"): the active
-- units whose grid scope contains the case's cell (codes nest by prefix), with the unit type the
-- filing condition wants, each unit's load (the handling instances it holds that have not ended:
-- case_timers.unit_code, sql/024) and its handling instances over the window: ended on time,
-- ended late, and running past their deadline now (a paused one judged at its pause).
-- $1 cell code, $2 category key, $3 condition id, $4 now (epoch ms), $5 window start (epoch ms)
WITH b AS (
  SELECT to_timestamp($4::bigint / 1000.0) AS now, to_timestamp($5::bigint / 1000.0) AS since
)
SELECT u.code, u.name, u.type, u.scope_code, coalesce(g.name, '') AS scope_name,
       coalesce((SELECT f.unit_type FROM filing_conditions f
                 WHERE f.category_key = $2 AND f.id = $3), '') AS wanted_type,
       (SELECT count(*) FROM case_timers t
        WHERE t.unit_code = u.code AND t.timer = 'handling' AND t.ended_at IS NULL) AS open_handling,
       (SELECT count(*) FROM case_timers t
        WHERE t.unit_code = u.code AND t.timer = 'handling' AND t.ended_at IS NOT NULL
          AND t.ended_at >= b.since AND t.ended_at <= b.now AND t.outcome = 'on_time') AS on_time,
       (SELECT count(*) FROM case_timers t
        WHERE t.unit_code = u.code AND t.timer = 'handling' AND t.ended_at IS NOT NULL
          AND t.ended_at >= b.since AND t.ended_at <= b.now AND t.outcome = 'late') AS late,
       (SELECT count(*) FROM case_timers t
        WHERE t.unit_code = u.code AND t.timer = 'handling' AND t.ended_at IS NULL
          AND t.deadline < coalesce(t.paused_at, b.now)) AS overdue_running
FROM units u
CROSS JOIN b
LEFT JOIN grid_nodes g ON g.code = u.scope_code
WHERE u.active AND $1::text LIKE u.scope_code || '%'
ORDER BY u.code
