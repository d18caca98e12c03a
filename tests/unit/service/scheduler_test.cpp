#include "gridcase/service/scheduler.hpp"

#include <gtest/gtest.h>

#include <map>
#include <stdexcept>

#include "gridcase/service/account_repository.hpp"
#include "gridcase/service/report_repository.hpp"
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

[[noreturn]] void unused(const char* what) {
  throw std::logic_error(std::string("the scheduler must not call ") + what);
}

class FixedClock final : public domain::Clock {
 public:
  explicit FixedClock(Timestamp at) : at_(at) {}
  Timestamp now() const override { return at_; }

 private:
  Timestamp at_;
};

class FakeSchedulerRepository final : public SchedulerRepository {
 public:
  bool try_lock() override { return lock_free; }
  int mark_overdue(Timestamp now, int limit) override {
    overdue_calls.emplace_back(now, limit);
    return overdue_marked;
  }
  std::vector<EscalationCandidate> escalation_candidates(Timestamp /*now*/,
                                                         const domain::WorkCalendar&,
                                                         int /*limit*/) override {
    return candidates;
  }
  bool escalate(long long timer_id, int level, Timestamp /*now*/) override {
    escalations.emplace_back(timer_id, level);
    return true;
  }
  std::vector<std::string> due_resumptions(Timestamp /*now*/, int /*limit*/) override {
    return due;
  }

  bool lock_free = true;
  int overdue_marked = 0;
  std::vector<EscalationCandidate> candidates;
  std::vector<std::string> due;
  std::vector<std::pair<Timestamp, int>> overdue_calls;
  std::vector<std::pair<long long, int>> escalations;
};

/// Cases by number; save_action records what was written.
class FakeCaseRepository final : public CaseRepository {
 public:
  struct Saved {
    CaseAction action;
    domain::Actor actor;
    domain::ActionOutcome outcome;
  };

  IntakeResult insert(const domain::NewCase&, const IntakeRecord&) override { unused("insert"); }
  std::optional<CaseRecord> find_for_update(std::string_view case_no,
                                            const domain::Scope&) override {
    auto found = cases.find(std::string(case_no));
    if (found == cases.end()) return std::nullopt;
    return found->second;
  }
  std::optional<JsonText> find_json(std::string_view, const CaseReading&) override {
    unused("find_json");
  }
  std::vector<TimerRow> timers(std::string_view) override { unused("timers"); }
  JsonText list(const CaseFilter&, const CasePage&, const domain::Scope&) override {
    unused("list");
  }
  bool point_in_scope(const domain::Point&, const domain::Scope&) override {
    unused("point_in_scope");
  }
  void save_action(const CaseRecord& /*before*/, const domain::ActionOutcome& outcome,
                   CaseAction action, const domain::ActionInput&, const domain::Actor& actor,
                   Timestamp, std::optional<long long>) override {
    saved.push_back(Saved{action, actor, outcome});
  }
  bool unit_exists(std::string_view) override { unused("unit_exists"); }
  std::optional<domain::TimeLimit> condition_limit(std::string_view, std::string_view) override {
    unused("condition_limit");
  }
  std::optional<std::pair<long long, CaseStatus>> status_of(std::string_view) override {
    unused("status_of");
  }
  std::optional<std::string> cell_at(const domain::Point&) override { unused("cell_at"); }
  std::vector<JsonText> events_after(long long, int) override { unused("events_after"); }

  std::map<std::string, CaseRecord> cases;
  std::vector<Saved> saved;
};

class DemoCalendarRepository final : public CalendarRepository {
 public:
  std::optional<domain::WorkCalendarSpec> load() override { return std::nullopt; }
  void store(const domain::WorkCalendarSpec&) override { unused("calendar store"); }
};

class UnusedGridRepository final : public GridRepository {
 public:
  std::optional<JsonText> locate(const domain::Point&) override { unused("locate"); }
  std::optional<JsonText> find_node(std::string_view, bool) override { unused("find_node"); }
  std::optional<JsonText> list_cells(std::string_view, const PageRequest&) override {
    unused("list_cells");
  }
  std::optional<JsonText> list_officers(std::string_view, const PageRequest&) override {
    unused("list_officers");
  }
  std::vector<domain::FieldError> import_nodes(const std::vector<domain::GridNodeInput>&) override {
    unused("import_nodes");
  }
  void add_officers(const std::vector<domain::Officer>&) override { unused("add_officers"); }
  std::vector<std::string> officer_cells(std::string_view) override { unused("officer_cells"); }
};

class UnusedCatalogRepository final : public CatalogRepository {
 public:
  JsonText list_units() override { unused("list_units"); }
  JsonText list_categories() override { unused("list_categories"); }
  std::vector<domain::FieldError> upsert_units(const std::vector<domain::Unit>&) override {
    unused("upsert_units");
  }
  void replace_categories(const std::vector<domain::Category>&) override {
    unused("replace_categories");
  }
};

