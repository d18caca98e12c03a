-- The console (issue 17): desks' claims on cases and kiosk tokens.

-- A desk's claim on a case (issue 17, docs/console.md): who is working on it and until when, shown
-- to the other desks in their queues. Advice, not a lock: no action checks it. One claim a case;
-- a lapsed one stays until it is taken over or released, and reads as no claim.
CREATE TABLE case_claims (
  case_id       bigint PRIMARY KEY REFERENCES cases (id),
  claimed_by    text NOT NULL,
  claimed_until timestamptz NOT NULL
);

-- Kiosk tokens (issue 17, docs/security.md): a wall screen's read-only credential.
ALTER TABLE auth_tokens DROP CONSTRAINT auth_tokens_kind_check,
  ADD CONSTRAINT auth_tokens_kind_check CHECK (kind IN ('session', 'integration', 'kiosk'));
