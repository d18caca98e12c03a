// Event streams held to their token (docs/security.md, "Event streams"): two `gridcase serve`
// processes on the demo database, a short token cache. A stream open on one process ends within
// the cache time of a sign-out, a deactivation or a change of scope made through the other, or
// of a change of its officer's cells; it ends when its token expires (a third process, whose
// token check is too slow to be what ends it), and one account may hold only so many streams
// at once (429 with Retry-After).
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
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

TEST_F(EventStreamAccessTest, AStreamEndsWhenItsTokenExpiresLongBeforeTheNextTokenCheck) {
  // A server of its own whose token check comes every 10 s, five times the token's life: only
  // the stream's own expiry can end it in time (the check would end it too, but much later).
  const std::string config = "/tmp/gridcase-stream-expiry-" + std::to_string(::getpid()) + ".json";
  std::ofstream{config} << R"({"auth": {"token_cache_ms": 10000}})";
  const ServerProcess slow_check{e2e_database_url(), std::map<std::string, std::string>{}, 60s,
                                 config};
  std::remove(config.c_str());
  const std::string token = token_of(new_dispatcher(), "2 seconds");
  EventStreamClient stream{slow_check.port(), "/api/v1/events/stream", bearer(token)};
  ASSERT_EQ(stream.response().status, 200U) << stream.response().body;
  const auto opened = std::chrono::steady_clock::now();

  EXPECT_FALSE(stream.wait_closed(1s)) << "ended long before its token expired";
  EXPECT_TRUE(stream.wait_closed(3s)) << "the stream outlived its token";
  EXPECT_LT(std::chrono::steady_clock::now() - opened, 5s) << "ended by the token check instead";
}

/// Moves the sanitation duty over `cell` (in force, open-ended) to `officer_id`.
void hand_sanitation_duty(const std::string& cell, const std::string& officer_id) {
  query_scalar(e2e_database_url(), "UPDATE officer_cells SET officer_id = " + officer_id +
                                       " WHERE duty = 'sanitation' AND valid_to IS NULL "
                                       "AND cell_code = '" +
                                       cell + "' RETURNING cell_code");
}

TEST_F(EventStreamAccessTest, AnOfficersStreamEndsWhenTheOfficersCellsChange) {
  // A demo cell's sanitation duty passes to an officer of this test's own for the stream's
  // opening, and back (its cells change; the token, the roles and the scope do not).
  const std::string url = e2e_database_url();
  const std::string cell = query_scalar(
      url,
      "SELECT cell_code FROM officer_cells WHERE duty = 'sanitation' AND valid_to IS NULL "
      "ORDER BY cell_code DESC LIMIT 1");
  const std::string held_by =
      query_scalar(url,
                   "SELECT officer_id::text FROM officer_cells WHERE duty = 'sanitation' "
                   "AND valid_to IS NULL AND cell_code = '" +
                       cell + "'");
  const std::string officer = unique_token("e2e-so");
  const std::string officer_id = query_scalar(url, "INSERT INTO officers (code, name) VALUES ('" +
                                                       officer + "', 'stream test') RETURNING id");
  const std::string username = unique_token("e2e-stream-officer");
  query_scalar(
      url, "INSERT INTO users (username, display_name, roles, scope_kind, scope_code) VALUES ('" +
               username + "', 'stream test', ARRAY['officer'], 'officer', '" + officer +
               "') RETURNING id");
  hand_sanitation_duty(cell, officer_id);
  struct GiveBack {
    std::string cell, to;
    ~GiveBack() {
      try {
        hand_sanitation_duty(cell, to);
      } catch (const std::exception&) {  // already given back
      }
    }
  } give_back{cell, held_by};
  auto stream = open_stream(token_of(username));
  ASSERT_FALSE(stream->wait_closed(2 * kTokenCache)) << "the officer's cells did not change";

  hand_sanitation_duty(cell, held_by);

  EXPECT_TRUE(stream->wait_closed(kEndsWithin)) << "the stream kept the cells it opened with";
}

TEST_F(EventStreamAccessTest, OneAccountOpensOnlySoManyStreamsAndTheNextIs429WithRetryAfter) {
  const std::string token = token_of(new_dispatcher());
  std::vector<std::unique_ptr<EventStreamClient>> open;
  for (int i = 0; i < kStreamsPerAccount; ++i) open.push_back(open_stream(token));

  EventStreamClient refused{streaming_->port(), "/api/v1/events/stream", bearer(token)};
  EventStreamClient other_account{streaming_->port(), "/api/v1/events/stream",
                                  bearer(token_of(new_dispatcher()))};

  EXPECT_TRUE(is_problem(refused.response(), 429)) << refused.response().body;
  EXPECT_EQ(refused.response().header("Retry-After"), std::optional<std::string>{"5"})
      << "contract/api.md: a 429 says when to try again";
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
