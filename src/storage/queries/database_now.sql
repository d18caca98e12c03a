-- PostgreSQL's clock now, in milliseconds since the epoch: clock_timestamp(), which moves within
-- a transaction (now() is the transaction's start). `serve` at start and /readyz compare it with the
-- process's clock (domain::clock_offset).
SELECT (extract(epoch FROM clock_timestamp()) * 1000)::bigint
