-- The upload itself, answered as the attachment's record (the columns record_of reads in
-- pg_attachment_repository.cpp). No row when its image is gone (purged meanwhile): the image is
-- locked against the purge until the transaction ends.
-- $1 SHA-256, $2 uploader, $3 now (epoch ms), $4 case id (NULL before intake), $5 stage
WITH inserted AS (
  INSERT INTO attachments (sha256, uploaded_by, uploaded_at, case_id, stage)
  SELECT i.sha256, $2::text, to_timestamp($3::bigint / 1000.0), $4::bigint, $5::text
  FROM attachment_images i WHERE i.sha256 = $1::bytea
  FOR KEY SHARE
  RETURNING *)
SELECT a.id::text, encode(a.sha256, 'hex'), i.content_type, i.width, i.height, a.uploaded_by,
       (extract(epoch FROM a.uploaded_at) * 1000)::bigint, c.case_no, a.stage,
       a.attached_at IS NOT NULL
FROM inserted a
JOIN attachment_images i ON i.sha256 = a.sha256
LEFT JOIN cases c ON c.id = a.case_id
