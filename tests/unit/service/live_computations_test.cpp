#include "gridcase/service/live_computations.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <optional>
#include <vector>

#include "gridcase/domain/error.hpp"
#include "run_sync.hpp"

namespace gridcase::service {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;

std::optional<domain::Error> refusal_of(LiveComputations& live, const std::string& account) {
  try {
    testing::run_sync(live.enter(account));
  } catch (const domain::Error& error) {
    return error;
  }
  return std::nullopt;
}

TEST(LiveComputationsTest, AFullQueueIsUnavailableWithRetryAfter) {
  LiveComputations live{LiveComputationLimits{1, 0, 5, 7s}};
  LiveComputations::Permit held = testing::run_sync(live.enter("a"));

  const std::optional<domain::Error> refused = refusal_of(live, "b");

  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->code(), domain::ErrorCode::kUnavailable);
  EXPECT_EQ(refused->details().retry_after, 7s);
  held = {};
  EXPECT_FALSE(refusal_of(live, "b"));  // the slot was given back
  EXPECT_EQ(live.running(), 0);
}

TEST(LiveComputationsTest, OneAccountOverItsShareIsRateLimitedOthersAreNot) {
  LiveComputations live{LiveComputationLimits{4, 4, 1, 3s}};
  LiveComputations::Permit held = testing::run_sync(live.enter("a"));

  const std::optional<domain::Error> refused = refusal_of(live, "a");

  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->code(), domain::ErrorCode::kRateLimited);
  EXPECT_EQ(refused->details().retry_after, 3s);
  EXPECT_FALSE(refusal_of(live, "b"));
}

TEST(LiveComputationsTest, WaitersGetTheSlotInArrivalOrderWhenItIsGivenBack) {
  LiveComputations live{LiveComputationLimits{1, 2, 5, 5s}};
  asio::io_context io;
  std::vector<std::string> order;
  std::optional<LiveComputations::Permit> first;
  const auto take = [&](std::string account, bool keep) -> asio::awaitable<void> {
    LiveComputations::Permit permit = co_await live.enter(account);
    order.push_back(account);
    if (keep) first = std::move(permit);
  };
  asio::co_spawn(io, take("a", true), asio::detached);
  asio::co_spawn(io, take("b", false), asio::detached);
  asio::co_spawn(io, take("c", false), asio::detached);
  io.run_for(100ms);  // b and c wait (their timers would keep run() going)
  EXPECT_EQ(order, std::vector<std::string>{"a"});
  EXPECT_EQ(live.waiting(), 2U);

  first.reset();
  io.restart();
  io.run_for(100ms);

  EXPECT_EQ(order, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(live.running(), 0);
  EXPECT_EQ(live.waiting(), 0U);
}

}  // namespace
}  // namespace gridcase::service
