-- Evidence photos (issue 15, docs/attachments.md). An image is kept once per SHA-256 of the
-- bytes uploaded, only as re-encoded without metadata, in three sizes; every upload of it is an
-- attachment row saying who uploaded it when and, once a case holds it, which case and stage.
-- In PostgreSQL itself: every serving process reaches it, it is durable at COMMIT, and the
-- database's backup is the photos' backup.
CREATE TABLE attachment_images (
  sha256          bytea PRIMARY KEY CHECK (length(sha256) = 32),
  content_type    text NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'image/webp')),
  width           integer NOT NULL CHECK (width > 0),
  height          integer NOT NULL CHECK (height > 0),
  full_bytes      bytea NOT NULL,
  screen_bytes    bytea NOT NULL,
  thumbnail_bytes bytea NOT NULL,
  created_at      timestamptz NOT NULL
);
-- Already compressed: TOAST stores them out of line without trying to compress them again.
ALTER TABLE attachment_images ALTER COLUMN full_bytes SET STORAGE EXTERNAL,
  ALTER COLUMN screen_bytes SET STORAGE EXTERNAL,
  ALTER COLUMN thumbnail_bytes SET STORAGE EXTERNAL;

CREATE TABLE attachments (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  sha256      bytea NOT NULL REFERENCES attachment_images (sha256),
  uploaded_by text NOT NULL,
  uploaded_at timestamptz NOT NULL,
  case_id     bigint REFERENCES cases (id),
  stage       text,
  attached_at timestamptz,  -- when an intake or action named it; never named: purged
  CHECK (attached_at IS NULL OR (case_id IS NOT NULL AND stage IS NOT NULL))
);
CREATE INDEX attachments_of_case ON attachments (case_id, uploaded_at) WHERE case_id IS NOT NULL;
CREATE INDEX attachments_unattached ON attachments (uploaded_at) WHERE attached_at IS NULL;
CREATE INDEX attachments_by_image ON attachments (sha256);
