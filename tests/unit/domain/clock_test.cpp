#include "gridcase/domain/clock.hpp"

#include <gtest/gtest.h>

namespace gridcase::domain {
namespace {

using std::chrono::milliseconds;

Timestamp at(long long ms) { return Timestamp{milliseconds{ms}}; }

TEST(ClockOffsetTest, IsTheDatabasesReadingLessTheMiddleOfTheRoundTrip) {
  EXPECT_EQ(clock_offset(at(1000), at(1500), at(1200)), milliseconds{400});
  EXPECT_EQ(clock_offset(at(1000), at(700), at(1200)), milliseconds{-400});
}

TEST(ClockOffsetTest, UpToTheLimitEitherWayIsNoProblem) {
  EXPECT_FALSE(clock_offset_problem(milliseconds{0}).has_value());
  EXPECT_FALSE(clock_offset_problem(kMaxClockOffset).has_value());
  EXPECT_FALSE(clock_offset_problem(-kMaxClockOffset).has_value());
}

TEST(ClockOffsetTest, BeyondTheLimitSaysWhichWayAndHowFar) {
  const std::optional<std::string> behind = clock_offset_problem(kMaxClockOffset + milliseconds{1});
  ASSERT_TRUE(behind.has_value());
  EXPECT_NE(behind->find("1001 ms behind"), std::string::npos) << *behind;
  const std::optional<std::string> ahead = clock_offset_problem(milliseconds{-2500});
  ASSERT_TRUE(ahead.has_value());
  EXPECT_NE(ahead->find("2500 ms ahead of"), std::string::npos) << *ahead;
}

}  // namespace
}  // namespace gridcase::domain
