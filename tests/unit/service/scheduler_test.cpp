#include "gridcase/service/scheduler.hpp"

#include <gtest/gtest.h>

#include "fixed_clock.hpp"
#include "in_memory_repositories.hpp"
#include "inline_transaction_runner.hpp"
#include "run_sync.hpp"

namespace gridcase::service {
namespace {

using namespace std::chrono_literals;
using domain::CaseAction;
using domain::CaseRecord;
using domain::CaseStatus;
using domain::LimitUnit;
using domain::StageTimer;
using domain::TimerState;
using domain::Timestamp;

// Monday 23 November 2026, 10:00 in Beijing.
const Timestamp kNow =
    Timestamp{std::chrono::sys_days{std::chrono::year_month_day{
                  std::chrono::year{2026}, std::chrono::November, std::chrono::day{23}}} +
              2h};

class SchedulerTickTest : public ::testing::Test {
 protected:
  TickReport tick() { return testing::run_sync(scheduler.tick()); }

  /// A case suspended at `paused_at` in its first handling cycle (2 urgent hours from 08:00).
  static CaseRecord suspended_case(const std::string& case_no, Timestamp paused_at) {
    CaseRecord record;
    record.id = 42;
    record.case_no = case_no;
    record.status = CaseStatus::kSuspended;
    record.version = 5;
    record.cell_code = "150203004007017";
    record.handling_limit = domain::TimeLimit{2, LimitUnit::kUrgentHour};
    record.unit_code = "150203004-enforcement";
    record.suspended_until = kNow;
    record.cycle =
        domain::HandlingCycle{1, TimerState{kNow - 2h, *record.handling_limit, kNow, 0, paused_at}};
    record.timers.push_back(
        domain::OpenTimer{7, StageTimer::kHandling, kNow - 2h, kNow, *record.handling_limit});
    return record;
  }

