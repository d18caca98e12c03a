-- PostgreSQL's clock now, in milliseconds since the epoch: clock_timestamp(), which moves within
-- a transaction (now() is the transaction's start). /readyz compares it with the process's clock.
SELECT (extract(epoch FROM clock_timestamp()) * 1000)::bigint
