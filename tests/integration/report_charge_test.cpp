#include <gtest/gtest.h>

#include <algorithm>
#include <pqxx/pqxx>

#include "gridcase/service/report_service.hpp"
#include "report_world.hpp"
#include "run_sync.hpp"

namespace gridcase::testing {
namespace {

// Issue 14's report corrections (docs/reports.md, "Who is charged" and "A period still
// running"): each handling instance, timer and dispatch is charged to the unit, cell and officer
// that held it, and a running period is judged as of now.

using namespace std::chrono_literals;
using domain::CaseAction;
using domain::CaseStatus;
using domain::ReportDimension;
using domain::ReportPeriod;
using domain::Role;
using domain::StageTimer;
using domain::TimerCounts;
using service::Report;
using std::chrono::year_month_day;

constexpr year_month_day kMonday = std::chrono::year{2026} / 11 / 23;
constexpr year_month_day kTuesday = std::chrono::year{2026} / 11 / 24;
constexpr year_month_day kNextMonday = std::chrono::year{2026} / 11 / 30;

constexpr const char* kOldOfficer = "150261-officer-h1";
constexpr const char* kNewOfficer = "150261-officer-h2";

class ReportChargeTest : public ReportWorldTest {
 protected:
  /// The grid officer of kCell: kOldOfficer until Tuesday, kNewOfficer from Tuesday on.
  void hand_the_cell_over_on_tuesday() {
    pqxx::connection connection{url_};
    pqxx::work tx{connection};
    tx.exec_params0(
        "INSERT INTO officers (code, name) VALUES ($1, '旧网格员'), ($2, '新网格员') "
        "ON CONFLICT (code) DO NOTHING",
        kOldOfficer, kNewOfficer);
    tx.exec_params0(
        "INSERT INTO officer_cells (officer_id, duty, cell_code, valid_from, valid_to) "
        "SELECT id, 'grid_officer', $2, DATE '2026-01-01', DATE '2026-11-24' FROM officers "
        "WHERE code = $1",
        kOldOfficer, std::string(CaseDistrict::kCell));
    tx.exec_params0(
        "INSERT INTO officer_cells (officer_id, duty, cell_code, valid_from) "
        "SELECT id, 'grid_officer', $2, DATE '2026-11-24' FROM officers WHERE code = $1",
        kNewOfficer, std::string(CaseDistrict::kCell));
    tx.commit();
  }

  static const domain::ReportCounts* find(const Report& report, ReportDimension dimension,
                                          const std::string& key) {
    for (const domain::ReportRow& row : report.rows) {
      if (row.dimension == dimension && row.label.key == key) return &row.counts;
    }
    return nullptr;
  }

  static const domain::ReportCounts& counts(const Report& report, ReportDimension dimension,
                                            const std::string& key) {
    if (const domain::ReportCounts* found = find(report, dimension, key)) return *found;
    ADD_FAILURE() << "no row " << to_string(dimension) << " " << key;
    static const domain::ReportCounts kNone;
    return kNone;
  }

