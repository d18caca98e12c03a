-- The three-tier grid of domain.md §2 plus unit cells, versioned by date, never deleted.
CREATE EXTENSION IF NOT EXISTS postgis;
CREATE EXTENSION IF NOT EXISTS ltree;
CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE grid_nodes (
  code        text PRIMARY KEY,
  level       text NOT NULL CHECK (level IN ('district', 'street', 'community', 'cell')),
  name        text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
  parent_code text REFERENCES grid_nodes (code),
  path        ltree NOT NULL,
  geom        geometry(MultiPolygon, 4326) NOT NULL,
  valid_from  date NOT NULL DEFAULT CURRENT_DATE,
  valid_to    date,
  CHECK (code ~ '^[0-9]{6}([0-9]{3}){0,3}$'),
  CHECK (char_length(code) = CASE level WHEN 'district' THEN 6 WHEN 'street' THEN 9
                                        WHEN 'community' THEN 12 ELSE 15 END),
  CHECK ((level = 'district') = (parent_code IS NULL)),
  CHECK (parent_code IS NULL OR parent_code = left(code, char_length(code) - 3)),
  CHECK (valid_to IS NULL OR valid_to > valid_from)
);
CREATE INDEX grid_nodes_path_idx ON grid_nodes USING gist (path);
CREATE INDEX grid_nodes_parent_idx ON grid_nodes (parent_code);
CREATE INDEX grid_nodes_geom_idx ON grid_nodes USING gist (geom);
-- Point → cell routing only ever looks at current cells.
CREATE INDEX grid_nodes_current_cell_geom_idx ON grid_nodes USING gist (geom)
  WHERE level = 'cell' AND valid_to IS NULL;

-- Field staff. Their responsibility grids are the officer_cells rows of one (officer, duty).
CREATE TABLE officers (
  id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  code   text NOT NULL UNIQUE CHECK (char_length(code) BETWEEN 1 AND 32),
  name   text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 50),
  phone  text,
  active boolean NOT NULL DEFAULT true
);

-- "One grid, one responsible person": at most one officer per duty per cell at any time.
CREATE TABLE officer_cells (
  officer_id bigint NOT NULL REFERENCES officers (id),
  duty       text NOT NULL CHECK (duty IN ('grid_officer', 'road_chief', 'sanitation')),
  cell_code  text NOT NULL REFERENCES grid_nodes (code),
  valid_from date NOT NULL DEFAULT CURRENT_DATE,
  valid_to   date,
  CHECK (valid_to IS NULL OR valid_to > valid_from),
  EXCLUDE USING gist (cell_code WITH =, duty WITH =, daterange(valid_from, valid_to) WITH &&)
);
CREATE INDEX officer_cells_officer_idx ON officer_cells (officer_id, duty);

CREATE TABLE units (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  code       text NOT NULL UNIQUE CHECK (char_length(code) BETWEEN 1 AND 64),
  name       text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
  type       text NOT NULL CHECK (type ~ '^[a-z_]{1,32}$'),
  scope_code text NOT NULL REFERENCES grid_nodes (code),
  active     boolean NOT NULL DEFAULT true
);
CREATE INDEX units_type_scope_idx ON units (type, scope_code);

-- The category catalogue is data: every city edits its own (domain.md §3).
CREATE TABLE categories (
  key  text PRIMARY KEY CHECK (key ~ '^(event|component):[0-9]{4}$'),
  type text NOT NULL GENERATED ALWAYS AS (split_part(key, ':', 1)) STORED,
  code text NOT NULL GENERATED ALWAYS AS (split_part(key, ':', 2)) STORED,
  name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100)
);

CREATE TABLE filing_conditions (
  category_key text NOT NULL REFERENCES categories (key) ON DELETE CASCADE,
  id           text NOT NULL CHECK (id ~ '^[a-z0-9_]{1,32}$'),
  text         text NOT NULL,
  limit_value  integer NOT NULL CHECK (limit_value BETWEEN 1 AND 1000),
  limit_unit   text NOT NULL CHECK (limit_unit IN ('urgent_hour', 'work_hour', 'work_day', 'natural_day')),
  unit_type    text NOT NULL,
  close_when   text NOT NULL DEFAULT '',
  position     integer NOT NULL,
  PRIMARY KEY (category_key, id)
);
