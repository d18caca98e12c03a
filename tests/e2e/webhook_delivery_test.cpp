// Webhooks deliver to a real HTTPS receiver on 127.0.0.1 (issue 16, docs/integrations.md
// "Webhooks"): every event of the integration's own cases and the notices of its scope, signed
// (Standard Webhooks), once per event id and in order per case; nothing lost while the receiver
// is down or when the server is killed with deliveries still in the outbox; given up as dead
// after webhooks.retry_for_seconds, and due again when an admin retries.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "gridcase/service/webhook_service.hpp"
#include "support/case_http.hpp"
#include "support/demo_server.hpp"
#include "support/eventually.hpp"
#include "support/server_process.hpp"
#include "support/test_database.hpp"
#include "support/webhook_receiver.hpp"

namespace gridcase::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

class WebhookDeliveryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    account_ = scoped_account(unique_token("e2e-webhook-"), "integration", "district");
    query_scalar(e2e_database_url(),
                 "UPDATE users SET channels = '{web}' WHERE username = '" + account_ + "'");
  }

  void TearDown() override {
    // Later tests dispatch in this account's scope: its webhooks and their outbox go.
    query_scalar(e2e_database_url(), "DELETE FROM webhooks WHERE account = '" + account_ + "'");
    query_scalar(e2e_database_url(), "DELETE FROM webhook_sender");
  }

  /// A server that may post to 127.0.0.1, trusts the test certificate and retries quickly.
  std::unique_ptr<ServerProcess> start_server(int retry_for_seconds = 600) const {
    const std::string config = ::testing::TempDir() + "webhook_delivery.json";
    std::ofstream{config} << json{
        {"webhooks",
         {{"allow_private_targets", true},
          {"ca_file", certificate_.cert_file()},
          {"timeout_ms", 2000},
          {"first_retry_ms", 100},
          {"longest_retry_ms", 400},
          {"retry_for_seconds", retry_for_seconds},
          {"interval_ms", 100}}}}.dump();
    auto server = std::make_unique<ServerProcess>(
        e2e_database_url(), std::map<std::string, std::string>{}, 60s, config);
    std::remove(config.c_str());
    return server;
  }

  /// Registers a webhook of the test's account as the admin; remembers its id and secret.
  void register_webhook(unsigned short port, const json& events) {
    const HttpResponse created = http_request(
        port, "POST", "/api/v1/webhooks",
        json{{"account", account_}, {"url", receiver_.url()}, {"events", events}}.dump(),
        case_headers("admin"));
    ASSERT_EQ(created.status, 201U) << created.body;
    const json webhook = json_of(created);
    webhook_id_ = webhook.at("id").get<long long>();
    secret_ = webhook.at("secret").get<std::string>();
  }

  std::string file_case(unsigned short port) const {
    const HttpResponse received = post_case(port, case_intake_body("web"), account_);
    EXPECT_EQ(received.status, 201U) << received.body;
    return json_of(received).value("case_no", "");
  }

  /// The posts received so far that carry a valid signature of the webhook's secret, one per
  /// webhook-id (a repeated id must repeat the same body: the receiver deduplicates on it).
  std::vector<json> verified_posts() const {
    std::vector<json> posts;
    std::map<std::string, std::string> bodies;
    for (const ReceivedPost& post : receiver_.received()) {
      const std::string& id = post.headers.at("webhook-id");
      const long long timestamp = std::stoll(post.headers.at("webhook-timestamp"));
      EXPECT_EQ(post.headers.at("webhook-signature"),
                service::sign_webhook(secret_, id, timestamp, post.body))
          << id;
      EXPECT_EQ(post.headers.at("content-type"), "application/json");
      EXPECT_EQ(post.target, "/hooks/gridcase");
      const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                           std::chrono::system_clock::now().time_since_epoch())
                           .count();
      EXPECT_LE(std::abs(now - timestamp), 300) << "webhook-timestamp is the time of sending";
      const auto [seen, first] = bodies.emplace(id, post.body);
      if (!first) {
        EXPECT_EQ(seen->second, post.body) << "a repeated " << id << " with another body";
        continue;
      }
      posts.push_back(json::parse(post.body));
    }
    return posts;
  }

  /// The actions delivered for `case_no`, in the order they arrived (types case.<action>).
  std::vector<std::string> delivered_actions(const std::string& case_no) const {
    std::vector<std::string> actions;
    long long last_event = 0;
    for (const json& post : verified_posts()) {
      if (post.at("data").at("case").at("case_no") != case_no) continue;
      const json& event = post.at("data").at("event");
      EXPECT_GT(event.at("id").get<long long>(), last_event) << "out of order: " << post;
      last_event = event.at("id").get<long long>();
      EXPECT_EQ(post.at("type"), "case." + event.at("action").get<std::string>());
      actions.push_back(event.at("action").get<std::string>());
    }
    return actions;
  }

  json deliveries(unsigned short port, const std::string& query = "") const {
    const HttpResponse answer = http_request(
        port, "GET", "/api/v1/webhooks/" + std::to_string(webhook_id_) + "/deliveries" + query, {},
        auth_headers("admin"));
    EXPECT_EQ(answer.status, 200U) << answer.body;
    return json_of(answer).at("items");
  }

  TestCertificate certificate_;
  WebhookReceiver receiver_{certificate_};
  std::string account_;
  long long webhook_id_ = 0;
  std::string secret_;
};

