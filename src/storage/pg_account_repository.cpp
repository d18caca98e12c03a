#include "pg_account_repository.hpp"

#include <pqxx/pqxx>
#include <sstream>

#include "pg_values.hpp"

namespace gridcase::storage {
namespace {

constexpr const char* kUserColumns = R"sql(
  u.id, u.username, u.display_name, u.password_hash, array_to_string(u.roles, ','), u.scope_kind,
  u.scope_code, array_to_string(u.channels, ','), u.active,
  (extract(epoch FROM u.created_at) * 1000)::bigint, (extract(epoch FROM u.updated_at) * 1000)::bigint)sql";

const std::string kFindUser =
    std::string("SELECT") + kUserColumns + " FROM users u WHERE u.username = $1";
const std::string kListUsers =
    std::string("SELECT") + kUserColumns + " FROM users u ORDER BY u.username";

constexpr const char* kScopeExists = R"sql(
  SELECT CASE $1::text
    WHEN 'grid' THEN EXISTS (SELECT 1 FROM grid_nodes WHERE code = $2)
    WHEN 'unit' THEN EXISTS (SELECT 1 FROM units WHERE code = $2 AND active)
    WHEN 'officer' THEN EXISTS (SELECT 1 FROM officers WHERE code = $2 AND active)
    ELSE true END)sql";

constexpr const char* kInsertUser = R"sql(
  INSERT INTO users (username, display_name, password_hash, roles, scope_kind, scope_code, channels, active)
  VALUES ($1, $2, $3, string_to_array($4, ','), $5, $6, string_to_array($7, ','), $8)
  ON CONFLICT (username) DO NOTHING
  RETURNING id)sql";

constexpr const char* kUpdateUser = R"sql(
  UPDATE users SET display_name = $2, password_hash = coalesce($3, password_hash),
                   roles = string_to_array($4, ','), scope_kind = $5, scope_code = $6,
                   channels = string_to_array($7, ','), active = $8, updated_at = now()
  WHERE id = $1)sql";

constexpr const char* kInsertToken = R"sql(
  INSERT INTO auth_tokens (user_id, kind, label, digest, expires_at)
  VALUES ($1, $2, $3, decode($4, 'hex'), to_timestamp($5::bigint / 1000.0))
  RETURNING id)sql";

const std::string kFindToken = std::string(R"sql(
  SELECT t.id, encode(t.digest, 'hex'), (extract(epoch FROM t.expires_at) * 1000)::bigint, t.kind,)sql") +
                               kUserColumns + R"sql(
  FROM auth_tokens t JOIN users u ON u.id = t.user_id
  WHERE t.digest = decode($1, 'hex') AND t.revoked_at IS NULL
    AND t.expires_at > to_timestamp($2::bigint / 1000.0) AND u.active)sql";

const std::string kFindTokens = std::string(R"sql(
  SELECT t.id, encode(t.digest, 'hex'), (extract(epoch FROM t.expires_at) * 1000)::bigint, t.kind,)sql") +
                                kUserColumns + R"sql(
  FROM auth_tokens t JOIN users u ON u.id = t.user_id
  WHERE t.digest = ANY (ARRAY(SELECT decode(d, 'hex') FROM unnest($1::text[]) d))
    AND t.revoked_at IS NULL AND t.expires_at > to_timestamp($2::bigint / 1000.0) AND u.active)sql";

constexpr const char* kListTokens = R"sql(
  SELECT id, kind, label, (extract(epoch FROM created_at) * 1000)::bigint,
         (extract(epoch FROM expires_at) * 1000)::bigint, (extract(epoch FROM revoked_at) * 1000)::bigint
  FROM auth_tokens WHERE user_id = $1 ORDER BY id DESC LIMIT 200)sql";

constexpr const char* kRevokeToken = R"sql(
  UPDATE auth_tokens SET revoked_at = to_timestamp($3::bigint / 1000.0)
  WHERE user_id = $1 AND id = $2 AND revoked_at IS NULL)sql";

