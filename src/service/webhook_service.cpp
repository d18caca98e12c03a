#include "gridcase/service/webhook_service.hpp"

#include <sodium.h>

#include <stdexcept>

#include "gridcase/domain/access.hpp"
#include "gridcase/domain/error.hpp"
#include "gridcase/domain/webhook.hpp"
#include "gridcase/service/audit_service.hpp"
#include "gridcase/service/grid_service.hpp"

namespace gridcase::service {
namespace {

using domain::Error;
using domain::ErrorCode;

constexpr std::string_view kSecretPrefix = "whsec_";
constexpr std::size_t kSecretBytes = 32;

void ensure_sodium() {
  static const bool ready = [] { return sodium_init() >= 0; }();
  if (!ready) throw std::runtime_error("libsodium could not be initialised");
}

[[noreturn]] void throw_unknown_webhook(long long id) {
  throw Error(ErrorCode::kNotFound, "no webhook " + std::to_string(id));
}

void require_page_limit(int limit) {
  if (limit < 1 || limit > kMaxPageLimit)
    domain::throw_invalid("limit", "from 1 to " + std::to_string(kMaxPageLimit));
}

JsonText require_webhook_json(WebhookRepository& webhooks, long long id) {
  std::optional<JsonText> found = webhooks.webhook_json(id);
  if (!found) throw_unknown_webhook(id);
  return std::move(*found);
}

void require_integration(WebhookRepository& webhooks, const std::string& account) {
  switch (webhooks.account(account)) {
    case WebhookAccount::kMissing:
      domain::throw_invalid("account", "no account " + account);
    case WebhookAccount::kNotIntegration:
      domain::throw_invalid("account", account + " is no integration account");
    case WebhookAccount::kIntegration:
      return;
  }
}

std::string audit_key(long long id) { return std::to_string(id); }

}  // namespace

std::string make_webhook_secret() {
  ensure_sodium();
  unsigned char bytes[kSecretBytes];
  randombytes_buf(bytes, sizeof bytes);
  char text[sodium_base64_ENCODED_LEN(kSecretBytes, sodium_base64_VARIANT_ORIGINAL)];
  sodium_bin2base64(text, sizeof text, bytes, sizeof bytes, sodium_base64_VARIANT_ORIGINAL);
  return std::string(kSecretPrefix) + text;
}

std::string sign_webhook(std::string_view secret, std::string_view message_id, long long timestamp,
                         std::string_view body) {
  ensure_sodium();
  const std::string_view encoded =
      secret.starts_with(kSecretPrefix) ? secret.substr(kSecretPrefix.size()) : secret;
  std::string key(encoded.size(), '\0');
  std::size_t key_length = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(key.data()), key.size(), encoded.data(),
                        encoded.size(), nullptr, &key_length, nullptr,
                        sodium_base64_VARIANT_ORIGINAL) != 0) {
    throw std::invalid_argument("a webhook secret that is not base64");
  }
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(key.data()),
                              key_length);
  sodium_memzero(key.data(), key.size());
  const std::string prefix = std::string(message_id) + "." + std::to_string(timestamp) + ".";
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(prefix.data()),
                                prefix.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(body.data()),
                                body.size());
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_final(&state, mac);
  char
      text[sodium_base64_ENCODED_LEN(crypto_auth_hmacsha256_BYTES, sodium_base64_VARIANT_ORIGINAL)];
  sodium_bin2base64(text, sizeof text, mac, sizeof mac, sodium_base64_VARIANT_ORIGINAL);
  return std::string("v1,") + text;
}

void WebhookService::check_target(const std::string& url) const {
  const domain::WebhookTarget target = domain::parse_webhook_target(url);
  if (options_.allow_private_targets) return;
  // A name is checked again on every delivery, address by address (src/outbound): what it
  // resolves to may change. Literals and the names that are loopback by definition (RFC 6761)
  // are refused now.
  const bool local_name = target.host == "localhost" || target.host.ends_with(".localhost");
  if (local_name) {
    domain::throw_invalid("url", "a loopback host: webhooks.allow_private_targets is off");
  }
  if (!target.host_is_ip_literal) return;
  const domain::AddressKind kind = *domain::classify_address(target.host);
  if (!domain::may_connect(kind, false)) {
    domain::throw_invalid("url",
                          "a loopback, private, link-local or reserved address: only public "
                          "receivers (webhooks.allow_private_targets is off)");
  }
}

