-- A reporter's phone as roles that may not see it get it (domain.md §9): the first three and the
-- last four digits, or nothing of a phone of seven characters or fewer.
CREATE OR REPLACE FUNCTION gridcase_mask_phone(phone text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN phone IS NULL THEN NULL
              WHEN char_length(phone) <= 7 THEN repeat('*', char_length(phone))
              ELSE left(phone, 3) || repeat('*', char_length(phone) - 7) || right(phone, 4) END
$$;