constexpr const char* kRevokeTokensOf = R"sql(
  UPDATE auth_tokens SET revoked_at = to_timestamp($2::bigint / 1000.0)
  WHERE user_id = $1 AND revoked_at IS NULL)sql";

constexpr const char* kCountLoginAttempt = R"sql(
  SELECT (extract(epoch FROM gridcase_count_login_attempt($1, $2, to_timestamp($3::bigint / 1000.0),
            $4::int, $5::int, $6::bigint * interval '1 second', $7::bigint * interval '1 second'))
          * 1000)::bigint)sql";

constexpr const char* kUndoLoginAttempt = "SELECT gridcase_undo_login_attempt($1, $2)";

std::vector<std::string> split(const std::string& text) {
  std::vector<std::string> parts;
  std::stringstream stream{text};
  for (std::string part; std::getline(stream, part, ',');) {
    if (!part.empty()) parts.push_back(part);
  }
  return parts;
}

std::string join(const std::vector<std::string>& parts) {
  std::string text;
  for (const std::string& part : parts) text += (text.empty() ? "" : ",") + part;
  return text;
}

std::string roles_text(domain::RoleSet roles) {
  std::vector<std::string> names;
  for (domain::Role role : roles.roles()) names.emplace_back(domain::to_string(role));
  return join(names);
}

std::string channels_text(const std::vector<domain::Channel>& channels) {
  std::vector<std::string> names;
  names.reserve(channels.size());
  for (domain::Channel channel : channels) names.emplace_back(domain::to_string(channel));
  return join(names);
}

/// Reads kUserColumns starting at column `first`.
service::TokenKind token_kind_of(const pqxx::field& field) {
  return service::parse_token_kind(field.as<std::string>()).value_or(service::TokenKind::kSession);
}

service::StoredUser user_of(const pqxx::row& row, int first) {
  service::StoredUser user;
  user.id = row[first].as<long long>();
  user.spec.username = row[first + 1].as<std::string>();
  user.spec.display_name = row[first + 2].as<std::string>();
  user.password_hash = optional_text_of(row[first + 3]);
  for (const std::string& name : split(row[first + 4].as<std::string>())) {
    if (auto role = domain::parse_role(name)) user.spec.roles.insert(*role);
  }
  user.spec.scope.kind = domain::parse_scope_kind(row[first + 5].as<std::string>())
                             .value_or(domain::ScopeKind::kDistrict);
  user.spec.scope.code = optional_text_of(row[first + 6]).value_or("");
  for (const std::string& name : split(row[first + 7].as<std::string>())) {
    if (auto channel = domain::parse_channel(name)) user.spec.channels.push_back(*channel);
  }
  user.spec.active = row[first + 8].as<bool>();
  user.created_at = timestamp_of(row[first + 9]);
  user.updated_at = timestamp_of(row[first + 10]);
  return user;
}

std::optional<std::string> scope_code(const domain::Scope& scope) {
  if (scope.kind == domain::ScopeKind::kDistrict) return std::nullopt;
  return scope.code;
}

}  // namespace

std::optional<service::StoredUser> PgAccountRepository::find_user(std::string_view username) {
  const pqxx::result rows = tx_.exec_params(kFindUser, std::string(username));
  if (rows.empty()) return std::nullopt;
  return user_of(rows[0], 0);
}

std::vector<service::StoredUser> PgAccountRepository::list_users() {
  std::vector<service::StoredUser> users;
  for (const pqxx::row& row : tx_.exec(kListUsers)) users.push_back(user_of(row, 0));
  return users;
}

bool PgAccountRepository::scope_exists(const domain::Scope& scope) {
  return tx_.exec_params1(kScopeExists, std::string(domain::to_string(scope.kind)), scope.code)[0]
      .as<bool>();
}

