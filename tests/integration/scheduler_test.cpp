#include "gridcase/service/scheduler.hpp"

#include <gtest/gtest.h>

#include <pqxx/pqxx>

#include "case_world.hpp"
#include "run_sync.hpp"
#include "test_database.hpp"

namespace gridcase::testing {
namespace {

using namespace std::chrono_literals;
using domain::CaseAction;
using domain::CaseStatus;
using domain::Role;
using domain::Timestamp;
using service::TickReport;

/// The scheduler over the case world; its clock is the world's, moved by each test.
class SchedulerTest : public CaseWorldTest {
 protected:
  void SetUp() override {
    CaseWorldTest::SetUp();
    scheduler_ = std::make_unique<service::Scheduler>(
        *database_, *cases_, *calendar_, *clock_, service::SchedulerOptions{true, 1000ms, 1000});
  }

  void TearDown() override {
    scheduler_.reset();
    CaseWorldTest::TearDown();
  }

  std::string receive() { return CaseWorldTest::receive(domain::Channel::kWeb, false); }

  /// Received, registered (component:0101/missing: 2 urgent hours) and dispatched now, so its
  /// handling deadline is 2 hours from now.
  std::string dispatched() {
    const std::string case_no = receive();
    act(case_no, CaseAction::kRegister, register_input("component:0101", "missing"),
        Role::kShiftLeader);
    act(case_no, CaseAction::kDispatch, unit_input(CaseDistrict::kDistrictUnit), Role::kDispatcher);
    return case_no;
  }

  /// Ticks at `at` until a tick finds nothing to do, as the loop would work off a backlog.
  void tick_at(Timestamp at) {
    clock_->set(at);
    for (int i = 0; i < 100; ++i) {
      const TickReport report = run_sync(scheduler_->tick());
      ASSERT_TRUE(report.ran);
      if (!report.did_anything()) return;
    }
    FAIL() << "the scheduler still had work after 100 ticks";
  }

  std::string scalar(const std::string& sql) { return query_scalar(url_, sql); }

  /// `column` of the case's events named `action`, oldest first, comma-separated.
  std::string events(const std::string& case_no, const std::string& action,
                     const std::string& column) {
    return scalar("SELECT coalesce(string_agg(" + column +
                  ", ',' ORDER BY e.id), '') FROM case_events e "
                  "JOIN cases c ON c.id = e.case_id WHERE c.case_no = '" +
                  case_no + "' AND e.action = '" + action + "'");
  }

  std::string status_of(const std::string& case_no) {
    return scalar("SELECT status FROM cases WHERE case_no = '" + case_no + "'");
  }

  Timestamp deadline_of(const std::string& case_no, const std::string& timer) {
    return Timestamp{std::chrono::milliseconds{std::stoll(scalar(
        "SELECT (extract(epoch FROM t.deadline) * 1000)::bigint FROM case_timers t JOIN cases c ON "
        "c.id = t.case_id WHERE c.case_no = '" +
        case_no + "' AND t.timer = '" + timer + "' AND t.ended_at IS NULL"))}};
  }

