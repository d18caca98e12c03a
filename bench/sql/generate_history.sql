-- Synthetic case history for bench/report: :n cases spread evenly over the :days days before
-- now, over every current cell of the demo district, WITH the rows the real service would have
-- written for them: case_events, case_timers, case_timer_history and case_attribute_history.
--
--   psql -v n=1000000 -v days=365 -f bench/sql/generate_history.sql
--
-- The mix (drawn with a fixed seed):
--   channels   as bench/sql/generate_cases.sql: 78% hotline_12319, 14% hotline_12345,
--              4% mayor_mailbox, 3% patrol, 1% web (hotline cases answer their reporter)
--   lifecycle  receive → register → dispatch → acknowledge → complete → check → (reply) → close;
--              5% go through request_verification → verify first, 2.5% are rejected, 1% merged
--              into the case received before them, 2% reassigned before acknowledgement, 2%
--              suspended 1–5 days (request_suspension, suspend, resume), 3% extended
--              (request_extension, approve_extension), 4% reworked by a failed check;
--              ~40% of closed hotline cases get a callback (90% reached; 85% satisfied,
--              10% basically satisfied, 5% dissatisfied)
--   lateness   stage gaps of 5 min–2 h (88%) or 2–12 h (12%); handling takes 15–115% of its
--              limit (so ~15% of handling instances are late; a reworked one mostly is)
--   open       every step later than now is not taken, so the cases of the last days are open in
--              every state; 0.2% of cases stall for good after a random step (the ≥ 30-day
--              backlog)
-- The filing condition (and so the handling limit) is drawn from filing_conditions, the unit from
-- the units of the case's street.
--
-- Approximations, on purpose:
--   * Deadlines are wall-clock approximations of the work calendar: a work hour counts 4.8 h
--     (35 working hours a week), a work day 33.6 h, an urgent hour 1 h; a resumption moves the
--     deadline by the wall time paused. Outcomes and histories are consistent with those
--     deadlines, not with what WorkCalendar::deadline would compute.
--   * No `overdue`/`escalated`/`urge` events of the scheduler (case_timers.overdue_at is set).
--   * Rows are inserted with triggers off (session_replication_role = replica): the histories
--     of sql/007 are written here, as its triggers would have, and case_events.hash is a fixed
--     placeholder: the synthetic events are NOT hash-chained, so `gridcase verify-events`
--     reports the first of them as broken. Do not generate into a database whose event log
--     matters.
--   * Case numbers carry a "9" in the sequence's first digit (as generate_cases.sql) so they never
--     collide with the server's; at most 100,000 cases a local day (:n / :days).
\set ON_ERROR_STOP on
\set QUIET on
BEGIN;
SET LOCAL session_replication_role = replica;
SET LOCAL work_mem = '256MB';
SELECT setseed(0.20261130);

CREATE TEMP TABLE bench_cells ON COMMIT DROP AS
  SELECT row_number() OVER (ORDER BY g.code) AS k, g.code, g.path, ST_PointOnSurface(g.geom) AS point,
         (SELECT array_agg(u.code ORDER BY u.code) FROM units u
          WHERE u.code LIKE left(g.code, 9) || '-%' AND u.active) AS units
  FROM grid_nodes g WHERE g.level = 'cell' AND g.valid_to IS NULL;
CREATE TEMP TABLE bench_conditions ON COMMIT DROP AS
  SELECT row_number() OVER (ORDER BY category_key, id) AS k, category_key, id, limit_value, limit_unit,
         limit_value * CASE limit_unit WHEN 'urgent_hour' THEN interval '1 hour'
                                       WHEN 'work_hour' THEN interval '4.8 hours'
                                       WHEN 'work_day' THEN interval '33.6 hours'
                                       ELSE interval '24 hours' END AS wall
  FROM filing_conditions;
ANALYZE bench_cells;
ANALYZE bench_conditions;

