-- The pairs of neighbouring characters of a text, each once: what a fuzzy gazetteer
-- search compares (sql/023_address_gazetteer.sql says why pairs and not pg_trgm's trigrams).
-- '友谊大街45号' → {45,5号,友谊,大街,街4,谊大}. A text of fewer than two characters has none.
CREATE OR REPLACE FUNCTION gridcase_bigrams(t text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(DISTINCT substr(t, i, 2)), '{}')
  FROM generate_series(1, char_length(t) - 1) AS i
$$;
