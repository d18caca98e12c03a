#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gridcase/domain/attachment.hpp"
#include "gridcase/domain/time.hpp"
#include "gridcase/service/image_processor.hpp"

namespace gridcase::service {

/// Who uploaded an attachment and where it belongs (sql/030_attachments.sql).
struct AttachmentRecord {
  std::string id;
  std::string sha256_hex;
  std::string content_type;
  int width = 0;
  int height = 0;
  std::string uploaded_by;
  domain::Timestamp uploaded_at{};
  std::optional<std::string> case_no;  // set by a case upload, or when an intake or action names it
  std::optional<std::string>
      stage;              // report, verify, complete, check, ... (domain::attachment_stage)
  bool attached = false;  // an intake or action has named it
};

/// A new upload's row: the image is stored once per SHA-256 of the uploaded bytes.
struct NewAttachment {
  std::string sha256;  // 32 raw bytes
  std::string uploaded_by;
  domain::Timestamp uploaded_at{};
  std::optional<long long> case_id;
  std::optional<std::string> stage;
};

/// Port: the attachments and their images (PostgreSQL bytea).
class AttachmentRepository {
 public:
  virtual ~AttachmentRepository() = default;
  /// True when the image of these uploaded bytes is stored already (its processing is skipped).
  virtual bool has_image(std::string_view sha256) = 0;
  /// Stores the image unless it is stored already (a concurrent upload of the same bytes wins).
  virtual void store_image(std::string_view sha256, const ProcessedImage& image,
                           domain::Timestamp now) = 0;
  /// Inserts the attachment; returns it as stored, or nullopt when its image is not stored.
  virtual std::optional<AttachmentRecord> insert(const NewAttachment& attachment) = 0;
  virtual std::optional<AttachmentRecord> find(std::string_view id) = 0;
  /// The bytes of one size of an attachment's image.
  virtual std::optional<std::string> image_bytes(std::string_view id, domain::PhotoSize size) = 0;
  /// Attaches `ids` to the case named by an intake or action, under `stage`: each must be an
  /// upload of `uploader` to no case yet, or an upload to this case. Returns the ids that are
  /// neither (nothing is changed for them).
  virtual std::vector<std::string> attach(const std::vector<std::string>& ids, long long case_id,
                                          std::string_view stage, std::string_view uploader,
                                          domain::Timestamp now) = 0;
  /// The attachments of a case, oldest first.
  virtual std::vector<AttachmentRecord> of_case(long long case_id) = 0;
  /// Deletes the uploads no intake or action named before `before`, then the images no
  /// attachment refers to. Returns the attachments deleted.
  virtual long long purge_unattached(domain::Timestamp before) = 0;
  /// Deletes the upload `id` of `uploader` that nothing named (an Open311 filing refused after
  /// its photo was stored), then its image if no attachment refers to it any more. False when
  /// there is no such upload.
  virtual bool discard_unattached(std::string_view id, std::string_view uploader) = 0;
};

}  // namespace gridcase::service
