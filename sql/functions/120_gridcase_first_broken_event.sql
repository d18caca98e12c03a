-- `gridcase verify-events`: the first event whose stored hash does not match its fields and its
-- predecessor's stored hash, and how many events were checked.
CREATE OR REPLACE FUNCTION gridcase_first_broken_event() RETURNS TABLE (id bigint, case_no text, checked bigint)
LANGUAGE sql STABLE AS $$
  WITH checked AS (
    SELECT e.id, e.case_id, e.hash,
           gridcase_event_digest(lag(e.hash) OVER (PARTITION BY e.case_id ORDER BY e.id), e) AS expected
    FROM case_events e
  )
  SELECT b.id, (SELECT c.case_no FROM cases c WHERE c.id = b.case_id), (SELECT count(*) FROM checked)
  FROM (SELECT * FROM checked WHERE hash IS DISTINCT FROM expected ORDER BY id LIMIT 1) b
  UNION ALL
  SELECT NULL, NULL, (SELECT count(*) FROM checked)
  WHERE NOT EXISTS (SELECT 1 FROM checked WHERE hash IS DISTINCT FROM expected)
$$;
