#pragma once

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/thread_pool.hpp>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "gridcase/domain/access.hpp"
#include "gridcase/domain/clock.hpp"
#include "gridcase/service/account_repository.hpp"
#include "gridcase/service/credentials.hpp"
#include "gridcase/service/transaction_runner.hpp"

namespace gridcase::service {

struct AuthOptions {
  std::chrono::seconds session_ttl{12 * 3600};            // a login's token lives a shift
  std::chrono::seconds integration_ttl{365 * 24 * 3600};  // default for integration tokens
  std::chrono::seconds max_integration_ttl{2 * 365 * 24 * 3600};
  /// How long a process trusts a token it has looked up. A revocation made through another
  /// process takes effect here after at most this long; 0 looks every request up.
  std::chrono::milliseconds token_cache{2000};
  domain::LoginThrottle throttle;
  PasswordCost password_cost = PasswordCost::kInteractive;
  /// Threads that hash and check passwords (argon2id: tens of milliseconds and 64 MiB each).
  int hashing_threads = 2;
  /// Passwords being hashed or checked, or waiting for a thread, at once. One more is refused
  /// with kUnavailable (a retry_after) before it is counted or queued: a flood of logins cannot
  /// make every login wait minutes behind it.
  int hashing_queue_limit = 16;
};

/// The caller behind a live bearer token, and when that token expires.
struct Authenticated {
  domain::Actor actor;
  domain::Timestamp expires_at;
  bool read_only = false;  // a kiosk token: it changes nothing
};

/// An open event stream as it was allowed when it opened.
struct OpenStream {
  std::string token;    // the bearer token it was opened with
  domain::Actor actor;  // the caller then
  /// An officer's stream (domain::confine_read gave an officer): the cells it shows.
  std::optional<std::vector<std::string>> officer_cells;
};

struct IssuedToken {
  std::string token;  // shown once, never stored
  long long id = 0;
  domain::Timestamp expires_at;
};

struct LoginResult {
  IssuedToken token;
  StoredUser user;
};

/// What an admin may change of a user; unset fields stay.
struct UserPatch {
  std::optional<std::string> display_name;
  std::optional<domain::RoleSet> roles;
  std::optional<domain::Scope> scope;
  std::optional<std::vector<domain::Channel>> channels;
  std::optional<bool> active;
  std::optional<std::string> password;
};

/// Accounts, logins and bearer tokens (docs/security.md). Admin operations check the caller's
/// role here, once; the HTTP layer only authenticates.
class AuthService {
 public:
  AuthService(TransactionRunner& transactions, const domain::Clock& clock, AuthOptions options);
  ~AuthService();
  AuthService(const AuthService&) = delete;
  AuthService& operator=(const AuthService&) = delete;

  /// The caller behind a bearer token. Throws kUnauthenticated for a token that is malformed,
  /// unknown, expired or revoked, or whose user is inactive.
  boost::asio::awaitable<domain::Actor> authenticate(std::string_view token) const;
  /// authenticate(), with the token's expiry.
  boost::asio::awaitable<Authenticated> authenticate_until(std::string_view token) const;
  /// For each stream, whether it may go on as it was opened, by what the database says now
  /// whatever the cache holds (the cache is brought up to date): its token still live, the same
  /// caller (domain::is_same_reader), and for an officer's stream the officer's current cells
  /// the ones it shows. One read for them all (one query for the tokens, one for the officers'
  /// cells): what holds long-lived event streams to what their callers may read now.
  boost::asio::awaitable<std::vector<bool>> confirm_streams(std::vector<OpenStream> streams) const;
  /// Throws kInvalidValue for a username longer than any username, kUnavailable (with
  /// retry_after) when the hashing queue is full, kRateLimited (with retry_after) while the user
  /// or the address is locked out, and kUnauthenticated for a wrong username or password (the
  /// same answer for both). The attempt is counted before its password is checked.
  boost::asio::awaitable<LoginResult> login(std::string username, std::string password,
                                            std::string address) const;
  /// Revokes the token the caller authenticated with.
  boost::asio::awaitable<void> logout(std::string_view token) const;
  /// The caller's own account.
  boost::asio::awaitable<StoredUser> whoami(const domain::Actor& actor) const;

