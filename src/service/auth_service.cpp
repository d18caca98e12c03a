#include "gridcase/service/auth_service.hpp"

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <map>

#include "gridcase/service/audit_service.hpp"

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

using domain::AuditAction;

/// Records a change of the user `username` (its state before is `before`) in the audit log.
void record_user_change(Repositories& repos, std::string_view actor, AuditAction action,
                        const std::string& username, std::optional<JsonText> before) {
  record_change(repos.audit, actor, action, username, std::move(before), AuditSubject::kUser,
                {username});
}

/// A password set or replaced is a record of its own: no snapshot shows anything of it.
void record_password_set(Repositories& repos, std::string_view actor, const std::string& username) {
  repos.audit.append(AuditRecord{std::string(actor), AuditAction::kUserPassword, username,
                                 std::nullopt, std::nullopt});
}

std::string user_key(std::string_view username) { return "user:" + std::string(username); }
std::string address_key(std::string_view address) { return "address:" + std::string(address); }

}  // namespace

AuthService::AuthService(TransactionRunner& transactions, const domain::Clock& clock,
                         AuthOptions options)
    : transactions_(transactions),
      clock_(clock),
      options_(options),
      hashing_(static_cast<std::size_t>(options.hashing_threads)) {}

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

AuthService::HashingSlot AuthService::reserve_hashing() const {
  if (hashing_in_use_.fetch_add(1) >= options_.hashing_queue_limit) {
    hashing_in_use_.fetch_sub(1);
    throw Error(ErrorCode::kUnavailable, "too many passwords are being checked; try again shortly",
                {.retry_after = std::chrono::seconds{1}});
  }
  return HashingSlot{nullptr, [this](void*) { hashing_in_use_.fetch_sub(1); }};
}

// Named before co_await: g++ 12 frees temporaries inside a co_await expression too early. The
// slot is held both here, until the answer is back on the caller's side, and by the task, so
// that it is not freed while a hash still runs even if the caller's frame goes first.
boost::asio::awaitable<std::string> AuthService::hash_off_thread(std::string password) const {
  HashingSlot slot = reserve_hashing();
  auto task = [password = std::move(password), cost = options_.password_cost,
               slot]() mutable -> boost::asio::awaitable<std::string> {
    std::string hash = hash_password(password, cost);
    slot.reset();  // before the answer is posted: the caller's copy is the last
    co_return hash;
  };
  boost::asio::awaitable<std::string> on_hashing_thread =
      boost::asio::co_spawn(hashing_, std::move(task), boost::asio::use_awaitable);
  co_return co_await std::move(on_hashing_thread);
}