  std::unique_ptr<service::Scheduler> scheduler_;
};

TEST_F(SchedulerTest, ATimerIsMarkedOverdueOnceJustAfterItsDeadline) {
  const std::string case_no = receive();
  const Timestamp deadline = deadline_of(case_no, "registration");

  tick_at(deadline);
  EXPECT_EQ(events(case_no, "overdue", "e.actor"), "");
  tick_at(deadline + 1ms);
  tick_at(deadline + 1h);

  EXPECT_EQ(events(case_no, "overdue", "e.params->>'timer'"), "registration");
  EXPECT_EQ(events(case_no, "overdue",
                   "e.actor || '/' || e.actor_role || '/' || e.from_status || '/' || e.to_status"),
            "system/system/received/received");
  EXPECT_EQ(events(case_no, "overdue", "e.params->>'deadline'"),
            scalar("SELECT gridcase_iso(to_timestamp(" +
                   std::to_string(deadline.time_since_epoch().count()) + " / 1000.0))"));
  EXPECT_EQ(scalar("SELECT count(*) FROM case_timers t JOIN cases c ON c.id = t.case_id WHERE "
                   "c.case_no = '" +
                   case_no + "' AND t.overdue_at IS NOT NULL"),
            "1");
}

TEST_F(SchedulerTest, AnEndedTimerIsNeverMarkedOverdue) {
  const std::string case_no = dispatched();  // registration and dispatch timers ended on time

  tick_at(case_test_start() + 1000h);

  EXPECT_EQ(scalar("SELECT string_agg(e.params->>'timer', ',' ORDER BY e.params->>'timer') FROM "
                   "case_events e "
                   "JOIN cases c ON c.id = e.case_id WHERE c.case_no = '" +
                   case_no + "' AND e.action = 'overdue'"),
            "acknowledgement,handling");
}

TEST_F(SchedulerTest, AHandlingTimerEscalatesToLevelOneAtItsDeadlineAndLevelTwoAtTwiceItsLimit) {
  const std::string case_no = dispatched();
  const Timestamp deadline = case_test_start() + 2h;
  ASSERT_EQ(deadline_of(case_no, "handling"), deadline);

  tick_at(deadline - 1ms);
  EXPECT_EQ(events(case_no, "escalated", "e.params->>'level'"), "");
  tick_at(deadline);
  tick_at(deadline + 1h);
  EXPECT_EQ(events(case_no, "escalated", "e.params->>'level'"), "1");
  EXPECT_EQ(scalar("SELECT escalation_level FROM cases WHERE case_no = '" + case_no + "'"), "1");
  tick_at(deadline + 2h);
  tick_at(deadline + 30h);

  EXPECT_EQ(events(case_no, "escalated", "e.params->>'level'"), "1,2");
  EXPECT_EQ(events(case_no, "escalated", "e.params->>'notify'"),
            std::string(CaseDistrict::kStreet) + "," + CaseDistrict::kCode);
  EXPECT_EQ(events(case_no, "escalated", "e.actor || '/' || e.to_status"),
            "system/dispatched,system/dispatched");
  EXPECT_EQ(scalar("SELECT escalation_level FROM cases WHERE case_no = '" + case_no + "'"), "2");
}

TEST_F(SchedulerTest, ATimerFirstSeenPastTwiceItsLimitGetsBothLevels) {
  const std::string case_no = dispatched();

  tick_at(case_test_start() + 5h);

  EXPECT_EQ(events(case_no, "escalated", "e.params->>'level'"), "1,2");
}

TEST_F(SchedulerTest, AnEscalationAnnouncedIsNotAnnouncedAgainOnTheNextHandlingInstance) {
  const std::string case_no = dispatched();
  const Timestamp deadline = case_test_start() + 2h;
  tick_at(deadline + 1min);
  ASSERT_EQ(events(case_no, "escalated", "e.params->>'level'"), "1");
  act(case_no, CaseAction::kAcknowledge, {}, Role::kUnit);
  act(case_no, CaseAction::kComplete, note_input(), Role::kUnit);
  act(case_no, CaseAction::kCheck, result_input("failed"), Role::kOfficer);  // same cycle

  tick_at(deadline + 10min);
  EXPECT_EQ(events(case_no, "escalated", "e.params->>'level'"), "1");
  tick_at(deadline + 2h + 1min);

  EXPECT_EQ(events(case_no, "escalated", "e.params->>'level'"), "1,2");
  EXPECT_EQ(scalar("SELECT count(*) FROM case_timers t JOIN cases c ON c.id = t.case_id WHERE "
                   "c.case_no = '" +
                   case_no + "' AND t.timer = 'handling'"),
            "2");
}

TEST_F(SchedulerTest, AHandlingCycleStartedByAReassignAnnouncesItsOwnEscalation) {
  const std::string case_no = dispatched();
  tick_at(case_test_start() + 2h + 1min);
  ASSERT_EQ(events(case_no, "escalated", "e.params->>'level'"), "1");

  act(case_no, CaseAction::kReassign, unit_input(CaseDistrict::kStreetUnit), Role::kDispatcher);
  tick_at(clock_->now() + 2h + 1min);

  EXPECT_EQ(events(case_no, "escalated", "e.params->>'level'"), "1,1");
}

TEST_F(SchedulerTest, ASuspendedCaseResumesAtItsUntilWithTheDeadlineMovedByThePause) {
  const std::string case_no = dispatched();
  act(case_no, CaseAction::kAcknowledge, {}, Role::kUnit);
  clock_->set(case_test_start() + 10min);
  act(case_no, CaseAction::kSuspend, until_input(case_test_start() + 1h, false), Role::kDispatcher);

  tick_at(case_test_start() + 1h - 1ms);
  EXPECT_EQ(status_of(case_no), "suspended");
  tick_at(case_test_start() + 1h);

  EXPECT_EQ(status_of(case_no), "handling");
  EXPECT_EQ(events(case_no, "resume",
                   "e.actor || '/' || e.actor_role || '/' || e.from_status || '/' || e.to_status"),
            "system/system/suspended/handling");
  EXPECT_EQ(scalar("SELECT suspended_until IS NULL FROM cases WHERE case_no = '" + case_no + "'"),
            "t");
  // Paused 50 minutes of urgent (wall) time: the deadline moves from 12:00 to 12:50.
  EXPECT_EQ(deadline_of(case_no, "handling"), case_test_start() + 2h + 50min);
}

TEST_F(SchedulerTest, ACaseAnotherTransactionHoldsIsTakenOnALaterTick) {
  const std::string case_no = receive();
  const Timestamp deadline = deadline_of(case_no, "registration");
  {
    pqxx::connection connection{url_};
    pqxx::work busy{connection};
    busy.exec("SELECT 1 FROM cases WHERE case_no = " + busy.quote(case_no) + " FOR UPDATE");

    tick_at(deadline + 1ms);
    EXPECT_EQ(events(case_no, "overdue", "e.params->>'timer'"), "");
  }
  tick_at(deadline + 2ms);

  EXPECT_EQ(events(case_no, "overdue", "e.params->>'timer'"), "registration");
}

TEST_F(SchedulerTest, ATickDoesNothingWhileAnotherProcessTicks) {
  const std::string case_no = receive();
  clock_->set(deadline_of(case_no, "registration") + 1ms);
  pqxx::connection connection{url_};
  pqxx::work other{connection};
  other.exec("SELECT pg_advisory_xact_lock(7301946208)");

  const TickReport report = run_sync(scheduler_->tick());

  EXPECT_FALSE(report.ran);
  EXPECT_EQ(events(case_no, "overdue", "e.params->>'timer'"), "");
}

TEST_F(SchedulerTest, TickPurgesIdempotencyOutcomesOlderThan24Hours) {
  clock_->set(Timestamp{std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::system_clock::now().time_since_epoch())});
  for (const char* key : {"purge-fresh", "purge-old"}) {
    run_sync(cases_->receive(
        case_report(domain::Channel::kWeb, CaseDistrict::in_cell(), false, clock_->now()),
        case_actor(Role::kOperator), service::IdempotencyRequest{key, "POST /api/v1/cases", key}));
  }
  scalar(
      "WITH aged AS (UPDATE idempotency_keys SET claimed_at = now() - interval '24 hours 1 minute' "
      "WHERE key = 'purge-old' RETURNING 1) SELECT count(*) FROM aged");

  clock_->advance(1s);
  const TickReport report = run_sync(scheduler_->tick());

  EXPECT_GE(report.purged, 1);
  EXPECT_EQ(scalar("SELECT count(*) FROM idempotency_keys WHERE key = 'purge-old'"), "0");
  EXPECT_EQ(scalar("SELECT count(*) FROM idempotency_keys WHERE key = 'purge-fresh'"), "1");
}

}  // namespace
}  // namespace gridcase::testing
