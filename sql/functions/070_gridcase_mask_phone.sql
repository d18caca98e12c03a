-- A reporter's phone as roles that may not see it get it (domain.md §9), over its digits (the
-- spaces and dashes a phone may be written with are dropped, a leading + kept). At least four
-- digits stay hidden whatever the length, and the hidden part is always four stars, so the
-- mask does not tell the length either: the first three and the last four digits of a phone of
-- 11 digits or more (a mobile: 138****5678), the last four of 8 to 10 (a landline: ****4567),
-- nothing of a shorter one (****). Showing all but the middle of a short number gave it away
-- (512*4567 left one digit to guess).
CREATE OR REPLACE FUNCTION gridcase_mask_phone(phone text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN phone IS NULL THEN NULL
              WHEN char_length(digits) >= 11 THEN plus || left(digits, 3) || '****' || right(digits, 4)
              WHEN char_length(digits) >= 8 THEN plus || '****' || right(digits, 4)
              ELSE plus || '****' END
  FROM (SELECT regexp_replace(phone, '[^0-9]', '', 'g') AS digits,
               CASE WHEN phone LIKE '+%' THEN '+' ELSE '' END AS plus) written
$$;
