-- Cases, their append-only event log and their stage timers (domain.md §6, §7).

-- Daily case-number sequences, one per local date, created on first use. Sequences never roll
-- back, so numbers are unique across server processes without a lock (gaps are allowed).
CREATE FUNCTION gridcase_next_case_seq(local_day date) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
  name text := 'case_seq_' || to_char(local_day, 'YYYYMMDD');
BEGIN
  IF to_regclass(name) IS NULL THEN
    BEGIN
      EXECUTE format('CREATE SEQUENCE IF NOT EXISTS %I MAXVALUE 999999', name);
    EXCEPTION WHEN unique_violation OR duplicate_table THEN
      NULL;  -- another transaction created it first
    END;
  END IF;
  RETURN nextval(name::regclass);
END;
$$;

-- Masks for reporter fields shown to roles that may not see them (domain.md §9).
CREATE FUNCTION gridcase_mask_phone(phone text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN phone IS NULL THEN NULL
              WHEN char_length(phone) <= 7 THEN repeat('*', char_length(phone))
              ELSE left(phone, 3) || repeat('*', char_length(phone) - 7) || right(phone, 4) END
$$;

CREATE FUNCTION gridcase_mask_name(name text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN name IS NULL OR name = '' THEN name
              ELSE left(name, 1) || repeat('*', greatest(char_length(name) - 1, 1)) END
$$;

CREATE TABLE cases (
  id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  case_no            text NOT NULL UNIQUE,
  channel            text NOT NULL CHECK (channel IN ('hotline_12319', 'hotline_12345',
                       'mayor_mailbox', 'mayor_hotline', 'patrol', 'video', 'env_inspection',
                       'petition', 'web', 'app')),
  status             text NOT NULL CHECK (status IN ('received', 'verifying', 'registered',
                       'dispatched', 'handling', 'suspended', 'handled', 'resolved', 'replied',
                       'rejected', 'closed')),
  version            integer NOT NULL DEFAULT 1,
  description        text NOT NULL,
  address            text,
  location           geometry(Point, 4326),
  cell_code          text REFERENCES grid_nodes (code),
  grid_path          ltree,
  category_key       text,
  condition_id       text,
  limit_value        integer,
  limit_unit         text,
  unit_code          text REFERENCES units (code),
  assignee           text,
  reporter_name      text,
  reporter_phone     text,
  reporter_confidential boolean NOT NULL DEFAULT false,
  reporter_to_answer boolean NOT NULL,
  intake             jsonb NOT NULL DEFAULT '{}',
  photos             text[] NOT NULL DEFAULT '{}',
  received_by        text NOT NULL,
  received_at        timestamptz NOT NULL,
  occurred_at        timestamptz,
  updated_at         timestamptz NOT NULL,
  closed_at          timestamptz,
  outcome            text CHECK (outcome IN ('resolved', 'rejected', 'merged')),
  merged_into        bigint REFERENCES cases (id),
  duplicate_candidates text[] NOT NULL DEFAULT '{}',
  extension_pending  boolean NOT NULL DEFAULT false,
  rework_count       integer NOT NULL DEFAULT 0,
  escalation_level   integer NOT NULL DEFAULT 0,
  suspension_requested_until timestamptz,
  suspended_until    timestamptz,
  cycle_no           integer NOT NULL DEFAULT 0,
  cycle_started_at   timestamptz,
  cycle_deadline     timestamptz,
  cycle_paused_at    timestamptz,
  cycle_extensions   integer NOT NULL DEFAULT 0,
  CHECK ((cell_code IS NULL) = (grid_path IS NULL)),
  CHECK ((limit_value IS NULL) = (limit_unit IS NULL))
);
-- A supervisor's list: newest cases of a subtree (grid_path <@ street), keyset on id.
CREATE INDEX cases_grid_path_idx ON cases USING gist (grid_path);
CREATE INDEX cases_street_id_idx ON cases (subpath(grid_path, 0, 2), id DESC) WHERE grid_path IS NOT NULL;
CREATE INDEX cases_community_id_idx ON cases (subpath(grid_path, 0, 3), id DESC) WHERE grid_path IS NOT NULL;
CREATE INDEX cases_status_idx ON cases (status, id DESC);
CREATE INDEX cases_unit_idx ON cases (unit_code, id DESC) WHERE unit_code IS NOT NULL;
CREATE INDEX cases_received_idx ON cases (received_at DESC);
CREATE INDEX cases_open_location_idx ON cases USING gist (location)
  WHERE status NOT IN ('rejected', 'closed');
CREATE INDEX cases_merged_into_idx ON cases (merged_into) WHERE merged_into IS NOT NULL;

-- The event log is append-only: the application never updates or deletes a row.
CREATE TABLE case_events (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  case_id     bigint NOT NULL REFERENCES cases (id),
  at          timestamptz NOT NULL,
  actor       text NOT NULL,
  actor_role  text NOT NULL,
  action      text NOT NULL,
  from_status text,
  to_status   text,
  params      jsonb NOT NULL DEFAULT '{}',
  note        text,
  attachments text[] NOT NULL DEFAULT '{}'
);
CREATE INDEX case_events_case_idx ON case_events (case_id, id);
CREATE INDEX case_events_at_idx ON case_events (at);

-- One row per stage-timer instance (domain.md §7). deadline is stored when the instance starts
-- and moves only with its handling cycle (suspension, extension), never with calendar edits.
CREATE TABLE case_timers (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  case_id     bigint NOT NULL REFERENCES cases (id),
  timer       text NOT NULL CHECK (timer IN ('verification', 'registration', 'dispatch',
                'acknowledgement', 'handling', 'check', 'close')),
  cycle_no    integer NOT NULL DEFAULT 0,
  started_at  timestamptz NOT NULL,
  deadline    timestamptz NOT NULL,
  limit_value integer NOT NULL,
  limit_unit  text NOT NULL,
  paused_at   timestamptz,
  ended_at    timestamptz,
  ended_by    text,
  outcome     text CHECK (outcome IN ('on_time', 'late', 'not_counted')),
  overdue_at  timestamptz,
  escalated   integer NOT NULL DEFAULT 0
);
CREATE INDEX case_timers_case_idx ON case_timers (case_id) WHERE ended_at IS NULL;
CREATE INDEX case_timers_running_deadline_idx ON case_timers (deadline)
  WHERE ended_at IS NULL AND paused_at IS NULL AND overdue_at IS NULL;
CREATE INDEX case_timers_ended_idx ON case_timers (ended_at) WHERE ended_at IS NOT NULL;

-- Idempotency keys (api.md Writes): claimed in a short transaction before the work, answered
-- in the work's own transaction, replayed for 24 h.
CREATE TABLE idempotency_keys (
  caller        text NOT NULL,
  route         text NOT NULL,
  key           text NOT NULL,
  request_hash  text NOT NULL,
  claimed_at    timestamptz NOT NULL DEFAULT now(),
  status        integer,
  response      text,
  PRIMARY KEY (caller, route, key)
);
CREATE INDEX idempotency_keys_claimed_idx ON idempotency_keys (claimed_at);

-- The work calendar (domain.md §7), edited through PUT /api/v1/calendar. Stored deadlines never
-- move when it changes.
CREATE TABLE work_calendar (
  id                 integer PRIMARY KEY CHECK (id = 1),
  utc_offset_minutes integer NOT NULL CHECK (utc_offset_minutes BETWEEN -840 AND 840),
  updated_at         timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE work_calendar_periods (
  weekday      integer NOT NULL CHECK (weekday BETWEEN 0 AND 6),  -- 0 = Sunday
  start_minute integer NOT NULL CHECK (start_minute BETWEEN 0 AND 1439),
  end_minute   integer NOT NULL CHECK (end_minute BETWEEN 1 AND 1440),
  CHECK (start_minute < end_minute)
);
CREATE TABLE work_calendar_fixed_holidays (
  month integer NOT NULL CHECK (month BETWEEN 1 AND 12),
  day   integer NOT NULL CHECK (day BETWEEN 1 AND 31),
  PRIMARY KEY (month, day)
);
CREATE TABLE work_calendar_dates (
  day  date PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('holiday', 'working_day'))
);

-- Every committed event is announced for the live feed (GET /api/v1/events/stream).
CREATE FUNCTION gridcase_announce_event() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('gridcase_events', json_build_object(
    'id', NEW.id, 'case_no', c.case_no, 'grid_path', c.grid_path::text, 'unit', c.unit_code,
    'action', NEW.action, 'from', NEW.from_status, 'to', NEW.to_status, 'actor', NEW.actor,
    'at', NEW.at)::text)
  FROM cases c WHERE c.id = NEW.case_id;
  RETURN NULL;
END;
$$;
CREATE TRIGGER case_events_announce AFTER INSERT ON case_events
  FOR EACH ROW EXECUTE FUNCTION gridcase_announce_event();

-- RFC 3339 in UTC with Z, as api.md asks of every time.
CREATE FUNCTION gridcase_iso(at timestamptz) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
$$;

-- The JSON every client sees of a case; reporter fields masked unless `reveal`.
CREATE FUNCTION gridcase_case_json(c cases, reveal boolean) RETURNS json
LANGUAGE sql STABLE AS $$
  SELECT json_build_object(
    'case_no', c.case_no, 'status', c.status, 'version', c.version, 'channel', c.channel,
    'description', c.description, 'address', c.address,
    'lon', ST_X(c.location), 'lat', ST_Y(c.location), 'located', c.cell_code IS NOT NULL,
    'cell', (SELECT json_build_object('code', code, 'name', name) FROM grid_nodes WHERE code = c.cell_code),
    'community', (SELECT json_build_object('code', code, 'name', name)
                  FROM grid_nodes WHERE code = left(c.cell_code, 12)),
    'street', (SELECT json_build_object('code', code, 'name', name)
               FROM grid_nodes WHERE code = left(c.cell_code, 9)),
    'district', (SELECT json_build_object('code', code, 'name', name)
                 FROM grid_nodes WHERE code = left(c.cell_code, 6)),
    'grid_officer', (SELECT json_build_object('code', o.code, 'name', o.name, 'phone', o.phone)
                     FROM officer_cells oc JOIN officers o ON o.id = oc.officer_id
                     WHERE oc.cell_code = c.cell_code AND oc.duty = 'grid_officer'
                       AND (oc.valid_to IS NULL OR oc.valid_to > CURRENT_DATE) LIMIT 1),
    'road_chief', (SELECT json_build_object('code', o.code, 'name', o.name, 'phone', o.phone)
                   FROM officer_cells oc JOIN officers o ON o.id = oc.officer_id
                   WHERE oc.cell_code = c.cell_code AND oc.duty = 'road_chief'
                     AND (oc.valid_to IS NULL OR oc.valid_to > CURRENT_DATE) LIMIT 1),
    'category', c.category_key,
    'category_name', (SELECT name FROM categories WHERE key = c.category_key),
    'condition', c.condition_id,
    'handling_limit', CASE WHEN c.limit_value IS NOT NULL
                           THEN json_build_object('value', c.limit_value, 'unit', c.limit_unit) END,
    'unit', (SELECT json_build_object('code', u.code, 'name', u.name) FROM units u WHERE u.code = c.unit_code),
    'assignee', c.assignee,
    'reporter', CASE WHEN c.reporter_name IS NOT NULL OR c.reporter_phone IS NOT NULL THEN
                  json_build_object(
                    'name', CASE WHEN reveal THEN c.reporter_name ELSE gridcase_mask_name(c.reporter_name) END,
                    'phone', CASE WHEN reveal THEN c.reporter_phone ELSE gridcase_mask_phone(c.reporter_phone) END,
                    'confidential', c.reporter_confidential) END,
    'intake', c.intake, 'photos', c.photos, 'received_by', c.received_by,
    'received_at', gridcase_iso(c.received_at), 'occurred_at', gridcase_iso(c.occurred_at),
    'updated_at', gridcase_iso(c.updated_at), 'closed_at', gridcase_iso(c.closed_at),
    'outcome', c.outcome,
    'merged_into', (SELECT m.case_no FROM cases m WHERE m.id = c.merged_into),
    'possible_duplicates', c.duplicate_candidates,
    'extension_pending', c.extension_pending, 'rework_count', c.rework_count,
    'escalation_level', c.escalation_level,
    'suspension_requested_until', gridcase_iso(c.suspension_requested_until),
    'suspended_until', gridcase_iso(c.suspended_until),
    'handling_cycle', c.cycle_no, 'handling_deadline', gridcase_iso(c.cycle_deadline))
$$;
