#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <functional>
#include <pqxx/pqxx>
#include <set>
#include <thread>

#include "connection_pool.hpp"
#include "gridcase/service/report_service.hpp"
#include "pg_report_repository.hpp"
#include "report_world.hpp"
#include "run_sync.hpp"
#include "test_database.hpp"

namespace gridcase::testing {
namespace {

using namespace std::chrono_literals;
using domain::CaseAction;
using domain::CaseStatus;
using domain::ReportDimension;
using domain::ReportPeriod;
using domain::Role;
using domain::StageTimer;
using domain::Timestamp;
using service::Report;
using std::chrono::year_month_day;

constexpr year_month_day kSunday = std::chrono::year{2026} / 11 / 22;
constexpr year_month_day kMonday = std::chrono::year{2026} / 11 / 23;
constexpr year_month_day kTuesday = std::chrono::year{2026} / 11 / 24;
constexpr year_month_day kWednesday = std::chrono::year{2026} / 11 / 25;

/// The hand-computed fixtures of docs/reports.md over the case world. Its handling limit is
/// event:0101/stop, 4 work hours (Mon–Fri 08:30–12:00, 14:30–18:00): dispatched Monday 10:00 it
/// is due Monday 16:30; dispatched Monday 17:00, Tuesday 11:30.
class ReportTest : public ReportWorldTest {
 protected:
  /// Received anonymously (it closes from resolved), registered, dispatched and acknowledged now.
  std::string handling() {
    const std::string case_no = receive(domain::Channel::kApp, false);
    drive_to(case_no, CaseStatus::kHandling);
    return case_no;
  }

  /// Completed, checked and closed now.
  void finish(const std::string& case_no) {
    act(case_no, CaseAction::kComplete, note_input(), Role::kUnit);
    act(case_no, CaseAction::kCheck, result_input("passed"), Role::kOfficer);
    act(case_no, CaseAction::kClose, {}, Role::kShiftLeader);
  }

  static const domain::ReportCounts& counts(const Report& report, ReportDimension dimension,
                                            const std::string& key) {
    for (const domain::ReportRow& row : report.rows) {
      if (row.dimension == dimension && row.label.key == key) return row.counts;
    }
    ADD_FAILURE() << "no row " << to_string(dimension) << " " << key;
    static const domain::ReportCounts kNone;
    return kNone;
  }

  static const domain::ReportCounts& district(const Report& report) {
    return counts(report, ReportDimension::kDistrict, CaseDistrict::kCode);
  }

