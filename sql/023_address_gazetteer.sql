-- The address gazetteer (docs/administration.md, "Addresses (the gazetteer)"): roads, door
-- numbers and buildings at points, imported from CSV or GeoJSON by a district-wide admin,
-- searched by prefix and by fuzzy match on Chinese text, and used by intake to place a case
-- given an address.
--
-- Nothing is deleted: an import retires the entries it replaces (retired_by), so every entry
-- says which import brought it and which one took it away. The text columns the searches use are
-- written by the service, normalized by domain::normalize_address (full-width forms folded,
-- spaces dropped); `bigrams` is gridcase_bigrams(search_text) (sql/functions/260_gridcase_bigrams.sql).
--
-- Why bigram arrays and not pg_trgm: pg_trgm builds trigrams from the characters its locale calls
-- alphanumeric. Under LC_CTYPE C (a common server default) that is ASCII only, and show_trgm
-- of '钢铁大街45号' is {"  4"," 45","45 "}: the Chinese text is not indexed at all. Under C.UTF-8
-- Chinese counts, but a Chinese address is one long "word" without spaces, and a query of two
-- characters from its middle ('大街' in '友谊大街45号') shares no trigram with it: similarity,
-- word_similarity and strict_word_similarity are all 0 (measured on PostgreSQL 15). Chinese road
-- and building names are two-character words; pairs of neighbouring characters match them in any
-- locale, and a GIN index on a text[] is in core PostgreSQL.
CREATE TABLE address_imports (
  id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at      timestamptz NOT NULL DEFAULT now(),
  actor   text NOT NULL,
  mode    text NOT NULL CHECK (mode IN ('add', 'replace')),
  entries integer NOT NULL CHECK (entries >= 1)
);

CREATE TABLE addresses (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  road           text NOT NULL CHECK (char_length(road) BETWEEN 1 AND 50),
  door_number    text CHECK (char_length(door_number) BETWEEN 1 AND 20),
  building       text CHECK (char_length(building) BETWEEN 1 AND 100),
  location       geometry(Point, 4326) NOT NULL,
  -- Normalized (domain::normalize_address): the road, door number and building kept apart by
  -- U+001F (the identity of an entry); written together (prefix and fuzzy search, intake); the
  -- road and door number (intake); the building alone (prefix search, intake).
  entry_key      text NOT NULL,
  search_text    text NOT NULL CHECK (search_text <> ''),
  road_door_text text NOT NULL,
  building_text  text,
  bigrams        text[] NOT NULL,
  imported_by    bigint NOT NULL REFERENCES address_imports (id),
  retired_by     bigint REFERENCES address_imports (id),
  CHECK (retired_by IS NULL OR retired_by > imported_by)
);
-- One current entry per road, door number and building.
CREATE UNIQUE INDEX addresses_current_key_idx ON addresses (entry_key) WHERE retired_by IS NULL;
-- Prefix search, in code point order whatever the database's collation, and its keyset pages.
CREATE INDEX addresses_search_text_idx ON addresses (search_text COLLATE "C", id)
  WHERE retired_by IS NULL;
CREATE INDEX addresses_building_text_idx ON addresses (building_text COLLATE "C", id)
  WHERE retired_by IS NULL AND building_text IS NOT NULL;
CREATE INDEX addresses_road_door_text_idx ON addresses (road_door_text) WHERE retired_by IS NULL;
-- Fuzzy search: entries sharing a pair of characters with the query.
CREATE INDEX addresses_bigrams_idx ON addresses USING gin (bigrams) WHERE retired_by IS NULL;
CREATE INDEX addresses_imported_by_idx ON addresses (imported_by);
CREATE INDEX addresses_retired_by_idx ON addresses (retired_by);