/// Drives a case the integration filed to `replied`, as the demo district's staff would.
void drive_to_reply(unsigned short port, const std::string& case_no) {
  for (const LifecycleStep& step : steps_to_reply("您反映的问题已处理完毕")) {
    const HttpResponse response = post_action(port, case_no, step.action, step.body, step.role);
    ASSERT_EQ(response.status, 200U) << step.action << ": " << response.body;
  }
}

const std::vector<std::string> kLifecycle{"receive",  "register", "dispatch", "acknowledge",
                                          "complete", "check",    "reply"};

TEST_F(WebhookDeliveryTest, EveryEventOfItsCasesArrivesSignedOnceAndInOrderWithTheReply) {
  const auto server = start_server();
  register_webhook(server->port(), {"case.*"});
  const std::string first = file_case(server->port());
  const std::string second = file_case(server->port());
  drive_to_reply(server->port(), first);
  const std::string others = create_case(server->port(), case_intake_body("web"));

  ASSERT_TRUE(eventually([&] { return delivered_actions(first).size() >= kLifecycle.size(); }, 20s,
                         "the first case's seven events arrive"));
  ASSERT_TRUE(eventually([&] { return delivered_actions(second).size() == 1; }, 20s,
                         "the second case's receive arrives"));

  EXPECT_EQ(delivered_actions(first), kLifecycle);
  EXPECT_EQ(delivered_actions(second), std::vector<std::string>{"receive"});
  EXPECT_TRUE(delivered_actions(others).empty()) << "the operator's case is not the account's";
  for (const json& post : verified_posts()) {
    const json& data = post.at("data");
    if (data.at("event").at("action") == "reply") {
      EXPECT_EQ(data.at("event").at("note"), "您反映的问题已处理完毕");
      EXPECT_EQ(data.at("case").at("status"), "replied");
    }
    EXPECT_EQ(post.dump().find("13812345678"), std::string::npos) << "the reporter is masked";
  }
  EXPECT_TRUE(eventually(
      [&] {
        const json items = deliveries(server->port(), "?state=delivered&limit=100");
        return items.size() == kLifecycle.size() + 1;
      },
      10s, "every delivery is recorded as delivered"));
}

TEST_F(WebhookDeliveryTest, NoticesOfItsScopeArriveForCasesItDidNotFile) {
  const auto server = start_server();
  register_webhook(server->port(), {"notice.task", "notice.urge"});
  const std::string case_no = create_registered_case(server->port());
  const HttpResponse dispatched = post_action(server->port(), case_no, "dispatch",
                                              {{"unit", "150203004-enforcement"}}, "dispatcher");
  ASSERT_EQ(dispatched.status, 200U) << dispatched.body;

  ASSERT_TRUE(eventually([&] { return !verified_posts().empty(); }, 20s, "the task notice"));
  const std::vector<json> posts = verified_posts();
  ASSERT_EQ(posts.size(), 1U);
  EXPECT_EQ(posts[0].at("type"), "notice.task");
  EXPECT_EQ(posts[0].at("data").at("case").at("case_no"), case_no);
  EXPECT_EQ(posts[0].at("data").at("event").at("action"), "dispatch");
  const json& shown = posts[0].at("data").at("case");
  EXPECT_EQ(shown.at("unit"), "150203004-enforcement");
  for (const char* hidden : {"description", "address", "reporter", "intake", "photos", "events"}) {
    EXPECT_FALSE(shown.contains(hidden)) << "a notice shows no " << hidden << ": " << shown;
  }
}

