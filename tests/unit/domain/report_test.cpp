#include "gridcase/domain/report.hpp"

#include <gtest/gtest.h>

namespace gridcase::domain {
namespace {

using namespace std::chrono_literals;
using std::chrono::year_month_day;

constexpr std::chrono::minutes kBeijing{480};

Timestamp beijing_midnight(year_month_day date) {
  return Timestamp{std::chrono::sys_days{date} - 8h};
}

ReportCounts published_bulletin() {
  ReportCounts counts;
  counts.due = 972;
  counts.closed = 911;
  counts.closed_on_time = 737;
  return counts;
}

// ---- rates ----

TEST(ReportRateTest, PublishedBulletinGivesItsCompletionRate) {
  const ReportMetrics metrics = compute_metrics(published_bulletin(), ScoreWeights{});

  EXPECT_EQ(format_percent(metrics.completion), "93.72%");
}

TEST(ReportRateTest, PublishedBulletinGivesItsOnTimeCompletionRate) {
  const ReportMetrics metrics = compute_metrics(published_bulletin(), ScoreWeights{});

  EXPECT_EQ(format_percent(metrics.on_time_completion), "75.82%");
}

TEST(ReportRateTest, ZeroDenominatorIsUndefinedAndShownAsDash) {
  EXPECT_EQ(rate(0, 0), std::nullopt);
  EXPECT_EQ(rate(5, 0), std::nullopt);
  EXPECT_EQ(format_percent(std::nullopt), "—");
}

TEST(ReportRateTest, ZeroNumeratorIsZeroPercentNotUndefined) {
  EXPECT_EQ(format_percent(rate(0, 4)), "0.00%");
  EXPECT_EQ(format_percent(rate(4, 4)), "100.00%");
}

TEST(ReportRateTest, NothingInThePeriodLeavesEveryRateUndefined) {
  const ReportMetrics metrics = compute_metrics(ReportCounts{}, ScoreWeights{});

  EXPECT_EQ(metrics.completion, std::nullopt);
  EXPECT_EQ(metrics.on_time_completion, std::nullopt);
  for (StageTimer timer : kAllStageTimers) EXPECT_EQ(metrics.timer_rate(timer), std::nullopt);
  EXPECT_EQ(metrics.dispatch_accuracy, std::nullopt);
  EXPECT_EQ(metrics.rework, std::nullopt);
  EXPECT_EQ(metrics.extension, std::nullopt);
  EXPECT_EQ(metrics.satisfaction, std::nullopt);
  EXPECT_EQ(metrics.average_handling_hours, std::nullopt);
  EXPECT_EQ(metrics.score, std::nullopt);
  EXPECT_EQ(metrics.grade, std::nullopt);
}

TEST(ReportRateTest, TimerRateCountsOverdueRunningTimersInTheDenominator) {
  ReportCounts counts;
  counts.timer(StageTimer::kHandling) = TimerCounts{.on_time = 6, .late = 1, .overdue_running = 1};
  counts.timer(StageTimer::kCheck) = TimerCounts{.on_time = 3, .late = 0, .overdue_running = 0};

  const ReportMetrics metrics = compute_metrics(counts, ScoreWeights{});

  EXPECT_EQ(format_percent(metrics.timer_rate(StageTimer::kHandling)), "75.00%");
  EXPECT_EQ(format_percent(metrics.timer_rate(StageTimer::kCheck)), "100.00%");
  EXPECT_EQ(metrics.timer_rate(StageTimer::kVerification), std::nullopt);
}

TEST(ReportRateTest, DispatchReworkExtensionAndSatisfactionRatesHaveTheirOwnDenominators) {
  ReportCounts counts;
  counts.dispatched = 8;
  counts.dispatches_kept = 6;
  counts.closed = 5;
  counts.due = 5;
  counts.closed_reworked = 1;
  counts.closed_extended = 2;
  counts.callbacks_reached = 3;
  counts.callbacks_satisfied = 2;
  counts.handling_instances = 4;
  counts.handling_work_hours = 10;

  const ReportMetrics metrics = compute_metrics(counts, ScoreWeights{});

  EXPECT_EQ(format_percent(metrics.dispatch_accuracy), "75.00%");
  EXPECT_EQ(format_percent(metrics.rework), "20.00%");
  EXPECT_EQ(format_percent(metrics.extension), "40.00%");
  EXPECT_EQ(format_percent(metrics.satisfaction), "66.67%");
  EXPECT_DOUBLE_EQ(*metrics.average_handling_hours, 2.5);
}

// ---- composite score and grade ----

TEST(ReportScoreTest, DefaultWeightsAreFortyFortyTwenty) {
  ReportCounts counts = published_bulletin();
  counts.closed_reworked = 0;

  const std::optional<double> score = composite_score(counts, ScoreWeights{});

  // 40 × 911/972 + 40 × 737/972 + 20 × 1
  ASSERT_TRUE(score.has_value());
  EXPECT_NEAR(*score, 40.0 * 911 / 972 + 40.0 * 737 / 972 + 20.0, 1e-9);
  EXPECT_NEAR(*score, 87.82, 0.005);
  EXPECT_EQ(grade_for(score), Grade::kB);
}

TEST(ReportScoreTest, ReworkLowersTheScore) {
  ReportCounts counts;
  counts.due = 4;
  counts.closed = 4;
  counts.closed_on_time = 4;
  counts.closed_reworked = 1;

  EXPECT_NEAR(*composite_score(counts, ScoreWeights{}), 40 + 40 + 20 * 0.75, 1e-9);
}

TEST(ReportScoreTest, NothingDueLeavesTheScoreUndefined) {
  ReportCounts counts;
  counts.closed_reworked = 0;

  EXPECT_EQ(composite_score(counts, ScoreWeights{}), std::nullopt);
  EXPECT_EQ(compute_metrics(counts, ScoreWeights{}).grade, std::nullopt);
}

TEST(ReportScoreTest, NothingClosedTakesTheReworkTermAsNoRework) {
  ReportCounts counts;
  counts.due = 2;  // two cases past their deadline, none closed

  EXPECT_NEAR(*composite_score(counts, ScoreWeights{}), 20.0, 1e-9);
  EXPECT_EQ(grade_for(composite_score(counts, ScoreWeights{})), Grade::kE);
}

TEST(ReportScoreTest, WeightsAreConfigurable) {
  ReportCounts counts;
  counts.due = 2;
  counts.closed = 1;
  counts.closed_on_time = 0;

  const ScoreWeights completion_only{.completion = 100, .on_time_completion = 0, .no_rework = 0};

  EXPECT_NEAR(*composite_score(counts, completion_only), 50.0, 1e-9);
}

TEST(ReportScoreTest, WeightsMustBeNonNegativeAndAddUpToHundred) {
  EXPECT_TRUE(validate_score_weights(ScoreWeights{}).empty());
  EXPECT_EQ(
      validate_score_weights({.completion = 50, .on_time_completion = 50, .no_rework = 10}).size(),
      1U);
  const std::vector<FieldError> negative =
      validate_score_weights({.completion = 120, .on_time_completion = -20, .no_rework = 0});
  ASSERT_EQ(negative.size(), 1U);
  EXPECT_EQ(negative[0].field, "on_time_completion");
}

TEST(ReportGradeTest, GradesChangeExactlyAtTheirBoundaries) {
  EXPECT_EQ(grade_for(100.0), Grade::kA);
  EXPECT_EQ(grade_for(90.0), Grade::kA);
  EXPECT_EQ(grade_for(89.99), Grade::kB);
  EXPECT_EQ(grade_for(75.0), Grade::kB);
  EXPECT_EQ(grade_for(74.99), Grade::kC);
  EXPECT_EQ(grade_for(60.0), Grade::kC);
  EXPECT_EQ(grade_for(59.99), Grade::kD);
  EXPECT_EQ(grade_for(40.0), Grade::kD);
  EXPECT_EQ(grade_for(39.99), Grade::kE);
  EXPECT_EQ(grade_for(0.0), Grade::kE);
  EXPECT_EQ(grade_for(std::nullopt), std::nullopt);
}

TEST(ReportGradeTest, GradeIsJudgedOnTheScoreAsShown) {
  EXPECT_EQ(grade_for(89.996), Grade::kA);  // shown as 90.00
  EXPECT_EQ(grade_for(89.994), Grade::kB);  // shown as 89.99
}

TEST(ReportGradeTest, GradesHaveLetterNames) {
  EXPECT_EQ(to_string(Grade::kA), "A");
  EXPECT_EQ(to_string(Grade::kE), "E");
}

// ---- backlog ----

TEST(ReportBacklogTest, AgesFallIntoHalfOpenBuckets) {
  EXPECT_EQ(backlog_age(0h), BacklogAge::kUnderOneDay);
  EXPECT_EQ(backlog_age(24h - 1ms), BacklogAge::kUnderOneDay);
  EXPECT_EQ(backlog_age(24h), BacklogAge::kOneToThreeDays);
  EXPECT_EQ(backlog_age(72h), BacklogAge::kThreeToSevenDays);
  EXPECT_EQ(backlog_age(7 * 24h), BacklogAge::kSevenToThirtyDays);
  EXPECT_EQ(backlog_age(30 * 24h - 1ms), BacklogAge::kSevenToThirtyDays);
  EXPECT_EQ(backlog_age(30 * 24h), BacklogAge::kOverThirtyDays);
  EXPECT_EQ(to_string(BacklogAge::kOneToThreeDays), "1_3d");
}

TEST(ReportBacklogTest, BacklogIsTheSumOfTheAgeBuckets) {
  ReportCounts counts;
  counts.backlog_by_age = {1, 2, 0, 0, 4};

  EXPECT_EQ(counts.backlog(), 7);
}

// ---- periods in local time ----

TEST(ReportPeriodTest, DayRunsFromLocalMidnightToLocalMidnight) {
  const PeriodBounds day = period_containing(ReportPeriod::kDay, 2026y / 11 / 30, kBeijing);

  EXPECT_EQ(day.first_day, 2026y / 11 / 30);
  EXPECT_EQ(day.end_day, 2026y / 12 / 1);
  EXPECT_EQ(day.start, beijing_midnight(2026y / 11 / 30));
  EXPECT_EQ(day.end, beijing_midnight(2026y / 12 / 1));
  EXPECT_EQ(day.start, Timestamp{std::chrono::sys_days{2026y / 11 / 29} + 16h});
}

TEST(ReportPeriodTest, WeekIsTheIsoWeekMondayToSunday) {
  // 2026-11-25 is a Wednesday; 2027-01-01 is a Friday whose ISO week starts in 2026.
  const PeriodBounds week = period_containing(ReportPeriod::kWeek, 2026y / 11 / 25, kBeijing);
  const PeriodBounds sunday = period_containing(ReportPeriod::kWeek, 2026y / 11 / 29, kBeijing);
  const PeriodBounds new_year = period_containing(ReportPeriod::kWeek, 2027y / 1 / 1, kBeijing);

  EXPECT_EQ(week.first_day, 2026y / 11 / 23);
  EXPECT_EQ(week.end_day, 2026y / 11 / 30);
  EXPECT_EQ(sunday, week);
  EXPECT_EQ(new_year.first_day, 2026y / 12 / 28);
  EXPECT_EQ(new_year.end_day, 2027y / 1 / 4);
}

TEST(ReportPeriodTest, MonthQuarterAndYearToDate) {
  const PeriodBounds february = period_containing(ReportPeriod::kMonth, 2028y / 2 / 10, kBeijing);
  const PeriodBounds fourth = period_containing(ReportPeriod::kQuarter, 2026y / 11 / 30, kBeijing);
  const PeriodBounds first = period_containing(ReportPeriod::kQuarter, 2026y / 3 / 31, kBeijing);
  const PeriodBounds ytd = period_containing(ReportPeriod::kYearToDate, 2026y / 11 / 30, kBeijing);

  EXPECT_EQ(february.first_day, 2028y / 2 / 1);
  EXPECT_EQ(february.end_day, 2028y / 3 / 1);
  EXPECT_EQ(fourth.first_day, 2026y / 10 / 1);
  EXPECT_EQ(fourth.end_day, 2027y / 1 / 1);
  EXPECT_EQ(first.first_day, 2026y / 1 / 1);
  EXPECT_EQ(first.end_day, 2026y / 4 / 1);
  EXPECT_EQ(ytd.first_day, 2026y / 1 / 1);
  EXPECT_EQ(ytd.end_day, 2026y / 12 / 1);
  EXPECT_EQ(ytd.start, beijing_midnight(2026y / 1 / 1));
}

TEST(ReportPeriodTest, OffsetMovesTheUtcBoundaries) {
  const PeriodBounds utc = period_containing(ReportPeriod::kDay, 2026y / 11 / 30, 0min);
  const PeriodBounds west = period_containing(ReportPeriod::kDay, 2026y / 11 / 30, -300min);

  EXPECT_EQ(utc.start, Timestamp{std::chrono::sys_days{2026y / 11 / 30}});
  EXPECT_EQ(west.start, Timestamp{std::chrono::sys_days{2026y / 11 / 30} + 5h});
}

TEST(ReportPeriodTest, ImpossibleDateIsInvalid) {
  EXPECT_THROW(period_containing(ReportPeriod::kDay, 2026y / 2 / 30, kBeijing), Error);
}

TEST(ReportPeriodTest, PeriodsAndDimensionsHaveTheApiSpelling) {
  for (ReportPeriod period : kAllReportPeriods) {
    EXPECT_EQ(parse_report_period(to_string(period)), period);
  }
  for (ReportDimension dimension : kAllReportDimensions) {
    EXPECT_EQ(parse_report_dimension(to_string(dimension)), dimension);
  }
  EXPECT_EQ(to_string(ReportPeriod::kYearToDate), "ytd");
  EXPECT_EQ(parse_report_period("year"), std::nullopt);
  EXPECT_EQ(parse_report_dimension("Street"), std::nullopt);
}

// ---- what may be asked, and running periods ----

TEST(ReportReachTest, APeriodEndingOnOrBeforeTheFirstCasesDayIsRefused) {
  const year_month_day first{std::chrono::year{2026} / 11 / 23};
  const year_month_day today{std::chrono::year{2026} / 12 / 2};
  const auto refused = [&](ReportPeriod period, year_month_day date) {
    try {
      check_reportable(period_containing(period, date, kBeijing), first, today);
    } catch (const Error& error) {
      return error.code() == ErrorCode::kInvalidValue && error.details().fields.size() == 1 &&
             error.details().fields[0].field == "date";
    }
    return false;
  };

  EXPECT_TRUE(refused(ReportPeriod::kDay, std::chrono::year{2026} / 11 / 22));
  EXPECT_TRUE(refused(ReportPeriod::kDay, std::chrono::year{0} / 1 / 1));
  EXPECT_TRUE(refused(ReportPeriod::kMonth, std::chrono::year{1970} / 2 / 1));
  EXPECT_FALSE(refused(ReportPeriod::kDay, first));
  EXPECT_TRUE(refused(ReportPeriod::kWeek, std::chrono::year{2026} / 11 / 22));   // 16–22 Nov
  EXPECT_FALSE(refused(ReportPeriod::kWeek, std::chrono::year{2026} / 11 / 29));  // 23–29 Nov
  EXPECT_FALSE(refused(ReportPeriod::kMonth, std::chrono::year{2026} / 11 / 1));
}

TEST(ReportReachTest, APeriodThatHasNotBegunIsRefusedAndOneThatHasIsRunning) {
  const year_month_day first{std::chrono::year{2026} / 1 / 5};
  const year_month_day today{std::chrono::year{2026} / 12 / 2};

  EXPECT_THROW(check_reportable(period_containing(ReportPeriod::kDay,
                                                  std::chrono::year{2026} / 12 / 3, kBeijing),
                                first, today),
               Error);
  EXPECT_THROW(check_reportable(period_containing(ReportPeriod::kMonth,
                                                  std::chrono::year{9999} / 12 / 31, kBeijing),
                                first, today),
               Error);
  const PeriodBounds month =
      period_containing(ReportPeriod::kMonth, std::chrono::year{2026} / 12 / 31, kBeijing);
  EXPECT_NO_THROW(check_reportable(month, first, today));
  EXPECT_TRUE(is_running(month, today));
  EXPECT_FALSE(is_running(
      period_containing(ReportPeriod::kDay, std::chrono::year{2026} / 12 / 1, kBeijing), today));
}

ReportRow row_of(ReportDimension dimension, std::string key, const ReportCounts& counts) {
  return ReportRow{dimension, ReportLabel{key, "name of " + key}, counts};
}

TEST(ReportRunningTest, FinishedDaysAddTheirEventsButNotWhatTheirEndsHeld) {
  ReportCounts monday;
  monday.received = 3;
  monday.closed = 2;
  monday.due = 5;  // 2 closed + 3 open past their deadline at Monday's end
  monday.timers[0] = {1, 1, 4};
  monday.backlog_by_age = {1, 2, 0, 0, 0};
  monday.backlog_by_light = {1, 0, 1};
  monday.handling_work_hours = 1.5;
  ReportCounts tuesday = monday;
  tuesday.closed = 1;

  ReportCounts days;
  add_finished_day(days, monday);
  add_finished_day(days, tuesday);

  EXPECT_EQ(days.received, 6);
  EXPECT_EQ(days.closed, 3);
  EXPECT_EQ(days.due, 3);  // what closed; the open part is the running day's
  EXPECT_EQ(days.timers[0], (TimerCounts{2, 2, 0}));
  EXPECT_EQ(days.backlog(), 0);
  EXPECT_EQ(days.backlog_by_light, (std::array<std::int64_t, 3>{0, 0, 0}));
  EXPECT_DOUBLE_EQ(days.handling_work_hours, 3.0);
}

TEST(ReportRunningTest, ARunningPeriodIsItsFinishedDaysPlusTodayWholeBySubject) {
  ReportCounts closed_one;
  closed_one.closed = 1;
  closed_one.due = 1;
  ReportCounts open_late;
  open_late.due = 1;
  open_late.backlog_by_age = {0, 1, 0, 0, 0};
  std::vector<ReportRow> days;
  add_finished_day(days, {row_of(ReportDimension::kStreet, "150203001", closed_one),
                          row_of(ReportDimension::kDistrict, "150203", closed_one)});
  add_finished_day(days, {row_of(ReportDimension::kStreet, "150203002", closed_one),
                          row_of(ReportDimension::kDistrict, "150203", closed_one)});

  const std::vector<ReportRow> rows =
      running_period_rows(days, {row_of(ReportDimension::kStreet, "150203002", open_late),
                                 row_of(ReportDimension::kDistrict, "150203", open_late)});

  ASSERT_EQ(rows.size(), 3U);
  EXPECT_EQ(rows[0].dimension, ReportDimension::kDistrict);
  EXPECT_EQ(rows[0].counts.closed, 2);
  EXPECT_EQ(rows[0].counts.due, 3);
  EXPECT_EQ(rows[0].counts.backlog(), 1);
  EXPECT_EQ(rows[1].label.key, "150203001");
  EXPECT_EQ(rows[1].counts.due, 1);
  EXPECT_EQ(rows[2].label.key, "150203002");
  EXPECT_EQ(rows[2].counts.due, 2);
}

TEST(ReportRunningTest, OverturnedDispatchesAreWithdrawnFromTheRowsTheirDayCountedThemIn) {
  ReportCounts kept;
  kept.dispatched = 2;
  kept.dispatches_kept = 2;
  std::vector<ReportRow> rows{row_of(ReportDimension::kDistrict, "150203", kept),
                              row_of(ReportDimension::kStreet, "150203001", kept),
                              row_of(ReportDimension::kStreet, "150203002", kept)};
  ReportCaseFact overturned;
  overturned.dispatches_kept = 1;
  overturned.labels[static_cast<std::size_t>(ReportDimension::kDistrict)] =
      ReportLabel{"150203", "150203"};
  overturned.labels[static_cast<std::size_t>(ReportDimension::kStreet)] =
      ReportLabel{"150203002", "150203002"};
  overturned.labels[static_cast<std::size_t>(ReportDimension::kUnit)] =
      ReportLabel{"not-shown", "not-shown"};  // a row the report does not have

  withdraw_overturned_dispatches(rows, {&overturned});

  EXPECT_EQ(rows[0].counts.dispatches_kept, 1);
  EXPECT_EQ(rows[1].counts.dispatches_kept, 2);
  EXPECT_EQ(rows[2].counts.dispatches_kept, 1);
  EXPECT_EQ(rows[2].counts.dispatched, 2);
  EXPECT_EQ(rows.size(), 3U);
}

}  // namespace
}  // namespace gridcase::domain
