#include "gridcase/service/auth_service.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace gridcase::service {
namespace {

using domain::Error;
using domain::ErrorCode;

constexpr std::size_t kCacheLimit = 10000;

[[noreturn]] void throw_unauthenticated(const std::string& why) {
  throw Error(ErrorCode::kUnauthenticated, why);
}

[[noreturn]] void throw_unknown_user(const std::string& username) {
  throw Error(ErrorCode::kNotFound, "no user " + username);
}

/// The stored user named `username`; kNotFound for a name that is no user.
StoredUser existing_user(Repositories& repos, const std::string& username) {
  std::optional<StoredUser> found;
  if (domain::is_username(username)) found = repos.accounts.find_user(username);
  if (!found) throw_unknown_user(username);
  return std::move(*found);
}

std::string user_key(std::string_view username) { return "user:" + std::string(username); }
std::string address_key(std::string_view address) { return "address:" + std::string(address); }

}  // namespace

AuthService::AuthService(TransactionRunner& transactions, const domain::Clock& clock,
                         AuthOptions options)
    : transactions_(transactions), clock_(clock), options_(options) {}

AuthService::~AuthService() { hashing_.join(); }

domain::Actor AuthService::actor_of(const StoredUser& user) const {
  domain::Actor actor;
  actor.id = user.spec.username;
  actor.roles = user.spec.roles;
  actor.acting_as = user.spec.roles.roles().front();
  actor.scope = user.spec.scope;
  actor.channels = user.spec.channels;
  return actor;
}

void AuthService::forget_cached() const {
  std::lock_guard lock{cache_mutex_};
  cache_.clear();
}

// Named before co_await: g++ 12 frees temporaries inside a co_await expression too early.
boost::asio::awaitable<std::string> AuthService::hash_off_thread(std::string password) const {
  auto task = [password = std::move(password),
               cost = options_.password_cost]() -> boost::asio::awaitable<std::string> {
    co_return hash_password(password, cost);
  };
  boost::asio::awaitable<std::string> on_hashing_thread =
      boost::asio::co_spawn(hashing_, std::move(task), boost::asio::use_awaitable);
  co_return co_await std::move(on_hashing_thread);
}

boost::asio::awaitable<bool> AuthService::verify_off_thread(std::string hash,
                                                            std::string password) const {
  auto task = [hash = std::move(hash),
               password = std::move(password)]() -> boost::asio::awaitable<bool> {
    co_return verify_password(hash, password);
  };
  boost::asio::awaitable<bool> on_hashing_thread =
      boost::asio::co_spawn(hashing_, std::move(task), boost::asio::use_awaitable);
  co_return co_await std::move(on_hashing_thread);
}

boost::asio::awaitable<domain::Actor> AuthService::authenticate(std::string_view token) const {
  co_return (co_await authenticate_until(token)).actor;
}

boost::asio::awaitable<Authenticated> AuthService::authenticate_until(
    std::string_view token) const {
  if (!is_token_shaped(token))
    throw_unauthenticated("the bearer token is not one this server issued");
  const std::string digest = token_digest(token);
  const domain::Timestamp now = clock_.now();
  {
    std::lock_guard lock{cache_mutex_};
    if (auto found = cache_.find(digest); found != cache_.end()) {
      if (now - found->second.cached_at < options_.token_cache && now < found->second.expires_at) {
        co_return Authenticated{found->second.actor, found->second.expires_at};
      }
      cache_.erase(found);
    }
  }
  std::optional<TokenOwner> owner;
  co_await transactions_.read(
      [&](Repositories& repos) { owner = repos.accounts.find_token(digest, now); });
  if (!owner || !equal_in_constant_time(owner->digest, digest)) {
    throw_unauthenticated("the bearer token is unknown, expired or revoked");
  }
  domain::Actor actor = actor_of(owner->user);
  if (options_.token_cache.count() > 0) {
    std::lock_guard lock{cache_mutex_};
    if (cache_.size() >= kCacheLimit) cache_.clear();
    cache_.insert_or_assign(digest, Cached{actor, owner->expires_at, now});
  }
  co_return Authenticated{std::move(actor), owner->expires_at};
}

boost::asio::awaitable<std::vector<std::optional<Authenticated>>> AuthService::confirm(
    std::vector<std::string> tokens) const {
  const domain::Timestamp now = clock_.now();
  std::vector<std::string> digests;
  digests.reserve(tokens.size());
  for (const std::string& token : tokens) {
    digests.push_back(is_token_shaped(token) ? token_digest(token) : std::string{});
  }
  std::vector<std::optional<TokenOwner>> owners(tokens.size());
  co_await transactions_.read([&](Repositories& repos) {
    for (std::size_t i = 0; i < digests.size(); ++i) {
      if (!digests[i].empty()) owners[i] = repos.accounts.find_token(digests[i], now);
    }
  });
  std::vector<std::optional<Authenticated>> confirmed(tokens.size());
  {
    std::lock_guard lock{cache_mutex_};
    for (std::size_t i = 0; i < digests.size(); ++i) {
      const std::optional<TokenOwner>& owner = owners[i];
      if (!owner || !equal_in_constant_time(owner->digest, digests[i])) {
        cache_.erase(digests[i]);  // refused at once by this process from now on
        continue;
      }
      confirmed[i] = Authenticated{actor_of(owner->user), owner->expires_at};
      if (options_.token_cache.count() > 0 && cache_.size() < kCacheLimit) {
        cache_.insert_or_assign(digests[i], Cached{confirmed[i]->actor, owner->expires_at, now});
      }
    }
  }
  co_return confirmed;
}

