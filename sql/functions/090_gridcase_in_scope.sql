-- Is a case inside a caller's scope? The one definition every case read and write uses. plpgsql,
-- not SQL: a SQL function with subqueries is planned anew for every query that calls it.
-- District: every case. Grid: located in the node's subtree. Unit: currently dispatched to the
-- unit. Officer: located in a cell of the active officer's responsibility grids in force today.
CREATE OR REPLACE FUNCTION gridcase_in_scope(grid_path ltree, unit_code text, cell_code text,
                                             scope_kind text, scope_code text) RETURNS boolean
LANGUAGE plpgsql STABLE AS $$
#variable_conflict use_variable
BEGIN
  RETURN (
    SELECT CASE scope_kind
      WHEN 'district' THEN true
      WHEN 'grid' THEN coalesce(grid_path <@ (SELECT n.path FROM grid_nodes n WHERE n.code = scope_code),
                                false)
      WHEN 'unit' THEN coalesce(unit_code = scope_code, false)
      WHEN 'officer' THEN coalesce(cell_code IN (
          SELECT oc.cell_code FROM officer_cells oc JOIN officers o ON o.id = oc.officer_id
          WHERE o.code = scope_code AND o.active AND gridcase_in_force(oc.valid_from, oc.valid_to)), false)
      ELSE false END
  );
END;
$$;