  testing::FixedClock clock{kNow};
  testing::InMemoryRepositories store{clock};
  testing::InMemorySchedulerRepository& scheduler_repository = store.scheduler;
  testing::InMemoryCaseRepository& cases_repository = store.cases;
  testing::InlineTransactionRunner transactions{store};
  CalendarCache calendar{clock, CaseOptions{}.utc_offset, CaseOptions{}.calendar_cache};
  CaseService cases{transactions, clock, calendar, CaseOptions{}};
  Scheduler scheduler{transactions, cases, calendar, clock, SchedulerOptions{true, 1000ms, 250}};
};

TEST_F(SchedulerTickTest, TickDoesNothingWhileAnotherProcessHoldsTheLock) {
  scheduler_repository.lock_free = false;
  scheduler_repository.due = {"150203-20261123-000001"};

  const TickReport report = tick();

  EXPECT_FALSE(report.ran);
  EXPECT_TRUE(scheduler_repository.overdue_calls.empty());
  EXPECT_TRUE(cases_repository.saved.empty());
}

TEST_F(SchedulerTickTest, TickIsOneTransaction) {
  tick();

  EXPECT_EQ(transactions.transactions, 1);
}

TEST_F(SchedulerTickTest, TickMarksOverdueTimersAtTheClocksTimeInBatches) {
  scheduler_repository.overdue_marked = 3;

  const TickReport report = tick();

  EXPECT_TRUE(report.ran);
  EXPECT_EQ(report.overdue, 3);
  ASSERT_EQ(scheduler_repository.overdue_calls.size(), 1U);
  EXPECT_EQ(scheduler_repository.overdue_calls[0].first, kNow);
  EXPECT_EQ(scheduler_repository.overdue_calls[0].second, 250);
}

TEST_F(SchedulerTickTest, TickPurgesIdempotencyOutcomesOlderThan24HoursInBatches) {
  testing::InMemoryIdempotencyRepository& keys = store.idempotency;
  keys.now = kNow - 25h;
  keys.save("operator", "POST /api/v1/cases", "old", "{}",
            WriteOutcome{CaseWritten{1, "150203-20261122-000001", 1, true}});
  keys.now = kNow - 1h;
  keys.save("operator", "POST /api/v1/cases", "fresh", "{}",
            WriteOutcome{CaseWritten{2, "150203-20261123-000001", 1, true}});

  const TickReport report = tick();

  EXPECT_EQ(report.purged, 1);
  ASSERT_EQ(keys.purge_calls.size(), 1U);
  EXPECT_EQ(keys.purge_calls[0].first, kNow - 24h);
  EXPECT_EQ(keys.purge_calls[0].second, 250);
  EXPECT_FALSE(keys.find("operator", "POST /api/v1/cases", "old", "{}"));
  EXPECT_TRUE(keys.find("operator", "POST /api/v1/cases", "fresh", "{}"));
}

TEST_F(SchedulerTickTest, TickPurgesNothingWhileAnotherProcessHoldsTheLock) {
  scheduler_repository.lock_free = false;

  tick();

  EXPECT_TRUE(store.idempotency.purge_calls.empty());
}

TEST_F(SchedulerTickTest, TickAnnouncesEveryLevelDueAndOnlyThose) {
  const domain::TimeLimit two_hours{2, LimitUnit::kUrgentHour};
  scheduler_repository.candidates = {
      // red just now: level 1
      {1, "a", TimerState{kNow - 2h, two_hours, kNow, 0, std::nullopt}, 0},
      // first seen past twice its limit: levels 1 and 2
      {2, "b", TimerState{kNow - 5h, two_hours, kNow - 3h, 0, std::nullopt}, 0},
      // level 1 announced, not yet at twice its limit
      {3, "c", TimerState{kNow - 3h, two_hours, kNow - 1h, 0, std::nullopt}, 1},
      // level 1 announced, now at twice its limit
      {4, "d", TimerState{kNow - 4h, two_hours, kNow - 2h, 0, std::nullopt}, 1},
  };

  const TickReport report = tick();

  EXPECT_EQ(scheduler_repository.escalations,
            (std::vector<std::pair<long long, int>>{{1, 1}, {2, 1}, {2, 2}, {4, 2}}));
  EXPECT_EQ(report.escalated, 4);
}

TEST_F(SchedulerTickTest, TickResumesASuspendedCaseAtItsUntilThroughTheRulesAsSystem) {
  const std::string case_no = "150203-20261123-000001";
  cases_repository.records[case_no] = suspended_case(case_no, kNow - 1h);
  scheduler_repository.due = {case_no};

  const TickReport report = tick();

  EXPECT_EQ(report.resumed, 1);
  ASSERT_EQ(cases_repository.saved.size(), 1U);
  const testing::InMemoryCaseRepository::Saved& saved = cases_repository.saved[0];
  EXPECT_EQ(saved.action, CaseAction::kResume);
  EXPECT_EQ(saved.actor.id, "system");
  EXPECT_EQ(saved.actor.acting_as, domain::Role::kSystem);
  EXPECT_EQ(saved.outcome.updated.status, CaseStatus::kHandling);
  EXPECT_FALSE(saved.outcome.updated.suspended_until.has_value());
  // An urgent-hour deadline moves by the wall time paused: one hour.
  EXPECT_EQ(saved.outcome.handling_deadline_moved, kNow + 1h);
}

TEST_F(SchedulerTickTest, ACaseTheRulesRefuseToResumeIsReportedAndTheOthersAreStillResumed) {
  CaseRecord handling = suspended_case("150203-20261123-000001", kNow - 1h);
  handling.status = CaseStatus::kHandling;  // resumed by a dispatcher in the meantime
  cases_repository.records[handling.case_no] = handling;
  cases_repository.records["150203-20261123-000002"] =
      suspended_case("150203-20261123-000002", kNow - 1h);
  scheduler_repository.due = {"150203-20261123-000001", "150203-20261123-000002"};

  const TickReport report = tick();

  EXPECT_EQ(report.resumed, 1);
  ASSERT_EQ(report.refused.size(), 1U);
  EXPECT_TRUE(report.refused[0].starts_with("150203-20261123-000001: ")) << report.refused[0];
  ASSERT_EQ(cases_repository.saved.size(), 1U);
  EXPECT_EQ(cases_repository.saved[0].outcome.updated.case_no, "150203-20261123-000002");
}

TEST_F(SchedulerTickTest, AnIdleTickReportsNothingDone) { EXPECT_FALSE(tick().did_anything()); }

}  // namespace
}  // namespace gridcase::service