  static const domain::ReportCounts& unit(const Report& report, const char* code) {
    return counts(report, ReportDimension::kUnit, code);
  }
};

/// Issue 14's required test: dispatched to A, returned late, dispatched to B and completed on
/// time. A keeps its misdispatch and its late handling; B is charged with an on-time completion.
TEST_F(ReportChargeTest, AUnitThatReturnsLateKeepsItsLatenessAndTheNextUnitIsNotChargedWithIt) {
  const char* a = CaseDistrict::kStreetUnit;
  const char* b = CaseDistrict::kDistrictUnit;
  at(kMonday, 10h);
  const std::string case_no = receive(domain::Channel::kApp, false);
  drive_to(case_no, CaseStatus::kHandling);  // to A, due Monday 16:30
  at(kTuesday, 9h);
  act(case_no, CaseAction::kReturn, reason_input(), Role::kUnit);  // late
  act(case_no, CaseAction::kDispatch, unit_input(b), Role::kDispatcher);
  act(case_no, CaseAction::kAcknowledge, {}, Role::kUnit);
  at(kTuesday, 10h);
  act(case_no, CaseAction::kComplete, note_input(), Role::kUnit);  // on time for B
  act(case_no, CaseAction::kCheck, result_input("passed"), Role::kOfficer);
  act(case_no, CaseAction::kClose, {}, Role::kShiftLeader);
  at(kNextMonday, 10h);

  const Report tuesday = compute(kTuesday);
  const Report week = compute(kTuesday, ReportPeriod::kWeek);

  for (const Report* report : {&tuesday, &week}) {
    const domain::ReportCounts& of_a = unit(*report, a);
    EXPECT_EQ(of_a.timer(StageTimer::kHandling), (TimerCounts{0, 1, 0}));
    EXPECT_EQ(of_a.closed, 0);
    EXPECT_EQ(of_a.closed_on_time, 0);
    EXPECT_EQ(of_a.handling_instances, 0);
    const domain::ReportCounts& of_b = unit(*report, b);
    EXPECT_EQ(of_b.timer(StageTimer::kHandling), (TimerCounts{1, 0, 0}));
    EXPECT_EQ(of_b.closed, 1);
    EXPECT_EQ(of_b.closed_on_time, 1);
    EXPECT_EQ(of_b.due, 1);
    EXPECT_EQ(of_b.handling_instances, 1);
    EXPECT_EQ(of_b.dispatched, 1);
    EXPECT_EQ(of_b.dispatches_kept, 1);
    // The district's totals count both instances.
    EXPECT_EQ(counts(*report, ReportDimension::kDistrict, CaseDistrict::kCode)
                  .timer(StageTimer::kHandling),
              (TimerCounts{1, 1, 0}));
  }
  // The misdispatch is A's, in the week that holds both dispatches.
  EXPECT_EQ(unit(week, a).dispatched, 1);
  EXPECT_EQ(unit(week, a).dispatches_kept, 0);
  EXPECT_EQ(unit(tuesday, a).dispatched, 0);  // dispatched on Monday
  // Stored for every scope: A's own report holds its late instance, B's does not.
  const Report of_a = run_sync(
      reports_->get(ReportPeriod::kDay, kTuesday, service::ReportScope{{}, std::string(a), {}}));
  EXPECT_EQ(unit(of_a, a).timer(StageTimer::kHandling), (TimerCounts{0, 1, 0}));
  EXPECT_EQ(find(of_a, ReportDimension::kUnit, b), nullptr);
  const Report of_b = run_sync(
      reports_->get(ReportPeriod::kDay, kTuesday, service::ReportScope{{}, std::string(b), {}}));
  EXPECT_EQ(unit(of_b, b).timer(StageTimer::kHandling), (TimerCounts{1, 0, 0}));
  EXPECT_EQ(find(of_b, ReportDimension::kUnit, a), nullptr);
}

/// The same while the week is running: its finished Monday counted A's dispatch kept, and the
/// return on Tuesday takes it out of A's row, not B's.
TEST_F(ReportChargeTest, ARunningWeekWithdrawsAReturnedDispatchFromTheUnitItWasSentTo) {
  const char* a = CaseDistrict::kStreetUnit;
  const char* b = CaseDistrict::kDistrictUnit;
  at(kMonday, 10h);
  const std::string case_no = receive(domain::Channel::kApp, false);
  drive_to(case_no, CaseStatus::kHandling);
  at(kTuesday, 9h);
  act(case_no, CaseAction::kReturn, reason_input(), Role::kUnit);
  act(case_no, CaseAction::kDispatch, unit_input(b), Role::kDispatcher);

  const Report running = run_sync(reports_->get(ReportPeriod::kWeek, kTuesday));

  EXPECT_EQ(unit(running, a).dispatched, 1);
  EXPECT_EQ(unit(running, a).dispatches_kept, 0);
  EXPECT_EQ(unit(running, a).timer(StageTimer::kHandling), (TimerCounts{0, 1, 0}));
  EXPECT_EQ(unit(running, b).dispatched, 1);
  EXPECT_EQ(unit(running, b).dispatches_kept, 1);
  EXPECT_EQ(unit(running, b).timer(StageTimer::kHandling), (TimerCounts{0, 0, 0}));
}

/// A check ended before the cell was handed over is the old officer's; one ended after, the
/// new officer's. A report of the day before still lists the old one.
TEST_F(ReportChargeTest, TimersEndedBeforeAHandoverStayWithTheOldOfficer) {
  hand_the_cell_over_on_tuesday();
  at(kMonday, 10h);
  const std::string before = receive(domain::Channel::kApp, false);
  drive_to(before, CaseStatus::kClosed);  // checked Monday
  const std::string after = receive(domain::Channel::kApp, false);
  drive_to(after, CaseStatus::kHandled);  // check due Monday 12:00
  at(kTuesday, 9h);
  act(after, CaseAction::kCheck, result_input("passed"), Role::kOfficer);  // late, Tuesday
  act(after, CaseAction::kClose, {}, Role::kShiftLeader);
  at(kNextMonday, 10h);

  const Report monday = compute(kMonday);
  const Report week = compute(kMonday, ReportPeriod::kWeek);

  EXPECT_EQ(counts(monday, ReportDimension::kOfficer, kOldOfficer).closed, 1);
  EXPECT_EQ(find(monday, ReportDimension::kOfficer, kNewOfficer), nullptr);
  EXPECT_EQ(counts(week, ReportDimension::kOfficer, kOldOfficer).timer(StageTimer::kCheck),
            (TimerCounts{1, 0, 0}));
  EXPECT_EQ(counts(week, ReportDimension::kOfficer, kNewOfficer).timer(StageTimer::kCheck),
            (TimerCounts{0, 1, 0}));
  // The week's cases are the new officer's: it holds the cell at the week's end.
  EXPECT_EQ(counts(week, ReportDimension::kOfficer, kNewOfficer).closed, 2);
  EXPECT_EQ(counts(week, ReportDimension::kOfficer, kOldOfficer).closed, 0);
  // The old officer's own report of the week holds its check.
  const Report old_officer = run_sync(reports_->get(
      ReportPeriod::kWeek, kMonday, service::ReportScope{{}, {}, std::string(kOldOfficer)}));
  EXPECT_EQ(counts(old_officer, ReportDimension::kOfficer, kOldOfficer).timer(StageTimer::kCheck),
            (TimerCounts{1, 0, 0}));
}

/// A verification done in one cell stays that cell's when the case is then located elsewhere.
TEST_F(ReportChargeTest, AnInstanceEndedInOneCellStaysWithItWhenTheCaseMoves) {
  at(kMonday, 10h);
  const std::string case_no = receive(domain::Channel::kApp, false);
  act(case_no, CaseAction::kRequestVerification, {}, Role::kOperator);
  at(kMonday, 10h + 30min);
  act(case_no, CaseAction::kVerify, result_input("confirmed"), Role::kOfficer);
  at(kMonday,
     10h + 45min);  // a later action, as in life (the fixed clock would give both one time)
  domain::ActionInput located;
  located.point = CaseDistrict::in_east_cell();
  act(case_no, CaseAction::kLocate, located, Role::kOperator);
  at(kTuesday, 10h);

  const Report monday = compute(kMonday);

  EXPECT_EQ(
      counts(monday, ReportDimension::kCell, CaseDistrict::kCell).timer(StageTimer::kVerification),
      (TimerCounts{1, 0, 0}));
  EXPECT_EQ(counts(monday, ReportDimension::kCell, CaseDistrict::kCell).received, 0);
  EXPECT_EQ(counts(monday, ReportDimension::kCell, CaseDistrict::kEastCell).received, 1);
  EXPECT_EQ(counts(monday, ReportDimension::kCell, CaseDistrict::kEastCell)
                .timer(StageTimer::kVerification),
            (TimerCounts{0, 0, 0}));
}

/// Today, this week and this month are judged as of now: a deadline hours away is not due, not
/// red, not overdue, and the backlog is aged from now.
TEST_F(ReportChargeTest, ARunningPeriodIsJudgedAsOfNowNotAtItsEnd) {
  at(kMonday, 10h);
  const std::string case_no = receive(domain::Channel::kApp, false);
  drive_to(case_no, CaseStatus::kHandling);  // due Monday 16:30
  at(kMonday, 11h);

  for (const ReportPeriod period :
       {ReportPeriod::kDay, ReportPeriod::kWeek, ReportPeriod::kMonth}) {
    const Report report = run_sync(reports_->get(period, kMonday));
    const domain::ReportCounts& of =
        counts(report, ReportDimension::kDistrict, CaseDistrict::kCode);
    EXPECT_EQ(of.due, 0) << to_string(period);
    EXPECT_EQ(of.timer(StageTimer::kHandling), (TimerCounts{0, 0, 0})) << to_string(period);
    EXPECT_EQ(of.backlog_by_light[static_cast<std::size_t>(domain::Light::kGreen)], 1)
        << to_string(period);
    EXPECT_EQ(of.backlog_by_light[static_cast<std::size_t>(domain::Light::kRed)], 0)
        << to_string(period);
    EXPECT_EQ(of.backlog_by_age[static_cast<std::size_t>(domain::BacklogAge::kUnderOneDay)], 1)
        << to_string(period);
  }
  // A combined scope of a running month is counted from its facts: as of now too.
  const Report combined = run_sync(
      reports_->get(ReportPeriod::kMonth, kMonday,
                    service::ReportScope{CaseDistrict::kStreet, CaseDistrict::kStreetUnit, {}}));
  EXPECT_EQ(counts(combined, ReportDimension::kUnit, CaseDistrict::kStreetUnit).due, 0);

  at(kMonday, 17h);  // the deadline has passed: now it is due, red and overdue
  // Today's facts are read again once an event is committed (the scheduler's `overdue` is one);
  // no scheduler runs here, so a fresh service reads them.
  reports_ = std::make_unique<service::ReportService>(*database_, *calendar_, *clock_,
                                                      service::ReportOptions{});
  const Report later = run_sync(reports_->get(ReportPeriod::kMonth, kMonday));
  const domain::ReportCounts& of = counts(later, ReportDimension::kDistrict, CaseDistrict::kCode);
  EXPECT_EQ(of.due, 1);
  EXPECT_EQ(of.timer(StageTimer::kHandling), (TimerCounts{0, 0, 1}));
  EXPECT_EQ(of.backlog_by_light[static_cast<std::size_t>(domain::Light::kRed)], 1);

  // A period that has not begun is refused.
  try {
    run_sync(reports_->get(ReportPeriod::kDay, kTuesday));
    ADD_FAILURE() << "tomorrow was reported";
  } catch (const domain::Error& error) {
    EXPECT_EQ(error.code(), domain::ErrorCode::kInvalidValue);
  }
}

/// A ranking lists every subject of its level, those with nothing in the period too (a row of
/// zeros, read in the report's own transaction).
TEST_F(ReportChargeTest, EverySubjectOfARankingLevelIsListed) {
  at(kMonday, 10h);
  drive_to(receive(domain::Channel::kApp, false), CaseStatus::kClosed);

  const auto subjects = [&](ReportDimension dimension, service::ReportScope scope) {
    std::vector<std::string> keys;
    const service::Report report =
        run_sync(reports_->get(ReportPeriod::kDay, kMonday, scope, {}, {dimension}, dimension));
    for (const domain::ReportRow& row : report.rows) {
      EXPECT_EQ(row.dimension, dimension);
      keys.push_back(row.label.key);
    }
    std::sort(keys.begin(), keys.end());
    return keys;
  };

  // The whole database's (other suites may have left grids of their own): both streets, in order.
  const std::vector<std::string> streets = subjects(ReportDimension::kStreet, {});
  const auto street = std::find(streets.begin(), streets.end(), CaseDistrict::kStreet);
  ASSERT_NE(street, streets.end());
  ASSERT_NE(std::next(street), streets.end());
  EXPECT_EQ(*std::next(street), CaseDistrict::kOtherStreet);
  EXPECT_EQ(subjects(ReportDimension::kStreet, {CaseDistrict::kCode, {}, {}}),
            (std::vector<std::string>{CaseDistrict::kStreet, CaseDistrict::kOtherStreet}));
  EXPECT_EQ(subjects(ReportDimension::kStreet, {CaseDistrict::kStreet, {}, {}}),
            (std::vector<std::string>{CaseDistrict::kStreet}));
  EXPECT_EQ(subjects(ReportDimension::kUnit, {CaseDistrict::kCode, {}, {}}),
            (std::vector<std::string>{CaseDistrict::kDistrictUnit, CaseDistrict::kStreetUnit,
                                      CaseDistrict::kOtherStreetUnit}));
  // A street's report lists the units that serve it: its own and the district's.
  EXPECT_EQ(subjects(ReportDimension::kUnit, {CaseDistrict::kStreet, {}, {}}),
            (std::vector<std::string>{CaseDistrict::kDistrictUnit, CaseDistrict::kStreetUnit}));
  EXPECT_EQ(subjects(ReportDimension::kUnit, {{}, CaseDistrict::kStreetUnit, {}}),
            (std::vector<std::string>{CaseDistrict::kStreetUnit}));
  // Channels have no list of subjects: only those with something in the period.
  EXPECT_EQ(subjects(ReportDimension::kChannel, {}), (std::vector<std::string>{"app"}));
}

/// Snapshots computed before a correction are marked stale (sql/024): a stale period counts as
/// not computed, and the nightly job computes it again.
TEST_F(ReportChargeTest, AStaleSnapshotIsComputedAgainByTheNightlyJob) {
  at(kMonday, 10h);
  drive_to(receive(domain::Channel::kApp, false), CaseStatus::kClosed);
  at(kNextMonday, 10h);
  compute(kMonday, ReportPeriod::kWeek);
  {
    pqxx::connection connection{url_};
    pqxx::work tx{connection};
    tx.exec0("UPDATE report_runs SET stale = true WHERE period = 'week'");
    tx.exec0("UPDATE report_snapshots SET received = 99 WHERE period = 'week'");
    tx.commit();
  }

  const service::NightlyRun run = run_sync(reports_->run_nightly());

  ASSERT_TRUE(run.recomputed.has_value());
  EXPECT_EQ(run.recomputed->period, ReportPeriod::kWeek);
  EXPECT_EQ(run.recomputed->first_day, kMonday);
  EXPECT_EQ(rows_in("report_runs WHERE stale"), 0);
  EXPECT_EQ(rows_in("report_snapshots WHERE period = 'week' AND received = 99"), 0);
  const service::NightlyRun again = run_sync(reports_->run_nightly());
  EXPECT_FALSE(again.recomputed.has_value());
}

}  // namespace
}  // namespace gridcase::testing
