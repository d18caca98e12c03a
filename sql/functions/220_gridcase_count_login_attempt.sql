-- Failed logins (docs/security.md, "Failed logins"): an attempt is counted before its password
-- is checked, against the username's and the address's record together, so that concurrent
-- guesses cannot all pass a check made before any of them was recorded. Both rows are locked
-- (created when missing), the username's first, so concurrent attempts for either queue here
-- and every server process counts the same rows. A record counts attempts for `time_window`
-- from its first; the attempt that brings it to its limit locks it for `lockout` at once, so
-- no attempt starts while the last allowed one is being checked.
-- Returns NULL when the attempt is counted and may be checked, else when the lock that refuses
-- it ends; a refused attempt checks nothing and is not counted (it does not prolong the lock).
CREATE OR REPLACE FUNCTION gridcase_count_login_attempt(user_key text, address_key text,
                                                        attempted_at timestamptz, user_limit int,
                                                        address_limit int, time_window interval,
                                                        lockout interval)
RETURNS timestamptz
LANGUAGE plpgsql AS $$
DECLARE
  counted_key text;
  refused_until timestamptz;
BEGIN
  FOREACH counted_key IN ARRAY ARRAY[user_key, address_key] LOOP
    LOOP
      INSERT INTO login_failures (key, failures, window_start) VALUES (counted_key, 0, attempted_at)
      ON CONFLICT (key) DO NOTHING;
      PERFORM 1 FROM login_failures WHERE key = counted_key FOR UPDATE;
      EXIT WHEN FOUND;  -- else a successful login deleted it in between: create it again
    END LOOP;
  END LOOP;
  SELECT max(locked_until) INTO refused_until
  FROM login_failures WHERE key IN (user_key, address_key) AND locked_until > attempted_at;
  IF refused_until IS NOT NULL THEN
    RETURN refused_until;
  END IF;
  UPDATE login_failures f
  SET failures = counted.failures, window_start = counted.window_start,
      locked_until = CASE WHEN counted.failures >= counted.limit_of_key THEN attempted_at + lockout END
  FROM (
    SELECT key,
           CASE WHEN attempted_at - window_start < time_window THEN failures + 1 ELSE 1 END AS failures,
           CASE WHEN attempted_at - window_start < time_window THEN window_start ELSE attempted_at END AS window_start,
           CASE WHEN key = user_key THEN user_limit ELSE address_limit END AS limit_of_key
    FROM login_failures WHERE key IN (user_key, address_key)
  ) counted
  WHERE f.key = counted.key;
  RETURN NULL;
END;
$$;
