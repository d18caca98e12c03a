#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "support/case_http.hpp"
#include "support/demo_server.hpp"
#include "support/event_stream_client.hpp"
#include "support/eventually.hpp"
#include "support/pg_proxy.hpp"
#include "support/server_process.hpp"
#include "support/test_database.hpp"

namespace gridcase::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

/// A district-wide reader.
HttpHeaders dispatcher() { return auth_headers("dispatcher"); }

/// Polls GET /metrics until the line `line` appears; false when it does not within `timeout`.
bool wait_for_metric(unsigned short port, const std::string& line,
                     std::chrono::milliseconds timeout) {
  return poll_until(
      [&] { return http_get(port, "/metrics").body.find("\n" + line + "\n") != std::string::npos; },
      timeout);
}

/// A web case at `place`, reported through `port`.
std::string report_case(unsigned short port, const DemoPlace& place) {
  return create_case(port, case_intake_body("web", place.lon, place.lat));
}

/// Two `gridcase serve` processes on the demo database: events committed through one must reach
/// streams opened on the other, through PostgreSQL.
class LiveFeedTest : public ::testing::Test {
 protected:
  static void TearDownTestSuite() {
    listening_.reset();
    writing_.reset();
  }

  void SetUp() override {
    url_ = e2e_database_url();
    if (!listening_) listening_ = std::make_unique<ServerProcess>(url_);
    if (!writing_) writing_ = std::make_unique<ServerProcess>(url_);
    ASSERT_TRUE(wait_for_metric(listening_->port(), "gridcase_event_listener_up 1", 15s))
        << "the listening server never LISTENed:\n"
        << listening_->log();
    here_ = kDemoPlace;
    elsewhere_ = other_demo_place(writing_->port());
    ASSERT_NE(std::string(here_.street), std::string(elsewhere_.street));
  }

  std::unique_ptr<EventStreamClient> subscribe(const std::string& target) {
    auto feed = std::make_unique<EventStreamClient>(listening_->port(), target, dispatcher());
    EXPECT_EQ(feed->response().status, 200U) << feed->response().body;
    return feed;
  }

  /// The next event's data about a case in `wanted`; events of other cases (earlier tests, other
  /// processes of the run) are passed over.
  static std::optional<json> next_about(EventStreamClient& feed,
                                        const std::set<std::string>& wanted,
                                        std::chrono::milliseconds timeout = 15s) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      std::optional<SseEvent> event = feed.next(left);
      if (!event) return std::nullopt;
      json data = json::parse(event->data);
      EXPECT_EQ(event->event, "case_event");
      EXPECT_EQ(event->id, std::to_string(data.at("id").get<long long>()));
      if (wanted.contains(data.at("case_no").get<std::string>())) return data;
    }
    return std::nullopt;
  }

  static std::unique_ptr<ServerProcess> listening_;
  static std::unique_ptr<ServerProcess> writing_;
  std::string url_;
  DemoPlace here_;
  DemoPlace elsewhere_;
};

std::unique_ptr<ServerProcess> LiveFeedTest::listening_;
std::unique_ptr<ServerProcess> LiveFeedTest::writing_;

TEST_F(LiveFeedTest, AnswersAnEventStreamThatStartsWithAComment) {
  auto feed = subscribe("/api/v1/events/stream");

  EXPECT_EQ(feed->response().header("Content-Type"), "text/event-stream; charset=utf-8");
  EXPECT_EQ(feed->response().header("Cache-Control"), "no-store");
  EXPECT_FALSE(feed->response().header("Content-Length").has_value());
  feed->next(300ms);  // reads the opening comment (and whatever else happens meanwhile)
  EXPECT_GE(feed->comments(), 1);
}

TEST_F(LiveFeedTest, AStreetsFeedCarriesItsCasesEventsFromAnotherServerAndNotOtherStreets) {
  auto feed = subscribe("/api/v1/events/stream?grid=" + std::string(here_.street));

  const std::string mine = report_case(writing_->port(), here_);
  const std::optional<json> received = next_about(*feed, {mine});
  ASSERT_TRUE(received.has_value()) << "the receive event of " << mine << " never arrived";
  EXPECT_EQ(received->at("action"), "receive");
  EXPECT_EQ(received->at("to"), "received");
  EXPECT_TRUE(received->at("grid_path").get<std::string>().ends_with(here_.cell));
  EXPECT_TRUE(received->at("at").get<std::string>().ends_with("Z"));

  // Committed before the second event of `mine`: had it been sent, it would come first.
  const std::string theirs = report_case(writing_->port(), elsewhere_);
  ASSERT_EQ(post_action(writing_->port(), mine, "request_verification", json::object(), "operator")
                .status,
            200U);
  const std::optional<json> next = next_about(*feed, {mine, theirs});

  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(next->at("case_no"), mine);
  EXPECT_EQ(next->at("action"), "request_verification");
}

