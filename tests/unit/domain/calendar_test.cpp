#include "gridcase/domain/calendar.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

namespace gridcase::domain {
namespace {

using namespace std::chrono_literals;
using std::chrono::milliseconds;
using std::chrono::year_month_day;

// Local +08:00 wall time written out, converted to UTC by hand (not by the calendar under test).
Timestamp beijing(year_month_day date, std::chrono::minutes time_of_day) {
  return Timestamp{std::chrono::sys_days{date} + time_of_day - 8h};
}

constexpr year_month_day kMonday = 2026y / 11 / 23;
constexpr year_month_day kTuesday = 2026y / 11 / 24;
constexpr year_month_day kFriday = 2026y / 11 / 27;
constexpr year_month_day kSaturday = 2026y / 11 / 28;
constexpr year_month_day kNextMonday = 2026y / 11 / 30;

const WorkCalendar& demo() {
  static const WorkCalendar calendar = WorkCalendar::demo();
  return calendar;
}

// ---- urgent and natural units ignore the calendar ----

TEST(CalendarDeadlineTest, UrgentHoursRunDayAndNight) {
  const Timestamp start = beijing(kFriday, 17h);

  const Timestamp deadline = demo().deadline(start, {2, LimitUnit::kUrgentHour});

  EXPECT_EQ(deadline, beijing(kFriday, 19h));
}

TEST(CalendarDeadlineTest, NaturalDaysAreTwentyFourHoursAcrossWeekends) {
  const Timestamp start = beijing(kFriday, 17h);

  const Timestamp deadline = demo().deadline(start, {3, LimitUnit::kNaturalDay});

  EXPECT_EQ(deadline, beijing(kNextMonday, 17h));
  EXPECT_EQ(deadline, demo().deadline(start, {72, LimitUnit::kUrgentHour}));
}

TEST(CalendarDeadlineTest, NaturalDaysIgnoreHolidays) {
  const Timestamp start = beijing(2026y / 9 / 30, 17h);

  EXPECT_EQ(demo().deadline(start, {1, LimitUnit::kNaturalDay}), beijing(2026y / 10 / 1, 17h));
}

// ---- work_day: the cases written in domain.md §7 ----

TEST(CalendarDeadlineTest, OneWorkDayFromMondayTenEndsTuesdayTen) {
  const Timestamp deadline = demo().deadline(beijing(kMonday, 10h), {1, LimitUnit::kWorkDay});

  EXPECT_EQ(deadline, beijing(kTuesday, 10h));
}

TEST(CalendarDeadlineTest, OneWorkDayFromSaturdayEndsMondayAtSix) {
  const Timestamp deadline = demo().deadline(beijing(kSaturday, 10h), {1, LimitUnit::kWorkDay});

  EXPECT_EQ(deadline, beijing(kNextMonday, 18h));
}

TEST(CalendarDeadlineTest, AWorkDayIsSevenWorkHoursInTheDemoCalendar) {
  EXPECT_EQ(demo().work_day_length(), 7h);
  EXPECT_EQ(demo().deadline(beijing(kMonday, 11h), {1, LimitUnit::kWorkDay}),
            demo().deadline(beijing(kMonday, 11h), {7, LimitUnit::kWorkHour}));
}

TEST(CalendarDeadlineTest, ThirtyWorkDaysSkipWeekendsAndNewYearsDay) {
  const Timestamp deadline = demo().deadline(beijing(kMonday, 10h), {30, LimitUnit::kWorkDay});

  EXPECT_EQ(deadline, beijing(2027y / 1 / 5, 10h));
}

// ---- work_hour ----

TEST(CalendarDeadlineTest, WorkHoursSpanTheLunchBreak) {
  const Timestamp deadline = demo().deadline(beijing(kMonday, 11h), {2, LimitUnit::kWorkHour});

  EXPECT_EQ(deadline, beijing(kMonday, 15h + 30min));
}

TEST(CalendarDeadlineTest, WorkHoursSpanSeveralDaysAndLunches) {
  // Mon 10:00–12:00 (2) + 14:30–18:00 (3.5) + Tue 08:30–12:00 (3.5) + 14:30–15:30 (1) = 10 h
  const Timestamp deadline = demo().deadline(beijing(kMonday, 10h), {10, LimitUnit::kWorkHour});

  EXPECT_EQ(deadline, beijing(kTuesday, 15h + 30min));
}

TEST(CalendarDeadlineTest, WorkHoursCrossTheNightAndTheWeekend) {
  const Timestamp deadline = demo().deadline(beijing(kFriday, 17h), {3, LimitUnit::kWorkHour});

  EXPECT_EQ(deadline, beijing(kNextMonday, 10h + 30min));
}

TEST(CalendarDeadlineTest, StartDuringLunchCountsFromTheAfternoonPeriod) {
  const Timestamp deadline =
      demo().deadline(beijing(kMonday, 12h + 30min), {1, LimitUnit::kWorkHour});

  EXPECT_EQ(deadline, beijing(kMonday, 15h + 30min));
}

TEST(CalendarDeadlineTest, StartAtNightCountsFromTheNextMorning) {
  const Timestamp deadline = demo().deadline(beijing(kMonday, 20h), {1, LimitUnit::kWorkHour});

  EXPECT_EQ(deadline, beijing(kTuesday, 9h + 30min));
}

TEST(CalendarDeadlineTest, StartBeforeMidnightUtcOnALocalMorningUsesTheLocalDate) {
  // 2026-11-23 07:00 local is 2026-11-22 23:00 UTC, a Sunday in UTC but a Monday here.
  const Timestamp deadline = demo().deadline(beijing(kMonday, 7h), {1, LimitUnit::kWorkHour});

  EXPECT_EQ(deadline, beijing(kMonday, 9h + 30min));
}

TEST(CalendarDeadlineTest, StartExactlyAtAPeriodStartCountsAtOnce) {
  const Timestamp deadline =
      demo().deadline(beijing(kMonday, 8h + 30min), {1, LimitUnit::kWorkHour});

  EXPECT_EQ(deadline, beijing(kMonday, 9h + 30min));
}

TEST(CalendarDeadlineTest, StartExactlyAtAPeriodEndCountsFromTheNextPeriod) {
  const Timestamp deadline = demo().deadline(beijing(kMonday, 12h), {1, LimitUnit::kWorkHour});

  EXPECT_EQ(deadline, beijing(kMonday, 15h + 30min));
}

TEST(CalendarDeadlineTest, DeadlineThatFillsAPeriodExactlyStaysAtItsEnd) {
  const Timestamp deadline = demo().deadline(beijing(kMonday, 11h), {1, LimitUnit::kWorkHour});

  EXPECT_EQ(deadline, beijing(kMonday, 12h));
}

TEST(CalendarDeadlineTest, NationalDayHolidaysAreSkipped) {
  // Wed 30 Sep 17:00–18:00, then Thu 1 – Sat 3 Oct holidays and Sunday: Mon 5 Oct 08:30–09:30.
  const Timestamp deadline =
      demo().deadline(beijing(2026y / 9 / 30, 17h), {2, LimitUnit::kWorkHour});

  EXPECT_EQ(deadline, beijing(2026y / 10 / 5, 9h + 30min));
}

TEST(CalendarDeadlineTest, NewYearsDayOnAFridayIsSkipped) {
  const Timestamp deadline =
      demo().deadline(beijing(2026y / 12 / 31, 17h + 30min), {1, LimitUnit::kWorkHour});

  EXPECT_EQ(deadline, beijing(2027y / 1 / 4, 9h));
}

TEST(CalendarDeadlineTest, ZeroLimitEndsWhereItStarts) {
  const Timestamp start = beijing(kSaturday, 3h);

  EXPECT_EQ(demo().deadline(start, {0, LimitUnit::kWorkDay}), start);
}

TEST(CalendarDeadlineTest, NegativeLimitIsRefused) {
  EXPECT_THROW(demo().deadline(beijing(kMonday, 9h), {-1, LimitUnit::kWorkHour}), Error);
}

TEST(CalendarDeadlineTest, WorkingTimeUpToADeadlineIsItsLimitForEveryStartInAWeek) {
  for (milliseconds offset{0}; offset < std::chrono::days{7}; offset += 25min) {
    const Timestamp start = beijing(kMonday, 0min) + offset;
    for (TimeLimit limit : {TimeLimit{1, LimitUnit::kWorkHour}, TimeLimit{4, LimitUnit::kWorkHour},
                            TimeLimit{3, LimitUnit::kWorkDay}}) {
      const Timestamp deadline = demo().deadline(start, limit);

      EXPECT_EQ(demo().working_time_between(start, deadline), demo().length_of(limit));
    }
  }
}

// ---- year-specific holidays and swapped working days ----

WorkCalendar national_day_2026() {
  WorkCalendarSpec spec = WorkCalendar::demo().spec();
  spec.holidays = {2026y / 10 / 5, 2026y / 10 / 6, 2026y / 10 / 7};
  spec.swapped_working_days = {2026y / 10 / 10};  // a Saturday worked in exchange
  return WorkCalendar(spec);
}

TEST(CalendarDeadlineTest, YearSpecificHolidaysExtendTheBreak) {
  const Timestamp deadline =
      national_day_2026().deadline(beijing(2026y / 9 / 30, 17h), {2, LimitUnit::kWorkHour});

  EXPECT_EQ(deadline, beijing(2026y / 10 / 8, 9h + 30min));
}

TEST(CalendarDeadlineTest, SwappedSaturdayIsWorkedLikeAWeekday) {
  const WorkCalendar calendar = national_day_2026();

  EXPECT_EQ(calendar.deadline(beijing(2026y / 10 / 9, 17h), {2, LimitUnit::kWorkHour}),
            beijing(2026y / 10 / 10, 9h + 30min));
  EXPECT_EQ(calendar.deadline(beijing(2026y / 10 / 10, 12h), {1, LimitUnit::kWorkHour}),
            beijing(2026y / 10 / 10, 15h + 30min));
}

TEST(CalendarDeadlineTest, SwappedDayWinsOverAFixedHolidayRule) {
  WorkCalendarSpec spec = WorkCalendar::demo().spec();
  spec.swapped_working_days = {2026y / 10 / 2};
  const WorkCalendar calendar(spec);

  EXPECT_TRUE(calendar.is_working_day(2026y / 10 / 2));
  EXPECT_FALSE(calendar.is_working_day(2026y / 10 / 1));
}

TEST(CalendarDeadlineTest, SwappedDayWorksTheLongestWeekday) {
  WorkCalendarSpec spec;
  spec.working_periods = {{std::chrono::Monday, 9h, 17h}, {std::chrono::Friday, 9h, 12h}};
  spec.swapped_working_days = {kSaturday};
  const WorkCalendar calendar(spec);

  EXPECT_EQ(calendar.work_day_length(), 8h);
  EXPECT_EQ(calendar.deadline(beijing(kSaturday, 0min), {1, LimitUnit::kWorkDay}),
            beijing(kSaturday, 17h));
}

TEST(CalendarTest, WorkingDaysFollowWeekdaysAndHolidays) {
  EXPECT_TRUE(demo().is_working_day(kMonday));
  EXPECT_FALSE(demo().is_working_day(kSaturday));
  EXPECT_FALSE(demo().is_working_day(2026y / 10 / 1));
  EXPECT_FALSE(demo().is_working_day(2027y / 5 / 1));
  EXPECT_FALSE(demo().is_working_day(2030y / 1 / 1));
  EXPECT_TRUE(demo().is_working_day(2026y / 10 / 5));
}

TEST(CalendarTest, LocalDateFollowsTheUtcOffset) {
  const Timestamp late_monday = beijing(kMonday, 23h + 30min);
  const Timestamp early_tuesday = beijing(kTuesday, 30min);

  EXPECT_EQ(demo().local_date(late_monday), kMonday);
  EXPECT_EQ(demo().local_date(early_tuesday), kTuesday);
  EXPECT_EQ(demo().to_utc(demo().to_local(early_tuesday)), early_tuesday);
}

TEST(CalendarTest, OtherOffsetsMoveTheWorkingPeriods) {
  WorkCalendarSpec spec = WorkCalendar::demo().spec();
  spec.utc_offset = 0min;
  const WorkCalendar utc(spec);
  const Timestamp monday_9_utc = std::chrono::sys_days{kMonday} + 9h;

  EXPECT_EQ(utc.deadline(monday_9_utc, {1, LimitUnit::kWorkHour}),
            std::chrono::sys_days{kMonday} + 10h);
}

// ---- working time between two instants ----

TEST(CalendarWorkingTimeTest, FullWorkingDayIsSevenHours) {
  EXPECT_EQ(demo().working_time_between(beijing(kMonday, 10h), beijing(kTuesday, 10h)), 7h);
}

TEST(CalendarWorkingTimeTest, LunchIsNotWorkingTime) {
  EXPECT_EQ(demo().working_time_between(beijing(kMonday, 11h), beijing(kMonday, 15h)), 90min);
}

TEST(CalendarWorkingTimeTest, WeekendIsNotWorkingTime) {
  EXPECT_EQ(demo().working_time_between(beijing(kFriday, 17h), beijing(kNextMonday, 9h)), 90min);
}

TEST(CalendarWorkingTimeTest, ReversedIntervalIsEmpty) {
  EXPECT_EQ(demo().working_time_between(beijing(kTuesday, 10h), beijing(kMonday, 10h)), 0ms);
}

TEST(CalendarWorkingTimeTest, AYearOfWorkingTimeIsCountedDayByDay) {
  const Timestamp start = beijing(2026y / 1 / 1, 0min);
  const Timestamp end = beijing(2027y / 1 / 1, 0min);

  // 2026 has 261 weekdays, of which 1 Jan (Thu), 1 May (Fri), 1 Oct (Thu) and 2 Oct (Fri) are
  // holidays (3 Oct is a Saturday): 257 working days of 7 h.
  EXPECT_EQ(demo().working_time_between(start, end), 257 * 7h);
}

TEST(CalendarWorkingTimeTest, AThousandWorkDayDeadlineIsExactAndCheap) {
  const Timestamp start = beijing(kMonday, 10h);

  const Timestamp deadline = demo().deadline(start, {1000, LimitUnit::kWorkDay});

  EXPECT_EQ(demo().working_time_between(start, deadline), 7000h);
  EXPECT_GT(demo().local_date(deadline), 2030y / 1 / 1);
}

TEST(CalendarWorkingTimeTest, ElapsedIsExpressedInTheLimitsUnit) {
  const Timestamp start = beijing(kMonday, 8h + 30min);
  const Timestamp now = beijing(kTuesday, 12h);  // 7 h + 3.5 h of work, 27.5 wall hours

  EXPECT_DOUBLE_EQ(demo().elapsed_in_unit(start, now, LimitUnit::kWorkDay), 1.5);
  EXPECT_DOUBLE_EQ(demo().elapsed_in_unit(start, now, LimitUnit::kWorkHour), 10.5);
  EXPECT_DOUBLE_EQ(demo().elapsed_in_unit(start, now, LimitUnit::kUrgentHour), 27.5);
  EXPECT_DOUBLE_EQ(demo().elapsed_in_unit(start, now, LimitUnit::kNaturalDay), 27.5 / 24);
}

// ---- validation ----

bool has_field(const std::vector<FieldError>& errors, const std::string& field) {
  return std::any_of(errors.begin(), errors.end(),
                     [&](const FieldError& error) { return error.field == field; });
}

TEST(CalendarValidationTest, DemoCalendarIsValid) {
  EXPECT_TRUE(validate_work_calendar(WorkCalendar::demo().spec()).empty());
}

TEST(CalendarValidationTest, OverlappingPeriodsOnOneWeekdayAreReported) {
  WorkCalendarSpec spec;
  spec.working_periods = {{std::chrono::Monday, 8h, 12h},
                          {std::chrono::Tuesday, 11h, 13h},
                          {std::chrono::Monday, 11h, 13h},
                          {std::chrono::Monday, 12h, 14h}};

  const std::vector<FieldError> errors = validate_work_calendar(spec);

  ASSERT_EQ(errors.size(), 2U);
  EXPECT_EQ(errors[0], (FieldError{"working_periods[2]", "overlaps working_periods[0]"}));
  EXPECT_EQ(errors[1], (FieldError{"working_periods[3]", "overlaps working_periods[2]"}));
}

TEST(CalendarValidationTest, TouchingPeriodsDoNotOverlap) {
  WorkCalendarSpec spec;
  spec.working_periods = {{std::chrono::Monday, 8h, 12h}, {std::chrono::Monday, 12h, 14h}};

  EXPECT_TRUE(validate_work_calendar(spec).empty());
}

TEST(CalendarValidationTest, PeriodsOutsideTheDayOrReversedAreReported) {
  WorkCalendarSpec spec;
  spec.working_periods = {{std::chrono::Monday, 12h, 8h},
                          {std::chrono::Monday, 23h, 25h},
                          {std::chrono::Monday, -1h, 1h},
                          {std::chrono::weekday{9}, 8h, 9h}};

  const std::vector<FieldError> errors = validate_work_calendar(spec);

  EXPECT_TRUE(has_field(errors, "working_periods[0]"));
  EXPECT_TRUE(has_field(errors, "working_periods[1].end"));
  EXPECT_TRUE(has_field(errors, "working_periods[2].start"));
  EXPECT_TRUE(has_field(errors, "working_periods[3].weekday"));
  EXPECT_TRUE(has_field(errors, "working_periods"));  // none of them is usable
}

TEST(CalendarValidationTest, PeriodMayEndAtMidnight) {
  WorkCalendarSpec spec;
  spec.working_periods = {{std::chrono::Sunday, 20h, 24h}};

  EXPECT_TRUE(validate_work_calendar(spec).empty());
}

TEST(CalendarValidationTest, BadOffsetDatesAndConflictsAreReported) {
  WorkCalendarSpec spec = WorkCalendar::demo().spec();
  spec.utc_offset = 15h;
  spec.fixed_holidays.push_back(std::chrono::February / 30);
  spec.holidays = {2026y / 10 / 5, 2026y / 2 / 29};
  spec.swapped_working_days = {2026y / 10 / 5};

  const std::vector<FieldError> errors = validate_work_calendar(spec);

  EXPECT_TRUE(has_field(errors, "utc_offset"));
  EXPECT_TRUE(has_field(errors, "fixed_holidays[5]"));
  EXPECT_TRUE(has_field(errors, "holidays[1]"));
  EXPECT_TRUE(has_field(errors, "swapped_working_days[0]"));
  EXPECT_EQ(errors.size(), 4U);
}

TEST(CalendarValidationTest, ConstructingAnInvalidCalendarThrowsEveryProblem) {
  WorkCalendarSpec spec;
  spec.utc_offset = -15h;

  try {
    const WorkCalendar calendar(spec);
    FAIL() << "expected an Error";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::kInvalidValue);
    EXPECT_EQ(error.details().fields.size(), 2U);
  }
}

}  // namespace
}  // namespace gridcase::domain
