#include "authentication.hpp"

#include "query_parameters.hpp"

namespace gridcase::http {
namespace {

using boost::asio::awaitable;

awaitable<void> authenticate(const service::AuthService& auth, Request& request) {
  std::string token = bearer_token_of(request);
  service::Authenticated caller = co_await auth.authenticate_until(token);
  request.actor = std::move(caller.actor);
  request.token_expires_at = caller.expires_at;
  request.bearer_token = std::move(token);
}

}  // namespace

std::string bearer_token_of(const Request& request) {
  std::string_view header = request.message[beast_http::field::authorization];
  if (header.empty())
    throw domain::Error(domain::ErrorCode::kUnauthenticated, "a bearer token is required");
  constexpr std::string_view kScheme = "bearer ";
  const bool bearer =
      header.size() > kScheme.size() &&
      std::equal(kScheme.begin(), kScheme.end(), header.begin(), [](char expected, char given) {
        return expected ==
               (given >= 'A' && given <= 'Z' ? static_cast<char>(given - 'A' + 'a') : given);
      });
  if (!bearer) {
    throw domain::Error(domain::ErrorCode::kUnauthenticated,
                        "the Authorization header must be 'Bearer <token>'");
  }
  header.remove_prefix(kScheme.size());
  while (!header.empty() && header.front() == ' ') header.remove_prefix(1);
  while (!header.empty() && header.back() == ' ') header.remove_suffix(1);
  if (header.empty())
    throw domain::Error(domain::ErrorCode::kUnauthenticated, "the bearer token is empty");
  return std::string(header);
}

Guard authenticated(const service::AuthService& auth) {
  return [&auth](Request& request) -> awaitable<void> { co_await authenticate(auth, request); };
}

Guard district_admin(const service::AuthService& auth, std::string what) {
  return [&auth, what = std::move(what)](Request& request) -> awaitable<void> {
    co_await authenticate(auth, request);
    domain::require_district_admin(caller_of(request), what);
  };
}

const domain::Actor& caller_of(const Request& request) {
  if (!request.actor)
    throw domain::Error(domain::ErrorCode::kUnauthenticated, "a bearer token is required");
  return *request.actor;
}

boost::asio::awaitable<domain::ReadConfinement> confined_read(const Request& request,
                                                              const service::GridService& grid) {
  const std::optional<std::string> requested = query_text(request, "grid");
  domain::ReadConfinement confined = domain::confine_read(caller_of(request).scope, requested);
  if (requested)
    co_await grid.node(*requested, false);  // kNotFound for a code the grid does not have
  co_return confined;
}

}  // namespace gridcase::http
