#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gridcase/domain/access.hpp"
#include "gridcase/domain/enum_names.hpp"

namespace gridcase::service {

/// A user as stored.
struct StoredUser {
  long long id = 0;
  domain::UserSpec spec;
  std::optional<std::string> password_hash;
  domain::Timestamp created_at;
  domain::Timestamp updated_at;
};

/// A kiosk token (a wall screen's, docs/security.md) only reads: any request that changes
/// something is refused with it.
enum class TokenKind { kSession, kIntegration, kKiosk };

inline constexpr domain::EnumNames<TokenKind, 3> kTokenKindNames{{
    {TokenKind::kSession, "session"},
    {TokenKind::kIntegration, "integration"},
    {TokenKind::kKiosk, "kiosk"},
}};
static_assert(domain::covers_every_value(kTokenKindNames));

inline std::string_view to_string(TokenKind kind) { return domain::name_of(kTokenKindNames, kind); }
inline std::optional<TokenKind> parse_token_kind(std::string_view text) {
  return domain::value_named(kTokenKindNames, text);
}

/// A bearer token as an admin sees it: never the token itself.
struct TokenRecord {
  long long id = 0;
  TokenKind kind = TokenKind::kSession;
  std::optional<std::string> label;
  domain::Timestamp created_at;
  domain::Timestamp expires_at;
  std::optional<domain::Timestamp> revoked_at;
};

/// A live token (not revoked, not expired, its user active) with its user.
struct TokenOwner {
  long long token_id = 0;
  std::string digest;  // SHA-256 in lowercase hex, as stored
  domain::Timestamp expires_at;
  StoredUser user;
  TokenKind kind = TokenKind::kSession;
};

class AccountRepository {
 public:
  virtual ~AccountRepository() = default;
  virtual std::optional<StoredUser> find_user(std::string_view username) = 0;
  virtual std::vector<StoredUser> list_users() = 0;
  /// False when the scope names a grid node, unit or officer that does not exist.
  virtual bool scope_exists(const domain::Scope& scope) = 0;
  /// False (nothing written) when the username is taken.
  virtual bool insert_user(const domain::UserSpec& user,
                           const std::optional<std::string>& password_hash) = 0;
  /// Replaces the user's fields; the password only when `password_hash` is set.
  virtual void update_user(long long user_id, const domain::UserSpec& user,
                           const std::optional<std::string>& password_hash) = 0;
  virtual long long insert_token(long long user_id, TokenKind kind,
                                 const std::optional<std::string>& label, std::string_view digest,
                                 domain::Timestamp expires_at) = 0;
  /// The live token with this digest at `now`, or nullopt.
  virtual std::optional<TokenOwner> find_token(std::string_view digest, domain::Timestamp now) = 0;
  /// The live tokens among `digests` at `now`, in one read, in no particular order (a digest
  /// that names no live token has no entry).
  virtual std::vector<TokenOwner> find_tokens(const std::vector<std::string>& digests,
                                              domain::Timestamp now) = 0;
  virtual std::vector<TokenRecord> list_tokens(long long user_id) = 0;
  /// Revokes one of the user's tokens; false when the user has no such unrevoked token.
  virtual bool revoke_token(long long user_id, long long token_id, domain::Timestamp now) = 0;
  virtual void revoke_tokens_of(long long user_id, domain::Timestamp now) = 0;
  /// Counts one login attempt against the records of a username and of an address ("user:<name>",
  /// "address:<ip>") at once, before its password is checked: nullopt when it is counted and
  /// may be checked, else when the lock that refuses it ends (a refused attempt is not counted).
  virtual std::optional<domain::Timestamp> count_login_attempt(
      std::string_view user_key, std::string_view address_key, domain::Timestamp now,
      const domain::LoginThrottle& throttle) = 0;
  /// Takes a counted attempt back once its password matched: the username's record is cleared,
  /// the address's count loses this attempt (and any lock it brought).
  virtual void undo_login_attempt(std::string_view user_key, std::string_view address_key) = 0;
};

}  // namespace gridcase::service