TEST_F(WebhookDeliveryTest, NothingIsLostWhileTheReceiverIsDown) {
  const auto server = start_server();
  register_webhook(server->port(), {"case.*"});
  receiver_.stop();
  const std::string case_no = file_case(server->port());
  drive_to_reply(server->port(), case_no);

  ASSERT_TRUE(eventually(
      [&] {
        const json items = deliveries(server->port(), "?state=pending");
        return !items.empty() && items.back().at("attempts").get<int>() >= 2 &&
               items.back().at("last_error").is_string();
      },
      20s, "the first delivery fails and is retried"));
  receiver_.start();

  ASSERT_TRUE(eventually([&] { return delivered_actions(case_no).size() >= kLifecycle.size(); },
                         30s, "every event arrives once the receiver is back"));
  EXPECT_EQ(delivered_actions(case_no), kLifecycle);
}

TEST_F(WebhookDeliveryTest, ThePendingOutboxOfAKilledServerIsDeliveredAfterTheRestart) {
  auto server = start_server();
  register_webhook(server->port(), {"case.*"});
  receiver_.stop();
  const std::string case_no = file_case(server->port());
  drive_to_reply(server->port(), case_no);
  ASSERT_EQ(deliveries(server->port(), "?state=pending").size(), kLifecycle.size());
  server->kill_hard();
  receiver_.start();

  server = start_server();

  ASSERT_TRUE(eventually([&] { return delivered_actions(case_no).size() >= kLifecycle.size(); },
                         40s, "the outbox is delivered by the restarted server"));
  EXPECT_EQ(delivered_actions(case_no), kLifecycle);
}

TEST_F(WebhookDeliveryTest, AGivenUpDeliveryIsDeadWithItsErrorUntilAnAdminRetriesIt) {
  const auto server = start_server(1);
  register_webhook(server->port(), {"case.receive"});
  receiver_.answer_with(500);
  const std::string case_no = file_case(server->port());

  ASSERT_TRUE(eventually([&] { return deliveries(server->port(), "?state=dead").size() == 1; }, 20s,
                         "the delivery is given up"));
  const json dead = deliveries(server->port(), "?state=dead").at(0);
  EXPECT_EQ(dead.at("last_status"), 500);
  EXPECT_EQ(dead.at("case_no"), case_no);
  EXPECT_GE(dead.at("attempts").get<int>(), 2);
  const std::size_t posts_before = receiver_.received().size();
  receiver_.answer_with(204);

  const HttpResponse retried =
      http_request(server->port(), "POST",
                   "/api/v1/webhooks/" + std::to_string(webhook_id_) + "/deliveries/" +
                       std::to_string(dead.at("id").get<long long>()) + "/retry",
                   {}, auth_headers("admin"));

  ASSERT_EQ(retried.status, 200U) << retried.body;
  ASSERT_TRUE(eventually([&] { return deliveries(server->port(), "?state=delivered").size() == 1; },
                         20s, "the retried delivery is delivered"));
  EXPECT_GT(receiver_.received().size(), posts_before);
  EXPECT_EQ(delivered_actions(case_no), std::vector<std::string>{"receive"});
  const HttpResponse again =
      http_request(server->port(), "POST",
                   "/api/v1/webhooks/" + std::to_string(webhook_id_) + "/deliveries/" +
                       std::to_string(dead.at("id").get<long long>()) + "/retry",
                   {}, auth_headers("admin"));
  EXPECT_TRUE(is_problem(again, 409)) << again.body;
}

}  // namespace
}  // namespace gridcase::testing
