-- The digest of one case event (docs/security.md, Audit): SHA-256 over the previous event's hash
-- and the event's own fields in a fixed text form (times in microseconds since the epoch, jsonb
-- in its canonical text). Changing it breaks every stored chain: `gridcase verify-events` would
-- name the first event as broken.
CREATE OR REPLACE FUNCTION gridcase_event_digest(prev bytea, e case_events) RETURNS bytea
LANGUAGE sql IMMUTABLE AS $$
  SELECT sha256(coalesce(prev, '\x'::bytea) || convert_to(concat_ws(E'\x1f',
    e.id::text, e.case_id::text, (extract(epoch FROM e.at) * 1000000)::bigint::text, e.actor,
    e.actor_role, e.action, coalesce(e.from_status, ''), coalesce(e.to_status, ''), e.params::text,
    coalesce(e.note, E'\x1e'), array_to_string(e.attachments, E'\x1e')), 'UTF8'))
$$;