class UnusedReportRepository final : public ReportRepository {
 public:
  std::vector<domain::ReportCaseFact> case_facts(Timestamp, Timestamp,
                                                 std::chrono::year_month_day) override {
    unused("case_facts");
  }
  std::vector<domain::ReportTimerFact> timer_facts(Timestamp, Timestamp) override {
    unused("timer_facts");
  }
  void replace_snapshot(const domain::PeriodBounds&, const std::vector<domain::ReportRow>&,
                        Timestamp) override {
    unused("replace_snapshot");
  }
  std::vector<domain::ReportRow> snapshot(const domain::PeriodBounds&) override {
    unused("snapshot");
  }
  std::optional<domain::ReportRow> snapshot_row(const domain::PeriodBounds&,
                                                domain::ReportDimension,
                                                std::string_view) override {
    unused("snapshot_row");
  }
  bool has_snapshot(const domain::PeriodBounds&) override { unused("has_snapshot"); }
  bool try_lock() override { unused("try_lock"); }
};

class UnusedAccountRepository final : public AccountRepository {
 public:
  std::optional<StoredUser> find_user(std::string_view) override { unused("find_user"); }
  std::vector<StoredUser> list_users() override { unused("list_users"); }
  bool scope_exists(const domain::Scope&) override { unused("scope_exists"); }
  bool insert_user(const domain::UserSpec&, const std::optional<std::string>&) override {
    unused("insert_user");
  }
  void update_user(long long, const domain::UserSpec&, const std::optional<std::string>&) override {
    unused("update_user");
  }
  long long insert_token(long long, TokenKind, const std::optional<std::string>&, std::string_view,
                         Timestamp) override {
    unused("insert_token");
  }
  std::optional<TokenOwner> find_token(std::string_view, Timestamp) override {
    unused("find_token");
  }
  std::vector<TokenRecord> list_tokens(long long) override { unused("list_tokens"); }
  bool revoke_token(long long, long long, Timestamp) override { unused("revoke_token"); }
  void revoke_tokens_of(long long, Timestamp) override { unused("revoke_tokens_of"); }
  std::optional<domain::LoginFailures> failures(std::string_view) override { unused("failures"); }
  void store_failures(std::string_view, const domain::LoginFailures&) override {
    unused("store_failures");
  }
  void clear_failures(std::string_view) override { unused("clear_failures"); }
};

class UnusedHealthRepository final : public HealthRepository {
 public:
  std::vector<std::string> pending_migrations() override { unused("pending_migrations"); }
  std::vector<Gauge> gauges() override { unused("gauges"); }
};

class UnusedIdempotencyRepository final : public IdempotencyRepository {
 public:
  bool try_lock(std::string_view, std::string_view, std::string_view) override {
    unused("try_lock");
  }
  std::optional<std::pair<StoredResponse, bool>> find(std::string_view, std::string_view,
                                                      std::string_view, std::string_view) override {
    unused("idempotency find");
  }
  void save(std::string_view, std::string_view, std::string_view, std::string_view,
            const StoredResponse&) override {
    unused("idempotency save");
  }
};

/// Runs the work at once on the fakes; a transaction that throws leaves the fakes as they are.
class InlineTransactionRunner final : public TransactionRunner {
 public:
  explicit InlineTransactionRunner(Repositories& repos) : repos_(repos) {}
  boost::asio::awaitable<void> run(Work work) override {
    ++transactions;
    work(repos_);
    co_return;
  }
  boost::asio::awaitable<void> autocommit(Work work) override {
    work(repos_);
    co_return;
  }

  int transactions = 0;

 private:
  Repositories& repos_;
};

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

  FakeSchedulerRepository scheduler_repository;
  FakeCaseRepository cases_repository;
  DemoCalendarRepository calendar_repository;
  UnusedGridRepository grid_repository;
  UnusedCatalogRepository catalog_repository;
  UnusedHealthRepository health_repository;
  UnusedIdempotencyRepository idempotency_repository;
  UnusedAccountRepository account_repository;
  UnusedReportRepository report_repository;
  Repositories repos{grid_repository,      catalog_repository,     health_repository,
                     cases_repository,     idempotency_repository, calendar_repository,
                     scheduler_repository, account_repository,     report_repository};
  InlineTransactionRunner transactions{repos};
  FixedClock clock{kNow};
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
  cases_repository.cases[case_no] = suspended_case(case_no, kNow - 1h);
  scheduler_repository.due = {case_no};

  const TickReport report = tick();

  EXPECT_EQ(report.resumed, 1);
  ASSERT_EQ(cases_repository.saved.size(), 1U);
  const FakeCaseRepository::Saved& saved = cases_repository.saved[0];
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
  cases_repository.cases[handling.case_no] = handling;
  cases_repository.cases["150203-20261123-000002"] =
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
