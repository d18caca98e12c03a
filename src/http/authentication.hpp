#pragma once

#include "gridcase/service/auth_service.hpp"
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

}  // namespace gridcase::http
