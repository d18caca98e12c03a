-- The stage-timer instances a period concerns (domain.md §8): those that ended in it with an
-- outcome that counts, those still running at its end past the deadline in force then (a paused
-- one judged at its pause), and the first instance of each handling cycle that began in it: a
-- dispatch or reassign (cycle n begins with the case's n-th), kept unless a return or reassign
-- ended its cycle before the end. Handling instances ended by `complete` come with their
-- suspensions, for the average handling time.
--
-- Each instance is charged to whoever held it (docs/reports.md, "Who is charged"): a handling or
-- acknowledgement instance (a unit's stages) to the unit that held the case when it started
-- (case_timers.unit_code), the others to the case's unit at the end of the period as before; the
-- cell and category the case had when it ended (or at the end of the period, when still running)
-- and the grid officer of that cell on that local day. When those are the case's own at the end of the period (the rows its case fact
-- counts in), `held` is false and no labels are read; otherwise its labels come with it.
-- $1 start (epoch ms), $2 end (epoch ms, exclusive)
WITH b AS (
  SELECT to_timestamp($1::bigint / 1000.0) AS s, to_timestamp($2::bigint / 1000.0) AS e,
         make_interval(mins => coalesce((SELECT utc_offset_minutes FROM work_calendar WHERE id = 1), 480)) AS offset
),
instances AS (
  SELECT t.id, t.case_id, t.timer, t.started_at, t.ended_at, t.ended_by, t.outcome, t.unit_code,
         t.cycle_no,
         t.ended_at IS NOT NULL AND t.ended_at >= b.s AND t.ended_at < b.e AS ended_in_period,
         (t.ended_at IS NULL OR t.ended_at >= b.e)
           AND hs.deadline < coalesce(hs.paused_at, b.e) AS overdue_running,
         t.timer = 'handling' AND t.started_at >= b.s AND t.cycle_no >= 1
           AND NOT EXISTS (SELECT 1 FROM case_timers p
                           WHERE p.case_id = t.case_id AND p.timer = 'handling'
                             AND p.cycle_no = t.cycle_no AND p.id < t.id) AS dispatched
  FROM b
  -- Running (case_timers_case_idx) or ended since the start (case_timers_ended_idx), each read
  -- from its own partial index: one condition with an OR of the two read all 6,000,000 instances
  -- of the bench's database for every night (docs/performance.md).
  CROSS JOIN LATERAL (
    SELECT * FROM case_timers WHERE ended_at IS NULL AND started_at < b.e
    UNION ALL
    SELECT * FROM case_timers WHERE ended_at >= b.s AND started_at < b.e
  ) t
  CROSS JOIN LATERAL (
    SELECT h.deadline, h.paused_at FROM case_timer_history h
    WHERE h.timer_id = t.id AND h.at < b.e ORDER BY h.id DESC LIMIT 1
  ) hs
),
kept AS (
  SELECT i.*,
         (i.ended_in_period AND i.outcome IN ('on_time', 'late')) OR i.overdue_running
           OR (i.ended_in_period AND i.timer = 'handling' AND i.ended_by = 'complete')
           OR i.dispatched AS counts
  FROM instances i
),
charged AS (
  SELECT k.*, c.case_no, c.channel,
         CASE WHEN k.timer IN ('handling', 'acknowledgement') THEN k.unit_code
              ELSE at_end.unit_code END AS held_unit,
         held.cell_code AS held_cell, held.category_key AS held_category,
         held_officer.code AS held_officer,
         at_end.cell_code AS end_cell, at_end.unit_code AS end_unit,
         at_end.category_key AS end_category, end_officer.code AS end_officer,
         EXISTS (SELECT 1 FROM case_events m
                 WHERE m.case_id = k.case_id AND m.action = 'merge' AND m.at < b.e) AS merged_by_end,
         k.dispatched AND NOT EXISTS (
           SELECT 1 FROM case_timers r
           WHERE r.case_id = k.case_id AND r.timer = 'handling' AND r.cycle_no = k.cycle_no
             AND r.ended_by IN ('return', 'reassign') AND r.ended_at < b.e) AS dispatch_kept,
         CASE WHEN k.dispatched THEN (
           SELECT d.params->>'suggestion' FROM case_events d
           WHERE d.case_id = k.case_id AND d.action IN ('dispatch', 'reassign')
           ORDER BY d.id OFFSET k.cycle_no - 1 LIMIT 1) END AS suggestion
  FROM kept k
  CROSS JOIN b
  JOIN cases c ON c.id = k.case_id
  CROSS JOIN LATERAL (
    SELECT CASE WHEN k.ended_in_period THEN k.ended_at END AS held_at,
           (((CASE WHEN k.ended_in_period THEN k.ended_at ELSE b.e - interval '1 millisecond' END)
             AT TIME ZONE 'UTC') + b.offset)::date AS held_day,
           (((b.e - interval '1 millisecond') AT TIME ZONE 'UTC') + b.offset)::date AS last_day
  ) m
  LEFT JOIN LATERAL (
    SELECT h.cell_code, h.category_key FROM case_attribute_history h
    WHERE h.case_id = k.case_id AND (CASE WHEN m.held_at IS NULL THEN h.at < b.e ELSE h.at <= m.held_at END)
    ORDER BY h.id DESC LIMIT 1
  ) held ON true
  LEFT JOIN LATERAL (
    SELECT h.cell_code, h.unit_code, h.category_key FROM case_attribute_history h
    WHERE h.case_id = k.case_id AND h.at < b.e ORDER BY h.id DESC LIMIT 1
  ) at_end ON true
  LEFT JOIN LATERAL (
    SELECT o.code FROM officer_cells oc JOIN officers o ON o.id = oc.officer_id
    WHERE oc.cell_code = held.cell_code AND oc.duty = 'grid_officer'
      AND gridcase_in_force(oc.valid_from, oc.valid_to, m.held_day)
    LIMIT 1
  ) held_officer ON true
  LEFT JOIN LATERAL (
    SELECT o.code FROM officer_cells oc JOIN officers o ON o.id = oc.officer_id
    WHERE oc.cell_code = at_end.cell_code AND oc.duty = 'grid_officer'
      AND gridcase_in_force(oc.valid_from, oc.valid_to, m.last_day)
    LIMIT 1
  ) end_officer ON true
  WHERE k.counts
),
labelled AS (
  SELECT ch.*,
         ch.held_cell IS DISTINCT FROM ch.end_cell OR ch.held_unit IS DISTINCT FROM ch.end_unit
           OR ch.held_category IS DISTINCT FROM ch.end_category
           OR ch.held_officer IS DISTINCT FROM ch.end_officer AS held
  FROM charged ch
)
SELECT l.case_id, l.timer,
       CASE WHEN l.ended_in_period AND l.outcome IN ('on_time', 'late') THEN l.outcome END AS outcome,
       l.overdue_running,
       l.ended_in_period AND l.timer = 'handling' AND l.ended_by = 'complete' AS completed,
       (extract(epoch FROM l.started_at) * 1000)::bigint AS started_ms,
       (extract(epoch FROM l.ended_at) * 1000)::bigint AS ended_ms,
       (SELECT string_agg((extract(epoch FROM p.at) * 1000)::bigint::text, ',' ORDER BY p.id)
        FROM case_events p
        WHERE l.ended_in_period AND l.timer = 'handling' AND l.ended_by = 'complete'
          AND p.case_id = l.case_id
          AND p.action IN ('suspend', 'resume') AND p.at >= l.started_at AND p.at <= l.ended_at)
         AS pauses,
       l.merged_by_end, l.dispatched, l.dispatch_kept, l.suggestion, l.held,
       CASE WHEN l.held THEN coalesce(left(l.held_cell, 6), split_part(l.case_no, '-', 1)) END AS district,
       CASE WHEN l.held THEN left(l.held_cell, 9) END AS street,
       CASE WHEN l.held THEN left(l.held_cell, 12) END AS community,
       CASE WHEN l.held THEN l.held_cell END AS cell,
       CASE WHEN l.held THEN l.held_unit END AS unit,
       CASE WHEN l.held THEN l.held_officer END AS officer,
       CASE WHEN l.held THEN l.channel END AS channel,
       CASE WHEN l.held THEN l.held_category END AS category,
       CASE WHEN l.held THEN (SELECT g.name FROM grid_nodes g
         WHERE g.code = coalesce(left(l.held_cell, 6), split_part(l.case_no, '-', 1))) END AS district_name,
       CASE WHEN l.held THEN (SELECT g.name FROM grid_nodes g WHERE g.code = left(l.held_cell, 9)) END AS street_name,
       CASE WHEN l.held THEN (SELECT g.name FROM grid_nodes g WHERE g.code = left(l.held_cell, 12)) END AS community_name,
       CASE WHEN l.held THEN (SELECT g.name FROM grid_nodes g WHERE g.code = l.held_cell) END AS cell_name,
       CASE WHEN l.held THEN (SELECT u.name FROM units u WHERE u.code = l.held_unit) END AS unit_name,
       CASE WHEN l.held THEN (SELECT o.name FROM officers o WHERE o.code = l.held_officer) END AS officer_name,
       CASE WHEN l.held THEN (SELECT k.name FROM categories k WHERE k.key = l.held_category) END AS category_name
FROM labelled l
ORDER BY l.id
