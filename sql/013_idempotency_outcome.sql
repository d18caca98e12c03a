-- An Idempotency-Key stores what the write did, not the HTTP answer it got: the case it wrote
-- (id, number and version typed, created or not) or the domain error that refused it. A replay
-- renders it afresh, through the one status mapping and with today's view of the case as the
-- caller may see it now (docs/architecture.md, "Idempotency"). The scheduler purges keys older
-- than the 24 hours they replay for.
ALTER TABLE idempotency_keys
  ADD COLUMN case_id bigint,
  ADD COLUMN case_no text,
  ADD COLUMN case_version integer,
  ADD COLUMN created boolean,
  ADD COLUMN error_code text,
  ADD COLUMN error_message text,
  ADD COLUMN error_fields text[],
  ADD COLUMN error_field_messages text[],
  ADD COLUMN allowed_actions text[];

-- Keys answered before this migration keep replaying: their stored answers are read back into
-- outcomes (a case answer names its case and version; a problem its status, detail, errors and
-- allowed actions). What cannot be read so is dropped, like an expired key.
DELETE FROM idempotency_keys
WHERE status IS NULL OR response IS NULL OR claimed_at <= now() - interval '24 hours';

DO $$
DECLARE
  k record;
  answer jsonb;
BEGIN
  FOR k IN SELECT caller, route, key, status, response FROM idempotency_keys LOOP
    BEGIN
      answer := k.response::jsonb;
    EXCEPTION WHEN others THEN
      answer := NULL;
    END;
    IF answer IS NOT NULL AND k.status IN (200, 201) AND answer ? 'case_no'
       AND jsonb_typeof(answer->'version') = 'number' THEN
      UPDATE idempotency_keys SET
        case_no = answer->>'case_no',
        case_version = (answer->>'version')::int,
        created = k.status = 201,
        case_id = (SELECT id FROM cases WHERE cases.case_no = answer->>'case_no')
      WHERE (caller, route, key) = (k.caller, k.route, k.key);
    ELSIF answer IS NOT NULL AND k.status IN (400, 403, 404, 409, 412, 422)
          AND jsonb_typeof(answer->'detail') = 'string' THEN
      UPDATE idempotency_keys SET
        error_code = CASE k.status
                       WHEN 400 THEN 'malformed' WHEN 403 THEN 'forbidden'
                       WHEN 404 THEN 'not_found' WHEN 409 THEN 'invalid_transition'
                       WHEN 412 THEN 'precondition_failed' ELSE 'invalid_value' END,
        error_message = answer->>'detail',
        error_fields = ARRAY(SELECT e->>'field'
                             FROM jsonb_array_elements(coalesce(answer->'errors', '[]')) e),
        error_field_messages = ARRAY(SELECT e->>'message'
                                     FROM jsonb_array_elements(coalesce(answer->'errors', '[]')) e),
        allowed_actions = ARRAY(SELECT jsonb_array_elements_text(
                                  coalesce(answer->'allowed_actions', '[]')))
      WHERE (caller, route, key) = (k.caller, k.route, k.key);
    END IF;
  END LOOP;
END $$;

DELETE FROM idempotency_keys WHERE case_no IS NULL AND error_code IS NULL;

-- A written case whose row is gone (a cleanup) is not found on replay, like any missing case.
UPDATE idempotency_keys SET case_id = 0 WHERE case_no IS NOT NULL AND case_id IS NULL;

ALTER TABLE idempotency_keys
  DROP COLUMN status,
  DROP COLUMN response,
  ADD CONSTRAINT idempotency_keys_one_outcome CHECK (
    (case_no IS NOT NULL AND case_id IS NOT NULL AND case_version IS NOT NULL
     AND created IS NOT NULL AND error_code IS NULL)
    OR (case_no IS NULL AND error_code IS NOT NULL AND error_message IS NOT NULL));
