-- Whether a case still has a reporter to answer before it may be closed from `resolved`
-- (docs/case-lifecycle.md, "close" and "merge"): its own reporter (cases.reporter_to_answer:
-- hotline, mailbox, web/app reporters with contact), or the reporter of any case merged into it,
-- directly or through other merged cases (a merged into b merged into c: c answers a's reporter
-- too), who has not been answered since that duplicate was last reopened — by a reply of its own
-- before it was merged, or one passed on from the case it was merged into.
CREATE OR REPLACE FUNCTION gridcase_reporter_to_answer(original bigint)
RETURNS boolean
LANGUAGE sql STABLE AS $$
  WITH RECURSIVE duplicates AS (
    SELECT d.id FROM cases d WHERE d.merged_into = original
    UNION
    SELECT d.id FROM cases d JOIN duplicates ON d.merged_into = duplicates.id
  )
  SELECT coalesce((SELECT c.reporter_to_answer FROM cases c WHERE c.id = original), false)
      OR EXISTS (
           SELECT 1 FROM duplicates JOIN cases d ON d.id = duplicates.id
           WHERE d.reporter_to_answer
             AND NOT EXISTS (
               SELECT 1 FROM case_events e
               WHERE e.case_id = d.id AND e.action = 'reply'
                 AND e.id > coalesce((SELECT max(r.id) FROM case_events r
                                      WHERE r.case_id = d.id AND r.action = 'reopen'), 0)))
$$;
