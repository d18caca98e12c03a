-- A login whose password matched takes its counted attempt back (docs/security.md, "Failed
-- logins"): the username's record is cleared, the address's loses this one attempt. Any lock
-- on the address came from this attempt or from one counted after it, which would not have
-- reached the limit without it (attempts are refused, not counted, once locked), so it goes too.
-- Locks in the order gridcase_count_login_attempt does: the username's row, then the address's.
CREATE OR REPLACE FUNCTION gridcase_undo_login_attempt(user_key text, address_key text)
RETURNS void
LANGUAGE sql AS $$
  DELETE FROM login_failures WHERE key = user_key;
  UPDATE login_failures SET failures = greatest(failures - 1, 0), locked_until = NULL
  WHERE key = address_key;
$$;
