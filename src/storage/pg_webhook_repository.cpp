#include "pg_webhook_repository.hpp"

#include <pqxx/pqxx>

#include "pg_values.hpp"

namespace gridcase::storage {
namespace {

constexpr const char* kAccount =
    "SELECT 'integration' = ANY (roles) FROM users WHERE username = $1";

constexpr const char* kInsert = R"sql(
  INSERT INTO webhooks (account, url, secret, events, created_by)
  VALUES ($1, $2, $3, $4::text[], $5) RETURNING id)sql";

constexpr const char* kLock = "SELECT 1 FROM webhooks WHERE id = $1 FOR UPDATE";

constexpr const char* kUpdate = R"sql(
  UPDATE webhooks SET url = coalesce($2, url), events = coalesce($3::text[], events),
                      active = coalesce($4::boolean, active), updated_at = now()
  WHERE id = $1)sql";

constexpr const char* kDelete = "DELETE FROM webhooks WHERE id = $1";

constexpr const char* kWebhookJson =
    "SELECT gridcase_webhook_json(w)::text FROM webhooks w WHERE w.id = $1";

constexpr const char* kList = R"sql(
  SELECT json_build_object(
           'items', coalesce(json_agg(gridcase_webhook_json(w) ORDER BY w.id), '[]'),
           'next_cursor', CASE WHEN count(*) = $2 THEN max(w.id)::text END)::text
  FROM (SELECT * FROM webhooks WHERE $1::bigint IS NULL OR id > $1::bigint
        ORDER BY id LIMIT $2) w)sql";

// Newest first. The payload is what the receiver gets (public fields only).
constexpr const char* kDeliveries = R"sql(
  SELECT json_build_object(
           'items', coalesce(json_agg(json_build_object(
             'id', d.id, 'event_id', d.event_id, 'case_no', c.case_no, 'type', d.type,
             'state', d.state, 'attempts', d.attempts, 'created_at', gridcase_iso(d.created_at),
             'next_attempt_at', CASE WHEN d.state = 'pending' THEN gridcase_iso(d.next_attempt_at) END,
             'last_attempt_at', gridcase_iso(d.last_attempt_at), 'last_status', d.last_status,
             'last_error', d.last_error, 'delivered_at', gridcase_iso(d.delivered_at),
             'payload', d.body::json) ORDER BY d.id DESC), '[]'),
           'next_cursor', CASE WHEN count(*) = $4 THEN min(d.id)::text END)::text
  FROM (SELECT * FROM webhook_deliveries
        WHERE webhook_id = $1 AND ($2::text IS NULL OR state = $2)
          AND ($3::bigint IS NULL OR id < $3::bigint)
        ORDER BY id DESC LIMIT $4) d
  JOIN cases c ON c.id = d.case_id)sql";

// A retried delivery gets a new window of webhooks.retry_for_seconds from now.
constexpr const char* kRetryOne = R"sql(
  WITH target AS (
    SELECT id, state FROM webhook_deliveries WHERE webhook_id = $1 AND id = $2 FOR UPDATE
  ), changed AS (
    UPDATE webhook_deliveries d
    SET state = 'pending', attempts = 0, tried_since = now(), next_attempt_at = now()
    FROM target WHERE d.id = target.id AND target.state = 'dead' RETURNING d.id
  )
  SELECT (SELECT count(*) FROM target), (SELECT count(*) FROM changed))sql";

constexpr const char* kRetryAll = R"sql(
  UPDATE webhook_deliveries
  SET state = 'pending', attempts = 0, tried_since = now(), next_attempt_at = now()
  WHERE webhook_id = $1 AND state = 'dead')sql";

constexpr const char* kTakeLease = R"sql(
  INSERT INTO webhook_sender AS s (id, holder, until)
  VALUES (1, $1, now() + $2::bigint * interval '1 millisecond')
  ON CONFLICT (id) DO UPDATE SET holder = EXCLUDED.holder, until = EXCLUDED.until
  WHERE s.holder = EXCLUDED.holder OR s.until < now()
  RETURNING 1)sql";

constexpr const char* kReleaseLease = R"sql(
  UPDATE webhook_sender SET until = now() - interval '1 millisecond'
  WHERE id = 1 AND holder = $1)sql";

// The head of each (webhook, case) queue, when it is due: a case's next delivery waits until
// the one before it is delivered or dead. A webhook made inactive, or whose account is, keeps
// its pending deliveries until it is active again.
constexpr const char* kDue = R"sql(
  SELECT d.id, w.url, w.secret, d.body, d.attempts,
         (extract(epoch FROM now() - d.tried_since) * 1000)::bigint
  FROM (SELECT DISTINCT ON (webhook_id, case_id) id FROM webhook_deliveries
        WHERE state = 'pending' ORDER BY webhook_id, case_id, id) head
  JOIN webhook_deliveries d ON d.id = head.id
  JOIN webhooks w ON w.id = d.webhook_id AND w.active
  JOIN users u ON u.username = w.account AND u.active
  WHERE d.next_attempt_at <= now()
  ORDER BY d.next_attempt_at, d.id LIMIT $1)sql";

constexpr const char* kDelivered = R"sql(
  UPDATE webhook_deliveries
  SET state = 'delivered', attempts = attempts + 1, last_attempt_at = now(), last_status = $2,
      last_error = NULL, delivered_at = now()
  WHERE id = $1 AND state = 'pending')sql";

