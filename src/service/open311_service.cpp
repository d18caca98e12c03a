#include "gridcase/service/open311_service.hpp"

#include <algorithm>
#include <exception>

#include "gridcase/domain/access.hpp"
#include "gridcase/domain/open311.hpp"
#include "gridcase/service/account_repository.hpp"
#include "gridcase/service/credentials.hpp"
#include "gridcase/service/repositories.hpp"

namespace gridcase::service {

namespace asio = boost::asio;
using domain::Error;
using domain::ErrorCode;

namespace {

constexpr std::chrono::seconds kReadWindow{60};

/// A token for a filed request: 128 random bits in hex. It names a public request, so it
/// guards nothing; it only has to be unique and unguessable enough not to collide.
std::string new_request_token() { return new_token().substr(4, 32); }

}  // namespace

Open311Service::Open311Service(TransactionRunner& transactions, const domain::Clock& clock,
                               const CaseService& cases, const AuthService& auth,
                               const AttachmentService& attachments, Open311Options options)
    : transactions_(transactions),
      clock_(clock),
      cases_(cases),
      auth_(auth),
      attachments_(attachments),
      options_(std::move(options)) {}

asio::awaitable<std::pair<domain::Actor, domain::Channel>> Open311Service::filer(
    std::string_view api_key) const {
  domain::Actor actor = co_await auth_.authenticate(api_key);
  if (!actor.roles.contains(domain::Role::kIntegration)) {
    throw Error(ErrorCode::kForbidden, "the api_key is no integration account's");
  }
  for (const domain::Channel channel : {domain::Channel::kWeb, domain::Channel::kApp}) {
    if (domain::may_receive_on(actor, channel)) co_return std::pair{std::move(actor), channel};
  }
  throw Error(ErrorCode::kForbidden, "the api_key's account may not file on web or app");
}

asio::awaitable<FiledRequest> Open311Service::file(domain::NewCase intake, domain::Actor actor,
                                                   std::optional<IdempotencyRequest> idempotency,
                                                   std::optional<std::string> photo) const {
  std::optional<std::string> uploaded;
  if (photo) {
    // The filing's own refusals come before its photo is processed and stored.
    domain::require_valid(intake, clock_.now());
    uploaded = (co_await attachments_.upload_filing_photo(std::move(*photo), actor)).id;
    intake.photos = {*uploaded};
  }
  std::optional<CaseAnswer> answer;
  std::exception_ptr refused;
  try {
    answer = co_await cases_.receive(std::move(intake), actor, std::move(idempotency));
  } catch (const Error&) {
    refused = std::current_exception();
  }
  if (uploaded && (refused || answer->replayed)) {
    // Refused, or a replay that answers the first filing's case: the photo stays nowhere.
    // Should the database fail here, the purge of uploads nothing named takes it later
    // (attachments.unattached_retention_hours), and the answer is the filing's own.
    try {
      co_await attachments_.discard(*uploaded, actor);
    } catch (const Error&) {
    }
  }
  if (refused) std::rethrow_exception(refused);
  FiledRequest filed{answer->written.case_no, new_request_token()};
  try {
    co_await transactions_.run([&](Repositories& repos) {
      repos.open311.store_token(*filed.token, filed.case_no, clock_.now());
    });
  } catch (const Error& error) {
    if (error.code() != ErrorCode::kUnavailable) throw;
    filed.token.reset();  // the case is committed: answer it, without a token
  }
  co_return filed;
}

void Open311Service::count_read(Repositories& repos, const std::string& address,
                                domain::Timestamp now) const {
  // The failed-login counter's rule (a fixed window per key, locked at its limit), under a key
  // of its own, so that reading never locks anyone's logins.
  const std::string key = "open311:" + address.substr(0, 64);
  const domain::LoginThrottle reads{options_.reads_per_minute, options_.reads_per_minute,
                                    kReadWindow, kReadWindow};
  const std::optional<domain::Timestamp> until =
      repos.accounts.count_login_attempt(key, key, now, reads);
  if (until) {
    throw Error(ErrorCode::kRateLimited, "too many requests from this address; try again later",
                {.retry_after = std::max(std::chrono::seconds{1},
                                         std::chrono::ceil<std::chrono::seconds>(*until - now))});
  }
}

asio::awaitable<std::vector<PublicRequest>> Open311Service::search(PublicRequestQuery query,
                                                                   std::string address) const {
  std::vector<PublicRequest> found;
  const domain::Timestamp now = clock_.now();
  co_await transactions_.run([&](Repositories& repos) {
    count_read(repos, address, now);
    found = repos.open311.find_public(query);
  });
  for (PublicRequest& request : found) {
    if (!domain::open311_shows_media(request.channel)) request.media.reset();
  }
  co_return found;
}

asio::awaitable<std::optional<std::string>> Open311Service::case_of_token(
    std::string token, std::string address) const {
  std::optional<std::string> case_no;
  const domain::Timestamp now = clock_.now();
  co_await transactions_.run([&](Repositories& repos) {
    count_read(repos, address, now);
    case_no = repos.open311.case_of_token(token);
  });
  co_return case_no;
}

}  // namespace gridcase::service
