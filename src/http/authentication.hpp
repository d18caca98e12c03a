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

/// `handler` behind authentication: the caller is looked up from the bearer token (401 when
/// that fails) and set on the request before the handler runs. Every route but the public
/// ones (docs/security.md) is registered through this, in one place: make_api_router.
Handler authenticated(const service::AuthService& auth, Handler handler);
StreamHandler authenticated(const service::AuthService& auth, StreamHandler handler);

/// The authenticated caller. Throws kUnauthenticated on a request that was not authenticated.
const domain::Actor& caller_of(const Request& request);

/// What a read with an optional `?grid=` covers for the caller (domain::confine_read): the
/// requested node when it lies inside their scope, else their scope. A malformed code is 422; a
/// node outside their subtree or one the grid does not have is 404.
boost::asio::awaitable<domain::ReadConfinement> confined_read(const Request& request,
                                                              const service::GridService& grid);

}  // namespace gridcase::http