-- A stage gap: 5 min–2 h (88%) or 2–12 h.
CREATE FUNCTION pg_temp.gap(u float8) RETURNS interval LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN u < 0.88 THEN interval '1 minute' * (5 + u / 0.88 * 115)
              ELSE interval '1 minute' * (120 + (u - 0.88) / 0.12 * 600) END
$$;

-- Ids are reserved up front so that every table can refer to them without joining back.
LOCK TABLE cases, case_events, case_timers, case_timer_history, case_attribute_history IN EXCLUSIVE MODE;
CREATE TEMP TABLE bench_base ON COMMIT DROP AS
  SELECT (SELECT coalesce(max(id), 0) FROM cases) AS case_id0,
         (SELECT coalesce(max(id), 0) FROM case_timers) AS timer_id0;

-- 1. One row per case: its draws and the raw time of every step it would take.
CREATE TEMP TABLE bench_draw ON COMMIT DROP AS
SELECT r.*, lag(r.case_no) OVER (ORDER BY r.g) AS previous_no
FROM (
SELECT q.*, '150203-' || to_char(q.rcv AT TIME ZONE 'Asia/Shanghai', 'YYYYMMDD') || '-9'
            || lpad((q.g % 100000)::text, 5, '0') AS case_no
FROM (
SELECT g, (SELECT case_id0 FROM bench_base) + g AS id,
       now() - (:days * interval '1 day') * (1 - g::float8 / :n) - interval '1 minute' * random() AS rcv,
       CASE WHEN g % 100 < 78 THEN 'hotline_12319' WHEN g % 100 < 92 THEN 'hotline_12345'
            WHEN g % 100 < 96 THEN 'mayor_mailbox' WHEN g % 100 < 99 THEN 'patrol' ELSE 'web' END AS channel,
       (g::bigint * 7919) % (SELECT count(*) FROM bench_cells) + 1 AS cell_k,
       1 + floor(random() * (SELECT count(*) FROM bench_conditions))::int AS condition_k,
       random() AS u_fate, random() AS u_verify, random() AS u_reassign, random() AS u_suspend,
       random() AS u_extend, random() AS u_rework, random() AS u_callback, random() AS u_satisfied,
       random() AS u_share, random() AS u_stuck, random() AS u_unit,
       random() AS g1, random() AS g2, random() AS g3, random() AS g4, random() AS g5, random() AS g6,
       random() AS g7, random() AS g8, random() AS g9, random() AS g10, random() AS g11
FROM generate_series(1, :n) g
) q
) r;
ANALYZE bench_draw;

