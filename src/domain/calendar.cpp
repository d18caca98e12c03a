#include "gridcase/domain/calendar.hpp"

#include <algorithm>
#include <string>

namespace gridcase::domain {
namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::local_days;
using std::chrono::milliseconds;
using std::chrono::minutes;

constexpr minutes kDayLength{24 * 60};

// A calendar whose periods are all eaten by fixed holidays would make a work-unit deadline
// loop forever; ten years without a working minute means the calendar, not the case, is wrong.
constexpr int kMaxDaysWithoutWork = 3660;

std::string indexed(const char* field, std::size_t index) {
  return std::string(field) + "[" + std::to_string(index) + "]";
}

bool is_valid_period(const WorkingPeriod& period) {
  return period.weekday.ok() && period.start >= minutes::zero() && period.start < period.end &&
         period.end <= kDayLength;
}

void check_period(const WorkingPeriod& period, const std::string& field,
                  std::vector<FieldError>& errors) {
  if (!period.weekday.ok()) {
    errors.push_back({field + ".weekday", "not a weekday (0 = Sunday … 6 = Saturday)"});
  }
  if (period.start < minutes::zero() || period.start >= kDayLength) {
    errors.push_back({field + ".start", "must be a minute of the day, 0 to 1439"});
  }
  if (period.end <= minutes::zero() || period.end > kDayLength) {
    errors.push_back({field + ".end", "must be a minute of the day, 1 to 1440"});
  }
  if (period.start >= period.end) {
    errors.push_back({field, "a working period must start before it ends"});
  }
}

}  // namespace

std::vector<FieldError> validate_work_calendar(const WorkCalendarSpec& spec) {
  std::vector<FieldError> errors;
  if (spec.utc_offset < -kMaxUtcOffset || spec.utc_offset > kMaxUtcOffset) {
    errors.push_back({"utc_offset", "must be within -14:00 and +14:00"});
  }

  const std::vector<WorkingPeriod>& periods = spec.working_periods;
  bool any_valid = false;
  for (std::size_t i = 0; i < periods.size(); ++i) {
    const std::string field = indexed("working_periods", i);
    check_period(periods[i], field, errors);
    if (!is_valid_period(periods[i])) continue;
    any_valid = true;
    for (std::size_t j = 0; j < i; ++j) {
      const WorkingPeriod& earlier = periods[j];
      if (is_valid_period(earlier) && earlier.weekday == periods[i].weekday &&
          earlier.start < periods[i].end && periods[i].start < earlier.end) {
        errors.push_back({field, "overlaps " + indexed("working_periods", j)});
      }
    }
  }
  if (!any_valid) {
    errors.push_back({"working_periods", "at least one working period is required"});
  }

  for (std::size_t i = 0; i < spec.fixed_holidays.size(); ++i) {
    if (!spec.fixed_holidays[i].ok()) {
      errors.push_back({indexed("fixed_holidays", i), "not a day of the year"});
    }
  }
  for (std::size_t i = 0; i < spec.holidays.size(); ++i) {
    if (!spec.holidays[i].ok()) errors.push_back({indexed("holidays", i), "not a calendar date"});
  }
  for (std::size_t i = 0; i < spec.swapped_working_days.size(); ++i) {
    const std::chrono::year_month_day date = spec.swapped_working_days[i];
    if (!date.ok()) {
      errors.push_back({indexed("swapped_working_days", i), "not a calendar date"});
    } else if (std::find(spec.holidays.begin(), spec.holidays.end(), date) != spec.holidays.end()) {
      errors.push_back({indexed("swapped_working_days", i), "is also listed as a holiday"});
    }
  }
  return errors;
}

WorkCalendar::WorkCalendar(WorkCalendarSpec spec) : spec_(std::move(spec)) {
  ErrorDetails details;
  details.fields = validate_work_calendar(spec_);
  if (!details.fields.empty()) {
    throw Error(ErrorCode::kInvalidValue, "invalid work calendar", std::move(details));
  }

  for (const WorkingPeriod& period : spec_.working_periods) {
    weekly_[period.weekday.c_encoding()].emplace_back(period.start, period.end);
  }
  for (std::vector<Interval>& day : weekly_) std::sort(day.begin(), day.end());

  // Monday first: on a tie the standard day is the earliest weekday of the working week.
  for (unsigned offset = 0; offset < 7; ++offset) {
    const std::vector<Interval>& day = weekly_[(offset + 1) % 7];
    milliseconds length{0};
    for (const Interval& period : day) length += period.second - period.first;
    if (length > work_day_length_) {
      work_day_length_ = length;
      standard_day_ = day;
    }
  }

  fixed_holidays_.insert(spec_.fixed_holidays.begin(), spec_.fixed_holidays.end());
  for (const std::chrono::year_month_day& date : spec_.holidays) holidays_.insert(local_days{date});
  for (const std::chrono::year_month_day& date : spec_.swapped_working_days) {
    swapped_working_days_.insert(local_days{date});
  }
}

