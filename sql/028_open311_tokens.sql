-- Open311 GeoReport v2 (docs/integrations.md): POST requests answers the case number and a
-- token; GET tokens/{token} names the case again. A case is created synchronously, so a token
-- never waits for its case: it is written just after the case, and several filings replayed
-- by one Idempotency-Key may leave several tokens for one case.
CREATE TABLE open311_tokens (
  token      text PRIMARY KEY CHECK (token ~ '^[0-9a-f]{32}$'),
  case_id    bigint NOT NULL REFERENCES cases (id),
  created_at timestamptz NOT NULL
);
CREATE INDEX open311_tokens_case_idx ON open311_tokens (case_id);
