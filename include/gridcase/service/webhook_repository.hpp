#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gridcase/service/repositories.hpp"

namespace gridcase::service {

/// A webhook as an admin registers it (POST /api/v1/webhooks), validated.
struct WebhookRegistration {
  std::string account;
  std::string url;
  std::vector<std::string> events;
  std::string secret;
  std::string created_by;
};

/// PATCH /api/v1/webhooks/{id}: what is given changes.
struct WebhookPatch {
  std::optional<std::string> url;
  std::optional<std::vector<std::string>> events;
  std::optional<bool> active;
};

/// What an account named for a webhook is.
enum class WebhookAccount { kMissing, kNotIntegration, kIntegration };

/// GET /api/v1/webhooks/{id}/deliveries: newest first, keyset by id.
struct DeliveryQuery {
  std::optional<std::string> state;  // pending, delivered or dead; none: all
  std::optional<long long> after_id;
  int limit = 50;
};

/// A delivery the sender should attempt now: the oldest pending one of its (webhook, case).
struct DueDelivery {
  long long id = 0;
  std::string url;
  std::string secret;
  std::string body;
  int attempts = 0;                  // failed attempts so far
  std::chrono::milliseconds age{0};  // since it was written, by the database's clock
};

/// The result of one attempt.
struct DeliveryAttempt {
  long long id = 0;
  bool delivered = false;
  std::optional<int> status;  // the receiver's HTTP status, when it answered
  std::string error;          // why it failed; empty when delivered
  /// Not delivered: when to try again, from now; nullopt: give up (dead).
  std::optional<std::chrono::milliseconds> retry_in;
};

class WebhookRepository {
 public:
  virtual ~WebhookRepository() = default;

  // Administration.
  virtual WebhookAccount account(std::string_view username) = 0;
  virtual long long insert(const WebhookRegistration& webhook) = 0;
  /// Locks a webhook; false when there is none.
  virtual bool lock(long long id) = 0;
  virtual void update(long long id, const WebhookPatch& patch) = 0;
  /// Deletes the webhook and its deliveries.
  virtual void remove(long long id) = 0;
  /// The webhook (never its secret) with its deliveries counted by state and the last error.
  virtual std::optional<JsonText> webhook_json(long long id) = 0;
  /// {"items": [...], "next_cursor": …}, by id.
  virtual JsonText list_json(std::optional<long long> after_id, int limit) = 0;
  /// Deliveries of a webhook (not their bodies' secrets: bodies are the public payload).
  virtual JsonText deliveries_json(long long webhook_id, const DeliveryQuery& query) = 0;
  /// Makes dead deliveries of a webhook pending again, due now: one (`delivery_id`) or all.
  /// Returns how many; a named delivery that is not dead counts 0, one that does not exist
  /// (or belongs to another webhook) is nullopt.
  virtual std::optional<long long> retry(long long webhook_id,
                                         std::optional<long long> delivery_id) = 0;

  // The sender.
  /// Takes or renews the sender's lease for `lease` (the database's clock); false when another
  /// process holds a lease that has not run out.
  virtual bool take_lease(std::string_view holder, std::chrono::milliseconds lease) = 0;
  /// Ends `holder`'s lease now (a stopping process), so another takes over at once.
  virtual void release_lease(std::string_view holder) = 0;
  /// At most `limit` deliveries due now, oldest first, each the head of its (webhook, case).
  virtual std::vector<DueDelivery> due(int limit) = 0;
  /// Records attempts; a delivery retried, deleted or changed meanwhile keeps its new state.
  virtual void record(const std::vector<DeliveryAttempt>& attempts) = 0;
  /// Deletes deliveries delivered more than `age` ago; returns how many.
  virtual long long purge_delivered(std::chrono::hours age, int limit) = 0;
};

}  // namespace gridcase::service