boost::asio::awaitable<JsonText> WebhookService::create(NewWebhook webhook,
                                                        const domain::Actor& actor) const {
  domain::require_district_admin(actor, "register a webhook");
  if (webhook.account.empty()) domain::throw_invalid("account", "an integration account");
  check_target(webhook.url);
  WebhookRegistration registration;
  registration.events = domain::validate_webhook_events(webhook.events);
  if (webhook.secret) domain::validate_webhook_secret(*webhook.secret);
  registration.secret = webhook.secret ? *webhook.secret : make_webhook_secret();
  registration.account = std::move(webhook.account);
  registration.url = std::move(webhook.url);
  registration.created_by = actor.id;
  JsonText created;
  co_await transactions_.run([&](Repositories& repos) {
    require_integration(repos.webhooks, registration.account);
    const long long id = repos.webhooks.insert(registration);
    record_change(repos.audit, actor.id, domain::AuditAction::kWebhookCreate, audit_key(id),
                  std::nullopt, AuditSubject::kWebhook, {audit_key(id)});
    created = require_webhook_json(repos.webhooks, id);
  });
  // The secret is shown once, in this answer; the JSON ends with "}".
  created.text.pop_back();
  created.text += ",\"secret\":\"" + registration.secret + "\"}";
  co_return created;
}

boost::asio::awaitable<JsonText> WebhookService::list(std::optional<long long> after_id, int limit,
                                                      const domain::Actor& actor) const {
  domain::require_district_admin(actor, "list webhooks");
  require_page_limit(limit);
  JsonText found;
  co_await transactions_.read(
      [&](Repositories& repos) { found = repos.webhooks.list_json(after_id, limit); });
  co_return found;
}

boost::asio::awaitable<JsonText> WebhookService::webhook(long long id,
                                                         const domain::Actor& actor) const {
  domain::require_district_admin(actor, "read a webhook");
  JsonText found;
  co_await transactions_.read(
      [&](Repositories& repos) { found = require_webhook_json(repos.webhooks, id); });
  co_return found;
}

boost::asio::awaitable<JsonText> WebhookService::update(long long id, WebhookPatch patch,
                                                        const domain::Actor& actor) const {
  domain::require_district_admin(actor, "change a webhook");
  if (!patch.url && !patch.events && !patch.active) {
    domain::throw_invalid("url", "a change: url, events or active");
  }
  if (patch.url) check_target(*patch.url);
  if (patch.events) patch.events = domain::validate_webhook_events(*patch.events);
  JsonText updated;
  co_await transactions_.run([&](Repositories& repos) {
    if (!repos.webhooks.lock(id)) throw_unknown_webhook(id);
    std::optional<JsonText> before = repos.audit.snapshot(AuditSubject::kWebhook, {audit_key(id)});
    repos.webhooks.update(id, patch);
    record_change(repos.audit, actor.id, domain::AuditAction::kWebhookUpdate, audit_key(id),
                  std::move(before), AuditSubject::kWebhook, {audit_key(id)});
    updated = require_webhook_json(repos.webhooks, id);
  });
  co_return updated;
}

boost::asio::awaitable<void> WebhookService::remove(long long id,
                                                    const domain::Actor& actor) const {
  domain::require_district_admin(actor, "delete a webhook");
  co_await transactions_.run([&](Repositories& repos) {
    if (!repos.webhooks.lock(id)) throw_unknown_webhook(id);
    std::optional<JsonText> before = repos.audit.snapshot(AuditSubject::kWebhook, {audit_key(id)});
    repos.webhooks.remove(id);
    record_change(repos.audit, actor.id, domain::AuditAction::kWebhookDelete, audit_key(id),
                  std::move(before), AuditSubject::kWebhook, {audit_key(id)});
  });
}

boost::asio::awaitable<JsonText> WebhookService::deliveries(long long id, DeliveryQuery query,
                                                            const domain::Actor& actor) const {
  domain::require_district_admin(actor, "read a webhook's deliveries");
  require_page_limit(query.limit);
  if (query.state && *query.state != "pending" && *query.state != "delivered" &&
      *query.state != "dead") {
    domain::throw_invalid("state", "pending, delivered or dead");
  }
  JsonText found;
  co_await transactions_.read([&](Repositories& repos) {
    if (!repos.webhooks.webhook_json(id)) throw_unknown_webhook(id);
    found = repos.webhooks.deliveries_json(id, query);
  });
  co_return found;
}

boost::asio::awaitable<long long> WebhookService::retry(long long id,
                                                        std::optional<long long> delivery_id,
                                                        const domain::Actor& actor) const {
  domain::require_district_admin(actor, "retry a webhook's deliveries");
  long long retried = 0;
  co_await transactions_.run([&](Repositories& repos) {
    if (!repos.webhooks.lock(id)) throw_unknown_webhook(id);
    const std::optional<long long> count = repos.webhooks.retry(id, delivery_id);
    if (!count) {
      throw Error(ErrorCode::kNotFound, "webhook " + std::to_string(id) + " has no delivery " +
                                            std::to_string(*delivery_id));
    }
    if (delivery_id && *count == 0) {
      throw Error(ErrorCode::kConflict, "delivery " + std::to_string(*delivery_id) +
                                            " is not dead: only dead deliveries are retried");
    }
    retried = *count;
    if (retried > 0) {
      JsonText webhook = repos.audit.snapshot(AuditSubject::kWebhook, {audit_key(id)});
      record_change(repos.audit, actor.id, domain::AuditAction::kWebhookRetry, audit_key(id),
                    std::move(webhook), AuditSubject::kWebhook, {audit_key(id)});
    }
  });
  co_return retried;
}

}  // namespace gridcase::service
