#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>
#include <utility>

namespace gridcase::testing {

/// How often eventually() asks: short against the deadlines, long enough not to steal the CPU
/// from the process under test.
inline constexpr std::chrono::milliseconds kPollEvery{10};

/// Asks `condition` every kPollEvery until it holds or `within` has passed, and says whether it
/// held: a test waits for what it needs instead of sleeping for a guess.
template <class Condition, class Rep, class Period>
[[nodiscard]] bool poll_until(Condition&& condition, std::chrono::duration<Rep, Period> within) {
  const std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::now() + within;
  for (;;) {
    if (condition()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(kPollEvery);
  }
}

/// poll_until as an assertion: a gtest failure naming `what` when the deadline passes first.
/// Use with EXPECT_TRUE / ASSERT_TRUE: ASSERT_TRUE(eventually([&] { ... }, 5s, "the row appears")).
template <class Condition, class Rep, class Period>
[[nodiscard]] ::testing::AssertionResult eventually(Condition&& condition,
                                                    std::chrono::duration<Rep, Period> within,
                                                    const std::string& what) {
  if (poll_until(std::forward<Condition>(condition), within)) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << "not within " << std::chrono::duration_cast<std::chrono::milliseconds>(within).count()
         << " ms: " << what;
}

}  // namespace gridcase::testing