boost::asio::awaitable<bool> AuthService::verify_off_thread(std::string hash, std::string password,
                                                            HashingSlot slot) const {
  auto task = [hash = std::move(hash), password = std::move(password),
               slot]() mutable -> boost::asio::awaitable<bool> {
    const bool verified = verify_password(hash, password);
    slot.reset();  // before the answer is posted: the caller's copy is the last
    co_return verified;
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
        co_return Authenticated{found->second.actor, found->second.expires_at,
                                found->second.read_only};
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
  const bool read_only = owner->kind == TokenKind::kKiosk;
  if (options_.token_cache.count() > 0) {
    std::lock_guard lock{cache_mutex_};
    if (cache_.size() >= kCacheLimit) cache_.clear();
    cache_.insert_or_assign(digest, Cached{actor, owner->expires_at, now, read_only});
  }
  co_return Authenticated{std::move(actor), owner->expires_at, read_only};
}

boost::asio::awaitable<std::vector<bool>> AuthService::confirm_streams(
    std::vector<OpenStream> streams) const {
  const domain::Timestamp now = clock_.now();
  std::vector<std::string> digests;  // each live-shaped token once
  std::vector<std::string> officers;
  for (const OpenStream& stream : streams) {
    if (!is_token_shaped(stream.token)) continue;
    std::string digest = token_digest(stream.token);
    if (std::find(digests.begin(), digests.end(), digest) == digests.end()) {
      digests.push_back(std::move(digest));
    }
    if (stream.officer_cells) {
      if (std::optional<std::string> officer =
              domain::confine_read(stream.actor.scope, std::nullopt).officer) {
        officers.push_back(std::move(*officer));
      }
    }
  }
  std::vector<TokenOwner> owners;
  std::map<std::string, std::vector<std::string>> cells;
  co_await transactions_.read([&](Repositories& repos) {
    if (!digests.empty()) owners = repos.accounts.find_tokens(digests, now);
    if (!officers.empty()) cells = repos.grid.officer_cells(officers);
  });
  std::unordered_map<std::string, Authenticated> live;  // by digest
  {
    std::lock_guard lock{cache_mutex_};
    for (const TokenOwner& owner : owners) {
      Authenticated found{actor_of(owner.user), owner.expires_at};
      if (options_.token_cache.count() > 0 && cache_.size() < kCacheLimit) {
        cache_.insert_or_assign(owner.digest, Cached{found.actor, owner.expires_at, now});
      }
      live.emplace(owner.digest, std::move(found));
    }
    for (const std::string& digest : digests) {
      if (!live.contains(digest)) cache_.erase(digest);  // refused at once by this process
    }
  }
  std::vector<bool> confirmed(streams.size(), false);
  for (std::size_t i = 0; i < streams.size(); ++i) {
    const OpenStream& stream = streams[i];
    if (!is_token_shaped(stream.token)) continue;
    const auto found = live.find(token_digest(stream.token));
    if (found == live.end() || !domain::is_same_reader(found->second.actor, stream.actor)) continue;
    if (stream.officer_cells) {
      const std::optional<std::string> officer =
          domain::confine_read(stream.actor.scope, std::nullopt).officer;
      const auto now_cells = officer ? cells.find(*officer) : cells.end();
      if (now_cells == cells.end() || now_cells->second != *stream.officer_cells) continue;
    }
    confirmed[i] = true;
  }
  co_return confirmed;
}

boost::asio::awaitable<LoginResult> AuthService::login(std::string username, std::string password,
                                                       std::string address) const {
  domain::require_login_username_length(username);
  // A full queue refuses before anything is counted or read: the attempt checked nothing.
  HashingSlot slot = reserve_hashing();
  const domain::Timestamp now = clock_.now();
  const std::string user = user_key(username);
  const std::string from = address_key(address);
  std::optional<StoredUser> found;
  std::optional<domain::Timestamp> locked_until;
  // Counted before the password is checked, so that concurrent guesses cannot all pass a lock
  // that none of them has recorded yet; a match takes the attempt back below.
  co_await transactions_.run([&](Repositories& repos) {
    locked_until = repos.accounts.count_login_attempt(user, from, now, options_.throttle);
    if (!locked_until && domain::is_username(username)) found = repos.accounts.find_user(username);
  });
  if (locked_until) {
    throw Error(
        ErrorCode::kRateLimited, "too many failed logins; try again later",
        {.retry_after = std::max(std::chrono::seconds{1},
                                 std::chrono::ceil<std::chrono::seconds>(*locked_until - now))});
  }
  const bool usable = found && found->spec.active && found->password_hash;
  // Unknown users cost as much as known ones: the answer's timing does not say which exist.
  std::string hash = usable ? *found->password_hash : decoy_password_hash();
  const bool verified =
      co_await verify_off_thread(std::move(hash), std::move(password), std::move(slot));
  if (!verified || !usable) throw_unauthenticated("wrong username or password");
  const std::string token = new_token();
  const domain::Timestamp expires_at =
      now + std::chrono::duration_cast<std::chrono::milliseconds>(options_.session_ttl);
  long long id = 0;
  co_await transactions_.run([&](Repositories& repos) {
    repos.accounts.undo_login_attempt(user, from);
    id = repos.accounts.insert_token(found->id, TokenKind::kSession, std::nullopt,
                                     token_digest(token), expires_at);
  });
  co_return LoginResult{IssuedToken{token, id, expires_at}, std::move(*found)};
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
  domain::require_unreserved_username(spec.username);
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
      throw Error(ErrorCode::kConflict, "the username " + spec.username + " is taken",
                  {.fields = {{"username", "taken: choose another"}}});
    }
    record_user_change(repos, actor.id, AuditAction::kUserCreate, spec.username, std::nullopt);
    if (hash) record_password_set(repos, actor.id, spec.username);
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
    JsonText before = repos.audit.snapshot(AuditSubject::kUser, {username});
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
    record_user_change(repos, actor.id, AuditAction::kUserUpdate, username, std::move(before));
    if (hash) record_password_set(repos, actor.id, username);
    updated = repos.accounts.find_user(username);
  });
  forget_cached();
  co_return std::move(*updated);
}

