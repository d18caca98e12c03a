-- A login's username is refused beyond 64 bytes before it is counted (docs/security.md, "Failed
-- logins"); the record's key ('user:<name>', 'address:<ip>') is bounded here too, as the last
-- word: a key of a few kilobytes broke the primary key's index and answered 500.
ALTER TABLE login_failures ADD CONSTRAINT login_failures_key_length CHECK (octet_length(key) <= 200);
