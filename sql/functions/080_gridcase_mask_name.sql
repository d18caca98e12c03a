-- A reporter's name as roles that may not see it get it (domain.md §9): the first character,
-- then at least one star.
CREATE OR REPLACE FUNCTION gridcase_mask_name(name text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN name IS NULL OR name = '' THEN name
              ELSE left(name, 1) || repeat('*', greatest(char_length(name) - 1, 1)) END
$$;
