#pragma once

#include <pqxx/transaction_base>

#include "gridcase/service/webhook_repository.hpp"

namespace gridcase::storage {

/// Webhooks, their outbox and the sender's lease (sql/029_webhooks.sql). The outbox itself is
/// written by a trigger on case_events (sql/functions/310_gridcase_enqueue_webhooks.sql).
class PgWebhookRepository final : public service::WebhookRepository {
 public:
  explicit PgWebhookRepository(pqxx::transaction_base& tx) : tx_(tx) {}

  service::WebhookAccount account(std::string_view username) override;
  long long insert(const service::WebhookRegistration& webhook) override;
  bool lock(long long id) override;
  void update(long long id, const service::WebhookPatch& patch) override;
  void remove(long long id) override;
  std::optional<service::JsonText> webhook_json(long long id) override;
  service::JsonText list_json(std::optional<long long> after_id, int limit) override;
  service::JsonText deliveries_json(long long webhook_id,
                                    const service::DeliveryQuery& query) override;
  std::optional<long long> retry(long long webhook_id,
                                 std::optional<long long> delivery_id) override;

  bool take_lease(std::string_view holder, std::chrono::milliseconds lease) override;
  void release_lease(std::string_view holder) override;
  std::vector<service::DueDelivery> due(int limit) override;
  void record(const std::vector<service::DeliveryAttempt>& attempts) override;
  long long purge_delivered(std::chrono::hours age, int limit) override;

 private:
  pqxx::transaction_base& tx_;
};

}  // namespace gridcase::storage