boost::asio::awaitable<IssuedToken> AuthService::create_integration_token(
    std::string username, std::optional<std::string> label, std::optional<std::chrono::seconds> ttl,
    const domain::Actor& actor) const {
  co_return co_await create_token(TokenKind::kIntegration, std::move(username), std::move(label),
                                  ttl, actor);
}

boost::asio::awaitable<IssuedToken> AuthService::create_kiosk_token(
    std::string username, std::optional<std::string> label, std::optional<std::chrono::seconds> ttl,
    const domain::Actor& actor) const {
  co_return co_await create_token(TokenKind::kKiosk, std::move(username), std::move(label), ttl,
                                  actor);
}

boost::asio::awaitable<IssuedToken> AuthService::create_token(
    TokenKind kind, std::string username, std::optional<std::string> label,
    std::optional<std::chrono::seconds> ttl, const domain::Actor& actor) const {
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
    const bool integration = owner->spec.roles.contains(domain::Role::kIntegration);
    if (kind == TokenKind::kIntegration && !integration) {
      domain::throw_invalid("username",
                            "integration tokens are for integration users; people sign in");
    }
    if (kind == TokenKind::kKiosk && integration) {
      domain::throw_invalid("username", "kiosk tokens are for people's accounts, read only");
    }
    if (!owner->spec.active) domain::throw_invalid("username", "the user is inactive");
    id = repos.accounts.insert_token(owner->id, kind, label, token_digest(token), expires_at);
    record_change(repos.audit, actor.id, AuditAction::kTokenCreate,
                  username + "/" + std::to_string(id), std::nullopt, AuditSubject::kToken,
                  {std::to_string(id)});
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
    const std::vector<std::string> keys{std::to_string(token_id)};
    JsonText before = repos.audit.snapshot(AuditSubject::kToken, keys);
    if (!repos.accounts.revoke_token(owner->id, token_id, clock_.now())) {
      throw Error(ErrorCode::kNotFound,
                  "no live token " + std::to_string(token_id) + " of " + username);
    }
    record_change(repos.audit, actor.id, AuditAction::kTokenRevoke,
                  username + "/" + std::to_string(token_id), std::move(before),
                  AuditSubject::kToken, keys);
  });
  forget_cached();
}

boost::asio::awaitable<StoredUser> AuthService::upsert_user(
    domain::UserSpec spec, std::optional<std::string> password) const {
  domain::require_valid(spec);
  domain::require_unreserved_username(spec.username);
  if (password) domain::require_password_quality(*password);
  std::optional<std::string> hash;
  if (password) hash = co_await hash_off_thread(*password);
  std::optional<StoredUser> stored;
  co_await transactions_.run([&](Repositories& repos) {
    if (!repos.accounts.scope_exists(spec.scope))
      domain::throw_invalid("scope", "names nothing that exists");
    const std::string cli = domain::command_line_actor().id;
    if (std::optional<StoredUser> current = repos.accounts.find_user(spec.username)) {
      JsonText before = repos.audit.snapshot(AuditSubject::kUser, {spec.username});
      repos.accounts.update_user(current->id, spec, hash);
      repos.accounts.revoke_tokens_of(current->id, clock_.now());
      record_user_change(repos, cli, AuditAction::kUserUpdate, spec.username, std::move(before));
    } else {
      repos.accounts.insert_user(spec, hash);
      record_user_change(repos, cli, AuditAction::kUserCreate, spec.username, std::nullopt);
    }
    if (hash) record_password_set(repos, cli, spec.username);
    stored = repos.accounts.find_user(spec.username);
  });
  co_return std::move(*stored);
}

}  // namespace gridcase::service
