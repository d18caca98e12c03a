#pragma once

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <string>

#include "gridcase/domain/clock.hpp"
#include "gridcase/service/transaction_runner.hpp"
#include "gridcase/service/webhook_service.hpp"
#include "gridcase/service/webhook_transport.hpp"

namespace gridcase::service {

/// What one step of the sender did.
struct SendRun {
  bool leading = false;  // this process held the lease
  int delivered = 0;
  int failed = 0;  // to be retried
  int dead = 0;
  long long purged = 0;
};

/// The outbox's one sender across every `gridcase serve` process (docs/integrations.md,
/// "Webhooks"). Each step takes or renews the lease in the database; the holder posts the due
/// deliveries (the oldest pending one of each webhook and case, so each case's events arrive in
/// order), `concurrency` at a time, records each result, and goes on while there is work and
/// the lease has time left. Requests never wait for it: the outbox is written with the event,
/// the posting happens here.
class WebhookSender {
 public:
  WebhookSender(TransactionRunner& transactions, WebhookTransport& transport,
                const domain::Clock& clock, WebhookOptions options, std::string holder);

  const WebhookOptions& options() const { return options_; }
  boost::asio::awaitable<SendRun> step();
  /// A stopping process: a step under way ends after its round, and no round starts again.
  /// Thread-safe.
  void request_stop() { stopping_ = true; }
  /// Gives the lease up (a stopping process), so another process takes over at once.
  boost::asio::awaitable<void> release();

 private:
  boost::asio::awaitable<DeliveryAttempt> attempt(DueDelivery delivery);

  TransactionRunner& transactions_;
  WebhookTransport& transport_;
  const domain::Clock& clock_;
  WebhookOptions options_;
  std::string holder_;
  std::atomic<bool> stopping_{false};
};

}  // namespace gridcase::service
