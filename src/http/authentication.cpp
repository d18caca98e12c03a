#include "authentication.hpp"

#include "query_parameters.hpp"

namespace gridcase::http {
namespace {

using boost::asio::awaitable;

awaitable<void> authenticate(const service::AuthService& auth, Request& request) {
  std::string token = bearer_token_of(request);
  request.actor = co_await auth.authenticate(token);
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

Handler authenticated(const service::AuthService& auth, Handler handler) {
  return [&auth, handler = std::move(handler)](Request& request) -> awaitable<Response> {
    co_await authenticate(auth, request);
    co_return co_await handler(request);
  };
}

StreamHandler authenticated(const service::AuthService& auth, StreamHandler handler) {
  return [&auth, handler = std::move(handler)](Request& request) -> awaitable<StreamingResponse> {
    co_await authenticate(auth, request);
    co_return co_await handler(request);
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
