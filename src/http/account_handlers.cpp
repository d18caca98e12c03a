#include "account_handlers.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>

#include "authentication.hpp"
#include "error_response.hpp"
#include "gridcase/domain/time_text.hpp"
#include "json_fields.hpp"
#include "query_parameters.hpp"
#include "request_body.hpp"

namespace gridcase::http {
namespace {

using boost::asio::awaitable;
using nlohmann::json;

json user_json(const service::StoredUser& user) {
  json roles = json::array();
  for (domain::Role role : user.spec.roles.roles())
    roles.push_back(std::string(domain::to_string(role)));
  json channels = json::array();
  for (domain::Channel channel : user.spec.channels)
    channels.push_back(std::string(domain::to_string(channel)));
  return json{{"username", user.spec.username},
              {"display_name", user.spec.display_name},
              {"roles", std::move(roles)},
              {"scope", domain::format_scope(user.spec.scope)},
              {"channels", std::move(channels)},
              {"active", user.spec.active},
              {"created_at", domain::format_rfc3339(user.created_at)},
              {"updated_at", domain::format_rfc3339(user.updated_at)}};
}

json token_json(const service::TokenRecord& token) {
  return json{{"id", token.id},
              {"kind", std::string(to_string(token.kind))},
              {"label", token.label ? json(*token.label) : json(nullptr)},
              {"created_at", domain::format_rfc3339(token.created_at)},
              {"expires_at", domain::format_rfc3339(token.expires_at)},
              {"revoked_at",
               token.revoked_at ? json(domain::format_rfc3339(*token.revoked_at)) : json(nullptr)}};
}

/// A response that carries a secret: never cached by anything on the way.
Response secret_response(const Request& request, const json& body, beast_http::status status) {
  Response response = json_response(request, body.dump(), status);
  response.set(beast_http::field::cache_control, "no-store");
  return response;
}

/// 201 starting a console session: the token only in the HttpOnly cookie (the page's script
/// never holds it), the session's CSRF token in the body.
Response cookie_session_answer(const Request& request, const std::string& token,
                               domain::Timestamp expires_at, json user, bool kiosk,
                               bool cookie_secure) {
  json answer{{"csrf_token", csrf_token_for(token)},
              {"expires_at", domain::format_rfc3339(expires_at)},
              {"user", std::move(user)}};
  if (kiosk) answer["kiosk"] = true;
  Response response = secret_response(request, answer, beast_http::status::created);
  const auto left = std::chrono::duration_cast<std::chrono::seconds>(
      expires_at - std::chrono::system_clock::now());
  response.set(beast_http::field::set_cookie,
               session_cookie(token, std::max(left, std::chrono::seconds{1}), cookie_secure));
  return response;
}

std::optional<domain::RoleSet> optional_roles(JsonFields& fields) {
  const std::optional<std::vector<std::string>> names = fields.texts("roles");
  if (!names) return std::nullopt;
  domain::RoleSet roles;
  for (const std::string& name : *names) {
    const std::optional<domain::Role> role = domain::parse_role(name);
    if (!role || *role == domain::Role::kSystem)
      domain::throw_invalid("roles", "unknown role " + name);
    roles.insert(*role);
  }
  return roles;
}

std::optional<domain::Scope> optional_scope(JsonFields& fields) {
  const std::optional<std::string> text = fields.text("scope");
  if (!text) return std::nullopt;
  std::optional<domain::Scope> scope = domain::parse_scope(*text);
  if (!scope)
    domain::throw_invalid("scope", "district, grid:<code>, unit:<code> or officer:<code>");
  return scope;
}

std::optional<std::vector<domain::Channel>> optional_channels(JsonFields& fields) {
  const std::optional<std::vector<std::string>> names = fields.texts("channels");
  if (!names) return std::nullopt;
  std::vector<domain::Channel> channels;
  for (const std::string& name : *names) {
    const std::optional<domain::Channel> channel = domain::parse_channel(name);
    if (!channel) domain::throw_invalid("channels", "unknown channel " + name);
    if (std::find(channels.begin(), channels.end(), *channel) == channels.end())
      channels.push_back(*channel);
  }
  return channels;
}

/// A username for a log line: only when it is one (no control characters reach the log).
std::string loggable_username(const std::string& username) {
  return domain::is_username(username) ? username : "<not a username>";
}

}  // namespace

Handler create_session(const service::AuthService& auth, std::size_t max_depth,
                       bool cookie_secure) {
  return [&auth, max_depth, cookie_secure](Request& request) -> awaitable<Response> {
    require_known_parameters(request, {});
    const json body = parse_json_body(request, max_depth);
    JsonFields fields{body};
    if (std::optional<std::string> token = fields.text("token")) {
      // A wall screen signs in with its kiosk token, into the cookie (docs/security.md).
      if (!fields.boolean("cookie").value_or(false))
        domain::throw_invalid("cookie", "a kiosk token signs in a console: \"cookie\": true");
      fields.finish();
      const service::Authenticated kiosk = co_await auth.authenticate_until(*token);
      if (!kiosk.read_only) {
        throw domain::Error(domain::ErrorCode::kUnauthenticated,
                            "only a kiosk token signs in this way; people use their password");
      }
      spdlog::info("[{}] kiosk sign-in: {} from {}", request.request_id, kiosk.actor.id,
                   request.remote_address);
      const service::StoredUser user = co_await auth.whoami(kiosk.actor);
      co_return cookie_session_answer(request, *token, kiosk.expires_at, user_json(user), true,
                                      cookie_secure);
    }
    std::string username = fields.required_text("username");
    std::string password = fields.required_text("password");
    const bool cookie = fields.boolean("cookie").value_or(false);
    fields.finish();
    const std::string logged = loggable_username(username);
    try {
      const service::LoginResult result =
          co_await auth.login(std::move(username), std::move(password), request.remote_address);
      spdlog::info("[{}] login: {} from {}{}", request.request_id, logged, request.remote_address,
                   cookie ? " (console)" : "");
      if (cookie) {
        co_return cookie_session_answer(request, result.token.token, result.token.expires_at,
                                        user_json(result.user), false, cookie_secure);
      }
      const json answer{{"token", result.token.token},
                        {"token_type", "Bearer"},
                        {"expires_at", domain::format_rfc3339(result.token.expires_at)},
                        {"user", user_json(result.user)}};
      co_return secret_response(request, answer, beast_http::status::created);
    } catch (const domain::Error& error) {
      if (error.code() == domain::ErrorCode::kUnauthenticated ||
          error.code() == domain::ErrorCode::kRateLimited) {
        spdlog::warn("[{}] failed login: {} from {} ({})", request.request_id, logged,
                     request.remote_address, error.what());
      }
      throw;
    }
  };
}

Handler get_current_session(const service::AuthService& auth) {
  return [&auth](Request& request) -> awaitable<Response> {
    require_known_parameters(request, {});
    const service::StoredUser user = co_await auth.whoami(caller_of(request));
    json answer{{"user", user_json(user)}};
    if (request.read_only) answer["kiosk"] = true;
    if (request.by_cookie) {
      answer["csrf_token"] = csrf_token_for(request.bearer_token);
      answer["expires_at"] = domain::format_rfc3339(request.token_expires_at);
      co_return secret_response(request, answer, beast_http::status::ok);
    }
    co_return json_response(request, answer.dump());
  };
}

Handler delete_current_session(const service::AuthService& auth) {
  return [&auth](Request& request) -> awaitable<Response> {
    require_known_parameters(request, {});
    co_await auth.logout(request.bearer_token);
    Response response = no_content(request);
    if (request.by_cookie)
      response.set(beast_http::field::set_cookie, session_cookie("", {}, false));
    co_return response;
  };
}

Handler list_users(const service::AuthService& auth) {
  return [&auth](Request& request) -> awaitable<Response> {
    require_known_parameters(request, {});
    const std::vector<service::StoredUser> users = co_await auth.users(caller_of(request));
    json items = json::array();
    for (const service::StoredUser& user : users) items.push_back(user_json(user));
    co_return json_response(request, json{{"items", std::move(items)}}.dump());
  };
}

Handler create_user(const service::AuthService& auth, std::size_t max_depth) {
  return [&auth, max_depth](Request& request) -> awaitable<Response> {
    require_known_parameters(request, {});
    const json body = parse_json_body(request, max_depth);
    JsonFields fields{body};
    domain::UserSpec spec;
    spec.username = fields.required_text("username");
    spec.display_name = fields.required_text("display_name");
    std::optional<domain::RoleSet> roles = optional_roles(fields);
    if (!roles) domain::throw_malformed("roles", "required");
    spec.roles = *roles;
    spec.scope = optional_scope(fields).value_or(domain::Scope{});
    spec.channels = optional_channels(fields).value_or(std::vector<domain::Channel>{});
    spec.active = fields.boolean("active").value_or(true);
    std::optional<std::string> password = fields.text("password");
    fields.finish();
    const service::StoredUser user =
        co_await auth.create_user(std::move(spec), std::move(password), caller_of(request));
    Response response = json_response(request, user_json(user).dump(), beast_http::status::created);
    response.set(beast_http::field::location, "/api/v1/users/" + user.spec.username);
    co_return response;
  };
}

Handler get_user(const service::AuthService& auth) {
  return [&auth](Request& request) -> awaitable<Response> {
    require_known_parameters(request, {});
    const service::StoredUser user =
        co_await auth.user(request.path_params.at("username"), caller_of(request));
    co_return json_response(request, user_json(user).dump());
  };
}

Handler update_user(const service::AuthService& auth, std::size_t max_depth) {
  return [&auth, max_depth](Request& request) -> awaitable<Response> {
    require_known_parameters(request, {});
    const json body = parse_json_body(request, max_depth);
    JsonFields fields{body};
    service::UserPatch patch;
    patch.display_name = fields.text("display_name");
    patch.roles = optional_roles(fields);
    patch.scope = optional_scope(fields);
    patch.channels = optional_channels(fields);
    patch.active = fields.boolean("active");
    patch.password = fields.text("password");
    fields.finish();
    const service::StoredUser user = co_await auth.update_user(
        request.path_params.at("username"), std::move(patch), caller_of(request));
    co_return json_response(request, user_json(user).dump());
  };
}

Handler list_user_tokens(const service::AuthService& auth) {
  return [&auth](Request& request) -> awaitable<Response> {
    require_known_parameters(request, {});
    const std::vector<service::TokenRecord> tokens =
        co_await auth.tokens(request.path_params.at("username"), caller_of(request));
    json items = json::array();
    for (const service::TokenRecord& token : tokens) items.push_back(token_json(token));
    co_return json_response(request, json{{"items", std::move(items)}}.dump());
  };
}

Handler create_user_token(const service::AuthService& auth, std::size_t max_depth) {
  return [&auth, max_depth](Request& request) -> awaitable<Response> {
    require_known_parameters(request, {});
    json body = json::object();
    if (!request.message.body().empty()) body = parse_json_body(request, max_depth);
    JsonFields fields{body};
    std::optional<std::chrono::seconds> ttl;
    if (const std::optional<long long> days = fields.integer("expires_in_days")) {
      if (*days < 1 || *days > 3650) domain::throw_invalid("expires_in_days", "from 1 to 3650");
      ttl = std::chrono::seconds{*days * 24 * 3600};
    }
    std::optional<std::string> label = fields.text("label");
    const std::string kind = fields.text("kind").value_or("integration");
    if (kind != "integration" && kind != "kiosk")
      domain::throw_invalid("kind", "integration or kiosk");
    fields.finish();
    // Two statements, not a conditional expression: g++ 12 destroys a co_await's temporary in
    // a ?: too early.
    service::IssuedToken token;
    if (kind == "kiosk") {
      token = co_await auth.create_kiosk_token(request.path_params.at("username"), std::move(label),
                                               ttl, caller_of(request));
    } else {
      token = co_await auth.create_integration_token(request.path_params.at("username"),
                                                     std::move(label), ttl, caller_of(request));
    }
    co_return secret_response(request,
                              json{{"id", token.id},
                                   {"token", token.token},
                                   {"token_type", "Bearer"},
                                   {"expires_at", domain::format_rfc3339(token.expires_at)}},
                              beast_http::status::created);
  };
}

Handler revoke_user_token(const service::AuthService& auth) {
  return [&auth](Request& request) -> awaitable<Response> {
    require_known_parameters(request, {});
    const std::string& text = request.path_params.at("token_id");
    const std::optional<long long> id = parse_id(text);
    if (!id || *id < 1) throw domain::Error(domain::ErrorCode::kNotFound, "no token " + text);
    co_await auth.revoke_token(request.path_params.at("username"), *id, caller_of(request));
    co_return no_content(request);
  };
}

}  // namespace gridcase::http
