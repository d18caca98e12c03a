#pragma once

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/thread_pool.hpp>
#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "gridcase/domain/attachment.hpp"
#include "gridcase/domain/case.hpp"
#include "gridcase/domain/clock.hpp"
#include "gridcase/service/attachment_repository.hpp"
#include "gridcase/service/image_processor.hpp"
#include "gridcase/service/transaction_runner.hpp"

namespace gridcase::service {

struct AttachmentOptions {
  ImageLimits limits;
  /// Threads decoding and re-encoding images (CPU-bound, off the I/O and database threads).
  int processing_threads = 2;
  /// Uploads being processed or waiting for a thread; one more is refused (503, Retry-After).
  int processing_queue_limit = 8;
  /// An upload no intake or action named is deleted this long after it was made.
  std::chrono::hours unattached_retention{24};
};

/// One size of a stored photo, for a download.
struct PhotoBytes {
  std::string content_type;
  std::string etag;  // strong: the SHA-256 of the uploaded bytes and the size
  std::string bytes;
};

/// Evidence photos (docs/attachments.md): uploads before intake or to a case at a stage, their
/// processing on a bounded pool, downloads under the case's scope, and the purge of uploads
/// never named.
class AttachmentService {
 public:
  AttachmentService(TransactionRunner& transactions, const domain::Clock& clock,
                    const ImageProcessor& processor, AttachmentOptions options);
  ~AttachmentService();
  AttachmentService(const AttachmentService&) = delete;
  AttachmentService& operator=(const AttachmentService&) = delete;

  /// An upload before intake (a patrol report's photo): kept for the uploader until an intake
  /// or action names it. `bytes` is nullopt when the request did not declare an image. Throws
  /// kForbidden for a role that may not file cases (an integration), then
  /// kUnsupportedMediaType for no declared image, kMalformed for no bytes, what
  /// ImageProcessor::process throws, kUnavailable when the processing pool is full.
  boost::asio::awaitable<AttachmentRecord> upload(std::optional<std::string> bytes,
                                                  domain::Actor actor) const;
  /// The photo an integration files with its report (Open311's `media` part): kept for the
  /// integration until its intake names it, as upload() keeps a staff upload. Throws kForbidden
  /// for any other account, then what upload() throws.
  boost::asio::awaitable<AttachmentRecord> upload_filing_photo(std::string bytes,
                                                               domain::Actor actor) const;
  /// Deletes `actor`'s upload `id` that nothing named, and its image if no other upload has it:
  /// the photo of a filing that was refused, so that a refusal leaves nothing stored.
  boost::asio::awaitable<void> discard(std::string id, domain::Actor actor) const;
  /// An upload to a case at the stage its state takes photos at (domain::photo_stage). Throws
  /// kNotFound outside the caller's scope, kInvalidTransition in a state without a photo stage,
  /// kForbidden for a role that may not do the stage's action, then what upload() throws.
  boost::asio::awaitable<AttachmentRecord> upload_to_case(std::string case_no,
                                                          std::optional<std::string> bytes,
                                                          domain::Actor actor) const;
  /// The attachments of a case; kNotFound outside the caller's scope.
  boost::asio::awaitable<std::vector<AttachmentRecord>> list(std::string case_no,
                                                             domain::Actor actor) const;
  /// One size of an attachment: kNotFound for one the caller may not see (of a case outside its
  /// scope, or another account's upload no case holds yet).
  boost::asio::awaitable<PhotoBytes> download(std::string id, domain::PhotoSize size,
                                              domain::Actor actor) const;
  /// The screen size of a report photo that Open311 shows publicly as `media_url` (an
  /// attachment named by the intake of a case domain::open311_shows_media allows); kNotFound
  /// for any other id. No caller: the id, random and unguessable, is the capability.
  boost::asio::awaitable<PhotoBytes> public_report_photo(std::string id) const;
  /// Deletes the uploads older than the retention that nothing named. Returns how many.
  boost::asio::awaitable<long long> purge_unattached() const;

  const AttachmentOptions& options() const { return options_; }

 private:
  /// Processes `bytes` on the pool unless their image is stored already, then stores the
  /// attachment.
  boost::asio::awaitable<AttachmentRecord> store(std::optional<std::string> declared,
                                                 NewAttachment attachment) const;
  boost::asio::awaitable<ProcessedImage> process_off_thread(std::string bytes) const;

  TransactionRunner& transactions_;
  const domain::Clock& clock_;
  const ImageProcessor& processor_;
  const AttachmentOptions options_;
  mutable boost::asio::thread_pool processing_;
  mutable std::atomic<int> processing_in_use_{0};
};

/// The SHA-256 of `bytes` (32 raw bytes) and its lower-case hex.
std::string sha256_of(std::string_view bytes);
std::string hex_of(std::string_view bytes);

}  // namespace gridcase::service
