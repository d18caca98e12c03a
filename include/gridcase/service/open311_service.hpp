#pragma once

#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gridcase/domain/case.hpp"
#include "gridcase/domain/clock.hpp"
#include "gridcase/service/attachment_service.hpp"
#include "gridcase/service/auth_service.hpp"
#include "gridcase/service/case_service.hpp"
#include "gridcase/service/open311_repository.hpp"
#include "gridcase/service/transaction_runner.hpp"

namespace gridcase::service {

struct Open311Options {
  std::string district_code = "150203";  // the jurisdiction_id
  /// Public reads (searches, a request, a token) one client address may make in a minute;
  /// one more is refused for a minute (429). Counted as failed logins are (docs/security.md).
  int reads_per_minute = 120;
};

/// A request filed through Open311: the case number and the token that also names it.
struct FiledRequest {
  std::string case_no;
  /// Kept with the case in a transaction of its own, after the case's: when that fails the
  /// case stands (committed) and the answer names it without a token (the specification makes
  /// the token optional once the id is known), never a 5xx for a case that exists.
  std::optional<std::string> token;
};

/// Open311 GeoReport v2 (docs/integrations.md): filing goes through CaseService's intake, reads
/// show public fields only and are rate-limited per client address.
class Open311Service {
 public:
  Open311Service(TransactionRunner& transactions, const domain::Clock& clock,
                 const CaseService& cases, const AuthService& auth,
                 const AttachmentService& attachments, Open311Options options);

  const std::string& jurisdiction() const { return options_.district_code; }
  domain::Timestamp now() const { return clock_.now(); }

  /// The integration account an api_key belongs to, with the channel its requests are filed on:
  /// `web` when the account may submit on it, else `app`. Throws kUnauthenticated for a key
  /// that is no live token, kForbidden for an account that is no integration on web or app.
  boost::asio::awaitable<std::pair<domain::Actor, domain::Channel>> filer(
      std::string_view api_key) const;
  /// Files `intake` as `actor` through the normal intake (validation, duplicates, routing).
  /// With `photo` (the bytes of Open311's `media` part), the photo is processed and stored as
  /// the integration's upload and the intake names it; when the intake is refused, or replays
  /// an earlier filing, the upload is deleted again. Throws what the intake and
  /// AttachmentService::upload_filing_photo throw.
  boost::asio::awaitable<FiledRequest> file(domain::NewCase intake, domain::Actor actor,
                                            std::optional<IdempotencyRequest> idempotency,
                                            std::optional<std::string> photo = std::nullopt) const;
  /// Throws kRateLimited (with retry_after) when `address` has read too much.
  boost::asio::awaitable<std::vector<PublicRequest>> search(PublicRequestQuery query,
                                                            std::string address) const;
  /// The case number of a token, or nullopt; rate-limited as search().
  boost::asio::awaitable<std::optional<std::string>> case_of_token(std::string token,
                                                                   std::string address) const;

 private:
  void count_read(Repositories& repos, const std::string& address, domain::Timestamp now) const;

  TransactionRunner& transactions_;
  const domain::Clock& clock_;
  const CaseService& cases_;
  const AuthService& auth_;
  const AttachmentService& attachments_;
  const Open311Options options_;
};

}  // namespace gridcase::service
