// Event streams held to their token (docs/security.md, "Event streams"): two `gridcase serve`
// processes on the demo database, a short token cache. A stream open on one process ends within
// the cache time of a sign-out, a deactivation or a change of scope made through the other, ends
// when its token expires, and one account may hold only so many streams at once.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <random>
#include <string>

#include "support/case_http.hpp"
#include "support/demo_server.hpp"
#include "support/event_stream_client.hpp"
#include "support/eventually.hpp"
#include "support/server_process.hpp"
#include "support/test_database.hpp"

namespace gridcase::testing {
namespace {

using namespace std::chrono_literals;

/// auth.token_cache_ms of both processes: how often an open stream's token is looked up again.
constexpr std::chrono::milliseconds kTokenCache = 300ms;
/// Within the cache time, with room for a loaded machine and the sanitizers.
constexpr std::chrono::milliseconds kEndsWithin = kTokenCache + 1200ms;
constexpr int kStreamsPerAccount = 2;

HttpHeaders bearer(const std::string& token) { return {{"Authorization", "Bearer " + token}}; }

/// A new district-wide dispatcher, written straight into the database like seed-demo's accounts.
std::string new_dispatcher() {
  const std::string username = unique_token("streamer");
  query_scalar(e2e_database_url(),
               "INSERT INTO users (username, display_name, roles, scope_kind) VALUES ('" +
                   username + "', 'stream test', ARRAY['dispatcher'], 'district')");
  return username;
}

/// A new session token of `username` that expires after `lifetime` (an SQL interval).
std::string token_of(const std::string& username, const std::string& lifetime = "1 day") {
  static constexpr char kHex[] = "0123456789abcdef";
  std::random_device random;
  std::string token = "gct_";
  for (int i = 0; i < 64; ++i) token += kHex[random() % 16];
  query_scalar(e2e_database_url(),
               "INSERT INTO auth_tokens (user_id, kind, label, digest, expires_at) "
               "SELECT id, 'session', 'e2e', sha256(convert_to('" +
                   token + "', 'UTF8')), now() + interval '" + lifetime +
                   "' FROM users WHERE username = '" + username + "'");
  return token;
}

class EventStreamAccessTest : public ::testing::Test {
 protected:
  static void TearDownTestSuite() {
    streaming_.reset();
    changing_.reset();
  }

  void SetUp() override {
    if (streaming_) return;
    const std::string config =
        "/tmp/gridcase-stream-access-" + std::to_string(::getpid()) + ".json";
    std::ofstream{config} << R"({"auth": {"token_cache_ms": )" << kTokenCache.count()
                          << R"(}, "http": {"max_streams_per_account": )" << kStreamsPerAccount
                          << "}}";
    streaming_ = std::make_unique<ServerProcess>(e2e_database_url(),
                                                 std::map<std::string, std::string>{}, 60s, config);
    changing_ = std::make_unique<ServerProcess>(e2e_database_url(),
                                                std::map<std::string, std::string>{}, 60s, config);
    std::remove(config.c_str());
  }

  /// A stream of the whole district on the streaming process, checked to be open.
  static std::unique_ptr<EventStreamClient> open_stream(const std::string& token) {
    auto stream = std::make_unique<EventStreamClient>(streaming_->port(), "/api/v1/events/stream",
                                                      bearer(token));
    EXPECT_EQ(stream->response().status, 200U) << stream->response().body;
    return stream;
  }

  /// PATCH /api/v1/users/{username} as the demo admin, on the other process.
  static HttpResponse change_user(const std::string& username, const std::string& patch) {
    HttpHeaders headers = auth_headers("admin");
    headers.emplace_back("Content-Type", "application/json");
    return http_request(changing_->port(), "PATCH", "/api/v1/users/" + username, patch, headers);
  }

  static std::unique_ptr<ServerProcess> streaming_;
  static std::unique_ptr<ServerProcess> changing_;
};

std::unique_ptr<ServerProcess> EventStreamAccessTest::streaming_;
std::unique_ptr<ServerProcess> EventStreamAccessTest::changing_;

TEST_F(EventStreamAccessTest, SigningOutOnOneServerEndsTheStreamOnTheOtherWithinTheCacheTime) {
  const std::string token = token_of(new_dispatcher());
  auto stream = open_stream(token);
  ASSERT_FALSE(stream->wait_closed(2 * kTokenCache)) << "a good token's stream goes on";

  const HttpResponse signed_out =
      http_request(changing_->port(), "DELETE", "/api/v1/sessions/current", {}, bearer(token));

  ASSERT_EQ(signed_out.status, 204U) << signed_out.body;
  EXPECT_TRUE(stream->wait_closed(kEndsWithin)) << "the stream outlived its sign-out";
}

TEST_F(EventStreamAccessTest, DeactivatingTheAccountOnOneServerEndsItsStreamOnTheOther) {
  const std::string username = new_dispatcher();
  auto stream = open_stream(token_of(username));
  ASSERT_FALSE(stream->wait_closed(2 * kTokenCache));

  const HttpResponse deactivated = change_user(username, R"({"active": false})");

  ASSERT_EQ(deactivated.status, 200U) << deactivated.body;
  EXPECT_TRUE(stream->wait_closed(kEndsWithin)) << "the stream outlived its account";
}

TEST_F(EventStreamAccessTest, NarrowingTheScopeOnOneServerEndsTheDistrictStreamOnTheOther) {
  const std::string username = new_dispatcher();
  auto stream = open_stream(token_of(username));
  ASSERT_FALSE(stream->wait_closed(2 * kTokenCache));

  const HttpResponse narrowed = change_user(username, R"({"scope": "grid:150203004"})");

  ASSERT_EQ(narrowed.status, 200U) << narrowed.body;
  EXPECT_TRUE(stream->wait_closed(kEndsWithin)) << "the stream kept the district after the change";
}

TEST_F(EventStreamAccessTest, AStreamEndsWhenItsTokenExpires) {
  const std::string token = token_of(new_dispatcher(), "2 seconds");
  auto stream = open_stream(token);
  const auto opened = std::chrono::steady_clock::now();

  EXPECT_FALSE(stream->wait_closed(1s)) << "ended long before its token expired";
  EXPECT_TRUE(stream->wait_closed(2s)) << "the stream outlived its token";
  EXPECT_LT(std::chrono::steady_clock::now() - opened, 3s);
}

TEST_F(EventStreamAccessTest, OneAccountOpensOnlySoManyStreamsAndTheNextIs429) {
  const std::string token = token_of(new_dispatcher());
  std::vector<std::unique_ptr<EventStreamClient>> open;
  for (int i = 0; i < kStreamsPerAccount; ++i) open.push_back(open_stream(token));

  EventStreamClient refused{streaming_->port(), "/api/v1/events/stream", bearer(token)};
  EventStreamClient other_account{streaming_->port(), "/api/v1/events/stream",
                                  bearer(token_of(new_dispatcher()))};

  EXPECT_TRUE(is_problem(refused.response(), 429)) << refused.response().body;
  EXPECT_EQ(other_account.response().status, 200U) << "another account is not limited by it";
  open.pop_back();  // the client goes away: its place is free again
  EXPECT_TRUE(eventually(
      [&] {
        EventStreamClient again{streaming_->port(), "/api/v1/events/stream", bearer(token)};
        return again.response().status == 200U;
      },
      5s, "a stream opens again once one of the account's streams ended"));
}

}  // namespace
}  // namespace gridcase::testing
