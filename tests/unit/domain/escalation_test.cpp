#include <gtest/gtest.h>

#include "gridcase/domain/timers.hpp"

namespace gridcase::domain {
namespace {

using namespace std::chrono_literals;
using std::chrono::year_month_day;

Timestamp beijing(year_month_day date, std::chrono::minutes time_of_day) {
  return Timestamp{std::chrono::sys_days{date} + time_of_day - 8h};
}

constexpr year_month_day kMonday = 2026y / 11 / 23;
constexpr year_month_day kTuesday = 2026y / 11 / 24;

const WorkCalendar& demo() {
  static const WorkCalendar calendar = WorkCalendar::demo();
  return calendar;
}

/// Monday 09:00 + 2 work hours: deadline 11:00; level 2 after 2 more work hours, at 15:30 (the
/// lunch break 12:00–14:30 does not count).
TimerState two_work_hours() {
  return start_timer(beijing(kMonday, 9h), {2, LimitUnit::kWorkHour}, demo());
}

TEST(EscalationLevelsDueTest, NothingIsDueBeforeTheDeadline) {
  EXPECT_TRUE(
      escalation_levels_due(two_work_hours(), 0, beijing(kMonday, 11h) - 1ms, demo()).empty());
}

TEST(EscalationLevelsDueTest, LevelOneIsDueAtTheDeadline) {
  EXPECT_EQ(escalation_levels_due(two_work_hours(), 0, beijing(kMonday, 11h), demo()),
            std::vector<int>{1});
}

TEST(EscalationLevelsDueTest, AnAnnouncedLevelIsNeverDueAgain) {
  EXPECT_TRUE(escalation_levels_due(two_work_hours(), 1, beijing(kMonday, 11h), demo()).empty());
  EXPECT_TRUE(
      escalation_levels_due(two_work_hours(), 1, beijing(kMonday, 15h + 29min), demo()).empty());
}

TEST(EscalationLevelsDueTest, LevelTwoIsDueAtTwiceTheLimitInWorkingTime) {
  EXPECT_EQ(escalation_levels_due(two_work_hours(), 1, beijing(kMonday, 15h + 30min), demo()),
            std::vector<int>{2});
}

TEST(EscalationLevelsDueTest, NonWorkingHoursDoNotCountTowardsLevelTwo) {
  const TimerState evening =
      start_timer(beijing(kMonday, 17h + 30min), {1, LimitUnit::kWorkHour}, demo());

  // Deadline Tuesday 09:00; twice the limit is Tuesday 10:00, not Monday night.
  EXPECT_TRUE(escalation_levels_due(evening, 0, beijing(kMonday, 23h), demo()).empty());
  EXPECT_EQ(escalation_levels_due(evening, 0, beijing(kTuesday, 9h), demo()), std::vector<int>{1});
  EXPECT_TRUE(escalation_levels_due(evening, 1, beijing(kTuesday, 10h) - 1ms, demo()).empty());
  EXPECT_EQ(escalation_levels_due(evening, 1, beijing(kTuesday, 10h), demo()), std::vector<int>{2});
}

TEST(EscalationLevelsDueTest, ATimerFirstSeenPastTwiceItsLimitOwesBothLevelsInOrder) {
  EXPECT_EQ(escalation_levels_due(two_work_hours(), 0, beijing(kTuesday, 9h), demo()),
            (std::vector<int>{1, 2}));
}

TEST(EscalationLevelsDueTest, ThereIsNoLevelThree) {
  EXPECT_TRUE(escalation_levels_due(two_work_hours(), 2, beijing(kTuesday, 18h), demo()).empty());
}

TEST(EscalationLevelsDueTest, AnApprovedExtensionCountsInTheLimit) {
  const TimerState extended = two_work_hours().on_extension_approved(demo());  // deadline 15:30

  EXPECT_TRUE(escalation_levels_due(extended, 0, beijing(kMonday, 11h), demo()).empty());
  EXPECT_EQ(escalation_levels_due(extended, 0, beijing(kMonday, 15h + 30min), demo()),
            std::vector<int>{1});
  // Twice the limit with its extension is 8 work hours: Tuesday 10:00.
  EXPECT_TRUE(escalation_levels_due(extended, 1, beijing(kTuesday, 10h) - 1ms, demo()).empty());
  EXPECT_EQ(escalation_levels_due(extended, 1, beijing(kTuesday, 10h), demo()),
            std::vector<int>{2});
}

TEST(EscalationLevelsDueTest, APausedTimerOwesNothing) {
  const TimerState paused = two_work_hours().on_suspend(beijing(kMonday, 11h + 30min));

  EXPECT_TRUE(escalation_levels_due(paused, 0, beijing(kTuesday, 9h), demo()).empty());
}

TEST(EscalationLevelsDueTest, UrgentHoursCountDayAndNight) {
  const TimerState urgent = start_timer(beijing(kMonday, 22h), {2, LimitUnit::kUrgentHour}, demo());

  EXPECT_EQ(escalation_levels_due(urgent, 0, beijing(kTuesday, 0h), demo()), std::vector<int>{1});
  EXPECT_EQ(escalation_levels_due(urgent, 1, beijing(kTuesday, 2h), demo()), std::vector<int>{2});
}

}  // namespace
}  // namespace gridcase::domain