boost::asio::awaitable<LoginResult> AuthService::login(std::string username, std::string password,
                                                       std::string address) const {
  const domain::Timestamp now = clock_.now();
  std::optional<StoredUser> user;
  std::optional<std::chrono::seconds> locked;
  co_await transactions_.read([&](Repositories& repos) {
    for (const std::string& key : {user_key(username), address_key(address)}) {
      if (auto wait = domain::locked_for(repos.accounts.failures(key), now);
          wait && (!locked || *wait > *locked)) {
        locked = wait;
      }
    }
    if (!locked && domain::is_username(username)) user = repos.accounts.find_user(username);
  });
  if (locked) {
    throw Error(ErrorCode::kRateLimited, "too many failed logins; try again later",
                {.retry_after = *locked});
  }
  const bool usable = user && user->spec.active && user->password_hash;
  // Unknown users cost as much as known ones: the answer's timing does not say which exist.
  std::string hash = usable ? *user->password_hash : decoy_password_hash();
  const bool verified = co_await verify_off_thread(std::move(hash), std::move(password));
  const bool matched = verified && usable;
  if (!matched) {
    co_await transactions_.run([&](Repositories& repos) {
      for (const std::string& key : {user_key(username), address_key(address)}) {
        repos.accounts.store_failures(
            key, domain::after_failure(repos.accounts.failures(key), now, options_.throttle));
      }
    });
    throw_unauthenticated("wrong username or password");
  }
  const std::string token = new_token();
  const domain::Timestamp expires_at =
      now + std::chrono::duration_cast<std::chrono::milliseconds>(options_.session_ttl);
  long long id = 0;
  co_await transactions_.run([&](Repositories& repos) {
    repos.accounts.clear_failures(user_key(username));
    id = repos.accounts.insert_token(user->id, TokenKind::kSession, std::nullopt,
                                     token_digest(token), expires_at);
  });
  co_return LoginResult{IssuedToken{token, id, expires_at}, std::move(*user)};
}

boost::asio::awaitable<void> AuthService::logout(std::string_view token) const {
  const std::string digest = token_digest(token);
  const domain::Timestamp now = clock_.now();
  co_await transactions_.run([&](Repositories& repos) {
    if (std::optional<TokenOwner> owner = repos.accounts.find_token(digest, now)) {
      repos.accounts.revoke_token(owner->user.id, owner->token_id, now);
    }
  });
  std::lock_guard lock{cache_mutex_};
  cache_.erase(digest);
}

boost::asio::awaitable<StoredUser> AuthService::whoami(const domain::Actor& actor) const {
  std::optional<StoredUser> user;
  co_await transactions_.read(
      [&](Repositories& repos) { user = repos.accounts.find_user(actor.id); });
  if (!user) throw_unauthenticated("the account is gone");
  co_return std::move(*user);
}

void AuthService::require_admin(const domain::Actor& actor) const {
  domain::require_district_admin(actor, "manage accounts");
}

boost::asio::awaitable<std::vector<StoredUser>> AuthService::users(
    const domain::Actor& actor) const {
  require_admin(actor);
  std::vector<StoredUser> found;
  co_await transactions_.read([&](Repositories& repos) { found = repos.accounts.list_users(); });
  co_return found;
}

boost::asio::awaitable<StoredUser> AuthService::user(std::string username,
                                                     const domain::Actor& actor) const {
  require_admin(actor);
  std::optional<StoredUser> found;
  co_await transactions_.read([&](Repositories& repos) { found = existing_user(repos, username); });
  co_return std::move(*found);
}

boost::asio::awaitable<StoredUser> AuthService::create_user(domain::UserSpec spec,
                                                            std::optional<std::string> password,
                                                            const domain::Actor& actor) const {
  require_admin(actor);
  domain::require_valid(spec);
  if (password) domain::require_password_quality(*password);
  if (!password && !spec.roles.contains(domain::Role::kIntegration)) {
    domain::throw_invalid("password", "required for every user but an integration");
  }
  if (password && spec.roles.contains(domain::Role::kIntegration)) {
    domain::throw_invalid("password", "an integration signs in with tokens only");
  }
  std::optional<std::string> hash;
  if (password) hash = co_await hash_off_thread(*password);
  std::optional<StoredUser> created;
  co_await transactions_.run([&](Repositories& repos) {
    if (!repos.accounts.scope_exists(spec.scope))
      domain::throw_invalid("scope", "names nothing that exists");
    if (!repos.accounts.insert_user(spec, hash)) {
      throw Error(ErrorCode::kConflict, "the username " + spec.username + " is taken");
    }
    created = repos.accounts.find_user(spec.username);
  });
  co_return std::move(*created);
}

