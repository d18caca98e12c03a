#include "gridcase/service/webhook_sender.hpp"

#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/this_coro.hpp>
#include <chrono>
#include <memory>

#include "gridcase/domain/webhook.hpp"
#include "gridcase/service/wakeup.hpp"

namespace gridcase::service {
namespace {

namespace asio = boost::asio;

constexpr int kPurgeBatch = 1000;

std::string message_id(long long delivery_id) { return "msg_" + std::to_string(delivery_id); }

}  // namespace

WebhookSender::WebhookSender(TransactionRunner& transactions, WebhookTransport& transport,
                             const domain::Clock& clock, WebhookOptions options, std::string holder)
    : transactions_(transactions),
      transport_(transport),
      clock_(clock),
      options_(std::move(options)),
      holder_(std::move(holder)) {}

asio::awaitable<DeliveryAttempt> WebhookSender::attempt(DueDelivery delivery) {
  DeliveryAttempt result;
  result.id = delivery.id;
  WebhookPost post;
  try {
    post.target = domain::parse_webhook_target(delivery.url);
  } catch (const domain::Error& error) {
    // Registered before a rule tightened, or edited by hand in the database.
    result.error = std::string("the webhook's URL is refused: ") + error.what();
  }
  if (result.error.empty()) {
    const long long timestamp =
        std::chrono::duration_cast<std::chrono::seconds>(clock_.now().time_since_epoch()).count();
    const std::string id = message_id(delivery.id);
    post.headers = {
        {"webhook-id", id},
        {"webhook-timestamp", std::to_string(timestamp)},
        {"webhook-signature", sign_webhook(delivery.secret, id, timestamp, delivery.body)}};
    post.body = std::move(delivery.body);
    const WebhookPostResult posted = co_await transport_.post(std::move(post));
    result.delivered = posted.delivered;
    result.status = posted.status;
    result.error = posted.error;
  }
  if (!result.delivered) {
    const int attempts = delivery.attempts + 1;
    if (!domain::webhook_gives_up(delivery.age, options_.retry_for)) {
      result.retry_in = domain::webhook_retry_delay(attempts, options_.first_retry,
                                                    options_.longest_retry, delivery.id);
    }
  }
  co_return result;
}

asio::awaitable<SendRun> WebhookSender::step() {
  SendRun run;
  // The lease outlasts a round (every attempt ends within the timeout) with room to spare; a
  // round starts only while the lease has at least that much left.
  const std::chrono::milliseconds lease = 3 * options_.timeout + options_.interval;
  const auto renew_by = [&lease] { return std::chrono::steady_clock::now() + lease / 3; };
  co_await transactions_.run(
      [&](Repositories& repos) { run.leading = repos.webhooks.take_lease(holder_, lease); });
  if (!run.leading) co_return run;
  auto renew_at = renew_by();
  while (!stopping_) {
    if (std::chrono::steady_clock::now() >= renew_at) {
      bool still = false;
      co_await transactions_.run(
          [&](Repositories& repos) { still = repos.webhooks.take_lease(holder_, lease); });
      if (!still) break;
      renew_at = renew_by();
    }
    // One round: at most `concurrency` deliveries, all in flight at once, so a round ends
    // within one timeout. A delivered head makes its case's next delivery due: go on while
    // rounds find work.
    std::vector<DueDelivery> due;
    co_await transactions_.read(
        [&](Repositories& repos) { due = repos.webhooks.due(options_.concurrency); });
    if (due.empty()) break;
    // The completions run on this coroutine's executor; `results` outlives every attempt (the
    // wait below returns once the last one has finished), each writes its own element.
    std::vector<DeliveryAttempt> results(due.size());
    auto running = std::make_shared<std::atomic<std::size_t>>(due.size());
    const std::shared_ptr<Wakeup> finished = co_await Wakeup::for_this_coroutine();
    const auto executor = co_await asio::this_coro::executor;
    for (std::size_t i = 0; i < due.size(); ++i) {
      asio::co_spawn(executor, attempt(std::move(due[i])),
                     [&results, i, running, finished](const std::exception_ptr& error,
                                                      DeliveryAttempt result) {
                       if (!error) results[i] = std::move(result);
                       if (running->fetch_sub(1) == 1) finished->set();
                     });
    }
    co_await finished->wait();
    std::vector<DeliveryAttempt> recorded;
    for (DeliveryAttempt& result : results) {
      if (result.id == 0) continue;  // the attempt threw: it stays due, for the next step
      if (result.delivered) {
        ++run.delivered;
      } else if (result.retry_in) {
        ++run.failed;
      } else {
        ++run.dead;
      }
      recorded.push_back(std::move(result));
    }
    if (recorded.empty()) break;
    co_await transactions_.run([&](Repositories& repos) { repos.webhooks.record(recorded); });
  }
  co_await transactions_.run([&](Repositories& repos) {
    run.purged = repos.webhooks.purge_delivered(
        std::chrono::hours{24} * options_.keep_delivered_days, kPurgeBatch);
  });
  co_return run;
}

asio::awaitable<void> WebhookSender::release() {
  co_await transactions_.run([&](Repositories& repos) { repos.webhooks.release_lease(holder_); });
}

}  // namespace gridcase::service