  static std::string completion(const domain::ReportCounts& of) {
    return domain::format_percent(domain::compute_metrics(of, {}).completion);
  }
};

TEST_F(ReportTest, CaseClosedOnTimeCountsInEveryRowItBelongsTo) {
  at(kMonday, 10h);
  finish(handling());

  const Report report = compute(kMonday);

  for (const auto& [dimension, key] : std::vector<std::pair<ReportDimension, std::string>>{
           {ReportDimension::kDistrict, CaseDistrict::kCode},
           {ReportDimension::kStreet, CaseDistrict::kStreet},
           {ReportDimension::kCommunity, "150261001001"},
           {ReportDimension::kCell, CaseDistrict::kCell},
           {ReportDimension::kUnit, CaseDistrict::kStreetUnit},
           {ReportDimension::kChannel, "app"},
           {ReportDimension::kCategory, "event:0101"}}) {
    const domain::ReportCounts& of = counts(report, dimension, key);
    EXPECT_EQ(of.received, 1) << key;
    EXPECT_EQ(of.registered, 1) << key;
    EXPECT_EQ(of.dispatched, 1) << key;
    EXPECT_EQ(of.dispatches_kept, 1) << key;
    EXPECT_EQ(of.handled, 1) << key;
    EXPECT_EQ(of.closed, 1) << key;
    EXPECT_EQ(of.closed_on_time, 1) << key;
    EXPECT_EQ(of.due, 1) << key;
    EXPECT_EQ(of.backlog(), 0) << key;
  }
  const domain::ReportCounts& of = district(report);
  EXPECT_EQ(of.timer(StageTimer::kHandling), (domain::TimerCounts{1, 0, 0}));
  EXPECT_EQ(of.timer(StageTimer::kRegistration), (domain::TimerCounts{1, 0, 0}));
  EXPECT_EQ(of.timer(StageTimer::kClose), (domain::TimerCounts{1, 0, 0}));
  EXPECT_EQ(of.handling_instances, 1);
  const domain::ReportMetrics metrics = domain::compute_metrics(of, {});
  EXPECT_EQ(domain::format_percent(metrics.completion), "100.00%");
  EXPECT_EQ(metrics.grade, domain::Grade::kA);
  EXPECT_EQ(report.period.start, beijing(kMonday, 0min));
}

TEST_F(ReportTest, CaseCrossingMidnightIsOpenOnTheFirstDayAndClosedOnTheSecond) {
  at(kMonday, 17h);
  const std::string case_no = receive(domain::Channel::kApp, false);
  drive_to(case_no, CaseStatus::kDispatched);  // handling due Tuesday 11:30
  at(kTuesday, 9h);
  act(case_no, CaseAction::kAcknowledge, {}, Role::kUnit);
  finish(case_no);

  const Report monday = compute(kMonday);
  const Report tuesday = compute(kTuesday);

  const domain::ReportCounts& first = district(monday);
  EXPECT_EQ(first.received, 1);
  EXPECT_EQ(first.dispatched, 1);
  EXPECT_EQ(first.closed, 0);
  EXPECT_EQ(first.due, 0);
  EXPECT_EQ(completion(first), "—");
  EXPECT_EQ(first.backlog_by_age[0], 1);
  EXPECT_EQ(first.backlog_by_light[static_cast<std::size_t>(domain::Light::kGreen)], 1);
  // Acknowledgement was due Monday 18:00 and still running at midnight.
  EXPECT_EQ(first.timer(StageTimer::kAcknowledgement), (domain::TimerCounts{0, 0, 1}));
  const domain::ReportCounts& second = district(tuesday);
  EXPECT_EQ(second.received, 0);
  EXPECT_EQ(second.closed, 1);
  EXPECT_EQ(second.closed_on_time, 1);
  EXPECT_EQ(second.due, 1);
  EXPECT_EQ(second.timer(StageTimer::kAcknowledgement), (domain::TimerCounts{0, 1, 0}));
  EXPECT_EQ(second.backlog(), 0);
  // 17:00–18:00 Monday and 08:30–09:00 Tuesday.
  EXPECT_DOUBLE_EQ(second.handling_work_hours, 1.5);
}

TEST_F(ReportTest, CaseOpenPastItsDeadlineIsDueAndRerunningTheDayLaterGivesTheSameNumbers) {
  at(kMonday, 10h);
  const std::string case_no = handling();  // due Monday 16:30
  at(kMonday, 23h);  // Monday is still running: judged as of now (docs/reports.md)
  const Report first = compute(kMonday);
  at(kTuesday, 9h);
  finish(case_no);

  const Report again = compute(kMonday);
  const Report tuesday = compute(kTuesday);

  const domain::ReportCounts& monday = district(first);
  EXPECT_EQ(monday.due, 1);
  EXPECT_EQ(monday.closed, 0);
  EXPECT_EQ(completion(monday), "0.00%");
  EXPECT_EQ(monday.timer(StageTimer::kHandling), (domain::TimerCounts{0, 0, 1}));
  EXPECT_EQ(monday.backlog_by_light[static_cast<std::size_t>(domain::Light::kRed)], 1);
  EXPECT_EQ(again.rows, first.rows);
  EXPECT_EQ(district(tuesday).closed, 1);
  EXPECT_EQ(district(tuesday).closed_on_time, 0);
  EXPECT_EQ(district(tuesday).timer(StageTimer::kHandling), (domain::TimerCounts{0, 1, 0}));
}

TEST_F(ReportTest, SuspendedCaseIsNotDueAndItsResumptionDoesNotChangeThePastDay) {
  at(kMonday, 10h);
  const std::string case_no = handling();
  at(kMonday, 11h);
  act(case_no, CaseAction::kSuspend, until_input(beijing(kWednesday, 10h), false),
      Role::kDispatcher);
  const Report first = compute(kMonday);
  at(kWednesday, 10h);
  act(case_no, CaseAction::kResume, {}, Role::kDispatcher);
  finish(case_no);

  const Report again = compute(kMonday);
  const Report wednesday = compute(kWednesday);

  const domain::ReportCounts& monday = district(first);
  EXPECT_EQ(monday.due, 0);
  EXPECT_EQ(monday.timer(StageTimer::kHandling), (domain::TimerCounts{0, 0, 0}));
  EXPECT_EQ(monday.backlog_by_light[static_cast<std::size_t>(domain::Light::kGreen)], 1);
  EXPECT_EQ(again.rows, first.rows);
  EXPECT_EQ(district(wednesday).closed_on_time, 1);
  // Monday 10:00–11:00 and Wednesday 10:00: the suspension is left out.
  EXPECT_DOUBLE_EQ(district(wednesday).handling_work_hours, 1.0);
}

TEST_F(ReportTest, ExtendedCaseCountsInTheExtensionRate) {
  at(kMonday, 15h);
  const std::string case_no = handling();  // due Tuesday 09:30
  at(kTuesday, 9h);
  act(case_no, CaseAction::kRequestExtension, reason_input(), Role::kUnit);
  act(case_no, CaseAction::kApproveExtension, {}, Role::kShiftLeader);  // due Tuesday 16:00
  at(kTuesday, 15h);
  finish(case_no);

  const Report tuesday = compute(kTuesday);

  const domain::ReportCounts& of = district(tuesday);
  EXPECT_EQ(of.closed, 1);
  EXPECT_EQ(of.closed_on_time, 1);
  EXPECT_EQ(of.closed_extended, 1);
  EXPECT_EQ(domain::format_percent(domain::compute_metrics(of, {}).extension), "100.00%");
}

TEST_F(ReportTest, ReworkedCaseCountsInTheReworkRateAndLowersTheScore) {
  at(kMonday, 10h);
  const std::string case_no = handling();
  act(case_no, CaseAction::kComplete, note_input(), Role::kUnit);
  act(case_no, CaseAction::kCheck, result_input("failed"), Role::kOfficer);
  act(case_no, CaseAction::kAcknowledge, {}, Role::kUnit);
  finish(case_no);

  const Report monday = compute(kMonday);

  const domain::ReportCounts& of = district(monday);
  EXPECT_EQ(of.dispatched, 1);  // the rework is not a dispatch
  EXPECT_EQ(of.closed_reworked, 1);
  EXPECT_EQ(of.handling_instances, 2);
  EXPECT_EQ(of.timer(StageTimer::kHandling), (domain::TimerCounts{2, 0, 0}));
  const domain::ReportMetrics metrics = domain::compute_metrics(of, {});
  EXPECT_EQ(domain::format_percent(metrics.rework), "100.00%");
  EXPECT_NEAR(*metrics.score, 80.0, 1e-9);
  EXPECT_EQ(metrics.grade, domain::Grade::kB);
}

TEST_F(ReportTest, MergedDuplicateIsCountedAsMergedAndLeftOutOfTheDenominators) {
  at(kMonday, 10h);
  const std::string original = receive(domain::Channel::kApp, false);
  const std::string duplicate = receive(domain::Channel::kApp, false);
  domain::ActionInput into;
  into.into = original;
  act(duplicate, CaseAction::kMerge, into, Role::kShiftLeader);
  drive_to(original, CaseStatus::kClosed);

  const Report monday = compute(kMonday);

  const domain::ReportCounts& of = district(monday);
  EXPECT_EQ(of.received, 2);
  EXPECT_EQ(of.merged, 1);
  EXPECT_EQ(of.closed, 1);
  EXPECT_EQ(of.due, 1);
  EXPECT_EQ(of.timer(StageTimer::kRegistration), (domain::TimerCounts{1, 0, 0}));
  EXPECT_EQ(completion(of), "100.00%");
}

TEST_F(ReportTest, ReassignAndReturnCountAgainstDispatchAccuracy) {
  at(kMonday, 10h);
  const std::string reassigned = receive(domain::Channel::kApp, false);
  drive_to(reassigned, CaseStatus::kDispatched);
  act(reassigned, CaseAction::kReassign, unit_input(CaseDistrict::kDistrictUnit),
      Role::kDispatcher);
  const std::string returned = receive(domain::Channel::kApp, false);
  drive_to(returned, CaseStatus::kDispatched);
  act(returned, CaseAction::kReturn, reason_input(), Role::kUnit);

  const Report monday = compute(kMonday);

  const domain::ReportCounts& of = district(monday);
  EXPECT_EQ(of.dispatched, 3);       // two dispatches and a reassign
  EXPECT_EQ(of.dispatches_kept, 1);  // the reassign
  EXPECT_EQ(domain::format_percent(domain::compute_metrics(of, {}).dispatch_accuracy), "33.33%");
}

TEST_F(ReportTest, CallbacksGiveTheSatisfactionRate) {
  at(kMonday, 10h);
  const std::string satisfied = receive(domain::Channel::kHotline12319);
  drive_to(satisfied, CaseStatus::kClosed);
  act(satisfied, CaseAction::kCallback, callback_input("basically_satisfied"), Role::kOperator);
  const std::string dissatisfied = receive(domain::Channel::kHotline12319);
  drive_to(dissatisfied, CaseStatus::kClosed);
  act(dissatisfied, CaseAction::kCallback, callback_input("dissatisfied"), Role::kOperator);

  const Report monday = compute(kMonday);

  const domain::ReportCounts& of = counts(monday, ReportDimension::kChannel, "hotline_12319");
  EXPECT_EQ(of.callbacks_reached, 2);
  EXPECT_EQ(of.callbacks_satisfied, 1);
  EXPECT_EQ(domain::format_percent(domain::compute_metrics(of, {}).satisfaction), "50.00%");
}

TEST_F(ReportTest, PeriodWithNothingDueHasUndefinedRatesAndAnEmptyDayHasNoRows) {
  at(kMonday, 10h);
  receive(domain::Channel::kApp, false);
  at(kMonday, 12h);  // Monday is still running: judged as of now, an hour after registration's due

  const Report sunday = compute(kSunday);
  const Report monday = compute(kMonday);

  EXPECT_TRUE(sunday.rows.empty());
  const domain::ReportCounts& of = district(monday);
  EXPECT_EQ(of.received, 1);
  EXPECT_EQ(of.due, 0);
  const domain::ReportMetrics metrics = domain::compute_metrics(of, {});
  EXPECT_EQ(domain::format_percent(metrics.completion), "—");
  EXPECT_EQ(metrics.score, std::nullopt);
  // Registration was due Monday 11:00.
  EXPECT_EQ(of.timer(StageTimer::kRegistration), (domain::TimerCounts{0, 0, 1}));
}

TEST_F(ReportTest, WeekIsCountedOverTheWholeWeekNotAveragedFromDays) {
  at(kMonday, 17h);
  const std::string late_acknowledged = receive(domain::Channel::kApp, false);
  drive_to(late_acknowledged, CaseStatus::kDispatched);  // acknowledgement due Monday 18:00
  at(kMonday, 17h + 30min);
  finish(handling());
  at(kTuesday, 9h);
  act(late_acknowledged, CaseAction::kAcknowledge, {}, Role::kUnit);
  finish(late_acknowledged);

  const Report week = compute(kWednesday, ReportPeriod::kWeek);

  const domain::ReportCounts& of = district(week);
  EXPECT_EQ(week.period.first_day, kMonday);
  EXPECT_EQ(of.received, 2);
  EXPECT_EQ(of.closed, 2);
  EXPECT_EQ(of.due, 2);
  // One on time, one late: 50%, where Monday (1 of 2) and Tuesday (0 of 1) average 25%.
  EXPECT_EQ(of.timer(StageTimer::kAcknowledgement), (domain::TimerCounts{1, 1, 0}));
}

TEST_F(ReportTest, OfficerRowsAreTheCellsGridOfficer) {
  {
    pqxx::connection connection{url_};
    pqxx::work tx{connection};
    tx.exec0("INSERT INTO officers (code, name) VALUES ('150261-officer-r1', '网格员甲')");
    tx.exec_params0(
        "INSERT INTO officer_cells (officer_id, duty, cell_code, valid_from) "
        "SELECT id, 'grid_officer', $1, DATE '2026-01-01' FROM officers WHERE code = "
        "'150261-officer-r1'",
        std::string(CaseDistrict::kCell));
    tx.commit();
  }
  at(kMonday, 10h);
  finish(handling());

  const Report monday = compute(kMonday);

  EXPECT_EQ(counts(monday, ReportDimension::kOfficer, "150261-officer-r1").closed, 1);
  for (const domain::ReportRow& row : monday.rows) {
    if (row.dimension == ReportDimension::kOfficer) {
      EXPECT_EQ(row.label.name, "网格员甲");
    }
  }
}

TEST_F(ReportTest, EndedPeriodIsStoredAndRecomputingReplacesIt) {
  at(kMonday, 10h);
  finish(handling());
  at(kTuesday, 9h);
  const Report computed = compute(kMonday);

  const Report stored = run_sync(reports_->get(ReportPeriod::kDay, kMonday));
  at(kMonday, 11h);  // a late entry with Monday's time
  finish(handling());
  at(kTuesday, 9h);
  const Report recomputed = compute(kMonday);
  const Report stored_again = run_sync(reports_->get(ReportPeriod::kDay, kMonday));

  EXPECT_EQ(stored.rows, computed.rows);
  EXPECT_EQ(district(recomputed).closed, 2);
  EXPECT_EQ(stored_again.rows, recomputed.rows);
  EXPECT_EQ(rows_in("report_runs WHERE period = 'day' AND first_day = '2026-11-23'"), 1);
}

/// A finished period's stored report is read once and shared while its snapshot and the admin
/// record stand; a new computation, or any administrative change (a renamed node here), makes
/// the next request read it again.
TEST_F(ReportTest, AStoredReportIsSharedUntilItsSnapshotOrTheAdminRecordChanges) {
  at(kMonday, 10h);
  finish(handling());
  at(kTuesday, 9h);
  compute(kMonday);
  const auto read = [&] {
    return run_sync(reports_->get_shared(ReportPeriod::kDay, kMonday, {}, "",
                                         {ReportDimension::kStreet}, ReportDimension::kStreet));
  };

  const std::shared_ptr<const Report> first = read();
  EXPECT_EQ(read(), first);  // the same answer, not read again
  EXPECT_EQ(counts(*first, ReportDimension::kStreet, CaseDistrict::kStreet).closed, 1);

  at(kTuesday, 10h);
  compute(kMonday);  // stored again: a new write of the run
  const std::shared_ptr<const Report> recomputed = read();
  EXPECT_NE(recomputed, first);
  EXPECT_EQ(recomputed->rows, first->rows);  // the same figures, read afresh

  {
    pqxx::connection connection{url_};
    pqxx::work tx{connection};
    tx.exec_params0("UPDATE grid_nodes SET name = '改名街道' WHERE code = $1",
                    CaseDistrict::kOtherStreet);
    tx.exec0(
        "INSERT INTO admin_audit (actor, action, target) VALUES ('cli', 'grid.import', 'test')");
    tx.commit();
  }
  const std::shared_ptr<const Report> renamed = read();
  EXPECT_NE(renamed, recomputed);
  // The other street had nothing on Monday: listed under its name as it is now.
  bool found = false;
  for (const domain::ReportRow& row : renamed->rows) {
    if (row.label.key != CaseDistrict::kOtherStreet) continue;
    found = true;
    EXPECT_EQ(row.label.name, "改名街道");
  }
  EXPECT_TRUE(found);
}

TEST_F(ReportTest, PeriodNotEndedYetIsNotStored) {
  at(kMonday, 10h);
  finish(handling());

  const Report today = compute(kMonday);

  EXPECT_EQ(district(today).closed, 1);
  EXPECT_EQ(rows_in("report_runs"), 0);
}

TEST_F(ReportTest, ScopedReportCountsOnlyTheScopesCasesAndHidesGridRowsAboveIt) {
  at(kMonday, 10h);
  finish(handling());
  receive(
      case_report(domain::Channel::kApp, CaseDistrict::in_other_street(), false, clock_->now()));
  at(kTuesday, 9h);

  const Report street = run_sync(reports_->get(
      ReportPeriod::kDay, kMonday, service::ReportScope{CaseDistrict::kStreet, {}, {}}));
  const Report unit = run_sync(reports_->get(
      ReportPeriod::kDay, kMonday, service::ReportScope{{}, CaseDistrict::kStreetUnit, {}}));

  EXPECT_EQ(counts(street, ReportDimension::kChannel, "app").received, 1);
  EXPECT_EQ(counts(street, ReportDimension::kStreet, CaseDistrict::kStreet).closed, 1);
  for (const domain::ReportRow& row : street.rows) {
    EXPECT_NE(row.dimension, ReportDimension::kDistrict);
    EXPECT_NE(row.label.key, CaseDistrict::kOtherStreet);
  }
  EXPECT_EQ(domain::totals_of(unit.rows).received, 1);
  EXPECT_EQ(domain::totals_of(street.rows).closed, 1);
}

TEST_F(ReportTest, TrendGivesTheDailyTotalsOldestFirst) {
  at(kMonday, 10h);
  finish(handling());
  at(kTuesday, 10h);
  finish(handling());
  finish(handling());
  at(kWednesday, 9h);

  const std::vector<service::TrendPoint> trend =
      run_sync(reports_->trend(kTuesday, 3, service::ReportScope{}));

  ASSERT_EQ(trend.size(), 3U);
  EXPECT_EQ(trend[0].date, kSunday);
  EXPECT_EQ(trend[0].totals.closed, 0);
  EXPECT_EQ(trend[1].totals.closed, 1);
  EXPECT_EQ(trend[2].totals.closed, 2);
}

TEST_F(ReportTest, AScopedTrendReadsTheStoredDaysAndAgreesWithTheLiveScopedReport) {
  at(kMonday, 10h);
  finish(handling());
  handling();  // open across both days
  receive(
      case_report(domain::Channel::kApp, CaseDistrict::in_other_street(), false, clock_->now()));
  at(kTuesday, 10h);
  finish(handling());
  at(kWednesday, 9h);
  compute(kMonday);  // the nights, stored as the nightly job stores them
  compute(kTuesday);

  const service::ReportScope street{CaseDistrict::kStreet, {}, {}};
  const service::ReportScope unit{{}, CaseDistrict::kStreetUnit, {}};
  const service::ReportScope district{};
  for (const service::ReportScope& scope : {street, unit, district}) {
    const std::vector<service::TrendPoint> trend = run_sync(reports_->trend(kTuesday, 2, scope));
    ASSERT_EQ(trend.size(), 2U);
    for (const service::TrendPoint& point : trend) {
      // A scoped report is its own stored snapshot, never read from the district's rows.
      const domain::ReportCounts live =
          domain::totals_of(run_sync(reports_->get(ReportPeriod::kDay, point.date, scope)).rows);
      domain::ReportCounts stored = point.totals;
      EXPECT_NEAR(stored.handling_work_hours, live.handling_work_hours, 1e-6);
      stored.handling_work_hours = live.handling_work_hours;
      EXPECT_EQ(stored, live) << (scope.grid ? *scope.grid : scope.unit.value_or("district"));
    }
  }
  const std::vector<service::TrendPoint> of_street = run_sync(reports_->trend(kTuesday, 2, street));
  EXPECT_EQ(of_street[0].totals.received, 2);
  EXPECT_EQ(of_street[0].totals.closed, 1);
  EXPECT_EQ(of_street[1].totals.closed, 1);
  // The stored row is what the trend shows: changed by hand, the trend follows it.
  pqxx::connection connection{url_};
  pqxx::work tx{connection};
  tx.exec_params0(
      "UPDATE report_snapshots SET received = 99 WHERE period = 'day' AND first_day = '2026-11-23' "
      "AND dimension = 'street' AND key = $1",
      CaseDistrict::kStreet);
  tx.commit();
  EXPECT_EQ(run_sync(reports_->trend(kMonday, 1, street))[0].totals.received, 99);
}

TEST_F(ReportTest, ATrendEndingAfterTodayEndsToday) {
  at(kMonday, 10h);
  finish(handling());
  at(kTuesday, 10h);
  finish(handling());

  // The bulletin of the current month asks for the 30 days ending with the month's last day.
  const std::chrono::year_month_day month_end{std::chrono::sys_days{kTuesday} +
                                              std::chrono::days{20}};
  const std::vector<service::TrendPoint> trend =
      run_sync(reports_->trend(month_end, 3, service::ReportScope{}));

  ASSERT_EQ(trend.size(), 3U);
  EXPECT_EQ(trend[0].date, kSunday);
  EXPECT_EQ(trend[2].date, kTuesday);
  EXPECT_EQ(trend[2].totals.closed, 1);
}

// ---- what any account can make the server compute (issue 12) ----

/// The field a refused report names, or "answered".
std::string refusal_of(const std::function<void()>& read) {
  try {
    read();
  } catch (const domain::Error& error) {
    return std::string(to_string(error.code())) + ":" +
           (error.details().fields.empty() ? "" : error.details().fields[0].field);
  }
  return "answered";
}

TEST_F(ReportTest, APeriodBeforeTheFirstCaseOrNotBegunIsRefusedAndTrendDaysBeforeItAreZero) {
  at(kMonday, 10h);
  finish(handling());
  at(kTuesday, 9h);
  const service::ReportScope unit{{}, CaseDistrict::kStreetUnit, {}};
  const auto read = [&](ReportPeriod period, year_month_day date) {
    return refusal_of([&] { run_sync(reports_->get(period, date, unit, "unit-staff")); });
  };

  EXPECT_EQ(read(ReportPeriod::kDay, kSunday), "invalid_value:date");
  EXPECT_EQ(read(ReportPeriod::kMonth, std::chrono::year{1970} / 2 / 1), "invalid_value:date");
  EXPECT_EQ(read(ReportPeriod::kDay, std::chrono::year{0} / 1 / 1), "invalid_value:date");
  EXPECT_EQ(read(ReportPeriod::kDay, kWednesday), "invalid_value:date");
  EXPECT_EQ(read(ReportPeriod::kDay, kMonday), "answered");
  EXPECT_EQ(read(ReportPeriod::kMonth, kMonday), "answered");

  const std::vector<service::TrendPoint> trend = run_sync(reports_->trend(kMonday, 30, unit));
  ASSERT_EQ(trend.size(), 30U);
  EXPECT_EQ(trend.back().totals.closed, 1);
  EXPECT_EQ(rows_in("report_runs WHERE period = 'day'"), 1);  // Monday, stored once
}

TEST_F(ReportTest, AFinishedDayIsStoredForEveryNodeUnitAndOfficerAndScopedReadsAreSnapshots) {
  {
    pqxx::connection connection{url_};
    pqxx::work tx{connection};
    tx.exec0("INSERT INTO officers (code, name) VALUES ('150261-officer-r2', '网格员乙')");
    tx.exec_params0(
        "INSERT INTO officer_cells (officer_id, duty, cell_code, valid_from) "
        "SELECT id, 'grid_officer', $1, DATE '2026-01-01' FROM officers WHERE code = "
        "'150261-officer-r2'",
        std::string(CaseDistrict::kCell));
    tx.commit();
  }
  at(kMonday, 10h);
  finish(handling());
  receive(
      case_report(domain::Channel::kApp, CaseDistrict::in_other_street(), false, clock_->now()));
  at(kTuesday, 9h);
  compute(kMonday);  // as the nightly job does

  const std::vector<std::pair<std::string, service::ReportScope>> scopes{
      {std::string("grid:") + CaseDistrict::kStreet, {CaseDistrict::kStreet, {}, {}}},
      {std::string("grid:") + CaseDistrict::kCell, {CaseDistrict::kCell, {}, {}}},
      {std::string("unit:") + CaseDistrict::kStreetUnit, {{}, CaseDistrict::kStreetUnit, {}}},
      {"officer:150261-officer-r2", {{}, {}, "150261-officer-r2"}}};
  for (const auto& [key, scope] : scopes) {
    EXPECT_GT(rows_in("report_snapshots WHERE period = 'day' AND scope = '" + key + "'"), 0) << key;
  }
  // A late entry with Monday's time: a scoped read of Monday is its snapshot, so it shows the
  // entry only once the day is computed again.
  at(kMonday, 11h);
  finish(handling());
  at(kTuesday, 9h);
  for (const auto& [key, scope] : scopes) {
    const Report stored = run_sync(reports_->get(ReportPeriod::kDay, kMonday, scope));
    EXPECT_EQ(domain::totals_of(stored.rows).closed, 1) << key;
  }
  compute(kMonday);
  for (const auto& [key, scope] : scopes) {
    const Report stored = run_sync(reports_->get(ReportPeriod::kDay, kMonday, scope));
    EXPECT_EQ(domain::totals_of(stored.rows).closed, 2) << key;
    for (const domain::ReportRow& row : stored.rows) {
      if (scope.grid) {
        EXPECT_NE(row.dimension, ReportDimension::kDistrict) << key;
      }
    }
  }
}

TEST_F(ReportTest, ARunningMonthIsTheStoredSumOfItsFinishedDaysPlusToday) {
  at(kMonday, 10h);
  finish(handling());
  handling();  // open across every day
  const std::string returned = receive(domain::Channel::kApp, false);
  drive_to(returned, CaseStatus::kDispatched);  // kept as Monday ends
  at(kTuesday, 10h);
  act(returned, CaseAction::kReturn, reason_input(), Role::kUnit);  // not kept in the month
  finish(handling());
  at(kWednesday, 9h);
  finish(handling());
  const Report exact = compute(kWednesday, ReportPeriod::kMonth);  // the whole span, from facts
  compute(kMonday);
  // Changed by hand, the stored Monday shows in the month: the month reads it, not the log.
  {
    pqxx::connection connection{url_};
    pqxx::work tx{connection};
    tx.exec0(
        "UPDATE report_snapshots SET received = received + 10 WHERE period = 'day' "
        "AND first_day = '2026-11-23' AND scope = '' AND dimension = 'district'");
    tx.commit();
  }

  const Report running = run_sync(reports_->get(ReportPeriod::kMonth, kWednesday));
  const Report street = run_sync(reports_->get(
      ReportPeriod::kMonth, kWednesday, service::ReportScope{CaseDistrict::kStreet, {}, {}}));

  EXPECT_EQ(running.period, exact.period);
  EXPECT_EQ(district(running).received, district(exact).received + 10);
  EXPECT_EQ(district(running).closed, district(exact).closed);
  EXPECT_EQ(district(running).closed, 3);
  EXPECT_EQ(district(running).due, district(exact).due);
  EXPECT_EQ(district(running).backlog(), district(exact).backlog());
  EXPECT_EQ(district(running).dispatched, district(exact).dispatched);
  EXPECT_EQ(district(running).dispatches_kept, district(exact).dispatches_kept);
  EXPECT_EQ(district(running).dispatches_kept, district(running).dispatched - 1);
  const domain::ReportCounts of_street =
      counts(street, ReportDimension::kStreet, CaseDistrict::kStreet);
  EXPECT_EQ(of_street.received, district(exact).received);
  EXPECT_EQ(of_street.closed, 3);
  EXPECT_EQ(of_street.backlog(), 2);  // the open one and the returned one
  EXPECT_EQ(of_street.dispatches_kept, district(exact).dispatches_kept);
  EXPECT_EQ(rows_in("report_runs WHERE period = 'days' AND end_day = '2026-11-25'"), 2);
}

TEST_F(ReportTest, ARunningMonthsDispatchAccuracyIsTheWholeMonthsAfterReturnsAndReassignsLater) {
  at(kMonday, 10h);
  const std::string returned = receive(domain::Channel::kApp, false);
  drive_to(returned, CaseStatus::kDispatched);
  const std::string reassigned = receive(domain::Channel::kApp, false);
  drive_to(reassigned, CaseStatus::kDispatched);
  const std::string kept = receive(domain::Channel::kApp, false);
  drive_to(kept, CaseStatus::kDispatched);
  at(kTuesday, 10h);
  act(returned, CaseAction::kReturn, reason_input(), Role::kUnit);  // a finished day later
  at(kWednesday, 9h);
  act(reassigned, CaseAction::kReassign, unit_input(CaseDistrict::kDistrictUnit),
      Role::kDispatcher);  // today

  const Report exact = compute(kWednesday, ReportPeriod::kMonth);  // the whole span, from facts
  const service::ReportScope street{CaseDistrict::kStreet, {}, {}};
  const Report running = run_sync(reports_->get(ReportPeriod::kMonth, kWednesday));
  const Report running_street = run_sync(reports_->get(ReportPeriod::kMonth, kWednesday, street));
  const Report again = run_sync(reports_->get(ReportPeriod::kMonth, kWednesday));  // stored days

  EXPECT_EQ(rows_in("report_runs WHERE period = 'day'"), 2);  // Monday and Tuesday are stored
  EXPECT_EQ(district(exact).dispatched, 4);                   // three dispatches and a reassign
  EXPECT_EQ(district(exact).dispatches_kept, 2);              // the kept dispatch and the reassign
  for (const Report* report : {&running, &again}) {
    EXPECT_EQ(district(*report).dispatched, district(exact).dispatched);
    EXPECT_EQ(district(*report).dispatches_kept, district(exact).dispatches_kept);
    EXPECT_EQ(domain::compute_metrics(district(*report), {}).dispatch_accuracy,
              domain::compute_metrics(district(exact), {}).dispatch_accuracy);
  }
  const domain::ReportCounts& of_street =
      counts(running_street, ReportDimension::kStreet, CaseDistrict::kStreet);
  EXPECT_EQ(of_street.dispatched, 4);
  EXPECT_EQ(of_street.dispatches_kept, 2);
}

TEST_F(ReportTest, ATodaysEventCommittedAfterOneWithAHigherIdIsCounted) {
  at(kMonday, 10h);
  const std::string late = handling();
  pqxx::connection connection{url_};
  pqxx::work slow{connection};
  // An event whose id is taken now and committed after the next case's events.
  slow.exec_params0(
      "INSERT INTO case_events (case_id, at, actor, actor_role, action, params) "
      "SELECT id, to_timestamp($2::bigint / 1000.0), 'test', 'operator', 'callback', "
      "'{\"reached\": true, \"satisfaction\": \"satisfied\"}' FROM cases WHERE case_no = $1",
      late,
      std::chrono::duration_cast<std::chrono::milliseconds>(clock_->now().time_since_epoch())
          .count());
  handling();  // events with higher ids, committed first
  const Report before = run_sync(reports_->get(ReportPeriod::kDay, kMonday));
  slow.commit();
  const Report after = run_sync(reports_->get(ReportPeriod::kDay, kMonday));

  EXPECT_EQ(district(before).callbacks_reached, 0);
  EXPECT_EQ(district(after).callbacks_reached, 1);
  EXPECT_EQ(district(after).callbacks_satisfied, 1);
}

TEST_F(ReportTest, AFinishedPeriodIsStoredOnceAndACombinedScopeDoesNotStoreItAgain) {
  at(kMonday, 10h);
  finish(handling());
  at(kTuesday, 9h);
  compute(kMonday);
  // Changed by hand: a read that stored Monday again would wipe it.
  {
    pqxx::connection connection{url_};
    pqxx::work tx{connection};
    tx.exec0(
        "UPDATE report_snapshots SET received = received + 10 WHERE period = 'day' "
        "AND first_day = '2026-11-23' AND scope = '' AND dimension = 'district'");
    tx.exec_params0(
        "UPDATE report_snapshots SET closed = closed + 20 WHERE period = 'day' "
        "AND first_day = '2026-11-23' AND scope = $1 AND dimension = 'street'",
        std::string("unit:") + CaseDistrict::kStreetUnit);
    tx.commit();
  }
  const service::ReportScope combined{CaseDistrict::kStreet, CaseDistrict::kStreetUnit, {}};

  const Report counted = run_sync(reports_->get(ReportPeriod::kDay, kMonday, combined));
  const Report grid_rows = run_sync(
      reports_->get(ReportPeriod::kDay, kMonday, combined, "", {ReportDimension::kStreet}));
  const Report district_report = run_sync(reports_->get(ReportPeriod::kDay, kMonday));

  EXPECT_EQ(domain::totals_of(counted.rows).closed, 1);  // counted from the facts
  EXPECT_EQ(domain::totals_of(counted.rows).received, 1);
  EXPECT_EQ(district(district_report).received, 11);  // Monday was not stored again
  // Its grid rows are the unit's stored ones below the street.
  EXPECT_EQ(counts(grid_rows, ReportDimension::kStreet, CaseDistrict::kStreet).closed, 21);
  EXPECT_EQ(grid_rows.rows.size(), 1U);
}

TEST_F(ReportTest, AStreetsCommunitysAndCellsGridRowsAreTheDistrictsStoredOnce) {
  at(kMonday, 10h);
  finish(handling());
  handling();
  receive(case_report(domain::Channel::kApp, CaseDistrict::in_east_cell(), false, clock_->now()));
  receive(
      case_report(domain::Channel::kApp, CaseDistrict::in_other_street(), false, clock_->now()));
  at(kTuesday, 9h);
  const std::vector<std::pair<std::string, service::ReportScope>> scopes{
      {"street", {CaseDistrict::kStreet, {}, {}}},
      {"community", {std::string(CaseDistrict::kCell).substr(0, 12), {}, {}}},
      {"cell", {CaseDistrict::kEastCell, {}, {}}}};
  // The first read of each computes Monday (storing every scope) and answers from the counts.
  std::vector<Report> counted;
  for (const auto& [name, scope] : scopes) {
    counted.push_back(run_sync(reports_->get(ReportPeriod::kDay, kMonday, scope)));
  }

  // A street's, community's or cell's own scope keeps no grid rows: the district's are read.
  EXPECT_EQ(rows_in("report_snapshots WHERE scope LIKE 'grid:%' "
                    "AND dimension IN ('street', 'community', 'cell')"),
            0);
  EXPECT_EQ(rows_in("report_snapshots WHERE scope = '' AND dimension = 'cell'"), 3);
  EXPECT_GT(
      rows_in("report_snapshots WHERE scope = 'grid:" + std::string(CaseDistrict::kStreet) + "'"),
      0);  // its unit, officer, channel and category rows
  for (std::size_t i = 0; i < scopes.size(); ++i) {
    const auto& [name, scope] = scopes[i];
    const Report stored = run_sync(reports_->get(ReportPeriod::kDay, kMonday, scope));
    EXPECT_EQ(stored.rows, counted[i].rows) << name;
    for (const domain::ReportRow& row : stored.rows) {
      if (row.dimension == ReportDimension::kStreet ||
          row.dimension == ReportDimension::kCommunity || row.dimension == ReportDimension::kCell) {
        EXPECT_TRUE(row.label.key.starts_with(*scope.grid)) << name << " " << row.label.key;
      }
    }
    // One dimension, and one subject of it, read the same way.
    const Report cells =
        run_sync(reports_->get(ReportPeriod::kDay, kMonday, scope, "", {ReportDimension::kCell}));
    EXPECT_EQ(cells.rows.size(), name == "cell" ? 1U : 2U) << name;
  }
  EXPECT_EQ(counts(run_sync(reports_->get(ReportPeriod::kDay, kMonday, scopes[0].second)),
                   ReportDimension::kCell, CaseDistrict::kCell)
                .closed,
            1);
}

TEST_F(ReportTest, TheDistrictEveryCaseIsInIsStoredOnceAndReadUnderBothKeys) {
  at(kMonday, 10h);
  finish(handling());
  handling();
  at(kTuesday, 9h);
  finish(handling());
  at(kWednesday, 9h);
  compute(kMonday);
  const service::ReportScope whole_district{std::string(CaseDistrict::kCode), {}, {}};

  const Report monday = run_sync(reports_->get(ReportPeriod::kDay, kMonday));
  const Report monday_by_key = run_sync(reports_->get(ReportPeriod::kDay, kMonday, whole_district));
  const Report month = run_sync(reports_->get(ReportPeriod::kMonth, kWednesday));
  const Report month_by_key =
      run_sync(reports_->get(ReportPeriod::kMonth, kWednesday, whole_district));

  EXPECT_EQ(rows_in("report_snapshots WHERE period = 'day' AND scope = 'grid:" +
                    std::string(CaseDistrict::kCode) + "'"),
            0);
  EXPECT_GT(rows_in("report_snapshots WHERE period = 'day' AND scope = ''"), 0);
  EXPECT_EQ(monday_by_key.rows, monday.rows);
  EXPECT_EQ(district(monday_by_key).closed, 1);
  EXPECT_EQ(month_by_key.rows, month.rows);
  EXPECT_EQ(district(month_by_key).closed, 2);
}

TEST_F(ReportTest, ARequestComputesAtMostItsShareOfMissingDaysAndLeavesTheRestToTheNight) {
  service::ReportOptions options;
  options.max_day_computations = 2;
  const service::ReportService capped{*database_, *calendar_, *clock_, options};
  at(kSunday, 10h);
  handling();  // the first case: Sunday, Monday and Tuesday are finished days of the month
  at(kWednesday, 9h);

  EXPECT_EQ(refusal_of([&] { run_sync(capped.get(ReportPeriod::kMonth, kWednesday)); }),
            "unavailable:");
  EXPECT_EQ(rows_in("report_runs"), 0);  // nothing computed in vain
  try {
    run_sync(capped.get(ReportPeriod::kMonth, kWednesday));
  } catch (const domain::Error& error) {
    EXPECT_EQ(error.details().retry_after, options.live.retry_after);
  }
  compute(kSunday);  // as the nightly job does
  EXPECT_EQ(refusal_of([&] { run_sync(capped.get(ReportPeriod::kMonth, kWednesday)); }),
            "answered");
}

TEST_F(ReportTest, OnlyReadsThatNeedTheEventLogWaitForATurnAndAFullQueueRefusesThem) {
  service::ReportOptions options;
  options.live = service::LiveComputationLimits{1, 0, 5, 5s};
  const service::ReportService limited{*database_, *calendar_, *clock_, options};
  const service::ReportScope street{CaseDistrict::kStreet, {}, {}};
  at(kMonday, 10h);
  finish(handling());
  at(kTuesday, 9h);
  handling();
  run_sync(limited.get(ReportPeriod::kMonth, kTuesday, street, "supervisor"));

  const service::LiveComputations::Permit taken =
      run_sync(limited.live_computations().enter("someone else"));
  // Stored days and today's facts as read: no turn needed.
  EXPECT_EQ(refusal_of([&] { run_sync(limited.get(ReportPeriod::kDay, kMonday, street)); }),
            "answered");
  EXPECT_EQ(refusal_of([&] {
              run_sync(limited.get(ReportPeriod::kMonth, kTuesday, street, "supervisor"));
            }),
            "answered");
  EXPECT_EQ(refusal_of([&] { run_sync(limited.trend(kTuesday, 30, street, "supervisor")); }),
            "answered");
  // A new event: today must be read again, and there is no turn to be had.
  handling();
  EXPECT_EQ(refusal_of([&] {
              run_sync(limited.get(ReportPeriod::kMonth, kTuesday, street, "supervisor"));
            }),
            "unavailable:");
  EXPECT_EQ(refusal_of([&] {
              run_sync(limited.get(
                  ReportPeriod::kDay, kTuesday,
                  service::ReportScope{CaseDistrict::kStreet, CaseDistrict::kStreetUnit, {}}));
            }),
            "unavailable:");
}

TEST_F(ReportTest, OneAccountsConcurrentRequestsShareOneReadOfTodayInsteadOfBeingRefused) {
  service::ReportOptions options;
  options.live = service::LiveComputationLimits{2, 16, 1, 5s};
  const service::ReportService limited{*database_, *calendar_, *clock_, options};
  const service::ReportScope street{CaseDistrict::kStreet, {}, {}};
  at(kMonday, 10h);
  finish(handling());
  at(kTuesday, 9h);
  handling();
  run_sync(limited.get(ReportPeriod::kMonth, kTuesday, street, "supervisor"));
  handling();  // a new event: today's facts must be read again

  // The account's one live turn would refuse all but one of these (429) if each read today
  // itself; they wait for one read instead.
  constexpr int kRequests = 6;
  std::vector<std::string> outcomes(kRequests);
  std::vector<Report> answers(kRequests);
  boost::asio::io_context io;
  for (int i = 0; i < kRequests; ++i) {
    boost::asio::co_spawn(
        io,
        [&, i]() -> boost::asio::awaitable<void> {
          try {
            answers[i] = co_await limited.get(ReportPeriod::kMonth, kTuesday, street, "supervisor");
            outcomes[i] = "answered";
          } catch (const domain::Error& error) {
            outcomes[i] = std::string(to_string(error.code()));
          }
        },
        boost::asio::detached);
  }
  io.run();

  for (int i = 0; i < kRequests; ++i) {
    EXPECT_EQ(outcomes[i], "answered") << i;
    EXPECT_EQ(answers[i].rows, answers[0].rows) << i;
  }
  EXPECT_EQ(domain::totals_of(answers[0].rows).received, 3);  // Monday's and both of Tuesday's
  EXPECT_EQ(limited.live_computations().running(), 0);
}

TEST_F(ReportTest, WithinTheMaxAgeARunningPeriodIsAnsweredFromTheLastReadOfTodayWhileANewerIsRead) {
  service::ReportOptions options;
  options.live = service::LiveComputationLimits{1, 0, 5, 5s};
  options.live_max_age = 120s;
  const service::ReportService lagging{*database_, *calendar_, *clock_, options};
  const auto received = [](const Report& report) {
    return domain::totals_of(report.rows).received;
  };
  at(kMonday, 10h);
  finish(handling());
  at(kTuesday, 9h);
  handling();
  const Timestamp first_read = clock_->now();
  const Report first = run_sync(lagging.get(ReportPeriod::kMonth, kTuesday));
  ASSERT_TRUE(first.as_of.has_value());
  EXPECT_EQ(*first.as_of, first_read);
  EXPECT_EQ(received(first), 2);

  at(kTuesday, 9h + 1min);
  handling();  // a new event
  {
    // Answered from the read of 09:00 at once, with no turn free: nothing waits for today.
    const service::LiveComputations::Permit taken =
        run_sync(lagging.live_computations().enter("someone else"));
    const Report lagged = run_sync(lagging.get(ReportPeriod::kMonth, kTuesday));
    EXPECT_EQ(received(lagged), 2);
    EXPECT_EQ(lagged.as_of, first.as_of);
  }
  // That request started a newer read, which found no turn; this one starts it again, and the
  // read runs to its end before run_sync returns (it is on the request's executor).
  const Report lagged_again = run_sync(lagging.get(ReportPeriod::kMonth, kTuesday));
  EXPECT_EQ(received(lagged_again), 2);
  const Report fresh = run_sync(lagging.get(ReportPeriod::kMonth, kTuesday));
  EXPECT_EQ(received(fresh), 3);
  ASSERT_TRUE(fresh.as_of.has_value());
  EXPECT_EQ(*fresh.as_of, clock_->now());

  // Past the max age the request waits for a new read: exact again.
  at(kTuesday, 9h + 4min);
  handling();
  const Report exact = run_sync(lagging.get(ReportPeriod::kMonth, kTuesday));
  EXPECT_EQ(received(exact), 4);
  EXPECT_EQ(exact.as_of, clock_->now());
  EXPECT_EQ(lagging.live_computations().running(), 0);

  // A finished period has no as_of: its figures are final.
  EXPECT_FALSE(run_sync(lagging.get(ReportPeriod::kDay, kMonday)).as_of.has_value());
}

// ---- the nightly job ----

class NightlyReportTest : public ReportTest {
 protected:
  std::unique_ptr<service::ReportService> service_on(storage::Database& database) {
    service::ReportOptions options;
    options.catch_up_days = 3;
    return std::make_unique<service::ReportService>(database, *calendar_, *clock_, options);
  }
};

TEST_F(NightlyReportTest, AfterOneInTheMorningThePreviousDayAndMissedNightsAreComputedOnce) {
  const std::unique_ptr<service::ReportService> nightly = service_on(*database_);
  at(kTuesday, 1h + 30min);

  const service::NightlyRun first = run_sync(nightly->run_nightly());
  const service::NightlyRun second = run_sync(nightly->run_nightly());

  EXPECT_TRUE(first.ran);
  EXPECT_EQ(first.computed,
            (std::vector<year_month_day>{std::chrono::year{2026} / 11 / 21, kSunday, kMonday}));
  EXPECT_TRUE(second.ran);
  EXPECT_TRUE(second.computed.empty());
}

TEST_F(NightlyReportTest, NightsAreComputedBackToTheFirstCaseOfTheRunningYearEachOnce) {
  const std::unique_ptr<service::ReportService> nightly = service_on(*database_);
  const year_month_day a_week_before{std::chrono::year{2026} / 11 / 16};
  at(a_week_before, 10h);
  finish(handling());
  at(kTuesday, 1h + 30min);

  const service::NightlyRun run = run_sync(nightly->run_nightly());

  ASSERT_EQ(run.computed.size(), 8U);  // 16 to 23 November: the first case's day on
  EXPECT_EQ(run.computed.front(), a_week_before);
  EXPECT_EQ(run.computed.back(), kMonday);
  EXPECT_EQ(rows_in("report_runs WHERE period = 'day'"), 8);
}

TEST_F(NightlyReportTest, BeforeOneInTheMorningThePreviousDayIsNotDueYet) {
  const std::unique_ptr<service::ReportService> nightly = service_on(*database_);
  at(kTuesday, 30min);

  const service::NightlyRun run = run_sync(nightly->run_nightly());

  ASSERT_FALSE(run.computed.empty());
  EXPECT_EQ(run.computed.back(), kSunday);
}

TEST_F(NightlyReportTest, TwoServersOnOneDatabaseComputeEachNightExactlyOnce) {
  const std::unique_ptr<storage::Database> other_database =
      storage::open_database(database_options(url_));
  const std::unique_ptr<service::ReportService> one = service_on(*database_);
  const std::unique_ptr<service::ReportService> two = service_on(*other_database);
  at(kMonday, 10h);
  finish(handling());
  at(kTuesday, 2h);

  std::vector<year_month_day> computed;
  for (int round = 0; round < 3; ++round) {
    service::NightlyRun first;
    service::NightlyRun second;
    std::thread a{[&] { first = run_sync(one->run_nightly()); }};
    std::thread b{[&] { second = run_sync(two->run_nightly()); }};
    a.join();
    b.join();
    computed.insert(computed.end(), first.computed.begin(), first.computed.end());
    computed.insert(computed.end(), second.computed.begin(), second.computed.end());
  }
  other_database->stop();

  EXPECT_EQ(computed.size(), 3U);
  EXPECT_EQ(std::set<year_month_day>(computed.begin(), computed.end()).size(), 3U);
  EXPECT_EQ(rows_in("report_runs WHERE period = 'day'"), 3);
  EXPECT_EQ(query_scalar(url_,
                         "SELECT closed FROM report_snapshots WHERE period = 'day' AND "
                         "first_day = '2026-11-23' AND scope = '' AND dimension = 'district' "
                         "AND key = '150261'"),
            "1");
}

TEST_F(NightlyReportTest, NothingIsComputedWhileAnotherProcessHoldsTheLock) {
  const std::unique_ptr<service::ReportService> nightly = service_on(*database_);
  at(kTuesday, 2h);
  pqxx::connection connection{url_};
  pqxx::work other{connection};
  other.exec("SELECT pg_advisory_xact_lock(7301946209)");

  const service::NightlyRun run = run_sync(nightly->run_nightly());

  EXPECT_FALSE(run.ran);
  EXPECT_TRUE(run.computed.empty());
}

}  // namespace
}  // namespace gridcase::testing

namespace gridcase::storage {
namespace {

// A report's fact reads run under the report's own statement timeout and without JIT, inside
// their transaction only: the pooled connection keeps its serving timeout afterwards.
TEST(ReportSessionTest, FactReadsSetTheirOwnTimeoutAndNoJitForTheirTransactionOnly) {
  DatabaseOptions options = testing::database_options(testing::test_database_url());
  options.statement_timeout = std::chrono::milliseconds{5000};
  std::unique_ptr<pqxx::connection> connection = connect(options);
  {
    pqxx::work tx{*connection};
    PgReportRepository reports{tx, std::chrono::milliseconds{120000}};
    const domain::Timestamp end =
        std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
    reports.timer_facts(end - std::chrono::hours{24}, end);
    EXPECT_EQ(tx.exec1("SHOW statement_timeout")[0].as<std::string>(), "2min");
    EXPECT_EQ(tx.exec1("SHOW jit")[0].as<std::string>(), "off");
    tx.commit();
  }
  pqxx::nontransaction after{*connection};
  EXPECT_EQ(after.exec1("SHOW statement_timeout")[0].as<std::string>(), "5s");
}

}  // namespace
}  // namespace gridcase::storage
