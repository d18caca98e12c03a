#include <gtest/gtest.h>

#include "gridcase/domain/report.hpp"

namespace gridcase::domain {
namespace {

// Who a timer or a dispatch is charged to (docs/reports.md, "Who is charged").

using namespace std::chrono_literals;

ReportLabels labels(const std::string& unit) {
  ReportLabels result;
  result[static_cast<std::size_t>(ReportDimension::kDistrict)] = ReportLabel{"150203", "区"};
  result[static_cast<std::size_t>(ReportDimension::kUnit)] = ReportLabel{unit, unit};
  return result;
}

const ReportCounts* row(const std::vector<ReportRow>& rows, ReportDimension dimension,
                        const std::string& key) {
  for (const ReportRow& each : rows) {
    if (each.dimension == dimension && each.label.key == key) return &each.counts;
  }
  return nullptr;
}

TEST(ReportHolderTest, ATimerHeldByAnotherUnitCountsInThatUnitsRowsNotInTheCases) {
  ReportCaseFact closed;
  closed.case_id = 1;
  closed.labels = labels("b");
  closed.closed = true;
  closed.closed_on_time = true;
  ReportTimerFact returned_late;  // unit a's instance, ended by its return
  returned_late.case_id = 1;
  returned_late.outcome_in_period = TimerOutcome::kLate;
  returned_late.dispatched = true;
  returned_late.held_by = std::make_shared<const ReportLabels>(labels("a"));
  ReportTimerFact completed;  // b's, charged to the case's rows
  completed.case_id = 1;
  completed.outcome_in_period = TimerOutcome::kOnTime;
  completed.dispatched = true;
  completed.dispatch_kept = true;
  completed.suggestion_followed = true;

  const std::vector<ReportRow> rows =
      aggregate_report({closed}, {returned_late, completed}, Timestamp{}, WorkCalendar::demo());

  const ReportCounts* a = row(rows, ReportDimension::kUnit, "a");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->timer(StageTimer::kHandling), (TimerCounts{0, 1, 0}));
  EXPECT_EQ(a->dispatched, 1);
  EXPECT_EQ(a->dispatches_kept, 0);
  EXPECT_EQ(a->dispatches_suggested, 0);
  EXPECT_EQ(a->closed, 0);
  const ReportCounts* b = row(rows, ReportDimension::kUnit, "b");
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->timer(StageTimer::kHandling), (TimerCounts{1, 0, 0}));
  EXPECT_EQ(b->dispatched, 1);
  EXPECT_EQ(b->dispatches_kept, 1);
  EXPECT_EQ(b->dispatches_suggested, 1);
  EXPECT_EQ(b->suggestions_followed, 1);
  EXPECT_EQ(b->closed_on_time, 1);
  const ReportCounts* district = row(rows, ReportDimension::kDistrict, "150203");
  ASSERT_NE(district, nullptr);
  EXPECT_EQ(district->timer(StageTimer::kHandling), (TimerCounts{1, 1, 0}));
  EXPECT_EQ(district->dispatched, 2);
}

TEST(ReportHolderTest, AHeldTimerCountsWithoutItsCaseButNotWhenTheCaseWasMerged) {
  ReportTimerFact held;
  held.case_id = 7;  // its case is in another scope's facts
  held.outcome_in_period = TimerOutcome::kLate;
  held.held_by = std::make_shared<const ReportLabels>(labels("a"));
  ReportTimerFact merged = held;
  merged.merged_by_end = true;

  EXPECT_EQ(row(aggregate_report({}, {held}, Timestamp{}, WorkCalendar::demo()),
                ReportDimension::kUnit, "a")
                ->timer(StageTimer::kHandling),
            (TimerCounts{0, 1, 0}));
  EXPECT_TRUE(aggregate_report({}, {merged}, Timestamp{}, WorkCalendar::demo()).empty());
}

TEST(ReportHolderTest, ARunningPeriodIsJudgedJustAfterNowAndAnEndedOneAtItsEnd) {
  const PeriodBounds month = period_containing(
      ReportPeriod::kMonth, std::chrono::year{2026} / 11 / 23, std::chrono::minutes{480});
  const Timestamp now = month.start + 24h * 22 + 3h;

  EXPECT_EQ(judged_at(month, now), now + 1ms);
  EXPECT_EQ(judged_at(month, month.end + 5h), month.end);
}

TEST(ReportHolderTest, SuggestionFollowedIsItsOwnFigureBesideDispatchAccuracy) {
  ReportCounts counts;
  counts.dispatched = 4;
  counts.dispatches_kept = 3;
  counts.dispatches_suggested = 2;
  counts.suggestions_followed = 1;

  const ReportMetrics metrics = compute_metrics(counts, {});

  EXPECT_EQ(format_percent(metrics.dispatch_accuracy), "75.00%");
  EXPECT_EQ(format_percent(metrics.suggestion_followed), "50.00%");
  EXPECT_EQ(format_percent(compute_metrics(ReportCounts{}, {}).suggestion_followed), "—");
  ReportCounts days;
  add_finished_day(days, counts);
  EXPECT_EQ(days.dispatches_suggested, 2);
  EXPECT_EQ(days.suggestions_followed, 1);
}

}  // namespace
}  // namespace gridcase::domain