  // Administration: every one refuses (kForbidden) a caller who is not a district-wide admin.
  boost::asio::awaitable<std::vector<StoredUser>> users(const domain::Actor& actor) const;
  boost::asio::awaitable<StoredUser> user(std::string username, const domain::Actor& actor) const;
  /// Validates (domain::require_valid, not a reserved name, the scope's target exists, the
  /// password's quality) and stores. kConflict when the username is taken.
  boost::asio::awaitable<StoredUser> create_user(domain::UserSpec spec,
                                                 std::optional<std::string> password,
                                                 const domain::Actor& actor) const;
  /// Deactivating a user or changing their password, roles or scope revokes their tokens.
  boost::asio::awaitable<StoredUser> update_user(std::string username, UserPatch patch,
                                                 const domain::Actor& actor) const;
  /// A token for an integration user (kInvalidValue for another kind of user).
  boost::asio::awaitable<IssuedToken> create_integration_token(
      std::string username, std::optional<std::string> label,
      std::optional<std::chrono::seconds> ttl, const domain::Actor& actor) const;
  /// A kiosk token (a wall screen's, docs/security.md): the account's roles and scope, read
  /// only, living `ttl` (default and bounds as integration tokens), revoked like any token. For
  /// an active person's account (kInvalidValue, field `username`, for an integration).
  boost::asio::awaitable<IssuedToken> create_kiosk_token(std::string username,
                                                         std::optional<std::string> label,
                                                         std::optional<std::chrono::seconds> ttl,
                                                         const domain::Actor& actor) const;
  boost::asio::awaitable<std::vector<TokenRecord>> tokens(std::string username,
                                                          const domain::Actor& actor) const;
  boost::asio::awaitable<void> revoke_token(std::string username, long long token_id,
                                            const domain::Actor& actor) const;

  /// Bootstrap (`gridcase user add`, seed-demo): creates a user, or replaces an existing one's
  /// fields and password (revoking their tokens), without a caller: for the command line only.
  /// The audit log records it as done by `cli`.
  boost::asio::awaitable<StoredUser> upsert_user(domain::UserSpec spec,
                                                 std::optional<std::string> password) const;

 private:
  boost::asio::awaitable<IssuedToken> create_token(TokenKind kind, std::string username,
                                                   std::optional<std::string> label,
                                                   std::optional<std::chrono::seconds> ttl,
                                                   const domain::Actor& actor) const;
  struct Cached {
    domain::Actor actor;
    domain::Timestamp expires_at;
    domain::Timestamp cached_at;
    bool read_only = false;
  };
  /// One place among the passwords being hashed or checked (AuthOptions::hashing_queue_limit),
  /// given back when the last owner lets go: the caller once the answer is back, or the task.
  using HashingSlot = std::shared_ptr<void>;
  /// Throws kUnavailable when every place is taken.
  HashingSlot reserve_hashing() const;
  void forget_cached() const;
  boost::asio::awaitable<std::string> hash_off_thread(std::string password) const;
  boost::asio::awaitable<bool> verify_off_thread(std::string hash, std::string password,
                                                 HashingSlot slot) const;
  void require_admin(const domain::Actor& actor) const;
  domain::Actor actor_of(const StoredUser& user) const;

  TransactionRunner& transactions_;
  const domain::Clock& clock_;
  const AuthOptions options_;
  // argon2id takes tens of milliseconds and 64 MiB: never on an I/O or database thread.
  mutable boost::asio::thread_pool hashing_;
  mutable std::atomic<int> hashing_in_use_{0};
  mutable std::mutex cache_mutex_;
  mutable std::unordered_map<std::string, Cached> cache_;  // by token digest
};

}  // namespace gridcase::service
