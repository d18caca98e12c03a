#pragma once

#include "gridcase/service/auth_service.hpp"
#include "router.hpp"

namespace gridcase::http {

// Sessions (public login; the rest authenticated).
/// POST /api/v1/sessions: a bearer token, or with `"cookie": true` the console's session cookie
/// and its CSRF token (docs/security.md).
Handler create_session(const service::AuthService& auth, std::size_t max_depth, bool cookie_secure);
Handler get_current_session(const service::AuthService& auth);
Handler delete_current_session(const service::AuthService& auth);

// Administration of accounts (admin only; the service checks).
Handler list_users(const service::AuthService& auth);
Handler create_user(const service::AuthService& auth, std::size_t max_depth);
Handler get_user(const service::AuthService& auth);
Handler update_user(const service::AuthService& auth, std::size_t max_depth);
Handler list_user_tokens(const service::AuthService& auth);
Handler create_user_token(const service::AuthService& auth, std::size_t max_depth);
Handler revoke_user_token(const service::AuthService& auth);

}  // namespace gridcase::http
