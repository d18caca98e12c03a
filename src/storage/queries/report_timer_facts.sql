-- The stage-timer instances a period concerns (domain.md §8): those that ended in it with an
-- outcome that counts, and those still running at its end past the deadline in force then (a
-- paused one judged at its pause). Handling instances ended by `complete` come with their
-- suspensions, for the average handling time.
-- $1 start (epoch ms), $2 end (epoch ms, exclusive)
WITH b AS (
  SELECT to_timestamp($1::bigint / 1000.0) AS s, to_timestamp($2::bigint / 1000.0) AS e
),
instances AS (
  SELECT t.id, t.case_id, t.timer, t.started_at, t.ended_at, t.ended_by, t.outcome,
         t.ended_at IS NOT NULL AND t.ended_at >= b.s AND t.ended_at < b.e AS ended_in_period,
         (t.ended_at IS NULL OR t.ended_at >= b.e)
           AND hs.deadline < coalesce(hs.paused_at, b.e) AS overdue_running
  FROM case_timers t
  CROSS JOIN b
  CROSS JOIN LATERAL (
    SELECT h.deadline, h.paused_at FROM case_timer_history h
    WHERE h.timer_id = t.id AND h.at < b.e ORDER BY h.id DESC LIMIT 1
  ) hs
  WHERE t.started_at < b.e AND (t.ended_at IS NULL OR t.ended_at >= b.s)
)
SELECT i.case_id, i.timer,
       CASE WHEN i.ended_in_period AND i.outcome IN ('on_time', 'late') THEN i.outcome END AS outcome,
       i.overdue_running,
       i.ended_in_period AND i.timer = 'handling' AND i.ended_by = 'complete' AS completed,
       (extract(epoch FROM i.started_at) * 1000)::bigint AS started_ms,
       (extract(epoch FROM i.ended_at) * 1000)::bigint AS ended_ms,
       (SELECT string_agg((extract(epoch FROM p.at) * 1000)::bigint::text, ',' ORDER BY p.id)
        FROM case_events p
        WHERE i.ended_in_period AND i.timer = 'handling' AND p.case_id = i.case_id
          AND p.action IN ('suspend', 'resume') AND p.at >= i.started_at AND p.at <= i.ended_at)
         AS pauses
FROM instances i
WHERE (i.ended_in_period AND i.outcome IN ('on_time', 'late')) OR i.overdue_running
   OR (i.ended_in_period AND i.timer = 'handling' AND i.ended_by = 'complete')
ORDER BY i.id
