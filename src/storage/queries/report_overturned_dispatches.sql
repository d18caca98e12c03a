-- The dispatches of a running period's finished days that their day's snapshot counted as kept
-- but that a return or reassign after that day has overturned (report_case_facts.sql decides
-- "kept" from the events before the end of the dispatch's day only; the period computed over its
-- own span would count them not kept). A return or reassign is the next decisive action of the
-- dispatch before it when that one is a dispatch or reassign; it overturns a kept one when it
-- came on a later day. One row per case, day and unit, with the rows the day counted it in: the
-- unit it was sent to (a dispatch is charged to that unit: report_timer_facts.sql), the case's
-- cell chain and category at the end of that day and its cell's officer on that day.
-- $1 the period's start (epoch ms), $2 today's start (epoch ms), $3 the period's first local date
WITH b AS (
  SELECT to_timestamp($1::bigint / 1000.0) AS s, to_timestamp($2::bigint / 1000.0) AS t
),
overturned AS (
  SELECT r.case_id, p.day_no, prev.unit
  FROM case_events r
  CROSS JOIN b
  CROSS JOIN LATERAL (
    SELECT d.action, d.at, d.params->>'unit' AS unit FROM case_events d
    WHERE d.case_id = r.case_id AND d.id < r.id
      AND d.action IN ('dispatch', 'reassign', 'return', 'reopen', 'merge')
    ORDER BY d.id DESC LIMIT 1
  ) prev
  CROSS JOIN LATERAL (
    SELECT floor(extract(epoch FROM prev.at - b.s) / 86400)::int AS day_no
  ) p
  WHERE r.action IN ('return', 'reassign') AND r.at >= b.s
    AND prev.action IN ('dispatch', 'reassign') AND prev.at >= b.s AND prev.at < b.t
    AND r.at >= b.s + (p.day_no + 1) * interval '86400 seconds'
)
SELECT o.case_id AS id, count(*)::int AS overturned,
       coalesce(left(attr.cell_code, 6), split_part(c.case_no, '-', 1)) AS district,
       left(attr.cell_code, 9) AS street,
       left(attr.cell_code, 12) AS community,
       attr.cell_code AS cell,
       o.unit,
       officer.code AS officer,
       c.channel,
       attr.category_key AS category
FROM overturned o
CROSS JOIN b
JOIN cases c ON c.id = o.case_id
LEFT JOIN LATERAL (
  SELECT h.cell_code, h.unit_code, h.category_key FROM case_attribute_history h
  WHERE h.case_id = o.case_id AND h.at < b.s + (o.day_no + 1) * interval '86400 seconds'
  ORDER BY h.id DESC LIMIT 1
) attr ON true
LEFT JOIN LATERAL (
  SELECT o2.code FROM officer_cells oc JOIN officers o2 ON o2.id = oc.officer_id
  WHERE oc.cell_code = attr.cell_code AND oc.duty = 'grid_officer'
    AND gridcase_in_force(oc.valid_from, oc.valid_to, $3::date + o.day_no)
  LIMIT 1
) officer ON true
GROUP BY o.case_id, o.day_no, o.unit, c.case_no, c.channel, attr.cell_code,
         attr.category_key, officer.code
ORDER BY o.case_id, o.day_no
