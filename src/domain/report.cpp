#include "gridcase/domain/report.hpp"

#include <cmath>
#include <cstdio>
#include <map>
#include <numeric>
#include <unordered_map>

namespace gridcase::domain {

namespace {

using namespace std::chrono;

constexpr std::string_view kPeriodNames[] = {"day", "week", "month", "quarter", "ytd"};
constexpr std::string_view kDimensionNames[] = {"district", "street",  "community", "cell",
                                                "unit",     "officer", "channel",   "category"};
constexpr std::string_view kBacklogAgeNames[] = {"lt_1d", "1_3d", "3_7d", "7_30d", "gt_30d"};
constexpr std::string_view kGradeNames[] = {"A", "B", "C", "D", "E"};

template <class Enum, std::size_t N>
std::optional<Enum> parse_by_name(const std::string_view (&names)[N], std::string_view text) {
  for (std::size_t i = 0; i < N; ++i) {
    if (names[i] == text) return static_cast<Enum>(i);
  }
  return std::nullopt;
}

/// Rounded to two decimals, half away from zero: what a bulletin prints.
double round_to_hundredths(double value) { return std::round(value * 100.0) / 100.0; }

}  // namespace

std::string_view to_string(ReportPeriod period) {
  return kPeriodNames[static_cast<std::size_t>(period)];
}

std::optional<ReportPeriod> parse_report_period(std::string_view text) {
  return parse_by_name<ReportPeriod>(kPeriodNames, text);
}

std::string_view to_string(ReportDimension dimension) {
  return kDimensionNames[static_cast<std::size_t>(dimension)];
}

std::optional<ReportDimension> parse_report_dimension(std::string_view text) {
  return parse_by_name<ReportDimension>(kDimensionNames, text);
}

PeriodBounds period_containing(ReportPeriod period, year_month_day date, minutes utc_offset) {
  if (!date.ok()) throw_invalid("date", "not a calendar date");
  year_month_day first = date;
  year_month_day end = date;
  switch (period) {
    case ReportPeriod::kDay:
      end = year_month_day{sys_days{date} + days{1}};
      break;
    case ReportPeriod::kWeek: {
      const sys_days day{date};
      const sys_days monday = day - days{weekday{day}.iso_encoding() - 1};
      first = year_month_day{monday};
      end = year_month_day{monday + days{7}};
      break;
    }
    case ReportPeriod::kMonth:
      first = date.year() / date.month() / 1;
      end = first + months{1};
      break;
    case ReportPeriod::kQuarter: {
      const unsigned quarter_start = (static_cast<unsigned>(date.month()) - 1) / 3 * 3 + 1;
      first = date.year() / month{quarter_start} / 1;
      end = first + months{3};
      break;
    }
    case ReportPeriod::kYearToDate:
      first = date.year() / January / 1;
      end = year_month_day{sys_days{date} + days{1}};
      break;
  }
  // Local midnight of a local date, as a UTC instant: the date's midnight less the offset.
  const auto midnight = [&](year_month_day local) {
    return Timestamp{time_point_cast<milliseconds>(sys_days{local} - utc_offset)};
  };
  return PeriodBounds{period, first, end, midnight(first), midnight(end)};
}

std::optional<year_month_day> parse_iso_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  int parts[3] = {0, 0, 0};
  const std::size_t starts[3] = {0, 5, 8};
  const std::size_t lengths[3] = {4, 2, 2};
  for (std::size_t p = 0; p < 3; ++p) {
    for (std::size_t i = starts[p]; i < starts[p] + lengths[p]; ++i) {
      if (text[i] < '0' || text[i] > '9') return std::nullopt;
      parts[p] = parts[p] * 10 + (text[i] - '0');
    }
  }
  const year_month_day date{year{parts[0]}, month{static_cast<unsigned>(parts[1])},
                            day{static_cast<unsigned>(parts[2])}};
  if (!date.ok()) return std::nullopt;
  return date;
}

std::string format_iso_date(year_month_day date) {
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
  return text;
}

Rate rate(std::int64_t numerator, std::int64_t denominator) {
  if (denominator == 0) return std::nullopt;
  return static_cast<double>(numerator) / static_cast<double>(denominator);
}

std::string format_percent(Rate value) {
  if (!value) return "—";
  char text[32];
  std::snprintf(text, sizeof text, "%.2f%%", round_to_hundredths(*value * 100.0));
  return text;
}

