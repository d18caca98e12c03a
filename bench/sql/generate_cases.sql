-- Synthetic history for benchmarks: :n cases spread evenly over the :days days before now, over
-- every current cell of the demo district, with the channel mix of Kundulun (mostly hotline),
-- ~95% closed. Case numbers carry a "9" in the sequence's first digit so they never collide
-- with numbers the server hands out (daily sequences stay far below 900000 in practice).
-- psql -v n=1000000 -v days=1095 -f bench/sql/generate_cases.sql
\set ON_ERROR_STOP on
BEGIN;
CREATE TEMP TABLE bench_cells AS
  SELECT row_number() OVER (ORDER BY code) AS k, code, path, ST_PointOnSurface(geom) AS point
  FROM grid_nodes WHERE level = 'cell' AND valid_to IS NULL;
CREATE INDEX ON bench_cells (k);
ANALYZE bench_cells;

INSERT INTO cases (case_no, channel, status, description, address, location, cell_code, grid_path,
                   category_key, condition_id, limit_value, limit_unit, unit_code,
                   reporter_name, reporter_phone, reporter_to_answer, received_by, received_at,
                   updated_at, closed_at, outcome, cycle_no)
SELECT '150203-' || to_char(s.received_at AT TIME ZONE 'Asia/Shanghai', 'YYYYMMDD') || '-9' ||
         lpad((s.g % 100000)::text, 5, '0') || '',
       s.channel,
       s.status,
       '合成案件 synthetic case ' || s.g,
       NULL,
       c.point, c.code, c.path,
       'event:0102', 'exposed', 2, 'work_hour',
       left(c.code, 9) || '-sanitation',
       CASE WHEN s.channel LIKE 'hotline%' THEN '市民' END,
       CASE WHEN s.channel LIKE 'hotline%' THEN '13800000000' END,
       s.channel LIKE 'hotline%',
       'bench', s.received_at, s.received_at + interval '2 days',
       CASE WHEN s.status = 'closed' THEN s.received_at + interval '2 days' END,
       CASE WHEN s.status = 'closed' THEN 'resolved' END,
       CASE WHEN s.status IN ('registered', 'received') THEN 0 ELSE 1 END
FROM (
  SELECT g,
         now() - (:days * interval '1 day') * (1 - g::float8 / :n) AS received_at,
         (g::bigint * 7919) % (SELECT count(*) FROM bench_cells) + 1 AS k,
         CASE WHEN g % 100 < 78 THEN 'hotline_12319' WHEN g % 100 < 92 THEN 'hotline_12345'
              WHEN g % 100 < 96 THEN 'mayor_mailbox' WHEN g % 100 < 99 THEN 'patrol' ELSE 'web' END AS channel,
         CASE WHEN g % 100 < 95 THEN 'closed' WHEN g % 100 < 97 THEN 'handling'
              WHEN g % 100 < 98 THEN 'dispatched' ELSE 'registered' END AS status
  FROM generate_series(1, :n) g
) s
JOIN bench_cells c ON c.k = s.k
ON CONFLICT (case_no) DO NOTHING;
COMMIT;
ANALYZE cases;