CREATE TEMP TABLE bench_plan ON COMMIT DROP AS
WITH a AS (
  SELECT d.*, c.code AS cell, c.path, c.point, c.units[1 + floor(d.u_unit * cardinality(c.units))::int] AS unit,
         k.category_key, k.id AS condition_id, k.limit_value, k.limit_unit, k.wall,
         d.channel LIKE 'hotline%' AS answers,
         d.u_verify < 0.05 AS verified, d.u_fate < 0.025 AS rejected,
         d.u_fate >= 0.025 AND d.u_fate < 0.035 AS merged,
         d.u_reassign < 0.02 AS reassigned, d.u_suspend < 0.02 AS suspended,
         d.u_suspend >= 0.02 AND d.u_extend < 0.03 AS extended, d.u_rework < 0.04 AS reworked
  FROM bench_draw d
  JOIN bench_cells c ON c.k = d.cell_k
  JOIN bench_conditions k ON k.k = d.condition_k
), t1 AS (  -- intake and filing
  SELECT a.*,
         CASE WHEN verified THEN rcv + interval '10 minutes' END AS t_rv,
         CASE WHEN verified THEN rcv + interval '10 minutes' + interval '30 minutes' + pg_temp.gap(g1) * 2 END AS t_ver
  FROM a
), t2 AS (
  SELECT t1.*, coalesce(t_ver, rcv) + interval '1 minute' + pg_temp.gap(g2) AS t_file FROM t1
), t3 AS (  -- dispatch (and reassignment)
  SELECT t2.*,
         CASE WHEN rejected THEN t_file END AS t_reject,
         CASE WHEN NOT rejected THEN t_file END AS t_reg,
         CASE WHEN merged THEN t_file + interval '1 minute' + pg_temp.gap(g3) END AS t_merge,
         CASE WHEN NOT rejected AND NOT merged THEN t_file + interval '1 minute' + pg_temp.gap(g3) END AS t_disp
  FROM t2
), t4 AS (
  SELECT t3.*,
         CASE WHEN reassigned THEN t_disp + interval '1 minute' + pg_temp.gap(g4) / 2 END AS t_reassign
  FROM t3
), t5 AS (  -- acknowledgement, suspension, extension, completion
  SELECT t4.*, coalesce(t_reassign, t_disp) AS d0,
         coalesce(t_reassign, t_disp) + interval '1 minute' + pg_temp.gap(g5) AS t_ack
  FROM t4
), t6 AS (
  SELECT t5.*,
         CASE WHEN suspended THEN t_ack + interval '20 minutes' END AS t_rs,
         CASE WHEN suspended THEN t_ack + interval '40 minutes' + pg_temp.gap(g6) / 4 END AS t_susp,
         CASE WHEN extended THEN t_ack + interval '20 minutes' END AS t_rx,
         CASE WHEN extended THEN t_ack + interval '40 minutes' + pg_temp.gap(g6) / 4 END AS t_ax,
         interval '1 day' * (1 + 4 * g7) AS pause
  FROM t5
), t7 AS (
  SELECT t6.*,
         CASE WHEN suspended THEN t_susp + pause END AS t_resume,
         greatest(coalesce(t_susp + pause, t_ax, t_ack) + interval '10 minutes',
                  d0 + wall * (0.15 + u_share) * CASE WHEN extended THEN 1.6 ELSE 1 END
                     + CASE WHEN suspended THEN pause ELSE interval '0' END) AS t_comp
  FROM t6
), t8 AS (  -- checks, rework, reply, close, callback
  SELECT t7.*,
         CASE WHEN reworked THEN t_comp + interval '1 minute' + pg_temp.gap(g8) END AS t_fail
  FROM t7
), t9 AS (
  SELECT t8.*,
         CASE WHEN reworked THEN t_fail + interval '1 minute' + pg_temp.gap(g9) / 2 END AS t_ack2
  FROM t8
), t10 AS (
  SELECT t9.*,
         CASE WHEN reworked THEN t_ack2 + interval '2 hours' + interval '1 day' * g10 END AS t_comp2
  FROM t9
), t11 AS (
  SELECT t10.*,
         coalesce(t_comp2, t_comp) + interval '1 minute' + pg_temp.gap(g11) AS t_check
  FROM t10
), t12 AS (
  SELECT t11.*,
         CASE WHEN answers THEN t_check + interval '1 minute' + pg_temp.gap(g1) / 2 END AS t_reply
  FROM t11
), t13 AS (
  SELECT t12.*, coalesce(t_reply, t_check) + interval '1 minute' + pg_temp.gap(g2) / 2 AS t_close
  FROM t12
)
SELECT t13.*,
       CASE WHEN answers AND u_callback < 0.4 THEN t_close + interval '20 hours' END AS t_callback,
       -- 0.2% stall for good after step `cut` (seq numbers of the event list below)
       CASE WHEN u_stuck < 0.002 THEN 1 + floor(u_stuck / 0.002 * 18)::int ELSE 99 END AS cut
FROM t13;
ALTER TABLE bench_plan ADD PRIMARY KEY (id);

