-- The cases of `case_nos` a reader may read, in their order: those inside the reader's scope
-- (gridcase_in_scope), and of an integration (`only_received_by`) only the ones it submitted.
-- A case's possible duplicates are stored once for all readers; each answer names only these,
-- so no reader learns the number of a case it could not open (docs/security.md, "Scope holes").
-- plpgsql, not SQL: its plan is kept for the session, and a case without candidates costs nothing.
CREATE OR REPLACE FUNCTION gridcase_readable_cases(case_nos text[], scope_kind text,
                                                   scope_code text, only_received_by text)
RETURNS text[]
LANGUAGE plpgsql STABLE AS $$
BEGIN
  IF cardinality(case_nos) = 0 THEN
    RETURN case_nos;
  END IF;
  RETURN (
    SELECT coalesce(array_agg(d.case_no ORDER BY listed.ord), '{}')
    FROM unnest(case_nos) WITH ORDINALITY AS listed(case_no, ord)
    JOIN cases d ON d.case_no = listed.case_no
    WHERE gridcase_in_scope(d.grid_path, d.unit_code, d.cell_code, scope_kind, scope_code)
      AND (only_received_by IS NULL OR d.received_by = only_received_by)
  );
END;
$$;