Rate on_time_rate(const TimerCounts& counts) {
  return rate(counts.on_time, counts.on_time + counts.late + counts.overdue_running);
}

std::string_view to_string(BacklogAge age) {
  return kBacklogAgeNames[static_cast<std::size_t>(age)];
}

BacklogAge backlog_age(milliseconds age) {
  if (age < days{1}) return BacklogAge::kUnderOneDay;
  if (age < days{3}) return BacklogAge::kOneToThreeDays;
  if (age < days{7}) return BacklogAge::kThreeToSevenDays;
  if (age < days{30}) return BacklogAge::kSevenToThirtyDays;
  return BacklogAge::kOverThirtyDays;
}

const TimerCounts& ReportCounts::timer(StageTimer which) const {
  return timers[static_cast<std::size_t>(which)];
}

TimerCounts& ReportCounts::timer(StageTimer which) {
  return timers[static_cast<std::size_t>(which)];
}

std::int64_t ReportCounts::backlog() const {
  return std::accumulate(backlog_by_age.begin(), backlog_by_age.end(), std::int64_t{0});
}

ReportCounts& ReportCounts::operator+=(const ReportCounts& other) {
  received += other.received;
  registered += other.registered;
  dispatched += other.dispatched;
  dispatches_kept += other.dispatches_kept;
  handled += other.handled;
  closed += other.closed;
  closed_on_time += other.closed_on_time;
  closed_reworked += other.closed_reworked;
  closed_extended += other.closed_extended;
  merged += other.merged;
  due += other.due;
  for (std::size_t i = 0; i < timers.size(); ++i) {
    timers[i].on_time += other.timers[i].on_time;
    timers[i].late += other.timers[i].late;
    timers[i].overdue_running += other.timers[i].overdue_running;
  }
  handling_instances += other.handling_instances;
  handling_work_hours += other.handling_work_hours;
  callbacks_reached += other.callbacks_reached;
  callbacks_satisfied += other.callbacks_satisfied;
  for (std::size_t i = 0; i < backlog_by_age.size(); ++i)
    backlog_by_age[i] += other.backlog_by_age[i];
  for (std::size_t i = 0; i < backlog_by_light.size(); ++i) {
    backlog_by_light[i] += other.backlog_by_light[i];
  }
  return *this;
}

ReportCounts totals_of(const std::vector<ReportRow>& rows) {
  ReportCounts totals;
  for (const ReportRow& row : rows) {
    if (row.dimension == ReportDimension::kChannel) totals += row.counts;
  }
  return totals;
}

std::vector<FieldError> validate_score_weights(const ScoreWeights& weights) {
  std::vector<FieldError> problems;
  const std::pair<const char*, double> named[] = {
      {"completion", weights.completion},
      {"on_time_completion", weights.on_time_completion},
      {"no_rework", weights.no_rework}};
  for (const auto& [field, weight] : named) {
    if (!std::isfinite(weight) || weight < 0) problems.push_back({field, "must be ≥ 0"});
  }
  if (problems.empty()) {
    const double sum = weights.completion + weights.on_time_completion + weights.no_rework;
    if (std::abs(sum - 100.0) > 1e-9) {
      problems.push_back({"completion", "the weights must add up to 100"});
    }
  }
  return problems;
}

std::string_view to_string(Grade grade) { return kGradeNames[static_cast<std::size_t>(grade)]; }

std::optional<Grade> grade_for(std::optional<double> score) {
  if (!score) return std::nullopt;
  const double shown = round_to_hundredths(*score);
  if (shown >= 90) return Grade::kA;
  if (shown >= 75) return Grade::kB;
  if (shown >= 60) return Grade::kC;
  if (shown >= 40) return Grade::kD;
  return Grade::kE;
}

Rate ReportMetrics::timer_rate(StageTimer which) const {
  return timer_on_time[static_cast<std::size_t>(which)];
}

std::optional<double> composite_score(const ReportCounts& counts, const ScoreWeights& weights) {
  const Rate completion = rate(counts.closed, counts.due);
  const Rate on_time = rate(counts.closed_on_time, counts.due);
  if (!completion || !on_time) return std::nullopt;
  const double rework = rate(counts.closed_reworked, counts.closed).value_or(0.0);
  return weights.completion * *completion + weights.on_time_completion * *on_time +
         weights.no_rework * (1.0 - rework);
}

