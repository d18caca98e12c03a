// The work calendar as CaseService keeps it: read once, trusted for `calendar_cache`, read again
// after, and dropped when it is replaced or asked for explicitly. Observed through the service's
// public calls and how often the calendar port is read.
#include <gtest/gtest.h>

#include "fixed_clock.hpp"
#include "gridcase/domain/access.hpp"
#include "gridcase/service/case_service.hpp"
#include "in_memory_repositories.hpp"
#include "inline_transaction_runner.hpp"
#include "run_sync.hpp"

namespace gridcase::service {
namespace {

using namespace std::chrono_literals;
using domain::Timestamp;

// Monday 23 November 2026, 10:00 in Beijing.
const Timestamp kNow = Timestamp{std::chrono::sys_days{std::chrono::year{2026} / 11 / 23} + 2h};
const std::string kCaseNo = "150203-20261123-000001";

domain::Actor operator_actor() {
  domain::Actor actor;
  actor.id = "operator";
  actor.roles = domain::RoleSet{domain::Role::kOperator};
  actor.acting_as = domain::Role::kOperator;
  return actor;
}

/// The demo calendar with one more holiday: a calendar that is not the one loaded before.
domain::WorkCalendarSpec calendar_with_holiday(std::chrono::year_month_day holiday) {
  domain::WorkCalendarSpec spec = domain::WorkCalendar::demo().spec();
  spec.holidays.push_back(holiday);
  return spec;
}

class CaseServiceCalendarTest : public ::testing::Test {
 protected:
  CaseServiceCalendarTest() {
    store.cases.json[kCaseNo] = JsonText{R"({"case_no": "150203-20261123-000001"})"};
    store.cases.timer_rows[kCaseNo] = {
        TimerRow{domain::StageTimer::kRegistration, 0, kNow - 1h, kNow + 1h,
                 domain::TimeLimit{2, domain::LimitUnit::kUrgentHour}}};
  }

  /// A read that needs the calendar: the case's timers get their lights from it.
  CaseView read_case() { return testing::run_sync(cases.get(kCaseNo, operator_actor())); }

  static CaseOptions options() {
    CaseOptions options;
    options.calendar_cache = 5000ms;
    options.utc_offset = 480min;
    return options;
  }

  testing::FixedClock clock{kNow};
  testing::InMemoryRepositories store{clock};
  testing::InlineTransactionRunner transactions{store};
  CalendarCache calendar{clock, options().utc_offset, options().calendar_cache};
  CaseService cases{transactions, clock, calendar, options()};
};

TEST_F(CaseServiceCalendarTest, TheFirstReadLoadsTheCalendar) {
  const CaseView view = read_case();

  EXPECT_EQ(store.calendar.loads, 1);
  ASSERT_EQ(view.timers.size(), 1U);
  EXPECT_TRUE(view.timers[0].light.has_value());
}

TEST_F(CaseServiceCalendarTest, ReadsWithinTheCachePeriodReuseTheLoadedCalendar) {
  read_case();
  clock.advance(4999ms);

  read_case();
  read_case();

  EXPECT_EQ(store.calendar.loads, 1);
}

TEST_F(CaseServiceCalendarTest, AReadAfterTheCachePeriodLoadsTheCalendarAgain) {
  read_case();
  clock.advance(5000ms);

  read_case();

  EXPECT_EQ(store.calendar.loads, 2);
}

TEST_F(CaseServiceCalendarTest, AnEditByAnotherProcessShowsOnlyAfterTheCachePeriod) {
  store.calendar.stored = domain::WorkCalendar::demo().spec();
  read_case();
  const domain::WorkCalendarSpec edited = calendar_with_holiday(std::chrono::year{2026} / 11 / 24);
  store.calendar.stored = edited;  // written by another server process

  clock.advance(1s);
  read_case();
  EXPECT_EQ(store.calendar.loads, 1);

  clock.advance(5s);
  read_case();
  EXPECT_EQ(store.calendar.loads, 2);
}

TEST_F(CaseServiceCalendarTest, AskingForTheCalendarReadsWhatIsStoredNowEvenWithinTheCachePeriod) {
  store.calendar.stored = domain::WorkCalendar::demo().spec();
  read_case();
  const domain::WorkCalendarSpec edited = calendar_with_holiday(std::chrono::year{2026} / 11 / 24);
  store.calendar.stored = edited;

  const domain::WorkCalendarSpec answered = testing::run_sync(cases.calendar());

  EXPECT_EQ(answered, edited);
}

TEST_F(CaseServiceCalendarTest, ReplacingTheCalendarStoresItAndTheNextReadLoadsIt) {
  read_case();
  const domain::WorkCalendarSpec replacement =
      calendar_with_holiday(std::chrono::year{2026} / 11 / 24);

  testing::run_sync(cases.replace_calendar(replacement, domain::command_line_actor()));
  read_case();

  EXPECT_EQ(store.calendar.stored, replacement);
  EXPECT_EQ(store.calendar.loads, 2);
}

TEST_F(CaseServiceCalendarTest, AnInvalidCalendarIsRefusedAndTheCachedOneStays) {
  store.calendar.stored = domain::WorkCalendar::demo().spec();
  read_case();
  domain::WorkCalendarSpec invalid = domain::WorkCalendar::demo().spec();
  invalid.working_periods.clear();

  EXPECT_THROW(testing::run_sync(cases.replace_calendar(invalid, domain::command_line_actor())),
               domain::Error);
  read_case();

  EXPECT_EQ(store.calendar.stored, domain::WorkCalendar::demo().spec());
  EXPECT_EQ(store.calendar.loads, 1);
}

TEST_F(CaseServiceCalendarTest, OnlyADistrictAdminMayReplaceTheCalendar) {
  try {
    testing::run_sync(
        cases.replace_calendar(domain::WorkCalendar::demo().spec(), operator_actor()));
    ADD_FAILURE() << "an operator replaced the work calendar";
  } catch (const domain::Error& error) {
    EXPECT_EQ(error.code(), domain::ErrorCode::kForbidden);
  }

  EXPECT_FALSE(store.calendar.stored.has_value());
}

TEST_F(CaseServiceCalendarTest, WithNothingStoredTheDemoCalendarAtTheConfiguredOffsetIsUsed) {
  CaseOptions eastern = options();
  eastern.utc_offset = 540min;
  CalendarCache eastern_calendar{clock, eastern.utc_offset, eastern.calendar_cache};
  const CaseService service{transactions, clock, eastern_calendar, eastern};

  const domain::WorkCalendarSpec answered = testing::run_sync(service.calendar());

  domain::WorkCalendarSpec expected = domain::WorkCalendar::demo().spec();
  expected.utc_offset = 540min;
  EXPECT_EQ(answered, expected);
}

}  // namespace
}  // namespace gridcase::service