TEST_F(LiveFeedTest, AStreetSupervisorsFeedCarriesOnlyTheirStreetWhateverTheyAskFor) {
  // The demo supervisor's scope is street 150203004, the street of kDemoPlace.
  ASSERT_EQ(std::string(here_.street), "150203004");
  auto feed = std::make_unique<EventStreamClient>(listening_->port(), "/api/v1/events/stream",
                                                  auth_headers("supervisor"));
  ASSERT_EQ(feed->response().status, 200U) << feed->response().body;

  const std::string theirs = report_case(writing_->port(), elsewhere_);
  const std::string mine = report_case(writing_->port(), here_);
  const std::optional<json> first = next_about(*feed, {mine, theirs});

  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->at("case_no"), mine);
  const HttpResponse outside = http_request(
      listening_->port(), "GET", "/api/v1/events/stream?grid=" + std::string(elsewhere_.street), {},
      auth_headers("supervisor"));
  EXPECT_TRUE(is_problem(outside, 404)) << outside.body;
}

TEST_F(LiveFeedTest, TheWholeDistrictFeedCarriesEveryStreet) {
  auto feed = subscribe("/api/v1/events/stream");

  const std::string first = report_case(writing_->port(), here_);
  const std::string second = report_case(writing_->port(), elsewhere_);

  const std::optional<json> one = next_about(*feed, {first, second});
  const std::optional<json> two = next_about(*feed, {first, second});
  ASSERT_TRUE(one.has_value() && two.has_value());
  EXPECT_EQ(one->at("case_no"), first);
  EXPECT_EQ(two->at("case_no"), second);
}

TEST_F(LiveFeedTest, AnUnknownGridIs404) {
  const HttpResponse response = http_request(
      listening_->port(), "GET", "/api/v1/events/stream?grid=150203099", {}, dispatcher());

  EXPECT_TRUE(is_problem(response, 404));
}

TEST_F(LiveFeedTest, AMalformedGridIs422NamingIt) {
  const HttpResponse response =
      http_request(listening_->port(), "GET", "/api/v1/events/stream?grid=15020", {}, dispatcher());

  EXPECT_TRUE(is_problem(response, 422));
  EXPECT_EQ(error_fields(response), std::vector<std::string>{"grid"});
}

TEST_F(LiveFeedTest, NoTokenIs401) {
  EXPECT_TRUE(is_problem(http_get(listening_->port(), "/api/v1/events/stream"), 401));
}

TEST_F(LiveFeedTest, AnIntegrationMayNotListen) {
  EXPECT_TRUE(is_problem(http_request(listening_->port(), "GET", "/api/v1/events/stream", {},
                                      auth_headers("integration")),
                         403));
}

TEST_F(LiveFeedTest, AnUnknownParameterIs400) {
  const HttpResponse response =
      http_request(listening_->port(), "GET", "/api/v1/events/stream?since=1", {}, dispatcher());

  EXPECT_TRUE(is_problem(response, 400));
}

/// `headers` and the Last-Event-ID of a reconnecting EventSource.
HttpHeaders resuming(HttpHeaders headers, const std::string& last_event_id) {
  headers.emplace_back("Last-Event-ID", last_event_id);
  return headers;
}

