#include <gtest/gtest.h>

#include <chrono>

#include "gridcase/domain/error.hpp"
#include "gridcase/storage/database.hpp"
#include "support/fixed_clock.hpp"
#include "support/test_database.hpp"

namespace gridcase::storage {
namespace {

using std::chrono::milliseconds;

domain::Timestamp system_now_plus(milliseconds shift) {
  return std::chrono::time_point_cast<milliseconds>(std::chrono::system_clock::now()) + shift;
}

// The database runs on this machine: its clock is the system clock, so a clock set off by a
// known amount must be measured off by that amount (within a generous round trip).
TEST(DatabaseClockOffsetTest, AClockBehindTheDatabaseIsMeasuredBehind) {
  const testing::FixedClock clock{system_now_plus(milliseconds{-5000})};

  const milliseconds offset =
      database_clock_offset(testing::database_options(testing::test_database_url()), clock);

  EXPECT_NEAR(static_cast<double>(offset.count()), 5000.0, 500.0);
}

TEST(DatabaseClockOffsetTest, AClockAheadOfTheDatabaseIsMeasuredAhead) {
  const testing::FixedClock clock{system_now_plus(milliseconds{3000})};

  const milliseconds offset =
      database_clock_offset(testing::database_options(testing::test_database_url()), clock);

  EXPECT_NEAR(static_cast<double>(offset.count()), -3000.0, 500.0);
}

TEST(DatabaseClockOffsetTest, AnUnreachableDatabaseIsUnavailable) {
  const testing::FixedClock clock{system_now_plus(milliseconds{0})};
  try {
    database_clock_offset(testing::database_options("postgresql://gridcase@127.0.0.1:1/gridcase"),
                          clock);
    FAIL() << "no exception";
  } catch (const domain::Error& error) {
    EXPECT_EQ(error.code(), domain::ErrorCode::kUnavailable);
  }
}

}  // namespace
}  // namespace gridcase::storage
