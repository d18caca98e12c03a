// The webhook outbox and its sender against PostgreSQL (docs/integrations.md "Webhooks"): the
// trigger writes a delivery with every event of the integration's cases in the event's own
// transaction; one sender at a time holds the lease; only the oldest pending delivery of each
// case is posted, so a failing receiver holds the case's later events back until it answers.
#include "gridcase/service/webhook_sender.hpp"

#include <gtest/gtest.h>

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "gridcase/service/webhook_service.hpp"
#include "gridcase/service/webhook_transport.hpp"
#include "support/case_world.hpp"
#include "support/run_sync.hpp"
#include "support/test_database.hpp"

namespace gridcase::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

/// Records every post; answers 204 or, while `failing`, 503.
class RecordingTransport final : public service::WebhookTransport {
 public:
  boost::asio::awaitable<service::WebhookPostResult> post(service::WebhookPost post) override {
    const std::lock_guard lock{mutex_};
    posts_.push_back(json::parse(post.body));
    if (failing_) co_return service::WebhookPostResult{false, 503, "the receiver answered 503"};
    co_return service::WebhookPostResult{true, 204, {}};
  }
  void fail(bool failing) {
    const std::lock_guard lock{mutex_};
    failing_ = failing;
  }
  std::vector<json> posts() const {
    const std::lock_guard lock{mutex_};
    return posts_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<json> posts_;
  bool failing_ = false;
};

class WebhookSenderTest : public CaseWorldTest {
 protected:
  static constexpr const char* kAccount = "it-case-integration";  // case_actor(kIntegration)

  void SetUp() override {
    CaseWorldTest::SetUp();
    query_scalar(url_, "INSERT INTO users (username, display_name, roles, scope_kind) VALUES ('" +
                           std::string(kAccount) +
                           "', 'webhook test', ARRAY['integration'], 'district') "
                           "ON CONFLICT (username) DO UPDATE SET active = true");
    query_scalar(url_, "DELETE FROM webhook_sender");
    webhook_ = query_scalar(
        url_, "INSERT INTO webhooks (account, url, secret, events, created_by) VALUES ('" +
                  std::string(kAccount) +
                  "', 'https://hooks.example.cn/in', "
                  "'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', '{case.*}', 'test') RETURNING id");
    // Longer than any step: a failed delivery is never retried within the step that failed it
    // (a test makes it due again by hand, as time passing would).
    options_.first_retry = 60s;
    options_.longest_retry = 120s;
  }
  void TearDown() override {
    query_scalar(url_, "DELETE FROM webhooks WHERE account = '" + std::string(kAccount) + "'");
    query_scalar(url_, "DELETE FROM webhook_sender");
    CaseWorldTest::TearDown();
  }

  service::WebhookSender sender(const char* holder) {
    return service::WebhookSender{*database_, transport_, *clock_, options_, holder};
  }
  std::string filed() {
    return receive(case_report(domain::Channel::kWeb, CaseDistrict::in_cell(), true, clock_->now()),
                   domain::Role::kIntegration);
  }
  long long deliveries(const std::string& state) {
    return std::stoll(query_scalar(url_,
                                   "SELECT count(*) FROM webhook_deliveries WHERE "
                                   "webhook_id = " +
                                       webhook_ + " AND state = '" + state + "'"));
  }
  std::vector<std::string> actions_posted(const std::string& case_no) const {
    std::vector<std::string> actions;
    for (const json& post : transport_.posts()) {
      if (post.at("data").at("case").at("case_no") == case_no)
        actions.push_back(post.at("data").at("event").at("action").get<std::string>());
    }
    return actions;
  }