-- 2. Every event the case would have had, cut at now (and at the stall).
CREATE TEMP TABLE bench_events ON COMMIT DROP AS
SELECT p.id AS case_id, p.g, e.seq, e.at, e.action, e.from_status, e.to_status, e.role, e.params
FROM bench_plan p
CROSS JOIN LATERAL (VALUES
  (1, p.rcv, 'receive', NULL, 'received', 'operator', '{}'::jsonb),
  (2, p.t_rv, 'request_verification', 'received', 'verifying', 'operator', '{}'),
  (3, p.t_ver, 'verify', 'verifying', 'received', 'officer', '{}'),
  (4, p.t_reject, 'reject', 'received', 'rejected', 'shift_leader',
      '{"reason": "不属于城市管理范围 outside urban management"}'),
  (4, p.t_reg, 'register', 'received', 'registered', 'shift_leader',
      jsonb_build_object('category', p.category_key, 'condition', p.condition_id)),
  (5, p.t_merge, 'merge', 'registered', 'closed', 'dispatcher',
      jsonb_build_object('into', p.previous_no)),
  (5, p.t_disp, 'dispatch', 'registered', 'dispatched', 'dispatcher', jsonb_build_object('unit', p.unit)),
  (6, p.t_reassign, 'reassign', 'dispatched', 'dispatched', 'dispatcher', jsonb_build_object('unit', p.unit)),
  (7, p.t_ack, 'acknowledge', 'dispatched', 'handling', 'unit', '{}'),
  (8, p.t_rs, 'request_suspension', 'handling', 'handling', 'unit',
      jsonb_build_object('until', gridcase_iso(p.t_susp + p.pause))),
  (9, p.t_susp, 'suspend', 'handling', 'suspended', 'dispatcher',
      jsonb_build_object('until', gridcase_iso(p.t_susp + p.pause))),
  (10, p.t_resume, 'resume', 'suspended', 'handling', 'system', '{}'),
  (8, p.t_rx, 'request_extension', 'handling', 'handling', 'unit', '{}'),
  (9, p.t_ax, 'approve_extension', 'handling', 'handling', 'shift_leader',
      jsonb_build_object('deadline', gridcase_iso(p.d0 + 2 * p.wall))),
  (11, p.t_comp, 'complete', 'handling', 'handled', 'unit', '{}'),
  (12, p.t_fail, 'check', 'handled', 'dispatched', 'officer', '{"result": "failed"}'),
  (13, p.t_ack2, 'acknowledge', 'dispatched', 'handling', 'unit', '{}'),
  (14, p.t_comp2, 'complete', 'handling', 'handled', 'unit', '{}'),
  (15, p.t_check, 'check', 'handled', 'resolved', 'officer', '{"result": "passed"}'),
  (16, p.t_reply, 'reply', 'resolved', 'replied', 'operator', '{}'),
  (17, p.t_close, 'close', CASE WHEN p.answers THEN 'replied' ELSE 'resolved' END, 'closed', 'shift_leader', '{}'),
  (18, p.t_callback, 'callback', 'closed', 'closed', 'operator',
      jsonb_build_object('reached', CASE WHEN p.u_satisfied < 0.9 THEN 'true' ELSE 'false' END)
      || CASE WHEN p.u_satisfied < 0.9 THEN jsonb_build_object('satisfaction',
           CASE WHEN p.u_satisfied < 0.765 THEN 'satisfied' WHEN p.u_satisfied < 0.855 THEN 'basically_satisfied'
                ELSE 'dissatisfied' END) ELSE '{}' END)
) e(seq, at, action, from_status, to_status, role, params)
WHERE e.at IS NOT NULL AND e.at <= now() AND e.seq <= p.cut
  AND NOT (e.action = 'merge' AND p.g = 1);  -- the first case has none before it

-- Each case's state as its last event left it.
CREATE TEMP TABLE bench_state ON COMMIT DROP AS
SELECT DISTINCT ON (case_id) case_id, at AS last_at, to_status AS status, count(*) OVER (PARTITION BY case_id) AS events
FROM bench_events ORDER BY case_id, seq DESC;
CREATE UNIQUE INDEX ON bench_state (case_id);

