-- The facts of domain.md §8 about every case a period concerns (an event in it, or open at its
-- end), read from the event log and the histories of sql/005 as they stood at the period's end:
-- only rows with times before it count, so re-running a past period gives the same facts.
-- Within one case, ids follow the order of its actions (they are serialised by the case lock).
-- $1 start (epoch ms), $2 end (epoch ms, exclusive), $3 the period's last local date
WITH b AS (
  SELECT to_timestamp($1::bigint / 1000.0) AS s, to_timestamp($2::bigint / 1000.0) AS e
),
-- An event in the period, or open at its end: received before it and not closed for good
-- before it (the lifetime of sql/033_case_lifetimes.sql, found by its index for any end).
relevant AS (
  SELECT DISTINCT ev.case_id AS id FROM case_events ev, b WHERE ev.at >= b.s AND ev.at < b.e
  UNION
  SELECT c.id FROM cases c
  WHERE tstzrange(least(c.received_at, c.closed_at), c.closed_at, '(]')
        @> to_timestamp($2::bigint / 1000.0)
),
-- Materialized on purpose: the bounds come from a CTE, so the planner cannot estimate `relevant`
-- (it guessed a third of the event log) and, left to itself, evaluated the per-case lookups
-- below for every case in the table before joining (14 s at 1,000,000 cases; bench/report).
-- The case itself is one probe by id (LIMIT 1 keeps the planner from turning the join around
-- and scanning every case by received_at for the same misjudged reason).
concerned AS MATERIALIZED (
  SELECT c.id, c.received_at, c.case_no, c.channel
  FROM relevant r
  CROSS JOIN b
  CROSS JOIN LATERAL (
    SELECT c.id, c.received_at, c.case_no, c.channel FROM cases c WHERE c.id = r.id LIMIT 1
  ) c
  WHERE c.received_at < b.e
)
SELECT c.id,
       (extract(epoch FROM c.received_at) * 1000)::bigint AS received_at_ms,
       coalesce(left(attr.cell_code, 6), split_part(c.case_no, '-', 1)) AS district,
       left(attr.cell_code, 9) AS street,
       left(attr.cell_code, 12) AS community,
       attr.cell_code AS cell,
       attr.unit_code AS unit,
       officer.code AS officer,
       officer.name AS officer_name,
       c.channel,
       attr.category_key AS category,
       (SELECT g.name FROM grid_nodes g
        WHERE g.code = coalesce(left(attr.cell_code, 6), split_part(c.case_no, '-', 1))) AS district_name,
       (SELECT g.name FROM grid_nodes g WHERE g.code = left(attr.cell_code, 9)) AS street_name,
       (SELECT g.name FROM grid_nodes g WHERE g.code = left(attr.cell_code, 12)) AS community_name,
       (SELECT g.name FROM grid_nodes g WHERE g.code = attr.cell_code) AS cell_name,
       (SELECT u.name FROM units u WHERE u.code = attr.unit_code) AS unit_name,
       (SELECT k.name FROM categories k WHERE k.key = attr.category_key) AS category_name,
       ev.received, ev.registered, ev.handled, ev.closed_event IS NOT NULL AS closed, ev.merged,
       -- Dispatches are not counted here: each is charged to the unit it sent the case to, with
       -- the first handling instance of its cycle (report_timer_facts.sql).
       ev.merged_by_end, ev.callbacks_reached, ev.callbacks_satisfied,
       coalesce((SELECT t.outcome = 'on_time' FROM case_timers t
                 WHERE t.case_id = c.id AND t.timer = 'handling' AND t.ended_by = 'complete'
                   AND t.ended_at <= ev.closed_at
                 ORDER BY t.id DESC LIMIT 1), false) AS closed_on_time,
       coalesce((SELECT bool_or(r.action = 'rework' OR (r.action = 'check' AND r.params->>'result' = 'failed'))
                 FROM case_events r WHERE r.case_id = c.id AND r.id < ev.closed_event), false) AS closed_reworked,
       coalesce((SELECT bool_or(r.action = 'approve_extension')
                 FROM case_events r WHERE r.case_id = c.id AND r.id < ev.closed_event), false) AS closed_extended,
       st.status NOT IN ('rejected', 'closed') AS open_at_end,
       coalesce(ev.closed_event IS NULL
         AND st.status IN ('dispatched', 'handling', 'suspended', 'handled', 'resolved', 'replied')
         AND ht.deadline < coalesce(CASE WHEN NOT ht.ended THEN ht.paused_at END, b.e), false)
         AS open_past_deadline,
       coalesce(st.status IN ('dispatched', 'handling', 'suspended') AND NOT ht.ended, false)
         AS handling_running,
       (extract(epoch FROM ht.cycle_started_at) * 1000)::bigint AS cycle_started_ms,
       (extract(epoch FROM ht.deadline) * 1000)::bigint AS deadline_ms,
       (extract(epoch FROM ht.paused_at) * 1000)::bigint AS paused_ms,
       ht.limit_value, ht.limit_unit,
       (SELECT count(*) FROM case_events x
        WHERE x.case_id = c.id AND x.action = 'approve_extension'
          AND x.at >= ht.cycle_started_at AND x.at < b.e) AS cycle_extensions
