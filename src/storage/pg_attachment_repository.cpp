#include "pg_attachment_repository.hpp"

#include <algorithm>
#include <pqxx/pqxx>
#include <set>

#include "pg_values.hpp"

namespace gridcase::storage {
namespace {

constexpr const char* kColumns = R"sql(
  SELECT a.id::text, encode(a.sha256, 'hex'), i.content_type, i.width, i.height, a.uploaded_by,
         (extract(epoch FROM a.uploaded_at) * 1000)::bigint, c.case_no, a.stage,
         a.attached_at IS NOT NULL
  FROM attachments a
  JOIN attachment_images i ON i.sha256 = a.sha256
  LEFT JOIN cases c ON c.id = a.case_id)sql";

const std::string kFind = std::string(kColumns) + " WHERE a.id = $1::uuid";
const std::string kOfCase =
    std::string(kColumns) + " WHERE a.case_id = $1::bigint ORDER BY a.uploaded_at, a.id";

// An upload's statements are src/storage/queries/has_image.sql, store_image.sql and
// insert_attachment.sql (bench/upload runs them with pgbench).

constexpr const char* kImageBytes = R"sql(
  SELECT CASE $2::text WHEN 'screen' THEN i.screen_bytes
                       WHEN 'thumbnail' THEN i.thumbnail_bytes
                       ELSE i.full_bytes END
  FROM attachments a JOIN attachment_images i ON i.sha256 = a.sha256
  WHERE a.id = $1::uuid)sql";

// An upload waiting for a case is its uploader's to name; one made to a case, that case's.
constexpr const char* kAttach = R"sql(
  UPDATE attachments
  SET case_id = $2::bigint, stage = $3::text,
      attached_at = coalesce(attached_at, to_timestamp($5::bigint / 1000.0))
  WHERE id = ANY($1::uuid[])
    AND ((case_id IS NULL AND uploaded_by = $4::text) OR case_id = $2::bigint)
  RETURNING id::text)sql";

constexpr const char* kPurgeAttachments = R"sql(
  DELETE FROM attachments
  WHERE attached_at IS NULL AND uploaded_at < to_timestamp($1::bigint / 1000.0)
  RETURNING encode(sha256, 'hex'))sql";

// Only the images of the uploads just deleted: the scheduler runs this every tick, so it must not
// scan every image. A second statement, since a data-modifying CTE's NOT EXISTS would still see
// the deleted rows.
constexpr const char* kDiscardAttachment = R"sql(
  DELETE FROM attachments
  WHERE id = $1::uuid AND uploaded_by = $2::text AND attached_at IS NULL
  RETURNING encode(sha256, 'hex'))sql";

constexpr const char* kPurgeImages = R"sql(
  DELETE FROM attachment_images i
  WHERE i.sha256 IN (SELECT decode(h, 'hex') FROM unnest($1::text[]) AS h)
    AND NOT EXISTS (SELECT 1 FROM attachments a WHERE a.sha256 = i.sha256))sql";

service::AttachmentRecord record_of(const pqxx::row& row) {
  service::AttachmentRecord record;
  record.id = row[0].as<std::string>();
  record.sha256_hex = row[1].as<std::string>();
  record.content_type = row[2].as<std::string>();
  record.width = row[3].as<int>();
  record.height = row[4].as<int>();
  record.uploaded_by = row[5].as<std::string>();
  record.uploaded_at = timestamp_of(row[6]);
  record.case_no = optional_text_of(row[7]);
  record.stage = optional_text_of(row[8]);
  record.attached = row[9].as<bool>();
  return record;
}

pqxx::binarystring bytes_of(std::string_view bytes) {
  return pqxx::binarystring{bytes.data(), bytes.size()};
}

}  // namespace

bool PgAttachmentRepository::has_image(std::string_view sha256) {
  return !tx_.exec_prepared("has_image", bytes_of(sha256)).empty();
}

void PgAttachmentRepository::store_image(std::string_view sha256,
                                         const service::ProcessedImage& image,
                                         domain::Timestamp now) {
  tx_.exec_prepared("store_image", bytes_of(sha256), image.content_type, image.width, image.height,
                    bytes_of(image.full), bytes_of(image.screen), bytes_of(image.thumbnail),
                    epoch_ms(now));
}

std::optional<service::AttachmentRecord> PgAttachmentRepository::insert(
    const service::NewAttachment& attachment) {
  const pqxx::result inserted = tx_.exec_prepared(
      "insert_attachment", bytes_of(attachment.sha256), attachment.uploaded_by,
      epoch_ms(attachment.uploaded_at),
      attachment.case_id ? std::optional<std::string>{std::to_string(*attachment.case_id)}
                         : std::nullopt,
      attachment.stage);
  if (inserted.empty()) return std::nullopt;
  return record_of(inserted[0]);
}

std::optional<service::AttachmentRecord> PgAttachmentRepository::find(std::string_view id) {
  const pqxx::result rows = tx_.exec_params(kFind, std::string(id));
  if (rows.empty()) return std::nullopt;
  return record_of(rows[0]);
}

std::optional<std::string> PgAttachmentRepository::image_bytes(std::string_view id,
                                                               domain::PhotoSize size) {
  const pqxx::result rows =
      tx_.exec_params(kImageBytes, std::string(id), std::string(domain::to_string(size)));
  if (rows.empty()) return std::nullopt;
  return pqxx::binarystring{rows[0][0]}.str();
}

std::vector<std::string> PgAttachmentRepository::attach(const std::vector<std::string>& ids,
                                                        long long case_id, std::string_view stage,
                                                        std::string_view uploader,
                                                        domain::Timestamp now) {
  const pqxx::result rows = tx_.exec_params(kAttach, text_array(ids), case_id, std::string(stage),
                                            std::string(uploader), epoch_ms(now));
  std::set<std::string> attached;
  for (const pqxx::row& row : rows) attached.insert(row[0].as<std::string>());
  std::vector<std::string> refused;
  std::copy_if(ids.begin(), ids.end(), std::back_inserter(refused),
               [&attached](const std::string& id) { return !attached.contains(id); });
  return refused;
}

std::vector<service::AttachmentRecord> PgAttachmentRepository::of_case(long long case_id) {
  std::vector<service::AttachmentRecord> records;
  for (const pqxx::row& row : tx_.exec_params(kOfCase, case_id)) records.push_back(record_of(row));
  return records;
}

long long PgAttachmentRepository::purge_unattached(domain::Timestamp before) {
  const pqxx::result purged = tx_.exec_params(kPurgeAttachments, epoch_ms(before));
  delete_orphaned_images(purged);
  return static_cast<long long>(purged.size());
}

bool PgAttachmentRepository::discard_unattached(std::string_view id, std::string_view uploader) {
  if (!domain::is_attachment_id(id)) return false;
  const pqxx::result discarded =
      tx_.exec_params(kDiscardAttachment, std::string(id), std::string(uploader));
  delete_orphaned_images(discarded);
  return !discarded.empty();
}

void PgAttachmentRepository::delete_orphaned_images(const pqxx::result& deleted) {
  if (deleted.empty()) return;
  std::vector<std::string> images;
  for (const pqxx::row& row : deleted) images.push_back(row[0].as<std::string>());
  tx_.exec_params(kPurgeImages, text_array(images));
}

}  // namespace gridcase::storage