boost::asio::awaitable<StoredUser> AuthService::update_user(std::string username, UserPatch patch,
                                                            const domain::Actor& actor) const {
  require_admin(actor);
  if (patch.password) domain::require_password_quality(*patch.password);
  std::optional<std::string> hash;
  if (patch.password) hash = co_await hash_off_thread(*patch.password);
  std::optional<StoredUser> updated;
  co_await transactions_.run([&](Repositories& repos) {
    const std::optional<StoredUser> current = existing_user(repos, username);
    domain::UserSpec spec = current->spec;
    if (patch.display_name) spec.display_name = *patch.display_name;
    if (patch.roles) spec.roles = *patch.roles;
    if (patch.scope) spec.scope = *patch.scope;
    if (patch.channels) spec.channels = *patch.channels;
    if (patch.active) spec.active = *patch.active;
    domain::require_valid(spec);
    if (hash && spec.roles.contains(domain::Role::kIntegration)) {
      domain::throw_invalid("password", "an integration signs in with tokens only");
    }
    if (spec.username == actor.id && (!spec.active || !spec.roles.contains(domain::Role::kAdmin))) {
      domain::throw_invalid("roles", "an admin cannot demote or deactivate themself");
    }
    if (!repos.accounts.scope_exists(spec.scope))
      domain::throw_invalid("scope", "names nothing that exists");
    repos.accounts.update_user(current->id, spec, hash);
    const bool narrowed = hash || !spec.active || spec.roles != current->spec.roles ||
                          !(spec.scope == current->spec.scope) ||
                          spec.channels != current->spec.channels;
    if (narrowed) repos.accounts.revoke_tokens_of(current->id, clock_.now());
    updated = repos.accounts.find_user(username);
  });
  forget_cached();
  co_return std::move(*updated);
}

boost::asio::awaitable<IssuedToken> AuthService::create_integration_token(
    std::string username, std::optional<std::string> label, std::optional<std::chrono::seconds> ttl,
    const domain::Actor& actor) const {
  require_admin(actor);
  if (label && (label->empty() || label->size() > 100 || !domain::is_single_line_text(*label))) {
    domain::throw_invalid("label", "1 to 100 bytes on one line, no control characters");
  }
  const std::chrono::seconds lifetime = ttl.value_or(options_.integration_ttl);
  if (lifetime.count() < 60 || lifetime > options_.max_integration_ttl) {
    domain::throw_invalid("expires_in_days", "from 1 day to the configured maximum");
  }
  const domain::Timestamp now = clock_.now();
  const std::string token = new_token();
  const domain::Timestamp expires_at =
      now + std::chrono::duration_cast<std::chrono::milliseconds>(lifetime);
  long long id = 0;
  co_await transactions_.run([&](Repositories& repos) {
    const std::optional<StoredUser> owner = existing_user(repos, username);
    if (!owner->spec.roles.contains(domain::Role::kIntegration)) {
      domain::throw_invalid("username",
                            "integration tokens are for integration users; people sign in");
    }
    if (!owner->spec.active) domain::throw_invalid("username", "the user is inactive");
    id = repos.accounts.insert_token(owner->id, TokenKind::kIntegration, label, token_digest(token),
                                     expires_at);
  });
  co_return IssuedToken{token, id, expires_at};
}

boost::asio::awaitable<std::vector<TokenRecord>> AuthService::tokens(
    std::string username, const domain::Actor& actor) const {
  require_admin(actor);
  std::vector<TokenRecord> found;
  co_await transactions_.read([&](Repositories& repos) {
    found = repos.accounts.list_tokens(existing_user(repos, username).id);
  });
  co_return found;
}

boost::asio::awaitable<void> AuthService::revoke_token(std::string username, long long token_id,
                                                       const domain::Actor& actor) const {
  require_admin(actor);
  co_await transactions_.run([&](Repositories& repos) {
    const std::optional<StoredUser> owner = existing_user(repos, username);
    if (!repos.accounts.revoke_token(owner->id, token_id, clock_.now())) {
      throw Error(ErrorCode::kNotFound,
                  "no live token " + std::to_string(token_id) + " of " + username);
    }
  });
  forget_cached();
}

boost::asio::awaitable<StoredUser> AuthService::upsert_user(
    domain::UserSpec spec, std::optional<std::string> password) const {
  domain::require_valid(spec);
  if (password) domain::require_password_quality(*password);
  std::optional<std::string> hash;
  if (password) hash = co_await hash_off_thread(*password);
  std::optional<StoredUser> stored;
  co_await transactions_.run([&](Repositories& repos) {
    if (!repos.accounts.scope_exists(spec.scope))
      domain::throw_invalid("scope", "names nothing that exists");
    if (std::optional<StoredUser> current = repos.accounts.find_user(spec.username)) {
      repos.accounts.update_user(current->id, spec, hash);
      repos.accounts.revoke_tokens_of(current->id, clock_.now());
    } else {
      repos.accounts.insert_user(spec, hash);
    }
    stored = repos.accounts.find_user(spec.username);
  });
  co_return std::move(*stored);
}

}  // namespace gridcase::service
