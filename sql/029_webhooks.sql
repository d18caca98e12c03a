-- Outbound delivery (docs/integrations.md, "Webhooks"): an admin registers a webhook for an
-- integration account; every case event the webhook subscribes to is written to the outbox in
-- the transaction of the event itself (gridcase_enqueue_webhooks, a trigger on case_events), so
-- a committed event is never missed and a rolled-back one never sent. One sender across every
-- `gridcase serve` process (the lease below) posts each delivery at least once, in order per
-- case and webhook, and retries with exponential backoff until it is delivered or parked as dead.

CREATE TABLE webhooks (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account    text NOT NULL REFERENCES users (username),  -- an integration account
  url        text NOT NULL CHECK (url ~* '^https://' AND char_length(url) <= 2048),
  -- Standard Webhooks' signing secret, "whsec_" and base64: the server must sign with it, so it
  -- is kept as given (docs/security.md); never shown after the answer that created it.
  secret     text NOT NULL CHECK (secret ~ '^whsec_[A-Za-z0-9+/]+={0,2}$'),
  events     text[] NOT NULL CHECK (cardinality(events) BETWEEN 1 AND 64),
  active     boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhooks_account_idx ON webhooks (account) WHERE active;

-- One row per (webhook, event): the exact body to post (built when the event was written, so
-- every attempt sends the same bytes), its state and its attempts. `id` is the message id the
-- receiver deduplicates on (header webhook-id).
CREATE TABLE webhook_deliveries (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  webhook_id      bigint NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
  event_id        bigint NOT NULL REFERENCES case_events (id),
  case_id         bigint NOT NULL REFERENCES cases (id),
  type            text NOT NULL,
  body            text NOT NULL,
  state           text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'dead')),
  attempts        int NOT NULL DEFAULT 0,
  created_at      timestamptz NOT NULL DEFAULT now(),
  tried_since     timestamptz NOT NULL DEFAULT now(),  -- written, or made due again by an admin
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  last_attempt_at timestamptz,
  last_status     int,   -- the receiver's HTTP status of the last attempt; NULL: no answer
  last_error      text,  -- why the last attempt failed
  delivered_at    timestamptz,
  UNIQUE (webhook_id, event_id)
);
-- The sender's queue: the oldest pending delivery of each (webhook, case) is the only one due.
CREATE INDEX webhook_deliveries_pending_idx ON webhook_deliveries (webhook_id, case_id, id)
  WHERE state = 'pending';
-- The admin's lists (GET /api/v1/webhooks/{id}/deliveries), newest first, and the purge.
CREATE INDEX webhook_deliveries_webhook_idx ON webhook_deliveries (webhook_id, id);
CREATE INDEX webhook_deliveries_delivered_idx ON webhook_deliveries (delivered_at)
  WHERE state = 'delivered';
CREATE INDEX webhook_deliveries_event_idx ON webhook_deliveries (event_id);
-- /metrics: the deliveries not delivered, by state, and the oldest waiting one.
CREATE INDEX webhook_deliveries_undelivered_idx ON webhook_deliveries (state, tried_since)
  WHERE state <> 'delivered';

-- Who sends: one row, held by one process until `until` (the database's clock) and renewed by
-- it before every batch; another process takes it over once it has run out.
CREATE TABLE webhook_sender (
  id     int PRIMARY KEY CHECK (id = 1),
  holder text NOT NULL,
  until  timestamptz NOT NULL
);
