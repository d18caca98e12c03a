-- Accounts, roles, grid scopes, bearer tokens and the reporter-disclosure log (domain.md §5, §9;
-- docs/security.md).

-- A user has one or more roles and exactly one scope: the whole district, a grid node's subtree,
-- a unit (what was dispatched to it) or an officer (the cells of their responsibility grids).
CREATE TABLE users (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  username      text NOT NULL UNIQUE CHECK (username ~ '^[a-z0-9][a-z0-9_.@-]{0,63}$'),
  display_name  text NOT NULL CHECK (char_length(display_name) BETWEEN 1 AND 100),
  password_hash text,  -- argon2id (libsodium crypto_pwhash_str); NULL: token only (integrations)
  roles         text[] NOT NULL CHECK (cardinality(roles) >= 1 AND roles <@ ARRAY['operator',
                  'shift_leader', 'dispatcher', 'unit', 'officer', 'supervisor', 'integration',
                  'admin']::text[]),
  scope_kind    text NOT NULL CHECK (scope_kind IN ('district', 'grid', 'unit', 'officer')),
  scope_code    text,
  channels      text[] NOT NULL DEFAULT '{}',  -- integration: the channels it may submit on
  active        boolean NOT NULL DEFAULT true,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  CHECK ((scope_kind = 'district') = (scope_code IS NULL))
);

-- Bearer tokens: only the SHA-256 of the token is stored. kind 'session' comes from a login,
-- 'integration' is created by an admin for a hotline or city system.
CREATE TABLE auth_tokens (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id    bigint NOT NULL REFERENCES users (id),
  kind       text NOT NULL CHECK (kind IN ('session', 'integration')),
  label      text,
  digest     bytea NOT NULL UNIQUE CHECK (octet_length(digest) = 32),
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz
);
CREATE INDEX auth_tokens_user_idx ON auth_tokens (user_id, id);

-- Failed logins per key ('user:<name>' or 'address:<ip>') in the current window.
CREATE TABLE login_failures (
  key          text PRIMARY KEY,
  failures     int NOT NULL,
  window_start timestamptz NOT NULL,
  locked_until timestamptz
);

-- Every response that revealed a reporter's name or phone in full: who, when, which case.
CREATE TABLE reporter_disclosures (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  case_id    bigint NOT NULL REFERENCES cases (id),
  username   text NOT NULL,
  role       text NOT NULL,
  at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX reporter_disclosures_case_idx ON reporter_disclosures (case_id, id);

-- Is a case inside a caller's scope? The one definition every case read and write uses. plpgsql,
-- not SQL: a SQL function with subqueries is planned anew for every query that calls it.
-- District: every case. Grid: located in the node's subtree. Unit: currently dispatched to the
-- unit. Officer: located in a cell of the officer's current responsibility grids.
CREATE FUNCTION gridcase_in_scope(grid_path ltree, unit_code text, cell_code text,
                                  scope_kind text, scope_code text) RETURNS boolean
LANGUAGE plpgsql STABLE AS $$
#variable_conflict use_variable
BEGIN
  RETURN (
    SELECT CASE scope_kind
      WHEN 'district' THEN true
      WHEN 'grid' THEN coalesce(grid_path <@ (SELECT n.path FROM grid_nodes n WHERE n.code = scope_code),
                                false)
      WHEN 'unit' THEN coalesce(unit_code = scope_code, false)
      WHEN 'officer' THEN coalesce(cell_code IN (
          SELECT oc.cell_code FROM officer_cells oc JOIN officers o ON o.id = oc.officer_id
          WHERE o.code = scope_code AND o.active AND oc.valid_from <= CURRENT_DATE
            AND (oc.valid_to IS NULL OR oc.valid_to > CURRENT_DATE)), false)
      ELSE false END
  );
END;
$$;

-- Reporter fields by domain.md §9: level 2 (operator) sees every reporter in full, level 1 (admin)
-- those who did not ask for confidentiality, level 0 nobody.
CREATE FUNCTION gridcase_reveals(level int, confidential boolean) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
  SELECT level >= 2 OR (level = 1 AND NOT confidential)
$$;

-- The announcement of an event carries the case's cell, so that an officer's stream can be
-- confined to their cells.
CREATE OR REPLACE FUNCTION gridcase_announce_event() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('gridcase_events', json_build_object(
    'id', NEW.id, 'case_no', c.case_no, 'grid_path', c.grid_path::text, 'unit', c.unit_code,
    'cell', c.cell_code, 'action', NEW.action, 'from', NEW.from_status, 'to', NEW.to_status,
    'actor', NEW.actor, 'at', NEW.at)::text)
  FROM cases c WHERE c.id = NEW.case_id;
  RETURN NULL;
END;
$$;
