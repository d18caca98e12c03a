#pragma once

#include <pqxx/transaction_base>

#include "gridcase/service/attachment_repository.hpp"

namespace gridcase::storage {

class PgAttachmentRepository final : public service::AttachmentRepository {
 public:
  explicit PgAttachmentRepository(pqxx::transaction_base& tx) : tx_(tx) {}

  bool has_image(std::string_view sha256) override;
  void store_image(std::string_view sha256, const service::ProcessedImage& image,
                   domain::Timestamp now) override;
  std::optional<service::AttachmentRecord> insert(
      const service::NewAttachment& attachment) override;
  std::optional<service::AttachmentRecord> find(std::string_view id) override;
  std::optional<std::string> image_bytes(std::string_view id, domain::PhotoSize size) override;
  std::vector<std::string> attach(const std::vector<std::string>& ids, long long case_id,
                                  std::string_view stage, std::string_view uploader,
                                  domain::Timestamp now) override;
  std::vector<service::AttachmentRecord> of_case(long long case_id) override;
  long long purge_unattached(domain::Timestamp before) override;
  bool discard_unattached(std::string_view id, std::string_view uploader) override;

 private:
  /// Deletes the images of `deleted` (rows of their hex SHA-256) no attachment refers to.
  void delete_orphaned_images(const pqxx::result& deleted);

  pqxx::transaction_base& tx_;
};

}  // namespace gridcase::storage