  std::string webhook_;
  service::WebhookOptions options_;
  RecordingTransport transport_;
};

TEST_F(WebhookSenderTest, EveryEventOfTheIntegrationsCasesIsInTheOutboxOfItsTransaction) {
  const std::string case_no = filed();
  act(case_no, domain::CaseAction::kRegister, register_input(), domain::Role::kShiftLeader);
  receive(domain::Channel::kPatrol);  // an officer's case: not the integration's

  EXPECT_EQ(deliveries("pending"), 2);
  const domain::Error refused =
      refusal(case_no, domain::CaseAction::kRegister, register_input(), domain::Role::kShiftLeader);
  EXPECT_EQ(refused.code(), domain::ErrorCode::kInvalidTransition);
  EXPECT_EQ(deliveries("pending"), 2) << "a refused action writes no delivery";
}

TEST_F(WebhookSenderTest, OneSenderAtATimeAndAnotherTakesOverWhenItLetsGo) {
  const std::string case_no = filed();
  service::WebhookSender first = sender("process-a");
  service::WebhookSender second = sender("process-b");

  const service::SendRun led = run_sync(first.step());
  const service::SendRun waited = run_sync(second.step());

  EXPECT_TRUE(led.leading);
  EXPECT_EQ(led.delivered, 1);
  EXPECT_FALSE(waited.leading);
  EXPECT_EQ(transport_.posts().size(), 1U);
  act(case_no, domain::CaseAction::kRegister, register_input(), domain::Role::kShiftLeader);
  EXPECT_FALSE(run_sync(second.step()).leading) << "the lease is renewed by its holder only";
  run_sync(first.release());
  const service::SendRun taken = run_sync(second.step());
  EXPECT_TRUE(taken.leading);
  EXPECT_EQ(taken.delivered, 1);
  EXPECT_EQ(actions_posted(case_no), (std::vector<std::string>{"receive", "register"}));
  EXPECT_EQ(deliveries("delivered"), 2);
}

TEST_F(WebhookSenderTest, AFailingHeadHoldsItsCaseBackAndTheRestFollowInOrder) {
  const std::string first_case = filed();
  const std::string second_case = filed();
  act(first_case, domain::CaseAction::kRegister, register_input(), domain::Role::kShiftLeader);
  act(first_case, domain::CaseAction::kDispatch, unit_input(), domain::Role::kDispatcher);
  service::WebhookSender only = sender("process-a");
  transport_.fail(true);

  const service::SendRun failed = run_sync(only.step());

  EXPECT_EQ(failed.failed, 2) << "the head of each case, nothing behind them";
  EXPECT_EQ(transport_.posts().size(), 2U);
  EXPECT_EQ(deliveries("pending"), 4);
  EXPECT_EQ(query_scalar(url_,
                         "SELECT string_agg(DISTINCT last_status::text || ' ' || last_error, "
                         "',') FROM webhook_deliveries WHERE webhook_id = " +
                             webhook_ + " AND attempts > 0"),
            "503 the receiver answered 503");
  transport_.fail(false);
  query_scalar(url_, "UPDATE webhook_deliveries SET next_attempt_at = now() WHERE webhook_id = " +
                         webhook_);  // the retry delay has passed

  const service::SendRun delivered = run_sync(only.step());

  EXPECT_EQ(delivered.delivered, 4);
  EXPECT_EQ(deliveries("delivered"), 4);
  EXPECT_EQ(actions_posted(first_case),
            (std::vector<std::string>{"receive", "receive", "register", "dispatch"}));
  EXPECT_EQ(actions_posted(second_case), (std::vector<std::string>{"receive", "receive"}));
}

TEST_F(WebhookSenderTest, ADeliveryFailingPastRetryForIsDeadAndUnblocksItsCase) {
  options_.retry_for = 1ms;
  const std::string case_no = filed();
  act(case_no, domain::CaseAction::kRegister, register_input(), domain::Role::kShiftLeader);
  service::WebhookSender only = sender("process-a");
  transport_.fail(true);
  std::this_thread::sleep_for(5ms);

  const service::SendRun given_up = run_sync(only.step());

  EXPECT_EQ(given_up.dead, 2) << "the head, then the next one (no longer behind a pending one)";
  EXPECT_EQ(deliveries("dead"), 2);
  EXPECT_EQ(deliveries("pending"), 0);
}

}  // namespace
}  // namespace gridcase::testing
