#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "gridcase/domain/access.hpp"
#include "gridcase/service/auth_service.hpp"
#include "gridcase/service/grid_service.hpp"
#include "router.hpp"

namespace gridcase::http {

/// The token of `Authorization: Bearer <token>`. Throws kUnauthenticated when the header is
/// missing or names another scheme.
std::string bearer_token_of(const Request& request);

/// The name of the console's session cookie (HttpOnly, SameSite=Strict; docs/security.md).
inline constexpr std::string_view kSessionCookie = "gridcase_session";

/// The token in the request's `gridcase_session` cookie, if it has one.
std::optional<std::string> session_cookie_of(const Request& request);

/// The CSRF token that goes with a cookie session's `token`: a digest of the token, so any node
/// can check it and only a page that was given it (same origin) can send it back.
std::string csrf_token_for(std::string_view token);

/// The Set-Cookie value that starts a console session with `token` for `max_age`, or (empty
/// token) ends it.
std::string session_cookie(std::string_view token, std::chrono::seconds max_age, bool secure);

/// The guard of every route but the public ones (docs/security.md), given in one place,
/// make_api_router: the caller is looked up from the bearer token (401 when that fails) and set
/// on the request, with the token and its expiry, from the header alone, before any of the body
/// is read. Without an Authorization header the console's session cookie stands for the token;
/// then a request that changes something must carry the session's X-CSRF-Token (403 otherwise).
Guard authenticated(const service::AuthService& auth);
/// authenticated(), then the caller must be a district-wide admin (403 otherwise), before the
/// body is read: for the routes whose large body only an admin may send. `what` names the
/// action as the service's own check (domain::require_district_admin) does.
Guard district_admin(const service::AuthService& auth, std::string what);

/// The authenticated caller. Throws kUnauthenticated on a request that was not authenticated.
const domain::Actor& caller_of(const Request& request);

/// What a read with an optional `?grid=` covers for the caller (domain::confine_read): the
/// requested node when it lies inside their scope, else their scope. A malformed code is 422; a
/// node outside their subtree or one the grid does not have is 404.
boost::asio::awaitable<domain::ReadConfinement> confined_read(const Request& request,
                                                              const service::GridService& grid);

}  // namespace gridcase::http