-- Times of the steps the case did take (NULL: not (yet) taken).
CREATE TEMP TABLE bench_taken ON COMMIT DROP AS
SELECT p.*, s.status, s.last_at, s.events,
       max(e.at) FILTER (WHERE e.seq = 1) AS x_rcv, max(e.at) FILTER (WHERE e.seq = 2) AS x_rv,
       max(e.at) FILTER (WHERE e.seq = 3) AS x_ver, max(e.at) FILTER (WHERE e.action = 'reject') AS x_reject,
       max(e.at) FILTER (WHERE e.action = 'register') AS x_reg, max(e.at) FILTER (WHERE e.action = 'merge') AS x_merge,
       max(e.at) FILTER (WHERE e.action = 'dispatch') AS x_disp, max(e.at) FILTER (WHERE e.seq = 6) AS x_reassign,
       max(e.at) FILTER (WHERE e.seq = 7) AS x_ack, max(e.at) FILTER (WHERE e.action = 'suspend') AS x_susp,
       max(e.at) FILTER (WHERE e.seq = 10) AS x_resume, max(e.at) FILTER (WHERE e.action = 'approve_extension') AS x_ax,
       max(e.at) FILTER (WHERE e.seq = 11) AS x_comp, max(e.at) FILTER (WHERE e.seq = 12) AS x_fail,
       max(e.at) FILTER (WHERE e.seq = 13) AS x_ack2, max(e.at) FILTER (WHERE e.seq = 14) AS x_comp2,
       max(e.at) FILTER (WHERE e.seq = 15) AS x_check, max(e.at) FILTER (WHERE e.seq = 17) AS x_close
FROM bench_plan p
JOIN bench_state s ON s.case_id = p.id
JOIN bench_events e ON e.case_id = p.id
GROUP BY p.id, p.g, s.case_id, s.status, s.last_at, s.events;  -- p.* is functionally dependent on p.id

ALTER TABLE bench_taken ADD COLUMN cycle_deadline timestamptz;
UPDATE bench_taken SET cycle_deadline = d0 + wall
  + CASE WHEN x_resume IS NOT NULL THEN x_resume - x_susp ELSE interval '0' END
  + CASE WHEN x_ax IS NOT NULL THEN wall ELSE interval '0' END
WHERE x_disp IS NOT NULL;

-- 3. The cases, as they stand now.
INSERT INTO cases (id, case_no, channel, status, version, description, address, location, cell_code,
                   grid_path, category_key, condition_id, limit_value, limit_unit, unit_code, assignee,
                   reporter_name, reporter_phone, reporter_to_answer, received_by, received_at,
                   updated_at, closed_at, outcome, merged_into, rework_count, suspended_until,
                   cycle_no, cycle_started_at, cycle_deadline, cycle_paused_at, cycle_extensions)
OVERRIDING SYSTEM VALUE
SELECT id, case_no, channel, status, events, '合成案件 synthetic case ' || g, NULL, point, cell, path,
       CASE WHEN x_reg IS NOT NULL THEN category_key END, CASE WHEN x_reg IS NOT NULL THEN condition_id END,
       CASE WHEN x_reg IS NOT NULL THEN limit_value END, CASE WHEN x_reg IS NOT NULL THEN limit_unit END,
       CASE WHEN x_disp IS NOT NULL THEN unit END, NULL,
       CASE WHEN answers THEN '市民' END, CASE WHEN answers THEN '13800000000' END, answers,
       'bench-history', rcv, last_at,
       CASE WHEN status IN ('closed', 'rejected') THEN last_at END,
       CASE WHEN x_merge IS NOT NULL THEN 'merged' WHEN x_reject IS NOT NULL THEN 'rejected'
            WHEN x_close IS NOT NULL THEN 'resolved' END,
       CASE WHEN x_merge IS NOT NULL THEN id - 1 END,
       CASE WHEN x_fail IS NOT NULL THEN 1 ELSE 0 END,
       CASE WHEN status = 'suspended' THEN x_susp + pause END,
       CASE WHEN x_reassign IS NOT NULL THEN 2 WHEN x_disp IS NOT NULL THEN 1 ELSE 0 END,
       CASE WHEN x_disp IS NOT NULL THEN coalesce(x_reassign, x_disp) END,
       cycle_deadline,
       CASE WHEN status = 'suspended' THEN x_susp END,
       CASE WHEN x_ax IS NOT NULL THEN 1 ELSE 0 END
