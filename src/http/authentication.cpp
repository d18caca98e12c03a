#include "authentication.hpp"

#include <sodium.h>

#include <stdexcept>

#include "query_parameters.hpp"

namespace gridcase::http {
namespace {

using boost::asio::awaitable;

bool changes_something(beast_http::verb verb) {
  return verb != beast_http::verb::get && verb != beast_http::verb::head &&
         verb != beast_http::verb::options;
}

awaitable<void> authenticate(const service::AuthService& auth, Request& request) {
  std::string token;
  bool by_cookie = false;
  if (request.message[beast_http::field::authorization].empty()) {
    std::optional<std::string> cookie = session_cookie_of(request);
    if (!cookie) {
      throw domain::Error(domain::ErrorCode::kUnauthenticated,
                          "a bearer token (or the console's session cookie) is required");
    }
    token = std::move(*cookie);
    by_cookie = true;
  } else {
    token = bearer_token_of(request);
  }
  service::Authenticated caller = co_await auth.authenticate_until(token);
  if (caller.read_only && changes_something(request.message.method())) {
    throw domain::Error(domain::ErrorCode::kForbidden,
                        "a kiosk token only reads; an admin revokes it");
  }
  if (by_cookie && changes_something(request.message.method())) {
    const std::string expected = csrf_token_for(token);
    const std::string_view given = request.message["X-CSRF-Token"];
    if (given.size() != expected.size() ||
        sodium_memcmp(given.data(), expected.data(), expected.size()) != 0) {
      throw domain::Error(domain::ErrorCode::kForbidden,
                          "a request made with the session cookie must carry the session's "
                          "X-CSRF-Token header");
    }
  }
  request.actor = std::move(caller.actor);
  request.token_expires_at = caller.expires_at;
  request.bearer_token = std::move(token);
  request.by_cookie = by_cookie;
  request.read_only = caller.read_only;
}

}  // namespace

std::optional<std::string> session_cookie_of(const Request& request) {
  // Cookie: a=1; gridcase_session=…; b=2 (RFC 6265 §5.4; one header, or several).
  const auto [first, last] = request.message.equal_range(beast_http::field::cookie);
  for (auto field = first; field != last; ++field) {
    std::string_view rest = field->value();
    while (!rest.empty()) {
      const std::size_t end = rest.find(';');
      std::string_view pair = rest.substr(0, end);
      rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
      while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
      while (!pair.empty() && pair.back() == ' ') pair.remove_suffix(1);
      if (pair.size() > kSessionCookie.size() && pair.starts_with(kSessionCookie) &&
          pair[kSessionCookie.size()] == '=') {
        std::string_view value = pair.substr(kSessionCookie.size() + 1);
        if (!value.empty()) return std::string(value);
      }
    }
  }
  return std::nullopt;
}

std::string csrf_token_for(std::string_view token) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
  constexpr std::string_view kContext = "gridcase csrf v1";
  unsigned char digest[24];
  crypto_generichash_state state;
  crypto_generichash_init(&state, nullptr, 0, sizeof digest);
  crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(kContext.data()),
                            kContext.size() + 1);  // with its terminating zero, a separator
  crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(token.data()),
                            token.size());
  crypto_generichash_final(&state, digest, sizeof digest);
  char hex[sizeof digest * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return hex;
}

std::string session_cookie(std::string_view token, std::chrono::seconds max_age, bool secure) {
  std::string cookie = std::string(kSessionCookie) + "=" + std::string(token) +
                       "; Path=/; Max-Age=" + std::to_string(token.empty() ? 0 : max_age.count()) +
                       "; HttpOnly; SameSite=Strict";
  if (secure) cookie += "; Secure";
  return cookie;
}

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
