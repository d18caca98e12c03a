-- District administration of people and units through the API (docs/administration.md,
-- "Officers, duties and units").
--
-- A duty (an officer_cells row) gets an id, so that a refusal can name the duty it conflicts
-- with and an admin can end that one duty. Existing rows are numbered in place. Duties are never
-- deleted: assigning adds a row, handing over and ending only set the valid_to of one that has
-- none or a later one, so a cell's duty history is its rows.
ALTER TABLE officer_cells ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY;
ALTER TABLE officer_cells ADD PRIMARY KEY (id);

-- A cell's duty history (GET /api/v1/grid/{code}/duties) and the conflict a new duty meets.
CREATE INDEX officer_cells_cell_idx ON officer_cells (cell_code, duty, valid_from);

-- The unit staff an assignee is chosen among: active users with the unit role scoped to it.
CREATE INDEX users_unit_scope_idx ON users (scope_code) WHERE scope_kind = 'unit';
