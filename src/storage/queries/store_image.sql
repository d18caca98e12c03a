-- A processed upload's image, its three sizes re-encoded without metadata, kept once per SHA-256
-- of the uploaded bytes (an upload of the same bytes meanwhile stored it: nothing to do).
-- $1 SHA-256, $2 content type, $3 width, $4 height, $5 full, $6 screen, $7 thumbnail,
-- $8 now (epoch ms)
INSERT INTO attachment_images (sha256, content_type, width, height, full_bytes, screen_bytes,
                               thumbnail_bytes, created_at)
VALUES ($1::bytea, $2::text, $3::integer, $4::integer, $5::bytea, $6::bytea, $7::bytea,
        to_timestamp($8::bigint / 1000.0))
ON CONFLICT (sha256) DO NOTHING
