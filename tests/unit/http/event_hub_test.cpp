#include "http/event_hub.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_future.hpp>
#include <nlohmann/json.hpp>

#include "gridcase/domain/error.hpp"

namespace gridcase::http {
namespace {

using namespace std::chrono_literals;
namespace asio = boost::asio;

/// A payload as gridcase_announce_event sends it (json_build_object spacing, +00:00 offset).
std::string payload(long long id, const std::string& case_no,
                    const std::optional<std::string>& grid_path) {
  return "{\"id\" : " + std::to_string(id) + ", \"case_no\" : \"" + case_no +
         "\", \"grid_path\" : " + (grid_path ? "\"" + *grid_path + "\"" : std::string("null")) +
         ", \"unit\" : null, \"action\" : \"receive\", \"from\" : null, \"to\" : \"received\", "
         "\"actor\" : \"op1\", \"at\" : \"2026-11-25T10:00:00.12+00:00\"}";
}

const std::string kCell = "150203.150203004.150203004007.150203004007017";

FeedEvent located(long long id = 12) {
  return *parse_feed_event(payload(id, "150203-20261125-000042", kCell));
}
FeedEvent unlocated() {
  return *parse_feed_event(payload(13, "150203-20261125-000043", std::nullopt));
}

TEST(FeedEventTest, MessageIsOneServerSentEventWithTheEventIdAndJsonData) {
  const FeedEvent event = located();

  const std::string prefix = "id: 12\nevent: case_event\ndata: ";
  ASSERT_TRUE(event.message.starts_with(prefix)) << event.message;
  ASSERT_TRUE(event.message.ends_with("\n\n"));
  const std::string data =
      event.message.substr(prefix.size(), event.message.size() - prefix.size() - 2);
  EXPECT_EQ(data.find('\n'), std::string::npos);
  const nlohmann::json document = nlohmann::json::parse(data);
  EXPECT_EQ(document.at("case_no"), "150203-20261125-000042");
  EXPECT_EQ(document.at("grid_path"), kCell);
  EXPECT_EQ(document.at("action"), "receive");
  EXPECT_EQ(document.at("to"), "received");
}

TEST(FeedEventTest, TheIdOfARenderedMessageIsReadBack) {
  EXPECT_EQ(feed_message_id(located(12).message), 12);
  EXPECT_EQ(feed_message_id(located(9007199254740993LL).message), 9007199254740993LL);
  EXPECT_EQ(feed_message_id(": keep-alive\n\n"), std::nullopt);
  EXPECT_EQ(feed_message_id("id: \n"), std::nullopt);
  EXPECT_EQ(feed_message_id("id: 12"), std::nullopt) << "no end of line";
  EXPECT_EQ(feed_message_id("id: 12x\n"), std::nullopt);
}

TEST(FeedEventTest, TimeIsRfc3339InUtcWithZ) {
  const std::string message = located().message;

  EXPECT_NE(message.find("\"at\":\"2026-11-25T10:00:00.120Z\""), std::string::npos) << message;
}

TEST(FeedEventTest, FieldsAreReadFromThePayload) {
  const FeedEvent event = located(99);

  EXPECT_EQ(event.id, 99);
  EXPECT_EQ(event.case_no, "150203-20261125-000042");
  EXPECT_EQ(event.grid_path, kCell);
  EXPECT_FALSE(unlocated().grid_path.has_value());
}

TEST(FeedEventTest, SomethingElseOnTheChannelIsNotAnEvent) {
  EXPECT_FALSE(parse_feed_event("hello").has_value());
  EXPECT_FALSE(parse_feed_event("[1]").has_value());
  EXPECT_FALSE(parse_feed_event(R"({"case_no": "150203-20261125-000042"})").has_value());
  EXPECT_FALSE(parse_feed_event(R"({"id": "12", "case_no": "x"})").has_value());
}

TEST(FeedFilterTest, TheWholeDistrictGetsEveryEvent) {
  EXPECT_TRUE(is_in_feed(located(), FeedFilter{std::nullopt}));
  EXPECT_TRUE(is_in_feed(unlocated(), FeedFilter{std::nullopt}));
}

TEST(FeedFilterTest, ANodeGetsTheEventsOfItsSubtree) {
  EXPECT_TRUE(is_in_feed(located(), FeedFilter{"150203"}));
  EXPECT_TRUE(is_in_feed(located(), FeedFilter{"150203004"}));
  EXPECT_TRUE(is_in_feed(located(), FeedFilter{"150203004007"}));
  EXPECT_TRUE(is_in_feed(located(), FeedFilter{"150203004007017"}));
}

TEST(FeedFilterTest, ANodeDoesNotGetTheEventsOfOtherSubtrees) {
  EXPECT_FALSE(is_in_feed(located(), FeedFilter{"150203005"}));
  EXPECT_FALSE(is_in_feed(located(), FeedFilter{"150203004008"}));
  EXPECT_FALSE(is_in_feed(located(), FeedFilter{"150203004007018"}));
  EXPECT_FALSE(is_in_feed(located(), FeedFilter{"150204"}));
}

FeedEvent dispatched_to(const char* unit, const char* cell) {
  return *parse_feed_event(
      std::string(R"({"id": 14, "case_no": "150203-20261125-000044", "grid_path": ")") +
      "150203.150203004.150203004007." + cell + R"(", "unit": ")" + unit + R"(", "cell": ")" +
      cell + R"(", "action": "urge"})");
}

TEST(FeedFilterTest, AUnitGetsOnlyTheEventsOfCasesDispatchedToIt) {
  FeedFilter unit_staff;
  unit_staff.unit = "150203004-enforcement";

  EXPECT_TRUE(is_in_feed(dispatched_to("150203004-enforcement", "150203004007017"), unit_staff));
  EXPECT_FALSE(is_in_feed(dispatched_to("150203004-sanitation", "150203004007017"), unit_staff));
  EXPECT_FALSE(is_in_feed(located(), unit_staff)) << "not dispatched at all";
}

TEST(FeedFilterTest, AnOfficerGetsOnlyTheEventsOfTheirCells) {
  FeedFilter officer;
  officer.cells = std::vector<std::string>{"150203004007017", "150203004007018"};

  EXPECT_TRUE(is_in_feed(dispatched_to("150203004-enforcement", "150203004007018"), officer));
  EXPECT_FALSE(is_in_feed(dispatched_to("150203004-enforcement", "150203004007019"), officer));
  EXPECT_FALSE(is_in_feed(unlocated(), officer));
}

TEST(FeedFilterTest, UnlocatedCasesGoOnlyToTheirWholeDistrict) {
  EXPECT_TRUE(is_in_feed(unlocated(), FeedFilter{"150203"}));
  EXPECT_FALSE(is_in_feed(unlocated(), FeedFilter{"150204"}));
  EXPECT_FALSE(is_in_feed(unlocated(), FeedFilter{"150203004"}));
}

/// Runs `work` on `strand` (where the subscriptions deliver) until `io` has nothing left to do.
template <class T>
T run_on(asio::io_context& io, const asio::any_io_executor& strand, asio::awaitable<T> work) {
  std::future<T> result = asio::co_spawn(strand, std::move(work), asio::use_future);
  io.restart();
  io.run();
  return result.get();
}

StreamOwner owned_by(const std::string& username) {
  StreamOwner owner;
  owner.token = "token of " + username;
  owner.actor.id = username;
  return owner;
}

/// The error subscribe() refuses with; kInternal when it does not refuse.
domain::ErrorCode refusal_of(EventHub& hub, const asio::any_io_executor& strand,
                             StreamOwner owner = {}) {
  try {
    hub.subscribe(strand, FeedFilter{std::nullopt}, std::move(owner));
  } catch (const domain::Error& error) {
    return error.code();
  }
  return domain::ErrorCode::kInternal;
}

class EventHubTest : public ::testing::Test {
 protected:
  asio::io_context io;
  asio::any_io_executor strand = asio::make_strand(io);
};

TEST_F(EventHubTest, SubscribersGetTheEventsOfTheirGrid) {
  EventHub hub{10, 10};
  auto street = hub.subscribe(strand, FeedFilter{"150203004"});
  auto other = hub.subscribe(strand, FeedFilter{"150203005"});

  ASSERT_TRUE(hub.publish(payload(12, "150203-20261125-000042", kCell)));

  const auto batch = run_on(io, strand, street->next(10s));
  ASSERT_TRUE(batch.has_value());
  ASSERT_EQ(batch->size(), 1U);
  EXPECT_TRUE((*batch)[0]->starts_with("id: 12\n"));
  const auto nothing = run_on(io, strand, other->next(1ms));
  ASSERT_TRUE(nothing.has_value());
  EXPECT_TRUE(nothing->empty());
}

TEST_F(EventHubTest, EventsArriveInTheOrderTheyWerePublished) {
  EventHub hub{10, 10};
  auto district = hub.subscribe(strand, FeedFilter{std::nullopt});
  for (long long id = 1; id <= 3; ++id) hub.publish(payload(id, "150203-20261125-000042", kCell));

  const auto batch = run_on(io, strand, district->next(10s));

  ASSERT_TRUE(batch.has_value());
  ASSERT_EQ(batch->size(), 3U);
  EXPECT_TRUE((*batch)[0]->starts_with("id: 1\n"));
  EXPECT_TRUE((*batch)[2]->starts_with("id: 3\n"));
}

TEST_F(EventHubTest, AnIdleSubscriptionWakesUpEmptyAfterTheKeepAlive) {
  EventHub hub{10, 10};
  auto district = hub.subscribe(strand, FeedFilter{std::nullopt});

  const auto batch = run_on(io, strand, district->next(5ms));

  ASSERT_TRUE(batch.has_value());
  EXPECT_TRUE(batch->empty());
}

TEST_F(EventHubTest, OpenStreamsAreCapped) {
  EventHub hub{2, 10};
  auto first = hub.subscribe(strand, FeedFilter{std::nullopt});
  auto second = hub.subscribe(strand, FeedFilter{std::nullopt});

  EXPECT_EQ(refusal_of(hub, strand), domain::ErrorCode::kUnavailable);
  hub.unsubscribe(first);
  EXPECT_NE(hub.subscribe(strand, FeedFilter{std::nullopt}), nullptr);
  EXPECT_EQ(hub.size(), 2U);
}

TEST_F(EventHubTest, OneAccountsOpenStreamsAreCappedAndOthersStillGetTheirs) {
  EventHub hub{10, 10, 2};
  auto first = hub.subscribe(strand, FeedFilter{std::nullopt}, owned_by("alice"));
  auto second = hub.subscribe(strand, FeedFilter{std::nullopt}, owned_by("alice"));

  EXPECT_EQ(refusal_of(hub, strand, owned_by("alice")), domain::ErrorCode::kRateLimited);
  try {
    hub.subscribe(strand, FeedFilter{std::nullopt}, owned_by("alice"));
    ADD_FAILURE() << "a third stream of one account was let in";
  } catch (const domain::Error& refused) {
    EXPECT_EQ(refused.details().retry_after, std::chrono::seconds{5}) << "429 needs Retry-After";
  }
  EXPECT_NE(hub.subscribe(strand, FeedFilter{std::nullopt}, owned_by("bob")), nullptr);
  hub.unsubscribe(first);
  EXPECT_NE(hub.subscribe(strand, FeedFilter{std::nullopt}, owned_by("alice")), nullptr);
}

TEST_F(EventHubTest, ASubscriptionEndsWhenItsTokenExpiresWhateverTheKeepAlive) {
  EventHub hub{10, 10};
  StreamOwner owner = owned_by("alice");
  owner.expires = std::chrono::steady_clock::now() + 20ms;
  auto district = hub.subscribe(strand, FeedFilter{std::nullopt}, owner);

  const auto started = std::chrono::steady_clock::now();
  const auto batch = run_on(io, strand, district->next(10s));

  EXPECT_FALSE(batch.has_value());
  EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
  EXPECT_GE(std::chrono::steady_clock::now(), owner.expires);
}

TEST_F(EventHubTest, ASubscriberFallingTooFarBehindIsClosedInsteadOfQueueingMore) {
  EventHub hub{10, 2};
  auto slow = hub.subscribe(strand, FeedFilter{std::nullopt});
  bool dropped = false;
  slow->on_overflow([&dropped] { dropped = true; });
  for (long long id = 1; id <= 3; ++id) hub.publish(payload(id, "150203-20261125-000042", kCell));

  const auto batch = run_on(io, strand, slow->next(10s));

  EXPECT_FALSE(batch.has_value());
  EXPECT_TRUE(slow->overflowed());
  EXPECT_TRUE(dropped);
}

TEST_F(EventHubTest, ASubscriberKeepingUpIsNeverDropped) {
  EventHub hub{10, 2};
  auto reader = hub.subscribe(strand, FeedFilter{std::nullopt});
  bool dropped = false;
  reader->on_overflow([&dropped] { dropped = true; });

  for (long long id = 1; id <= 6; id += 2) {
    hub.publish(payload(id, "150203-20261125-000042", kCell));
    hub.publish(payload(id + 1, "150203-20261125-000042", kCell));
    const auto batch = run_on(io, strand, reader->next(10s));
    ASSERT_TRUE(batch.has_value());
    EXPECT_EQ(batch->size(), 2U);
  }

  EXPECT_FALSE(dropped);
}

TEST_F(EventHubTest, AClosedSubscriptionEndsItsWaitAtOnce) {
  EventHub hub{10, 10};
  auto district = hub.subscribe(strand, FeedFilter{std::nullopt});
  district->close();

  EXPECT_FALSE(run_on(io, strand, district->next(10s)).has_value());
}

TEST_F(EventHubTest, AnEventDeliveredOnceIsNotDeliveredAgainWhicheverWayItCameFirst) {
  EventHub hub{10, 10};
  auto district = hub.subscribe(strand, FeedFilter{std::nullopt});
  const std::string case_no = "150203-20261125-000042";

  ASSERT_TRUE(hub.publish(payload(5, case_no, kCell), false));  // replayed by a catch-up
  ASSERT_TRUE(hub.publish(payload(5, case_no, kCell)));         // then notified
  ASSERT_TRUE(hub.publish(payload(4, case_no, kCell), false));  // numbered before, missed
  ASSERT_TRUE(hub.publish(payload(6, case_no, kCell)));
  ASSERT_TRUE(hub.publish(payload(6, case_no, kCell), false));

  const auto batch = run_on(io, strand, district->next(10s));
  ASSERT_TRUE(batch.has_value());
  ASSERT_EQ(batch->size(), 3U);
  EXPECT_TRUE((*batch)[0]->starts_with("id: 5\n"));
  EXPECT_TRUE((*batch)[1]->starts_with("id: 4\n"));
  EXPECT_TRUE((*batch)[2]->starts_with("id: 6\n"));
}

TEST_F(EventHubTest, ThePositionIsTheLastNotifiedEventNotTheLastReplayedOne) {
  EventHub hub{10, 10};
  EXPECT_EQ(hub.position(), std::nullopt);
  hub.start_at(40);
  EXPECT_EQ(hub.position(), 40);
  hub.start_at(41);
  EXPECT_EQ(hub.position(), 40) << "a start never moves a position already set";

  hub.publish(payload(44, "150203-20261125-000042", kCell));
  hub.publish(payload(43, "150203-20261125-000042", kCell));  // commit order, not id order
  hub.publish(payload(50, "150203-20261125-000042", kCell), false);

  EXPECT_EQ(hub.position(), 43);
}

TEST_F(EventHubTest, AResetReachesEveryStreamWithTheNewestId) {
  EventHub hub{10, 10};
  auto street = hub.subscribe(strand, FeedFilter{"150203004"});
  auto other = hub.subscribe(strand, FeedFilter{"150203005"});

  hub.reset(77, 10000);

  for (const auto& subscription : {street, other}) {
    const auto batch = run_on(io, strand, subscription->next(10s));
    ASSERT_TRUE(batch.has_value());
    ASSERT_EQ(batch->size(), 1U);
    EXPECT_TRUE((*batch)[0]->starts_with("id: 77\nevent: reset\ndata: {")) << *(*batch)[0];
  }
}

TEST_F(EventHubTest, ANonEventIsDropped) {
  EventHub hub{10, 10};

  EXPECT_FALSE(hub.publish("not json"));
}

}  // namespace
}  // namespace gridcase::http
