#include <gtest/gtest.h>

#include "case_world.hpp"
#include "run_sync.hpp"

namespace gridcase::testing {
namespace {

using namespace std::chrono_literals;
using domain::CaseAction;
using domain::CaseStatus;
using domain::Channel;
using domain::ErrorCode;
using domain::Role;
using domain::StageTimer;

constexpr std::chrono::year_month_day kMonday = std::chrono::year{2026} / 11 / 23;
constexpr std::chrono::year_month_day kTuesday = std::chrono::year{2026} / 11 / 24;
constexpr std::chrono::year_month_day kWednesday = std::chrono::year{2026} / 11 / 25;
constexpr std::chrono::year_month_day kFriday = std::chrono::year{2026} / 11 / 27;
constexpr std::chrono::year_month_day kSaturday = std::chrono::year{2026} / 11 / 28;

/// PUT /calendar through the service: deadlines follow the stored work calendar.
class CaseCalendarTest : public CaseWorldTest {
 protected:
  /// The demo calendar plus one year's notice: Tuesday a holiday, Saturday a working day.
  static domain::WorkCalendarSpec notice() {
    domain::WorkCalendarSpec spec = domain::WorkCalendar::demo().spec();
    spec.holidays.push_back(kTuesday);
    spec.swapped_working_days.push_back(kSaturday);
    return spec;
  }

  void store(const domain::WorkCalendarSpec& spec, Role role = Role::kAdmin) {
    run_sync(cases_->replace_calendar(spec, case_actor(role)));
  }

  domain::Timestamp registration_deadline(const std::string& case_no) {
    return timers_named(timers(case_no), StageTimer::kRegistration).at(0).row.deadline;
  }
};

TEST_F(CaseCalendarTest, StoredCalendarIsTheOneReadBack) {
  store(notice());

  const domain::WorkCalendarSpec read = run_sync(cases_->calendar());

  EXPECT_EQ(read, notice());
}

TEST_F(CaseCalendarTest, CalendarNeverEditedIsTheDemoCalendar) {
  const domain::WorkCalendarSpec read = run_sync(cases_->calendar());

  EXPECT_EQ(read, domain::WorkCalendar::demo().spec());
}

TEST_F(CaseCalendarTest, WorkHourDeadlineSkipsAHolidayOfTheNotice) {
  store(notice());
  clock_->set(beijing(kMonday, 17h + 30min));

  const std::string case_no = receive(Channel::kWeb);

  // Half an hour on Monday; Tuesday is a holiday; the other half on Wednesday morning.
  EXPECT_EQ(registration_deadline(case_no), beijing(kWednesday, 9h));
}

TEST_F(CaseCalendarTest, WorkHourDeadlineCountsASwappedWorkingSaturday) {
  store(notice());
  clock_->set(beijing(kFriday, 17h + 30min));

  const std::string case_no = receive(Channel::kWeb);

  EXPECT_EQ(registration_deadline(case_no), beijing(kSaturday, 9h));
}

TEST_F(CaseCalendarTest, HandlingDeadlineFollowsTheEditedCalendar) {
  store(notice());
  const std::string case_no = receive(Channel::kWeb);
  drive_to(case_no, CaseStatus::kRegistered);
  clock_->set(beijing(kMonday, 16h));

  act(case_no, CaseAction::kDispatch, unit_input(), Role::kDispatcher);

  // 4 work hours: 16:00–18:00 Monday, then 08:30–10:30 Wednesday.
  EXPECT_EQ(timers_named(timers(case_no), StageTimer::kHandling).at(0).row.deadline,
            beijing(kWednesday, 10h + 30min));
}

TEST_F(CaseCalendarTest, StoredDeadlinesDoNotMoveWhenTheCalendarChanges) {
  clock_->set(beijing(kMonday, 17h + 30min));
  const std::string case_no = receive(Channel::kWeb);
  const domain::Timestamp before = registration_deadline(case_no);

  store(notice());

  EXPECT_EQ(before, beijing(kTuesday, 9h));
  EXPECT_EQ(registration_deadline(case_no), before);
}

TEST_F(CaseCalendarTest, OnlyAnAdminMayEditTheCalendar) {
  try {
    store(notice(), Role::kShiftLeader);
    ADD_FAILURE() << "a shift leader edited the calendar";
  } catch (const domain::Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::kForbidden);
  }

  EXPECT_EQ(run_sync(cases_->calendar()), domain::WorkCalendar::demo().spec());
}

TEST_F(CaseCalendarTest, DateThatIsBothHolidayAndWorkingDayIsRefusedAndNothingIsStored) {
  domain::WorkCalendarSpec spec = notice();
  spec.swapped_working_days.push_back(kTuesday);

  try {
    store(spec);
    ADD_FAILURE() << "a contradictory calendar was stored";
  } catch (const domain::Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::kInvalidValue);
    EXPECT_FALSE(error.details().fields.empty());
  }

  EXPECT_EQ(run_sync(cases_->calendar()), domain::WorkCalendar::demo().spec());
}

}  // namespace
}  // namespace gridcase::testing