constexpr const char* kFailed = R"sql(
  UPDATE webhook_deliveries
  SET attempts = attempts + 1, last_attempt_at = now(), last_status = $2, last_error = $3,
      next_attempt_at = now() + $4::bigint * interval '1 millisecond'
  WHERE id = $1 AND state = 'pending')sql";

constexpr const char* kDead = R"sql(
  UPDATE webhook_deliveries
  SET state = 'dead', attempts = attempts + 1, last_attempt_at = now(), last_status = $2,
      last_error = $3
  WHERE id = $1 AND state = 'pending')sql";

constexpr const char* kPurge = R"sql(
  DELETE FROM webhook_deliveries WHERE id IN (
    SELECT id FROM webhook_deliveries
    WHERE state = 'delivered' AND delivered_at < now() - $1::int * interval '1 hour' LIMIT $2))sql";

/// Error texts are the sender's words plus what a receiver or TLS library said: bounded.
constexpr std::size_t kMaxErrorBytes = 500;

std::string bounded(const std::string& text) {
  if (text.size() <= kMaxErrorBytes) return text;
  std::size_t end = kMaxErrorBytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xc0) == 0x80) --end;  // UTF-8
  return text.substr(0, end) + "…";
}

}  // namespace

service::WebhookAccount PgWebhookRepository::account(std::string_view username) {
  const pqxx::result rows = tx_.exec_params(kAccount, std::string(username));
  if (rows.empty()) return service::WebhookAccount::kMissing;
  return rows[0][0].as<bool>() ? service::WebhookAccount::kIntegration
                               : service::WebhookAccount::kNotIntegration;
}

long long PgWebhookRepository::insert(const service::WebhookRegistration& webhook) {
  return tx_
      .exec_params1(kInsert, webhook.account, webhook.url, webhook.secret,
                    text_array(webhook.events), webhook.created_by)[0]
      .as<long long>();
}

bool PgWebhookRepository::lock(long long id) { return !tx_.exec_params(kLock, id).empty(); }

void PgWebhookRepository::update(long long id, const service::WebhookPatch& patch) {
  std::optional<std::string> events;
  if (patch.events) events = text_array(*patch.events);
  tx_.exec_params0(kUpdate, id, patch.url, events, patch.active);
}

void PgWebhookRepository::remove(long long id) { tx_.exec_params0(kDelete, id); }

std::optional<service::JsonText> PgWebhookRepository::webhook_json(long long id) {
  const pqxx::result rows = tx_.exec_params(kWebhookJson, id);
  if (rows.empty()) return std::nullopt;
  return service::JsonText{rows[0][0].as<std::string>()};
}

service::JsonText PgWebhookRepository::list_json(std::optional<long long> after_id, int limit) {
  return service::JsonText{tx_.exec_params1(kList, after_id, limit)[0].as<std::string>()};
}

service::JsonText PgWebhookRepository::deliveries_json(long long webhook_id,
                                                       const service::DeliveryQuery& query) {
  return service::JsonText{
      tx_.exec_params1(kDeliveries, webhook_id, query.state, query.after_id, query.limit)[0]
          .as<std::string>()};
}

std::optional<long long> PgWebhookRepository::retry(long long webhook_id,
                                                    std::optional<long long> delivery_id) {
  if (!delivery_id) return tx_.exec_params0(kRetryAll, webhook_id).affected_rows();
  const pqxx::row counts = tx_.exec_params1(kRetryOne, webhook_id, *delivery_id);
  if (counts[0].as<long long>() == 0) return std::nullopt;
  return counts[1].as<long long>();
}

bool PgWebhookRepository::take_lease(std::string_view holder, std::chrono::milliseconds lease) {
  return !tx_.exec_params(kTakeLease, std::string(holder), static_cast<long long>(lease.count()))
              .empty();
}

void PgWebhookRepository::release_lease(std::string_view holder) {
  tx_.exec_params0(kReleaseLease, std::string(holder));
}

std::vector<service::DueDelivery> PgWebhookRepository::due(int limit) {
  std::vector<service::DueDelivery> due;
  for (const pqxx::row& row : tx_.exec_params(kDue, limit)) {
    service::DueDelivery delivery;
    delivery.id = row[0].as<long long>();
    delivery.url = row[1].as<std::string>();
    delivery.secret = row[2].as<std::string>();
    delivery.body = row[3].as<std::string>();
    delivery.attempts = row[4].as<int>();
    delivery.age = std::chrono::milliseconds{row[5].as<long long>()};
    due.push_back(std::move(delivery));
  }
  return due;
}

void PgWebhookRepository::record(const std::vector<service::DeliveryAttempt>& attempts) {
  for (const service::DeliveryAttempt& attempt : attempts) {
    if (attempt.delivered) {
      tx_.exec_params0(kDelivered, attempt.id, attempt.status);
    } else if (attempt.retry_in) {
      tx_.exec_params0(kFailed, attempt.id, attempt.status, bounded(attempt.error),
                       static_cast<long long>(attempt.retry_in->count()));
    } else {
      tx_.exec_params0(kDead, attempt.id, attempt.status, bounded(attempt.error));
    }
  }
}

long long PgWebhookRepository::purge_delivered(std::chrono::hours age, int limit) {
  return static_cast<long long>(
      tx_.exec_params0(kPurge, static_cast<int>(age.count()), limit).affected_rows());
}

}  // namespace gridcase::storage
