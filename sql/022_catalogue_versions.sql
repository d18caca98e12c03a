-- The category catalogue is versioned (issue 14, docs/administration.md): a category or filing
-- condition is retired, never deleted, so old cases and reports keep its name; a case keeps the
-- limits it was filed under (cases.limit_value/limit_unit for handling, cases.stage_limits for
-- the other stage timers).
ALTER TABLE categories ADD COLUMN retired_at timestamptz;
ALTER TABLE filing_conditions ADD COLUMN retired_at timestamptz;
-- A condition's category is never deleted (sql/functions/240_gridcase_keep_catalogue.sql), so
-- nothing is left to cascade.
ALTER TABLE filing_conditions DROP CONSTRAINT filing_conditions_category_key_fkey,
  ADD CONSTRAINT filing_conditions_category_key_fkey
    FOREIGN KEY (category_key) REFERENCES categories (key);

-- Per-category stage limits (domain.md §7): overrides of the deployment's default (config
-- `time_limits`) for the timers that run once a case is registered. Replaced as a set by
-- PUT /api/v1/categories/{key}/time-limits; every change is in the admin audit log.
CREATE TABLE category_time_limits (
  category_key text NOT NULL REFERENCES categories (key),
  timer        text NOT NULL CHECK (timer IN ('dispatch', 'acknowledgement', 'check', 'close')),
  limit_value  integer NOT NULL CHECK (limit_value BETWEEN 1 AND 1000),
  limit_unit   text NOT NULL CHECK (limit_unit IN ('urgent_hour', 'work_hour', 'work_day', 'natural_day')),
  PRIMARY KEY (category_key, timer)
);

-- The stage limits a case was registered under: {"dispatch": {"value": 1, "unit": "work_hour"},
-- ...}. NULL before `register` and for cases registered before this migration: the
-- deployment's default applies to them.
ALTER TABLE cases ADD COLUMN stage_limits jsonb;
