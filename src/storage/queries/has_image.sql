-- An upload's first statement (its own read transaction): is an image of these bytes stored
-- already? Then the upload is not processed again (docs/attachments.md, "Storage").
-- $1 the SHA-256 of the uploaded bytes
SELECT 1 FROM attachment_images WHERE sha256 = $1::bytea
