#pragma once

#include <array>
#include <chrono>
#include <set>
#include <utility>
#include <vector>

#include "gridcase/domain/error.hpp"
#include "gridcase/domain/time.hpp"
#include "gridcase/domain/time_limit.hpp"

namespace gridcase::domain {

/// One stretch of working time on a weekday, in local time: [start, end) after local midnight.
struct WorkingPeriod {
  std::chrono::weekday weekday;
  std::chrono::minutes start{0};  // 0 .. 1439
  std::chrono::minutes end{0};    // start + 1 .. 1440
  friend bool operator==(const WorkingPeriod&, const WorkingPeriod&) = default;
};

/// A deployment's work calendar as an admin edits it (domain.md §7). Plain data; WorkCalendar
/// is the validated, indexed form.
///
/// A local date is a working day when it is a swapped working day, or else when it is neither
/// a holiday nor a fixed holiday and its weekday has working periods. A swapped working day
/// (调休上班, usually a Saturday or Sunday) works the periods of the standard working day
/// (see WorkCalendar::work_day_length), and wins over a fixed-date holiday rule.
struct WorkCalendarSpec {
  std::chrono::minutes utc_offset{480};  // local = UTC + offset; China: +08:00, no DST
  std::vector<WorkingPeriod> working_periods;
  std::vector<std::chrono::month_day> fixed_holidays;  // every year: 1 Jan, 1 May, ...
  std::vector<std::chrono::year_month_day> holidays;   // one year's official notice
  std::vector<std::chrono::year_month_day> swapped_working_days;
  friend bool operator==(const WorkCalendarSpec&, const WorkCalendarSpec&) = default;
};

inline constexpr std::chrono::minutes kMaxUtcOffset{14 * 60};

/// Every problem of `spec`: offset beyond ±14:00; a period outside its day, empty or reversed,
/// or overlapping another on the same weekday; no working period at all; an impossible date;
/// a date both a holiday and a swapped working day. Fields are named `utc_offset`,
/// `working_periods[i]`, `working_periods[i].weekday|start|end`, `fixed_holidays[i]`,
/// `holidays[i]`, `swapped_working_days[i]`.
std::vector<FieldError> validate_work_calendar(const WorkCalendarSpec& spec);

/// Deadline arithmetic over a validated WorkCalendarSpec. Immutable, cheap to query: every
/// function loops day by day, never minute by minute.
class WorkCalendar {
 public:
  /// Throws kInvalidValue with every problem of validate_work_calendar.
  explicit WorkCalendar(WorkCalendarSpec spec);

  /// The demo deployment: +08:00; Mon–Fri 08:30–12:00 and 14:30–18:00; fixed holidays 1 Jan,
  /// 1 May and 1–3 Oct in every year; no year-specific holidays or swapped days.
  static WorkCalendar demo();

  const WorkCalendarSpec& spec() const { return spec_; }
  std::chrono::minutes utc_offset() const { return spec_.utc_offset; }

  LocalTimestamp to_local(Timestamp at) const;
  Timestamp to_utc(LocalTimestamp at) const;
  std::chrono::year_month_day local_date(Timestamp at) const;

  bool is_working_day(std::chrono::year_month_day local_date) const;

  /// The working time of the standard working day: the weekday with the most working time
  /// (the earliest from Monday on a tie). One work_day is this much working time (demo: 7 h).
  std::chrono::milliseconds work_day_length() const { return work_day_length_; }

  /// When `limit` runs out counted from `start` (domain.md §7): urgent_hour start + N h;
  /// natural_day start + N × 24 h; work_hour N h of working time; work_day N × work_day_length
  /// of working time. Working time counts from the next working period when `start` is outside
  /// one, and a deadline that falls on a period's end stays there (Sat + 1 work_day = Mon 18:00).
  /// A value of 0 gives `start`. Throws kInvalidValue for a negative value.
  Timestamp deadline(Timestamp start, TimeLimit limit) const;

  /// The earliest instant by which `work` of working time has passed since `start`; `start`
  /// itself when `work` ≤ 0.
  Timestamp add_working_time(Timestamp start, std::chrono::milliseconds work) const;

  /// Working time inside [from, to); zero when `to` ≤ `from`.
  std::chrono::milliseconds working_time_between(Timestamp from, Timestamp to) const;

  /// Time inside [from, to) as `unit` counts it, in milliseconds: wall time for urgent_hour and
  /// natural_day, working time for work_hour and work_day. Zero when `to` ≤ `from`.
  std::chrono::milliseconds measure(Timestamp from, Timestamp to, LimitUnit unit) const;

  /// Add `amount` as `unit` counts it (wall or working time) to `start`.
  Timestamp advance(Timestamp start, std::chrono::milliseconds amount, LimitUnit unit) const;

  /// One unit in the scale of measure(): 1 h, 24 h, 1 h of work, or work_day_length.
  std::chrono::milliseconds unit_length(LimitUnit unit) const;

  /// `limit` in the scale of measure(): value × unit_length.
  std::chrono::milliseconds length_of(TimeLimit limit) const;

  /// Time elapsed in [start, now) expressed in `unit` (2.5 = two and a half work days): for
  /// display and reports.
  double elapsed_in_unit(Timestamp start, Timestamp now, LimitUnit unit) const;

 private:
  /// [start, end) after local midnight.
  using Interval = std::pair<std::chrono::milliseconds, std::chrono::milliseconds>;

  const std::vector<Interval>& periods_on(std::chrono::local_days day) const;

  WorkCalendarSpec spec_;
  std::array<std::vector<Interval>, 7> weekly_;  // by weekday::c_encoding(), sorted
  std::vector<Interval> standard_day_;
  std::chrono::milliseconds work_day_length_{0};
  std::set<std::chrono::month_day> fixed_holidays_;
  std::set<std::chrono::local_days> holidays_;
  std::set<std::chrono::local_days> swapped_working_days_;
};

}  // namespace gridcase::domain
