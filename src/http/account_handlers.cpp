#include "account_handlers.hpp"

#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include "authentication.hpp"
#include "case_codec.hpp"
#include "error_response.hpp"
#include "json_codec.hpp"

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
              {"created_at", format_rfc3339(user.created_at)},
              {"updated_at", format_rfc3339(user.updated_at)}};
}

json token_json(const service::TokenRecord& token) {
  return json{
      {"id", token.id},
      {"kind", token.kind == service::TokenKind::kSession ? "session" : "integration"},
      {"label", token.label ? json(*token.label) : json(nullptr)},
      {"created_at", format_rfc3339(token.created_at)},
      {"expires_at", format_rfc3339(token.expires_at)},
      {"revoked_at", token.revoked_at ? json(format_rfc3339(*token.revoked_at)) : json(nullptr)}};
}

/// A response that carries a secret: never cached by anything on the way.
Response secret_response(const Request& request, const json& body, beast_http::status status) {
  Response response = json_response(request, body.dump(), status);
  response.set(beast_http::field::cache_control, "no-store");
  return response;
}

Response no_content(const Request& request) {
  Response response{beast_http::status::no_content, request.message.version()};
  response.prepare_payload();
  return response;
}

const json* member(const json& body, const char* name) {
  const auto found = body.find(name);
  return found == body.end() || found->is_null() ? nullptr : &*found;
}

std::string required_string(const json& body, const char* name) {
  const json* value = member(body, name);
  if (value == nullptr) domain::throw_malformed(name, "required");
  if (!value->is_string()) domain::throw_malformed(name, "a string");
  return value->get<std::string>();
}

std::optional<std::string> optional_string(const json& body, const char* name) {
  const json* value = member(body, name);
  if (value == nullptr) return std::nullopt;
  if (!value->is_string()) domain::throw_malformed(name, "a string");
  return value->get<std::string>();
}

std::optional<bool> optional_bool(const json& body, const char* name) {
  const json* value = member(body, name);
  if (value == nullptr) return std::nullopt;
  if (!value->is_boolean()) domain::throw_malformed(name, "true or false");
  return value->get<bool>();
}

std::optional<domain::RoleSet> optional_roles(const json& body) {
  const json* value = member(body, "roles");
  if (value == nullptr) return std::nullopt;
  if (!value->is_array()) domain::throw_malformed("roles", "an array of role names");
  domain::RoleSet roles;
  for (const json& item : *value) {
    if (!item.is_string()) domain::throw_malformed("roles", "an array of role names");
    const std::optional<domain::Role> role = domain::parse_role(item.get<std::string>());
    if (!role || *role == domain::Role::kSystem)
      domain::throw_invalid("roles", "unknown role " + item.get<std::string>());
    roles.insert(*role);
  }
  return roles;
}

std::optional<domain::Scope> optional_scope(const json& body) {
  const std::optional<std::string> text = optional_string(body, "scope");
  if (!text) return std::nullopt;
  std::optional<domain::Scope> scope = domain::parse_scope(*text);
  if (!scope)
    domain::throw_invalid("scope", "district, grid:<code>, unit:<code> or officer:<code>");
  return scope;
}

std::optional<std::vector<domain::Channel>> optional_channels(const json& body) {
  const json* value = member(body, "channels");
  if (value == nullptr) return std::nullopt;
  if (!value->is_array()) domain::throw_malformed("channels", "an array of channel names");
  std::vector<domain::Channel> channels;
  for (const json& item : *value) {
    if (!item.is_string()) domain::throw_malformed("channels", "an array of channel names");
    const std::optional<domain::Channel> channel = domain::parse_channel(item.get<std::string>());
    if (!channel) domain::throw_invalid("channels", "unknown channel " + item.get<std::string>());
    if (std::find(channels.begin(), channels.end(), *channel) == channels.end())
      channels.push_back(*channel);
  }
  return channels;
}

void require_known_members(const json& body, std::initializer_list<std::string_view> known) {
  if (!body.is_object()) domain::throw_malformed("body", "a JSON object");
  for (const auto& [name, value] : body.items()) {
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      domain::throw_malformed(name, "not a field of this request");
    }
  }
}

/// A username for a log line: only when it is one (no control characters reach the log).
std::string loggable_username(const std::string& username) {
  return domain::is_username(username) ? username : "<not a username>";
}

}  // namespace

Handler create_session(const service::AuthService& auth, std::size_t max_depth) {
  return [&auth, max_depth](Request& request) -> awaitable<Response> {
    require_known_parameters(request, {});
    const json body = parse_json_body(request, max_depth);
    require_known_members(body, {"username", "password"});
    std::string username = required_string(body, "username");
    std::string password = required_string(body, "password");
    const std::string logged = loggable_username(username);
    try {
      const service::LoginResult result =
          co_await auth.login(std::move(username), std::move(password), request.remote_address);
      spdlog::info("[{}] login: {} from {}", request.request_id, logged, request.remote_address);
      const json answer{{"token", result.token.token},
                        {"token_type", "Bearer"},
                        {"expires_at", format_rfc3339(result.token.expires_at)},
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
    co_return json_response(request, json{{"user", user_json(user)}}.dump());
  };
}

Handler delete_current_session(const service::AuthService& auth) {
  return [&auth](Request& request) -> awaitable<Response> {
    require_known_parameters(request, {});
    co_await auth.logout(request.bearer_token);
    co_return no_content(request);
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
    require_known_members(
        body, {"username", "display_name", "password", "roles", "scope", "channels", "active"});
    domain::UserSpec spec;
    spec.username = required_string(body, "username");
    spec.display_name = required_string(body, "display_name");
    std::optional<domain::RoleSet> roles = optional_roles(body);
    if (!roles) domain::throw_malformed("roles", "required");
    spec.roles = *roles;
    spec.scope = optional_scope(body).value_or(domain::Scope{});
    spec.channels = optional_channels(body).value_or(std::vector<domain::Channel>{});
    spec.active = optional_bool(body, "active").value_or(true);
    std::optional<std::string> password = optional_string(body, "password");
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
    require_known_members(body,
                          {"display_name", "password", "roles", "scope", "channels", "active"});
    service::UserPatch patch{optional_string(body, "display_name"),
                             optional_roles(body),
                             optional_scope(body),
                             optional_channels(body),
                             optional_bool(body, "active"),
                             optional_string(body, "password")};
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
    require_known_members(body, {"label", "expires_in_days"});
    std::optional<std::chrono::seconds> ttl;
    if (const json* days = member(body, "expires_in_days")) {
      if (!days->is_number_integer())
        domain::throw_malformed("expires_in_days", "a whole number of days");
      const long long value = days->get<long long>();
      if (value < 1 || value > 3650) domain::throw_invalid("expires_in_days", "from 1 to 3650");
      ttl = std::chrono::seconds{value * 24 * 3600};
    }
    const service::IssuedToken token = co_await auth.create_integration_token(
        request.path_params.at("username"), optional_string(body, "label"), ttl,
        caller_of(request));
    co_return secret_response(request,
                              json{{"id", token.id},
                                   {"token", token.token},
                                   {"token_type", "Bearer"},
                                   {"expires_at", format_rfc3339(token.expires_at)}},
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