ReportMetrics compute_metrics(const ReportCounts& counts, const ScoreWeights& weights) {
  ReportMetrics metrics;
  metrics.completion = rate(counts.closed, counts.due);
  metrics.on_time_completion = rate(counts.closed_on_time, counts.due);
  for (StageTimer timer : kAllStageTimers) {
    metrics.timer_on_time[static_cast<std::size_t>(timer)] = on_time_rate(counts.timer(timer));
  }
  metrics.dispatch_accuracy = rate(counts.dispatches_kept, counts.dispatched);
  metrics.rework = rate(counts.closed_reworked, counts.closed);
  metrics.extension = rate(counts.closed_extended, counts.closed);
  metrics.satisfaction = rate(counts.callbacks_satisfied, counts.callbacks_reached);
  if (counts.handling_instances > 0) {
    metrics.average_handling_hours =
        counts.handling_work_hours / static_cast<double>(counts.handling_instances);
  }
  metrics.score = composite_score(counts, weights);
  metrics.grade = grade_for(metrics.score);
  return metrics;
}

std::vector<ReportRow> aggregate_report(const std::vector<ReportCaseFact>& cases,
                                        const std::vector<ReportTimerFact>& timers, Timestamp end,
                                        const WorkCalendar& calendar) {
  std::map<std::pair<ReportDimension, std::string>, ReportRow> rows;
  // Adds to every row the case counts in.
  const auto count_in_rows = [&rows](const ReportCaseFact& fact, const auto& add) {
    for (ReportDimension dimension : kAllReportDimensions) {
      const std::optional<ReportLabel>& label = fact.labels[static_cast<std::size_t>(dimension)];
      if (!label) continue;
      auto [row, inserted] = rows.try_emplace({dimension, label->key});
      if (inserted) {
        row->second.dimension = dimension;
        row->second.label = *label;
      }
      add(row->second.counts);
    }
  };

  std::unordered_map<long long, const ReportCaseFact*> by_id;
  for (const ReportCaseFact& fact : cases) {
    by_id.emplace(fact.case_id, &fact);
    count_in_rows(fact, [&](ReportCounts& counts) {
      counts.received += fact.received;
      counts.registered += fact.registered;
      counts.handled += fact.handled;
      counts.merged += fact.merged;
      if (fact.merged_by_end) return;  // a duplicate is in no denominator
      counts.dispatched += fact.dispatches;
      counts.dispatches_kept += fact.dispatches_kept;
      counts.closed += fact.closed;
      counts.closed_on_time += fact.closed && fact.closed_on_time;
      counts.closed_reworked += fact.closed && fact.closed_reworked;
      counts.closed_extended += fact.closed && fact.closed_extended;
      counts.due += fact.closed || fact.open_past_deadline;
      counts.callbacks_reached += fact.callbacks_reached;
      counts.callbacks_satisfied += fact.callbacks_satisfied;
      if (fact.open_at_end) {
        ++counts.backlog_by_age[static_cast<std::size_t>(backlog_age(end - fact.received_at))];
        if (fact.running_handling) {
          ++counts.backlog_by_light[static_cast<std::size_t>(
              light_at(*fact.running_handling, end, calendar))];
        }
      }
    });
  }

  for (const ReportTimerFact& timer : timers) {
    const auto found = by_id.find(timer.case_id);
    if (found == by_id.end() || found->second->merged_by_end) continue;
    double work_hours = 0;
    if (timer.completed_in_period) {
      milliseconds worked =
          calendar.measure(timer.started_at, timer.ended_at, LimitUnit::kWorkHour);
      for (const auto& [from, to] : timer.pauses) {
        worked -= calendar.measure(from, to, LimitUnit::kWorkHour);
      }
      work_hours = duration<double, std::ratio<3600>>(worked).count();
    }
    count_in_rows(*found->second, [&](ReportCounts& counts) {
      TimerCounts& of_timer = counts.timer(timer.timer);
      if (timer.outcome_in_period == TimerOutcome::kOnTime) ++of_timer.on_time;
      if (timer.outcome_in_period == TimerOutcome::kLate) ++of_timer.late;
      if (timer.overdue_running) ++of_timer.overdue_running;
      if (timer.completed_in_period) {
        ++counts.handling_instances;
        counts.handling_work_hours += work_hours;
      }
    });
  }

  std::vector<ReportRow> ordered;
  ordered.reserve(rows.size());
  for (auto& [key, row] : rows) ordered.push_back(std::move(row));
  return ordered;
}

}  // namespace gridcase::domain