WorkCalendar WorkCalendar::demo() {
  using namespace std::chrono_literals;
  WorkCalendarSpec spec;
  for (std::chrono::weekday day :
       {std::chrono::Monday, std::chrono::Tuesday, std::chrono::Wednesday, std::chrono::Thursday,
        std::chrono::Friday}) {
    spec.working_periods.push_back({day, 8h + 30min, 12h});
    spec.working_periods.push_back({day, 14h + 30min, 18h});
  }
  spec.fixed_holidays = {std::chrono::January / 1, std::chrono::May / 1, std::chrono::October / 1,
                         std::chrono::October / 2, std::chrono::October / 3};
  return WorkCalendar(std::move(spec));
}

LocalTimestamp WorkCalendar::to_local(Timestamp at) const {
  return LocalTimestamp{at.time_since_epoch() + spec_.utc_offset};
}

Timestamp WorkCalendar::to_utc(LocalTimestamp at) const {
  return Timestamp{at.time_since_epoch() - spec_.utc_offset};
}

std::chrono::year_month_day WorkCalendar::local_date(Timestamp at) const {
  return std::chrono::year_month_day{std::chrono::floor<days>(to_local(at))};
}

bool WorkCalendar::is_working_day(std::chrono::year_month_day local_date) const {
  return !periods_on(local_days{local_date}).empty();
}

const std::vector<WorkCalendar::Interval>& WorkCalendar::periods_on(local_days day) const {
  static const std::vector<Interval> kNoPeriods;
  if (swapped_working_days_.contains(day)) return standard_day_;
  if (holidays_.contains(day)) return kNoPeriods;
  const std::chrono::year_month_day date{day};
  if (fixed_holidays_.contains(date.month() / date.day())) return kNoPeriods;
  return weekly_[std::chrono::weekday{day}.c_encoding()];
}

Timestamp WorkCalendar::add_working_time(Timestamp start, milliseconds work) const {
  if (work <= milliseconds::zero()) return start;
  const LocalTimestamp local_start = to_local(start);
  milliseconds remaining = work;
  int days_without_work = 0;
  for (local_days day = std::chrono::floor<days>(local_start);; day += days{1}) {
    bool worked = false;
    for (const Interval& period : periods_on(day)) {
      const LocalTimestamp period_end = day + period.second;
      if (period_end <= local_start) continue;
      const LocalTimestamp from = std::max(LocalTimestamp{day + period.first}, local_start);
      const milliseconds available = period_end - from;
      if (remaining <= available) return to_utc(from + remaining);
      remaining -= available;
      worked = true;
    }
    days_without_work = worked ? 0 : days_without_work + 1;
    if (days_without_work > kMaxDaysWithoutWork) {
      throw Error(ErrorCode::kInvalidValue, "the work calendar has no working time in ten years");
    }
  }
}

milliseconds WorkCalendar::working_time_between(Timestamp from, Timestamp to) const {
  milliseconds total{0};
  if (to <= from) return total;
  const LocalTimestamp local_from = to_local(from);
  const LocalTimestamp local_to = to_local(to);
  for (local_days day = std::chrono::floor<days>(local_from); day < local_to; day += days{1}) {
    for (const Interval& period : periods_on(day)) {
      const LocalTimestamp begin = std::max(LocalTimestamp{day + period.first}, local_from);
      const LocalTimestamp end = std::min(LocalTimestamp{day + period.second}, local_to);
      if (end > begin) total += end - begin;
    }
  }
  return total;
}

milliseconds WorkCalendar::measure(Timestamp from, Timestamp to, LimitUnit unit) const {
  switch (unit) {
    case LimitUnit::kUrgentHour:
    case LimitUnit::kNaturalDay:
      return to > from ? to - from : milliseconds{0};
    case LimitUnit::kWorkHour:
    case LimitUnit::kWorkDay:
      break;
  }
  return working_time_between(from, to);
}

Timestamp WorkCalendar::advance(Timestamp start, milliseconds amount, LimitUnit unit) const {
  switch (unit) {
    case LimitUnit::kUrgentHour:
    case LimitUnit::kNaturalDay:
      return amount > milliseconds::zero() ? start + amount : start;
    case LimitUnit::kWorkHour:
    case LimitUnit::kWorkDay:
      break;
  }
  return add_working_time(start, amount);
}

milliseconds WorkCalendar::unit_length(LimitUnit unit) const {
  switch (unit) {
    case LimitUnit::kUrgentHour:
    case LimitUnit::kWorkHour:
      return hours{1};
    case LimitUnit::kNaturalDay:
      return days{1};
    case LimitUnit::kWorkDay:
      break;
  }
  return work_day_length_;
}

milliseconds WorkCalendar::length_of(TimeLimit limit) const {
  return limit.value * unit_length(limit.unit);
}

Timestamp WorkCalendar::deadline(Timestamp start, TimeLimit limit) const {
  if (limit.value < 0) throw_invalid("limit.value", "a time limit cannot be negative");
  return advance(start, length_of(limit), limit.unit);
}

double WorkCalendar::elapsed_in_unit(Timestamp start, Timestamp now, LimitUnit unit) const {
  return static_cast<double>(measure(start, now, unit).count()) /
         static_cast<double>(unit_length(unit).count());
}

}  // namespace gridcase::domain
