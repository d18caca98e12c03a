-- Intake in one statement: locate, number, insert the case, its receive event and its first
-- timer. Writes nothing when the category is unknown or retired, the point lies in no cell or the patrol
-- officer is not an active officer.
-- $1 local date, $2 district, $3 channel, $4 description, $5 address, $6 lon, $7 lat,
-- $8 category, $9 reporter name, $10 reporter phone, $11 confidential, $12 reporter to answer,
-- $13 call started (epoch ms), $14 call ended, $15 call operator, $16 patrol officer,
-- $17 letter subject, $18 letter body, $19 photos (text[]), $20 actor, $21 actor role,
-- $22 now (epoch ms), $23 occurred at, $24 registration deadline, $25 limit value,
-- $26 limit unit, $27 duplicate radius (m), $28 reporter access (0 masked, 1 unless
-- confidential, 2 full: a full reveal is logged in reporter_disclosures), $29 $30 $31 what the
-- reader may read (scope kind, scope code, only the cases it received: possible duplicates
-- outside it are left out of the answer)
WITH point AS (
  SELECT CASE WHEN $6::float8 IS NULL THEN NULL::geometry
              ELSE ST_SetSRID(ST_MakePoint($6::float8, $7::float8), 4326) END AS geom
),
cell AS (
  SELECT g.code, g.path
  FROM grid_nodes g, point p
  WHERE p.geom IS NOT NULL AND g.level = 'cell' AND g.valid_to IS NULL
    AND ST_Intersects(g.geom, p.geom)
  ORDER BY g.code
  LIMIT 1
),
checks AS (
  SELECT ($8::text IS NULL OR EXISTS (SELECT 1 FROM categories WHERE key = $8::text AND retired_at IS NULL)) AS category_ok,
         ((SELECT geom FROM point) IS NULL OR EXISTS (SELECT 1 FROM cell)) AS cell_ok,
         ($16::text IS NULL OR EXISTS (SELECT 1 FROM officers WHERE code = $16::text AND active)) AS officer_ok
),
duplicates AS (
  SELECT coalesce(array_agg(d.case_no ORDER BY d.id DESC), '{}') AS case_nos
  FROM (
    SELECT c.case_no, c.id
    FROM cases c, point p
    WHERE $8::text IS NOT NULL AND p.geom IS NOT NULL AND c.category_key = $8::text
      AND c.status NOT IN ('rejected', 'closed')
      AND ST_DWithin(c.location, p.geom, $27::float8 / (111320 * cos(radians($7::float8))))
      AND ST_DWithin(c.location::geography, p.geom::geography, $27::float8)
    ORDER BY c.id DESC
    LIMIT 10
  ) d
),
inserted AS (
  INSERT INTO cases (case_no, channel, status, description, address, location, cell_code, grid_path,
                     category_key, reporter_name, reporter_phone, reporter_confidential,
                     reporter_to_answer, intake, photos, received_by, received_at, occurred_at,
                     updated_at, duplicate_candidates)
  SELECT $2::text || '-' || to_char($1::date, 'YYYYMMDD') || '-' ||
           lpad(gridcase_next_case_seq($1::date)::text, 6, '0'),
         $3::text, 'received', $4::text, $5::text, p.geom, cell.code, cell.path, $8::text,
         $9::text, $10::text, $11::boolean, $12::boolean,
         jsonb_strip_nulls(jsonb_build_object(
           'call', CASE WHEN $13::bigint IS NOT NULL THEN jsonb_build_object(
                     'started_at', gridcase_iso(to_timestamp($13::bigint / 1000.0)),
                     'ended_at', gridcase_iso(to_timestamp($14::bigint / 1000.0)),
                     'operator', $15::text) END,
           'officer', $16::text,
           'letter', CASE WHEN $17::text IS NOT NULL THEN jsonb_build_object(
                       'subject', $17::text, 'body', $18::text) END)),
         $19::text[], $20::text, to_timestamp($22::bigint / 1000.0),
         to_timestamp($23::bigint / 1000.0), to_timestamp($22::bigint / 1000.0), duplicates.case_nos
  FROM point p LEFT JOIN cell ON true, checks, duplicates
  WHERE checks.category_ok AND checks.cell_ok AND checks.officer_ok
  RETURNING cases AS row, id, case_no, received_at, received_by, version
),
event AS (
  INSERT INTO case_events (case_id, at, actor, actor_role, action, to_status, params)
  SELECT id, received_at, received_by, $21::text, 'receive', 'received',
         jsonb_build_object('channel', $3::text)
  FROM inserted
),
timer AS (
  INSERT INTO case_timers (case_id, timer, started_at, deadline, limit_value, limit_unit)
  SELECT id, 'registration', received_at, to_timestamp($24::bigint / 1000.0), $25::int, $26::text
  FROM inserted
),
disclosed AS (
  INSERT INTO reporter_disclosures (case_id, username, role)
  SELECT id, $20::text, $21::text FROM inserted
  WHERE ($9::text IS NOT NULL OR $10::text IS NOT NULL) AND gridcase_reveals($28::int, $11::boolean)
)
SELECT checks.category_ok, checks.cell_ok, inserted.case_no, inserted.id,
       gridcase_case_json(inserted.row, gridcase_reveals($28::int, $11::boolean), $29::text,
                          $30::text, $31::text)::text,
       checks.officer_ok, inserted.version
FROM checks LEFT JOIN inserted ON true