TEST_F(LiveFeedTest, AReconnectingStreamGetsWhatItMissedOnceThenLiveEvents) {
  const std::string target = "/api/v1/events/stream?grid=" + std::string(here_.street);
  const std::string first = report_case(writing_->port(), here_);
  std::string last_id;
  {
    auto feed = subscribe(target);
    ASSERT_EQ(
        post_action(writing_->port(), first, "request_verification", json::object(), "operator")
            .status,
        200U);
    const std::optional<json> seen = next_about(*feed, {first});
    ASSERT_TRUE(seen.has_value());
    last_id = std::to_string(seen->at("id").get<long long>());
  }  // the client goes away
  // While it is away: a case in its street, one in another street, and an action on the first.
  const std::string missed = report_case(writing_->port(), here_);
  const std::string elsewhere = report_case(writing_->port(), elsewhere_);
  ASSERT_EQ(
      post_action(writing_->port(), first, "withdraw_verification", json::object(), "operator")
          .status,
      200U);

  EventStreamClient feed{listening_->port(), target, resuming(dispatcher(), last_id)};
  ASSERT_EQ(feed.response().status, 200U) << feed.response().body;

  const std::set<std::string> cases{first, missed, elsewhere};
  const std::optional<json> one = next_about(feed, cases);
  const std::optional<json> two = next_about(feed, cases);
  ASSERT_TRUE(one.has_value() && two.has_value());
  EXPECT_EQ(one->at("case_no"), missed);
  EXPECT_EQ(one->at("action"), "receive");
  EXPECT_EQ(two->at("case_no"), first);
  EXPECT_EQ(two->at("action"), "withdraw_verification");
  EXPECT_GT(one->at("id").get<long long>(), std::stoll(last_id));
  // Then live events, and nothing twice: another street's case never, the replayed ones not again.
  const std::string live = report_case(writing_->port(), here_);
  const std::optional<json> three = next_about(feed, {first, missed, elsewhere, live});
  ASSERT_TRUE(three.has_value());
  EXPECT_EQ(three->at("case_no"), live);
}

TEST_F(LiveFeedTest, AnEventNumberedBeforeTheLastOneSeenButCommittedAfterItIsReplayed) {
  const std::string target = "/api/v1/events/stream?grid=" + std::string(here_.street);
  const std::string slow = report_case(writing_->port(), here_);
  const std::string quick = report_case(writing_->port(), here_);
  // Another server's transaction writes an event of `slow` (numbered now) and has not committed.
  OpenTransaction other{url_};
  const std::string held_id = other.query_scalar(
      "INSERT INTO case_events (case_id, at, actor, actor_role, action, from_status, to_status) "
      "SELECT id, now(), 'system', 'system', 'overdue', status, status FROM cases "
      "WHERE case_no = '" +
      slow + "' RETURNING id");
  ASSERT_FALSE(held_id.empty());
  std::string last_id;
  {
    auto feed = subscribe(target);
    // An event numbered after it commits first and reaches the client, which then goes away.
    ASSERT_EQ(
        post_action(writing_->port(), quick, "request_verification", json::object(), "operator")
            .status,
        200U);
    const std::optional<json> seen = next_about(*feed, {quick});
    ASSERT_TRUE(seen.has_value());
    last_id = std::to_string(seen->at("id").get<long long>());
    ASSERT_LT(std::stoll(held_id), std::stoll(last_id));
  }
  other.commit();  // committed after the event the client saw, numbered before it

  EventStreamClient feed{listening_->port(), target, resuming(dispatcher(), last_id)};
  ASSERT_EQ(feed.response().status, 200U) << feed.response().body;

  const std::optional<json> missed = next_about(feed, {slow}, 10s);
  ASSERT_TRUE(missed.has_value()) << "event " << held_id << " was never replayed";
  EXPECT_EQ(missed->at("id").get<long long>(), std::stoll(held_id));
  EXPECT_EQ(missed->at("action"), "overdue");
}

TEST_F(LiveFeedTest, AReplayKeepsToTheCallersScope) {
  // The demo supervisor's scope is street 150203004, the street of kDemoPlace.
  const std::string last_id = query_scalar(url_, "SELECT max(id) FROM case_events");
  const std::string theirs = report_case(writing_->port(), elsewhere_);
  const std::string mine = report_case(writing_->port(), here_);

  EventStreamClient feed{listening_->port(), "/api/v1/events/stream",
                         resuming(auth_headers("supervisor"), last_id)};
  ASSERT_EQ(feed.response().status, 200U) << feed.response().body;

  const std::optional<json> first = next_about(feed, {mine, theirs});
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->at("case_no"), mine);
  const std::string later = report_case(writing_->port(), here_);
  const std::optional<json> second = next_about(feed, {theirs, later});
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(second->at("case_no"), later) << "another street's case was replayed";
}

TEST_F(LiveFeedTest, ALastEventIdThatIsNotAnEventIdIs400NamingIt) {
  for (const char* given : {"abc", "-1", "12x", "1e3", "99999999999999999999"}) {
    const HttpResponse response = http_request(listening_->port(), "GET", "/api/v1/events/stream",
                                               {}, resuming(dispatcher(), given));

    EXPECT_TRUE(is_problem(response, 400)) << given << ": " << response.body;
    EXPECT_EQ(error_fields(response), std::vector<std::string>{"Last-Event-ID"}) << given;
  }
}

