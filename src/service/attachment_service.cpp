#include "gridcase/service/attachment_service.hpp"

#include <sodium.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <memory>
#include <utility>

#include "gridcase/domain/access.hpp"
#include "gridcase/domain/error.hpp"
#include "gridcase/domain/open311.hpp"
#include "gridcase/service/case_repository.hpp"

namespace gridcase::service {

using domain::Error;
using domain::ErrorCode;

namespace {

[[noreturn]] void throw_unknown_attachment() {
  throw Error(ErrorCode::kNotFound, "no such attachment");
}

}  // namespace

std::string sha256_of(std::string_view bytes) {
  std::string digest(crypto_hash_sha256_BYTES, '\0');
  crypto_hash_sha256(reinterpret_cast<unsigned char*>(digest.data()),
                     reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  return digest;
}

std::string hex_of(std::string_view bytes) {
  constexpr std::string_view kDigits = "0123456789abcdef";
  std::string hex;
  hex.reserve(bytes.size() * 2);
  for (const char byte : bytes) {
    const auto value = static_cast<unsigned char>(byte);
    hex.push_back(kDigits[value >> 4U]);
    hex.push_back(kDigits[value & 0x0FU]);
  }
  return hex;
}

AttachmentService::AttachmentService(TransactionRunner& transactions, const domain::Clock& clock,
                                     const ImageProcessor& processor, AttachmentOptions options)
    : transactions_(transactions),
      clock_(clock),
      processor_(processor),
      options_(options),
      processing_(static_cast<std::size_t>(options.processing_threads)) {}

AttachmentService::~AttachmentService() { processing_.join(); }

// Named before co_await: g++ 12 frees temporaries inside a co_await expression too early. The
// slot is released by the task itself, so a caller that goes away first does not free a place
// whose image is still being decoded.
boost::asio::awaitable<ProcessedImage> AttachmentService::process_off_thread(
    std::string bytes) const {
  if (processing_in_use_.fetch_add(1) >= options_.processing_queue_limit) {
    processing_in_use_.fetch_sub(1);
    throw Error(ErrorCode::kUnavailable, "too many photos are being processed; try again shortly",
                {.retry_after = std::chrono::seconds{1}});
  }
  auto task = [this, bytes = std::move(bytes)]() -> boost::asio::awaitable<ProcessedImage> {
    struct Release {
      std::atomic<int>& in_use;
      ~Release() { in_use.fetch_sub(1); }
    } release{processing_in_use_};
    co_return processor_.process(bytes, options_.limits);
  };
  boost::asio::awaitable<ProcessedImage> on_processing_thread =
      boost::asio::co_spawn(processing_, std::move(task), boost::asio::use_awaitable);
  co_return co_await std::move(on_processing_thread);
}

boost::asio::awaitable<AttachmentRecord> AttachmentService::store(
    std::optional<std::string> declared, NewAttachment attachment) const {
  if (!declared) {
    throw Error(ErrorCode::kUnsupportedMediaType,
                "the body must be an image: Content-Type image/jpeg, image/png, image/webp, "
                "image/heic or application/octet-stream");
  }
  std::string bytes = std::move(*declared);
  if (bytes.empty()) domain::throw_malformed("body", "an image is required");
  attachment.sha256 = sha256_of(bytes);
  bool stored = false;
  co_await transactions_.read(
      [&](Repositories& repos) { stored = repos.attachments.has_image(attachment.sha256); });
  std::optional<AttachmentRecord> record;
  attachment.uploaded_at = clock_.now();
  if (stored) {
    // The purge may have taken the image since: then it is processed after all.
    co_await transactions_.run(
        [&](Repositories& repos) { record = repos.attachments.insert(attachment); });
    if (record) co_return std::move(*record);
  }
  const ProcessedImage image = co_await process_off_thread(std::move(bytes));
  co_await transactions_.run([&](Repositories& repos) {
    repos.attachments.store_image(attachment.sha256, image, attachment.uploaded_at);
    record = repos.attachments.insert(attachment);
  });
  if (!record) throw Error(ErrorCode::kConflict, "the photo was removed meanwhile; upload again");
  co_return std::move(*record);
}

boost::asio::awaitable<AttachmentRecord> AttachmentService::upload(std::optional<std::string> bytes,
                                                                   domain::Actor actor) const {
  domain::require_intake_uploader(actor);
  NewAttachment attachment;
  attachment.uploaded_by = actor.id;
  co_return co_await store(std::move(bytes), std::move(attachment));
}

boost::asio::awaitable<AttachmentRecord> AttachmentService::upload_filing_photo(
    std::string bytes, domain::Actor actor) const {
  domain::require_filing_photo_uploader(actor);
  NewAttachment attachment;
  attachment.uploaded_by = actor.id;
  co_return co_await store(std::move(bytes), std::move(attachment));
}

boost::asio::awaitable<void> AttachmentService::discard(std::string id, domain::Actor actor) const {
  co_await transactions_.run(
      [&](Repositories& repos) { repos.attachments.discard_unattached(id, actor.id); });
}

boost::asio::awaitable<AttachmentRecord> AttachmentService::upload_to_case(
    std::string case_no, std::optional<std::string> bytes, domain::Actor actor) const {
  NewAttachment attachment;
  attachment.uploaded_by = actor.id;
  co_await transactions_.read([&](Repositories& repos) {
    const std::optional<domain::CaseRecord> found =
        repos.cases.find_record(case_no, domain::case_confinement(actor), RowLock::kNone);
    if (!found) throw Error(ErrorCode::kNotFound, "no case " + case_no);
    attachment.case_id = found->id;
    attachment.stage = domain::attachment_stage(domain::require_photo_stage(found->status, actor));
  });
  co_return co_await store(std::move(bytes), std::move(attachment));
}

boost::asio::awaitable<std::vector<AttachmentRecord>> AttachmentService::list(
    std::string case_no, domain::Actor actor) const {
  std::vector<AttachmentRecord> records;
  co_await transactions_.read([&](Repositories& repos) {
    const std::optional<domain::CaseRecord> found =
        repos.cases.find_record(case_no, domain::case_confinement(actor), RowLock::kNone);
    if (!found) throw Error(ErrorCode::kNotFound, "no case " + case_no);
    records = repos.attachments.of_case(found->id);
  });
  co_return records;
}

boost::asio::awaitable<PhotoBytes> AttachmentService::download(std::string id,
                                                               domain::PhotoSize size,
                                                               domain::Actor actor) const {
  if (!domain::is_attachment_id(id)) throw_unknown_attachment();
  PhotoBytes photo;
  co_await transactions_.read([&](Repositories& repos) {
    const std::optional<AttachmentRecord> record = repos.attachments.find(id);
    if (!record) throw_unknown_attachment();
    if (record->case_no) {
      if (!repos.cases.find_record(*record->case_no, domain::case_confinement(actor),
                                   RowLock::kNone)) {
        throw_unknown_attachment();
      }
    } else if (record->uploaded_by != actor.id) {
      throw_unknown_attachment();
    }
    std::optional<std::string> bytes = repos.attachments.image_bytes(id, size);
    if (!bytes) throw_unknown_attachment();
    photo.content_type = record->content_type;
    photo.etag = "\"" + record->sha256_hex + "-" + std::string(domain::to_string(size)) + "\"";
    photo.bytes = std::move(*bytes);
  });
  co_return photo;
}

boost::asio::awaitable<PhotoBytes> AttachmentService::public_report_photo(std::string id) const {
  if (!domain::is_attachment_id(id)) throw_unknown_attachment();
  PhotoBytes photo;
  co_await transactions_.read([&](Repositories& repos) {
    const std::optional<AttachmentRecord> record = repos.attachments.find(id);
    if (!record || !record->attached || !record->case_no ||
        record->stage != domain::attachment_stage(std::nullopt)) {
      throw_unknown_attachment();
    }
    const std::optional<domain::CaseRecord> found =
        repos.cases.find_record(*record->case_no, domain::CaseConfinement{}, RowLock::kNone);
    if (!found || !domain::open311_shows_media(found->channel)) throw_unknown_attachment();
    std::optional<std::string> bytes =
        repos.attachments.image_bytes(id, domain::PhotoSize::kScreen);
    if (!bytes) throw_unknown_attachment();
    photo.content_type = record->content_type;
    photo.etag = "\"" + record->sha256_hex + "-screen\"";
    photo.bytes = std::move(*bytes);
  });
  co_return photo;
}

boost::asio::awaitable<long long> AttachmentService::purge_unattached() const {
  const domain::Timestamp before = clock_.now() - options_.unattached_retention;
  long long purged = 0;
  co_await transactions_.run(
      [&](Repositories& repos) { purged = repos.attachments.purge_unattached(before); });
  co_return purged;
}

}  // namespace gridcase::service