FROM bench_taken ORDER BY id;

INSERT INTO case_events (case_id, at, actor, actor_role, action, from_status, to_status, params, hash)
SELECT case_id, at, 'bench', role, action, from_status, to_status, params, '\x00'::bytea
FROM bench_events ORDER BY at, case_id, seq;

-- What the history trigger of 007 writes: the values at receipt, then each change (category at
-- registration, unit at dispatch), stamped with the action's time.
INSERT INTO case_attribute_history (case_id, at, cell_code, unit_code, category_key)
SELECT h.case_id, h.at, h.cell_code, h.unit_code, h.category_key
FROM bench_taken t
CROSS JOIN LATERAL (VALUES
  (1, t.id, t.rcv, t.cell, NULL, NULL),
  (2, t.id, t.x_reg, t.cell, NULL, t.category_key),
  (3, t.id, t.x_disp, t.cell, t.unit, t.category_key)
) h(k, case_id, at, cell_code, unit_code, category_key)
WHERE h.at IS NOT NULL
ORDER BY h.at, h.case_id, h.k;

-- 4. Timer instances (domain timers_for / timer_changes): start, end, the action that ended it,
-- its deadline at start and the deadline in force at its end.
CREATE TEMP TABLE bench_timers ON COMMIT DROP AS
WITH i AS (
  SELECT t.id AS case_id, x.*, t.x_susp, t.x_resume, t.x_ax, t.status AS case_status, t.wall
  FROM bench_taken t
  CROSS JOIN LATERAL (VALUES
    (1, 'registration', 0, t.rcv, t.rcv + interval '4.8 hours', 1, 'work_hour',
        coalesce(t.x_rv, t.x_reject, t.x_reg),
        CASE WHEN t.x_rv IS NOT NULL THEN 'request_verification' WHEN t.x_reject IS NOT NULL THEN 'reject' ELSE 'register' END,
        false),
    (2, 'verification', 0, t.x_rv, t.x_rv + interval '4.8 hours', 1, 'work_hour', t.x_ver, 'verify', false),
    (3, 'registration', 0, t.x_ver, t.x_ver + interval '4.8 hours', 1, 'work_hour',
        coalesce(t.x_reject, t.x_reg), CASE WHEN t.x_reject IS NOT NULL THEN 'reject' ELSE 'register' END, false),
    (4, 'dispatch', 0, t.x_reg, t.x_reg + interval '4.8 hours', 1, 'work_hour',
        coalesce(t.x_merge, t.x_disp), CASE WHEN t.x_merge IS NOT NULL THEN 'merge' ELSE 'dispatch' END, false),
    (5, 'acknowledgement', 0, t.x_disp, t.x_disp + interval '4.8 hours', 1, 'work_hour',
        coalesce(t.x_reassign, t.x_ack), CASE WHEN t.x_reassign IS NOT NULL THEN 'reassign' ELSE 'acknowledge' END, false),
    (6, 'handling', 1, t.x_disp, t.x_disp + t.wall, t.limit_value, t.limit_unit,
        coalesce(t.x_reassign, t.x_comp), CASE WHEN t.x_reassign IS NOT NULL THEN 'reassign' ELSE 'complete' END,
        t.x_reassign IS NULL),
    (7, 'acknowledgement', 0, t.x_reassign, t.x_reassign + interval '4.8 hours', 1, 'work_hour', t.x_ack, 'acknowledge', false),
    (8, 'handling', 2, t.x_reassign, t.x_reassign + t.wall, t.limit_value, t.limit_unit, t.x_comp, 'complete', true),
    (9, 'check', 0, t.x_comp, t.x_comp + interval '9.6 hours', 2, 'work_hour', coalesce(t.x_fail, t.x_check), 'check', false),
    (10, 'acknowledgement', 0, t.x_fail, t.x_fail + interval '4.8 hours', 1, 'work_hour', t.x_ack2, 'acknowledge', false),
    (11, 'handling', CASE WHEN t.x_reassign IS NOT NULL THEN 2 ELSE 1 END, t.x_fail, t.cycle_deadline,
        t.limit_value, t.limit_unit, t.x_comp2, 'complete', false),
    (12, 'check', 0, t.x_comp2, t.x_comp2 + interval '9.6 hours', 2, 'work_hour', t.x_check, 'check', false),
    (13, 'close', 0, t.x_check, t.x_check + interval '4.8 hours', 1, 'work_hour', t.x_close, 'close', false)
  ) x(k, timer, cycle_no, started_at, deadline0, limit_value, limit_unit, ended_at, ended_by, main)
  WHERE x.started_at IS NOT NULL
)
SELECT (SELECT timer_id0 FROM bench_base) + row_number() OVER (ORDER BY started_at, case_id, k) AS id,
       i.*,
       -- the deadline and pause in force now (only the cycle's first instance is suspended/extended)
       CASE WHEN main THEN deadline0 + CASE WHEN x_resume IS NOT NULL THEN x_resume - x_susp ELSE interval '0' END
                                     + CASE WHEN x_ax IS NOT NULL THEN wall ELSE interval '0' END
            ELSE deadline0 END AS deadline,
       CASE WHEN main AND x_susp IS NOT NULL AND x_resume IS NULL AND ended_at IS NULL THEN x_susp END AS paused_at
FROM i;

INSERT INTO case_timers (id, case_id, timer, cycle_no, started_at, deadline, limit_value, limit_unit,
                         paused_at, ended_at, ended_by, outcome, overdue_at, escalated)
OVERRIDING SYSTEM VALUE
SELECT id, case_id, timer, cycle_no, started_at, deadline, limit_value, limit_unit, paused_at,
       ended_at, CASE WHEN ended_at IS NOT NULL THEN ended_by END,
       CASE WHEN ended_at IS NULL THEN NULL
            WHEN ended_by IN ('reject', 'merge', 'reassign') THEN 'not_counted'
            WHEN ended_at > deadline THEN 'late' ELSE 'on_time' END,
       CASE WHEN paused_at IS NULL AND deadline + interval '1 minute' < coalesce(ended_at, now())
            THEN deadline + interval '1 minute' END,
       CASE WHEN paused_at IS NULL AND deadline + interval '1 minute' < coalesce(ended_at, now()) THEN 1 ELSE 0 END
FROM bench_timers ORDER BY id;

-- What the timer trigger of 007 writes: the state at start, then each change of deadline or
-- pause (suspend, resume, approve_extension), stamped with the action's time.
INSERT INTO case_timer_history (timer_id, at, deadline, paused_at)
SELECT h.timer_id, h.at, h.deadline, h.paused_at
FROM bench_timers t
CROSS JOIN LATERAL (VALUES
  (1, t.id, t.started_at, t.deadline0, NULL::timestamptz),
  (2, t.id, CASE WHEN t.main AND (t.ended_at IS NULL OR t.x_susp < t.ended_at) THEN t.x_susp END, t.deadline0, t.x_susp),
  (3, t.id, CASE WHEN t.main AND (t.ended_at IS NULL OR t.x_resume < t.ended_at) THEN t.x_resume END,
      t.deadline0 + (t.x_resume - t.x_susp), NULL),
  (4, t.id, CASE WHEN t.main AND (t.ended_at IS NULL OR t.x_ax < t.ended_at) THEN t.x_ax END,
      t.deadline0 + t.wall, NULL)
) h(k, timer_id, at, deadline, paused_at)
WHERE h.at IS NOT NULL
ORDER BY h.at, h.timer_id, h.k;

SELECT setval(pg_get_serial_sequence('cases', 'id'), (SELECT max(id) FROM cases));
SELECT setval(pg_get_serial_sequence('case_timers', 'id'), (SELECT max(id) FROM case_timers));
COMMIT;
ANALYZE cases;
ANALYZE case_events;
ANALYZE case_timers;
ANALYZE case_timer_history;
ANALYZE case_attribute_history;