TEST(LiveFeedReplayLimitTest, MoreEventsSinceTheLastThanTheLimitSendOneResetThenLiveEvents) {
  const std::string config = "/tmp/gridcase-replay-limit-" + std::to_string(::getpid()) + ".json";
  std::ofstream{config} << R"({"http": {"stream_replay_events": 2}})";
  ServerProcess server{e2e_database_url(), {}, 60s, config};
  std::remove(config.c_str());
  ASSERT_TRUE(wait_for_metric(server.port(), "gridcase_event_listener_up 1", 15s)) << server.log();
  const std::string last_id = query_scalar(e2e_database_url(), "SELECT max(id) FROM case_events");
  for (int i = 0; i < 3; ++i) report_case(server.port(), kDemoPlace);

  EventStreamClient feed{server.port(), "/api/v1/events/stream", resuming(dispatcher(), last_id)};
  ASSERT_EQ(feed.response().status, 200U) << feed.response().body;

  const std::optional<SseEvent> reset = feed.next(5s);
  ASSERT_TRUE(reset.has_value());
  EXPECT_EQ(reset->event, "reset");
  EXPECT_NE(json::parse(reset->data).at("reason").get<std::string>().find("reload"),
            std::string::npos);
  ASSERT_FALSE(reset->id.empty()) << "the client's Last-Event-ID moves on";
  EXPECT_GT(std::stoll(reset->id), std::stoll(last_id));
  const std::string live = report_case(server.port(), kDemoPlace);
  for (std::optional<SseEvent> event = feed.next(15s); event; event = feed.next(15s)) {
    if (json::parse(event->data).at("case_no") == live) return;
  }
  ADD_FAILURE() << "the live event of " << live << " never arrived after the reset";
}

TEST(LiveFeedCatchUpTest, EventsCommittedWhileTheListenerIsAwayStillReachTheOpenStreams) {
  const std::string url = e2e_database_url();
  // This process reaches PostgreSQL through a proxy that can cut it off; the writer does not.
  // Stream checks every 60 s: the stream outlives the cut (a failed check would end it).
  const std::string config = "/tmp/gridcase-catch-up-" + std::to_string(::getpid()) + ".json";
  std::ofstream{config} << R"({"auth": {"token_cache_ms": 60000}})";
  PgProxy proxy{port_of_url(url)};
  ServerProcess listening{proxy.url_through(url), {}, 60s, config};
  std::remove(config.c_str());
  ServerProcess writing{url};
  ASSERT_TRUE(wait_for_metric(listening.port(), "gridcase_event_listener_up 1", 15s))
      << listening.log();
  EventStreamClient feed{listening.port(), "/api/v1/events/stream", dispatcher()};
  ASSERT_EQ(feed.response().status, 200U) << feed.response().body;

  proxy.cut_all_and_refuse();
  ASSERT_TRUE(wait_for_metric(listening.port(), "gridcase_event_listener_up 0", 10s))
      << listening.log();
  const std::string missed = report_case(writing.port(), kDemoPlace);  // committed meanwhile
  proxy.admit();
  ASSERT_TRUE(wait_for_metric(listening.port(), "gridcase_event_listener_up 1", 15s))
      << listening.log();

  for (std::optional<SseEvent> event = feed.next(15s); event; event = feed.next(15s)) {
    if (json::parse(event->data).at("case_no") == missed) {
      // Then live events again, and the missed one not twice.
      const std::string live = report_case(writing.port(), kDemoPlace);
      for (event = feed.next(15s); event; event = feed.next(15s)) {
        const json data = json::parse(event->data);
        EXPECT_NE(data.at("case_no"), missed) << "delivered twice";
        if (data.at("case_no") == live) return;
      }
      FAIL() << "the live event of " << live << " never arrived after the catch-up";
    }
  }
  ADD_FAILURE() << "the event of " << missed << ", committed while the listener was away, "
                << "never reached the open stream:\n"
                << listening.log();
}

TEST(LiveFeedShutdownTest, StoppingTheServerEndsItsOpenStreamsPromptly) {
  ServerProcess server{e2e_database_url()};
  EventStreamClient feed{server.port(), "/api/v1/events/stream", dispatcher()};
  ASSERT_EQ(feed.response().status, 200U);

  server.terminate(0ms);  // SIGTERM, without waiting for the exit

  EXPECT_TRUE(feed.wait_closed(2s));
  EXPECT_EQ(server.terminate(15s), 0) << server.log();
}

}  // namespace
}  // namespace gridcase::testing