bool PgAccountRepository::insert_user(const domain::UserSpec& user,
                                      const std::optional<std::string>& password_hash) {
  const std::optional<std::string> code = scope_code(user.scope);
  const pqxx::result rows =
      tx_.exec_params(kInsertUser, user.username, user.display_name, nullable(password_hash),
                      roles_text(user.roles), std::string(domain::to_string(user.scope.kind)),
                      nullable(code), channels_text(user.channels), user.active);
  return !rows.empty();
}

void PgAccountRepository::update_user(long long user_id, const domain::UserSpec& user,
                                      const std::optional<std::string>& password_hash) {
  const std::optional<std::string> code = scope_code(user.scope);
  tx_.exec_params(kUpdateUser, user_id, user.display_name, nullable(password_hash),
                  roles_text(user.roles), std::string(domain::to_string(user.scope.kind)),
                  nullable(code), channels_text(user.channels), user.active);
}

long long PgAccountRepository::insert_token(long long user_id, service::TokenKind kind,
                                            const std::optional<std::string>& label,
                                            std::string_view digest, domain::Timestamp expires_at) {
  return tx_
      .exec_params1(kInsertToken, user_id, std::string(to_string(kind)), nullable(label),
                    std::string(digest), epoch_ms(expires_at))[0]
      .as<long long>();
}

std::optional<service::TokenOwner> PgAccountRepository::find_token(std::string_view digest,
                                                                   domain::Timestamp now) {
  const pqxx::result rows = tx_.exec_params(kFindToken, std::string(digest), epoch_ms(now));
  if (rows.empty()) return std::nullopt;
  const pqxx::row& row = rows[0];
  return service::TokenOwner{row[0].as<long long>(), row[1].as<std::string>(), timestamp_of(row[2]),
                             user_of(row, 4), token_kind_of(row[3])};
}

std::vector<service::TokenOwner> PgAccountRepository::find_tokens(
    const std::vector<std::string>& digests, domain::Timestamp now) {
  std::vector<service::TokenOwner> owners;
  for (const pqxx::row& row : tx_.exec_params(kFindTokens, text_array(digests), epoch_ms(now))) {
    owners.push_back(service::TokenOwner{row[0].as<long long>(), row[1].as<std::string>(),
                                         timestamp_of(row[2]), user_of(row, 4),
                                         token_kind_of(row[3])});
  }
  return owners;
}

std::vector<service::TokenRecord> PgAccountRepository::list_tokens(long long user_id) {
  std::vector<service::TokenRecord> tokens;
  for (const pqxx::row& row : tx_.exec_params(kListTokens, user_id)) {
    tokens.push_back(service::TokenRecord{row[0].as<long long>(),
                                          *service::parse_token_kind(row[1].as<std::string>()),
                                          optional_text_of(row[2]), timestamp_of(row[3]),
                                          timestamp_of(row[4]), optional_timestamp_of(row[5])});
  }
  return tokens;
}

bool PgAccountRepository::revoke_token(long long user_id, long long token_id,
                                       domain::Timestamp now) {
  return tx_.exec_params(kRevokeToken, user_id, token_id, epoch_ms(now)).affected_rows() == 1;
}

void PgAccountRepository::revoke_tokens_of(long long user_id, domain::Timestamp now) {
  tx_.exec_params(kRevokeTokensOf, user_id, epoch_ms(now));
}

std::optional<domain::Timestamp> PgAccountRepository::count_login_attempt(
    std::string_view user_key, std::string_view address_key, domain::Timestamp now,
    const domain::LoginThrottle& throttle) {
  return optional_timestamp_of(
      tx_.exec_params1(kCountLoginAttempt, std::string(user_key), std::string(address_key),
                       epoch_ms(now), throttle.max_failures, throttle.max_address_failures,
                       static_cast<long long>(throttle.window.count()),
                       static_cast<long long>(throttle.lockout.count()))[0]);
}

void PgAccountRepository::undo_login_attempt(std::string_view user_key,
                                             std::string_view address_key) {
  tx_.exec_params(kUndoLoginAttempt, std::string(user_key), std::string(address_key));
}

}  // namespace gridcase::storage
