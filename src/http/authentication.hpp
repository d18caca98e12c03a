#pragma once

#include <boost/asio/awaitable.hpp>

#include "gridcase/domain/access.hpp"
#include "gridcase/service/auth_service.hpp"
#include "gridcase/service/grid_service.hpp"
#include "router.hpp"

namespace gridcase::http {

/// The token of `Authorization: Bearer <token>`. Throws kUnauthenticated when the header is
/// missing or names another scheme.
std::string bearer_token_of(const Request& request);

/// The guard of every route but the public ones (docs/security.md), given in one place,
/// make_api_router: the caller is looked up from the bearer token (401 when that fails) and set
/// on the request, with the token and its expiry, from the header alone, before any of the body
/// is read.
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
