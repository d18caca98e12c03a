#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "gridcase/domain/case.hpp"
#include "gridcase/service/transaction_runner.hpp"
#include "gridcase/service/webhook_repository.hpp"

namespace gridcase::service {

/// The `webhooks` section of the configuration (docs/configuration.md).
struct WebhookOptions {
  bool enabled = true;                        // this process may be the sender
  bool allow_private_targets = false;         // loopback, private and link-local receivers
  std::string ca_file;                        // extra CA certificates (PEM); Debian's bundle always
  std::chrono::milliseconds timeout{10'000};  // per attempt: connect, TLS, request, answer
  std::chrono::milliseconds first_retry{10'000};
  std::chrono::milliseconds longest_retry{3'600'000};
  std::chrono::milliseconds retry_for{86'400'000};  // then the delivery is dead
  std::chrono::milliseconds interval{1'000};        // how often the sender looks for work
  int concurrency = 8;                              // attempts in flight at once
  int keep_delivered_days = 7;
};

/// A webhook as the admin asks for it; the secret is made when none is given.
struct NewWebhook {
  std::string account;
  std::string url;
  std::vector<std::string> events;
  std::optional<std::string> secret;
};

/// Administration of webhooks (docs/integrations.md, "Webhooks"): a district-wide admin
/// registers, changes, deletes them, reads their deliveries and retries dead ones. Every change
/// is one transaction with its admin audit record.
class WebhookService {
 public:
  WebhookService(TransactionRunner& transactions, WebhookOptions options)
      : transactions_(transactions), options_(std::move(options)) {}

  const WebhookOptions& options() const { return options_; }

  /// The webhook as webhook() shows it plus its `secret`, the only answer that shows it.
  /// kInvalidValue: `account` (none, not an integration), `url` (not https, a private address
  /// when those are not allowed), `events`, `secret`.
  boost::asio::awaitable<JsonText> create(NewWebhook webhook, const domain::Actor& actor) const;
  boost::asio::awaitable<JsonText> list(std::optional<long long> after_id, int limit,
                                        const domain::Actor& actor) const;
  /// kNotFound when there is none.
  boost::asio::awaitable<JsonText> webhook(long long id, const domain::Actor& actor) const;
  boost::asio::awaitable<JsonText> update(long long id, WebhookPatch patch,
                                          const domain::Actor& actor) const;
  boost::asio::awaitable<void> remove(long long id, const domain::Actor& actor) const;
  boost::asio::awaitable<JsonText> deliveries(long long id, DeliveryQuery query,
                                              const domain::Actor& actor) const;
  /// Dead deliveries due again now: one, or every dead one of the webhook. Returns how many.
  /// kNotFound for no such webhook or delivery; kConflict for a delivery that is not dead.
  boost::asio::awaitable<long long> retry(long long id, std::optional<long long> delivery_id,
                                          const domain::Actor& actor) const;

 private:
  void check_target(const std::string& url) const;

  TransactionRunner& transactions_;
  WebhookOptions options_;
};

/// A new signing secret: "whsec_" and the base64 of 32 random bytes.
std::string make_webhook_secret();

/// Standard Webhooks' signature of a message: "v1," and the base64 of HMAC-SHA256 under the
/// secret's bytes of "<id>.<timestamp>.<body>".
std::string sign_webhook(std::string_view secret, std::string_view message_id, long long timestamp,
                         std::string_view body);

}  // namespace gridcase::service