FROM concerned c
CROSS JOIN b
CROSS JOIN LATERAL (
  SELECT e.to_status AS status FROM case_events e
  WHERE e.case_id = c.id AND e.at < b.e AND e.to_status IS NOT NULL
  ORDER BY e.id DESC LIMIT 1
) st
CROSS JOIN LATERAL (
  SELECT bool_or(e.action = 'receive' AND e.at >= b.s) AS received,
         bool_or(e.action = 'register' AND e.at >= b.s) AS registered,
         bool_or(e.action = 'complete' AND e.at >= b.s) AS handled,
         bool_or(e.action = 'merge' AND e.at >= b.s) AS merged,
         bool_or(e.action = 'merge') AS merged_by_end,
         max(e.id) FILTER (WHERE e.action = 'close' AND e.at >= b.s) AS closed_event,
         max(e.at) FILTER (WHERE e.action = 'close' AND e.at >= b.s) AS closed_at,
         count(*) FILTER (WHERE e.action = 'callback' AND e.at >= b.s
                            AND e.params->>'reached' = 'true') AS callbacks_reached,
         count(*) FILTER (WHERE e.action = 'callback' AND e.at >= b.s AND e.params->>'reached' = 'true'
                            AND e.params->>'satisfaction' IN ('satisfied', 'basically_satisfied'))
           AS callbacks_satisfied
  FROM case_events e WHERE e.case_id = c.id AND e.at < b.e
) ev
LEFT JOIN LATERAL (
  SELECT h.cell_code, h.unit_code, h.category_key FROM case_attribute_history h
  WHERE h.case_id = c.id AND h.at < b.e ORDER BY h.id DESC LIMIT 1
) attr ON true
LEFT JOIN LATERAL (
  SELECT o.code, o.name FROM officer_cells oc JOIN officers o ON o.id = oc.officer_id
  WHERE oc.cell_code = attr.cell_code AND oc.duty = 'grid_officer'
    AND gridcase_in_force(oc.valid_from, oc.valid_to, $3::date)
  LIMIT 1
) officer ON true
LEFT JOIN LATERAL (
  SELECT t.limit_value, t.limit_unit, t.ended_at IS NOT NULL AND t.ended_at < b.e AS ended,
         hs.deadline, hs.paused_at,
         (SELECT min(f.started_at) FROM case_timers f
          WHERE f.case_id = c.id AND f.timer = 'handling' AND f.cycle_no = t.cycle_no) AS cycle_started_at
  FROM case_timers t
  CROSS JOIN LATERAL (
    SELECT h.deadline, h.paused_at FROM case_timer_history h
    WHERE h.timer_id = t.id AND h.at < b.e ORDER BY h.id DESC LIMIT 1
  ) hs
  WHERE t.case_id = c.id AND t.timer = 'handling' AND t.started_at < b.e
  ORDER BY t.id DESC LIMIT 1
) ht ON true
ORDER BY c.id
