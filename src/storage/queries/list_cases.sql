-- Keyset page of cases in one of the list's orders. Every filter is optional (NULL = not given).
-- $1 grid code (whole subtree), $2 status, $3 channel, $4 category, $5 unit, $6 grid officer,
-- $7 overdue, $8 received from (epoch ms), $9 received before, $10 text, $11 cursor (the last
-- id of the previous page), $12 page size, $13 the caller's scope kind, $14 its code (NULL for
-- the district): the same rule as gridcase_in_scope (sql/004_accounts.sql), written out so that
-- the planner sees the uncorrelated subqueries once; $15 the order (`newest`, `oldest`,
-- `deadline`, `updated`: docs/api.md), $16 the cursor's key for `deadline` and `updated`
-- (microseconds since the epoch; 9223372036854775807: no handling deadline), $17 for an
-- integration the account whose cases alone it lists (domain::case_confinement; NULL: anyone's).
-- `matching` is written once and inlined (NOT MATERIALIZED) into each order's branch, so each
-- branch walks its own index (the primary key, cases_deadline_order_idx,
-- cases_updated_order_idx) and stops after a page; only the branch of $15 runs.
WITH matching AS NOT MATERIALIZED (
  SELECT c.id, c.case_no, c.status, c.channel, c.description, c.address, c.category_key,
         c.cell_code, c.unit_code, c.received_at, c.updated_at, c.cycle_deadline,
         c.escalation_level, c.rework_count, c.version
  FROM cases c
  WHERE ($1::text IS NULL OR c.grid_path <@ (SELECT path FROM grid_nodes WHERE code = $1::text))
    AND ($2::text IS NULL OR c.status = $2::text)
    AND ($3::text IS NULL OR c.channel = $3::text)
    AND ($4::text IS NULL OR c.category_key = $4::text)
    AND ($5::text IS NULL OR c.unit_code = $5::text)
    AND ($6::text IS NULL OR c.cell_code IN (
          SELECT oc.cell_code FROM officer_cells oc JOIN officers o ON o.id = oc.officer_id
          WHERE o.code = $6::text AND oc.duty = 'grid_officer'
            AND o.active AND gridcase_in_force(oc.valid_from, oc.valid_to)))
    AND ($7::boolean IS NULL OR $7::boolean = EXISTS (
          SELECT 1 FROM case_timers t
          WHERE t.case_id = c.id AND t.ended_at IS NULL AND t.paused_at IS NULL AND t.deadline < now()))
    AND ($8::bigint IS NULL OR c.received_at >= to_timestamp($8::bigint / 1000.0))
    AND ($9::bigint IS NULL OR c.received_at < to_timestamp($9::bigint / 1000.0))
    AND ($10::text IS NULL OR c.case_no = $10::text OR strpos(c.description, $10::text) > 0
         OR strpos(coalesce(c.address, ''), $10::text) > 0)
    AND ($17::text IS NULL OR c.received_by = $17::text)
    AND CASE $13::text
          WHEN 'district' THEN true
          WHEN 'grid' THEN coalesce(c.grid_path <@ (SELECT path FROM grid_nodes WHERE code = $14::text), false)
          WHEN 'unit' THEN coalesce(c.unit_code = $14::text, false)
          WHEN 'officer' THEN coalesce(c.cell_code IN (
              SELECT oc.cell_code FROM officer_cells oc JOIN officers o ON o.id = oc.officer_id
              WHERE o.code = $14::text AND o.active
                AND gridcase_in_force(oc.valid_from, oc.valid_to)), false)
          ELSE false END
),
page AS (
  (SELECT m.*, row_number() OVER (ORDER BY m.id DESC) AS ord, m.id::text AS page_cursor
   FROM matching m
   WHERE coalesce($15::text, 'newest') = 'newest' AND ($11::bigint IS NULL OR m.id < $11::bigint)
   ORDER BY m.id DESC
   LIMIT $12::int + 1)
  UNION ALL
  (SELECT m.*, row_number() OVER (ORDER BY m.id) AS ord, 'oldest.' || m.id AS page_cursor
   FROM matching m
   WHERE $15::text = 'oldest' AND ($11::bigint IS NULL OR m.id > $11::bigint)
   ORDER BY m.id
   LIMIT $12::int + 1)
  UNION ALL
  (SELECT m.*,
          row_number() OVER (ORDER BY coalesce(m.cycle_deadline, 'infinity'::timestamptz), m.id) AS ord,
          'deadline.' || coalesce((extract(epoch FROM m.cycle_deadline) * 1000000)::bigint::text, 'none')
            || '.' || m.id AS page_cursor
   FROM matching m
   WHERE $15::text = 'deadline'
     AND ($11::bigint IS NULL OR (coalesce(m.cycle_deadline, 'infinity'::timestamptz), m.id) >
          (CASE WHEN $16::bigint = 9223372036854775807 THEN 'infinity'::timestamptz
                ELSE to_timestamp(0) + $16::bigint * interval '1 microsecond' END, $11::bigint))
   ORDER BY coalesce(m.cycle_deadline, 'infinity'::timestamptz), m.id
   LIMIT $12::int + 1)
  UNION ALL
  (SELECT m.*, row_number() OVER (ORDER BY m.updated_at DESC, m.id DESC) AS ord,
          'updated.' || (extract(epoch FROM m.updated_at) * 1000000)::bigint || '.' || m.id AS page_cursor
   FROM matching m
   WHERE $15::text = 'updated'
     AND ($11::bigint IS NULL OR (m.updated_at, m.id) <
          (to_timestamp(0) + $16::bigint * interval '1 microsecond', $11::bigint))
   ORDER BY m.updated_at DESC, m.id DESC
   LIMIT $12::int + 1)
),
shown AS (SELECT * FROM page ORDER BY ord LIMIT $12::int)
SELECT json_build_object(
  'items', coalesce((SELECT json_agg(json_build_object(
             'case_no', case_no, 'status', status, 'version', version, 'channel', channel,
             'description', left(description, 200), 'address', address, 'category', category_key,
             'cell', cell_code, 'unit', unit_code, 'received_at', gridcase_iso(received_at),
             'updated_at', gridcase_iso(updated_at), 'handling_deadline', gridcase_iso(cycle_deadline),
             'escalation_level', escalation_level, 'rework_count', rework_count,
             'claim', CASE WHEN $17::text IS NULL THEN
                        (SELECT json_build_object('claimed_by', k.claimed_by,
                                                  'claimed_until', gridcase_iso(k.claimed_until))
                         FROM case_claims k WHERE k.case_id = shown.id AND k.claimed_until > now())
                      END) ORDER BY ord)
           FROM shown), '[]'::json),
  'next_cursor', CASE WHEN (SELECT count(*) FROM page) > $12::int
                      THEN (SELECT page_cursor FROM shown ORDER BY ord DESC LIMIT 1) END
)::text
