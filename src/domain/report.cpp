#include "gridcase/domain/report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <numeric>
#include <unordered_map>

#include "gridcase/domain/enum_names.hpp"

namespace gridcase::domain {

namespace {

using namespace std::chrono;

constexpr EnumNames<ReportPeriod, 5> kPeriodNames{{
    {ReportPeriod::kDay, "day"},
    {ReportPeriod::kWeek, "week"},
    {ReportPeriod::kMonth, "month"},
    {ReportPeriod::kQuarter, "quarter"},
    {ReportPeriod::kYearToDate, "ytd"},
}};
static_assert(covers_every_value(kPeriodNames));
static_assert(lists_every_value(kAllReportPeriods, kPeriodNames));

constexpr EnumNames<ReportDimension, 8> kDimensionNames{{
    {ReportDimension::kDistrict, "district"},
    {ReportDimension::kStreet, "street"},
    {ReportDimension::kCommunity, "community"},
    {ReportDimension::kCell, "cell"},
    {ReportDimension::kUnit, "unit"},
    {ReportDimension::kOfficer, "officer"},
    {ReportDimension::kChannel, "channel"},
    {ReportDimension::kCategory, "category"},
}};
static_assert(covers_every_value(kDimensionNames));
static_assert(lists_every_value(kAllReportDimensions, kDimensionNames));

constexpr EnumNames<BacklogAge, kBacklogAgeBuckets> kBacklogAgeNames{{
    {BacklogAge::kUnderOneDay, "lt_1d"},
    {BacklogAge::kOneToThreeDays, "1_3d"},
    {BacklogAge::kThreeToSevenDays, "3_7d"},
    {BacklogAge::kSevenToThirtyDays, "7_30d"},
    {BacklogAge::kOverThirtyDays, "gt_30d"},
}};
static_assert(covers_every_value(kBacklogAgeNames));

constexpr EnumNames<Grade, 5> kGradeNames{{
    {Grade::kA, "A"},
    {Grade::kB, "B"},
    {Grade::kC, "C"},
    {Grade::kD, "D"},
    {Grade::kE, "E"},
}};
static_assert(covers_every_value(kGradeNames));

/// Rounded to two decimals, half away from zero: what a bulletin prints.
double round_to_hundredths(double value) { return std::round(value * 100.0) / 100.0; }

}  // namespace

std::string_view to_string(ReportPeriod period) { return name_of(kPeriodNames, period); }

std::optional<ReportPeriod> parse_report_period(std::string_view text) {
  return value_named(kPeriodNames, text);
}

std::string_view to_string(ReportDimension dimension) {
  return name_of(kDimensionNames, dimension);
}

std::optional<ReportDimension> parse_report_dimension(std::string_view text) {
  return value_named(kDimensionNames, text);
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

void check_reportable(const PeriodBounds& period, year_month_day first_day, year_month_day today) {
  if (sys_days{period.end_day} <= sys_days{first_day}) {
    throw_invalid("date", "before the district's first case (" + format_iso_date(first_day) +
                              "): nothing to report");
  }
  if (sys_days{period.first_day} > sys_days{today}) {
    throw_invalid("date", "the period has not begun (today is " + format_iso_date(today) + ")");
  }
}

bool is_running(const PeriodBounds& period, year_month_day today) {
  return sys_days{period.first_day} <= sys_days{today} &&
         sys_days{today} < sys_days{period.end_day};
}

Timestamp judged_at(const PeriodBounds& period, Timestamp now) {
  return std::min(period.end, now + milliseconds{1});
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

std::string_view to_string(BacklogAge age) { return name_of(kBacklogAgeNames, age); }

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
  dispatches_suggested += other.dispatches_suggested;
  suggestions_followed += other.suggestions_followed;
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

void add_finished_day(ReportCounts& days, const ReportCounts& day) {
  days.received += day.received;
  days.registered += day.registered;
  days.dispatched += day.dispatched;
  days.dispatches_kept += day.dispatches_kept;
  days.dispatches_suggested += day.dispatches_suggested;
  days.suggestions_followed += day.suggestions_followed;
  days.handled += day.handled;
  days.closed += day.closed;
  days.closed_on_time += day.closed_on_time;
  days.closed_reworked += day.closed_reworked;
  days.closed_extended += day.closed_extended;
  days.merged += day.merged;
  days.due += day.closed;  // due = closed + open past the deadline at the end, which is today's
  for (std::size_t i = 0; i < days.timers.size(); ++i) {
    days.timers[i].on_time += day.timers[i].on_time;
    days.timers[i].late += day.timers[i].late;
  }
  days.handling_instances += day.handling_instances;
  days.handling_work_hours += day.handling_work_hours;
  days.callbacks_reached += day.callbacks_reached;
  days.callbacks_satisfied += day.callbacks_satisfied;
}

namespace {

using RowIndex = std::map<std::pair<ReportDimension, std::string>, ReportRow>;

RowIndex index_rows(std::vector<ReportRow> rows) {
  RowIndex index;
  for (ReportRow& row : rows) {
    auto key = std::pair{row.dimension, row.label.key};
    index.emplace(std::move(key), std::move(row));
  }
  return index;
}

/// The rows of `index` in order, moved out of it.
std::vector<ReportRow> ordered_rows(RowIndex& index) {
  std::vector<ReportRow> rows;
  rows.reserve(index.size());
  for (auto& [key, row] : index) rows.push_back(std::move(row));
  return rows;
}

/// Adds `rows` into `index` by subject with `add`; a subject new to `index` starts from zero.
template <class Add>
void add_rows(RowIndex& index, const std::vector<ReportRow>& rows, const Add& add) {
  for (const ReportRow& row : rows) {
    auto [entry, inserted] = index.try_emplace({row.dimension, row.label.key});
    entry->second.dimension = row.dimension;
    entry->second.label = row.label;
    add(entry->second.counts, row.counts);
  }
}

}  // namespace

void add_finished_day(std::vector<ReportRow>& days, const std::vector<ReportRow>& day) {
  RowIndex index = index_rows(std::move(days));
  add_rows(index, day,
           [](ReportCounts& sum, const ReportCounts& of_day) { add_finished_day(sum, of_day); });
  days = ordered_rows(index);
}

std::vector<ReportRow> running_period_rows(std::vector<ReportRow> finished_days,
                                           const std::vector<ReportRow>& running_day) {
  RowIndex index = index_rows(std::move(finished_days));
  add_rows(index, running_day, [](ReportCounts& sum, const ReportCounts& today) { sum += today; });
  return ordered_rows(index);
}

void withdraw_overturned_dispatches(std::vector<ReportRow>& rows,
                                    const std::vector<const ReportCaseFact*>& overturned) {
  if (overturned.empty()) return;
  std::map<std::pair<ReportDimension, std::string_view>, ReportCounts*> by_subject;
  for (ReportRow& row : rows)
    by_subject.emplace(std::pair{row.dimension, std::string_view{row.label.key}}, &row.counts);
  for (const ReportCaseFact* fact : overturned) {
    for (ReportDimension dimension : kAllReportDimensions) {
      const std::optional<ReportLabel>& label = fact->labels[static_cast<std::size_t>(dimension)];
      if (!label) continue;
      const auto found = by_subject.find({dimension, std::string_view{label->key}});
      if (found != by_subject.end()) found->second->dispatches_kept -= fact->dispatches_kept;
    }
  }
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

std::string_view to_string(Grade grade) { return name_of(kGradeNames, grade); }

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
  metrics.suggestion_followed = rate(counts.suggestions_followed, counts.dispatches_suggested);
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

std::optional<double> shown_score(std::optional<double> score) {
  if (!score) return std::nullopt;
  return round_to_hundredths(*score);
}

bool ranks_before(const RankingPosition& a, const RankingPosition& b) {
  // Defined values before undefined ones, larger before smaller.
  const auto better = [](const std::optional<double>& x, const std::optional<double>& y) {
    if (x && y) return *x > *y;
    return x.has_value() && !y.has_value();
  };
  if (a.shown_score != b.shown_score) return better(a.shown_score, b.shown_score);
  if (a.completion != b.completion) return better(a.completion, b.completion);
  return a.key < b.key;
}

RankingPosition RankedRow::position() const {
  return RankingPosition{shown_score(metrics.score), metrics.completion, row->label.key};
}

std::vector<RankedRow> rank_rows(const std::vector<ReportRow>& rows, ReportDimension by,
                                 const ScoreWeights& weights) {
  std::vector<RankedRow> ranking;
  std::vector<RankingPosition> positions;
  for (const ReportRow& row : rows) {
    if (row.dimension != by) continue;
    ranking.push_back(RankedRow{&row, compute_metrics(row.counts, weights), {}});
  }
  std::vector<std::size_t> order(ranking.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  positions.reserve(ranking.size());
  for (const RankedRow& entry : ranking) positions.push_back(entry.position());
  std::sort(order.begin(), order.end(), [&positions](std::size_t a, std::size_t b) {
    return ranks_before(positions[a], positions[b]);
  });
  std::vector<RankedRow> sorted;
  sorted.reserve(ranking.size());
  for (std::size_t i = 0; i < order.size(); ++i) {
    RankedRow entry = ranking[order[i]];
    const std::optional<double>& score = positions[order[i]].shown_score;
    if (score) {
      const bool tied = i > 0 && positions[order[i - 1]].shown_score == score;
      entry.rank = tied ? sorted.back().rank : std::optional<int>(static_cast<int>(i) + 1);
    }
    sorted.push_back(entry);
  }
  return sorted;
}

std::vector<ReportRow> aggregate_report(const std::vector<ReportCaseFact>& cases,
                                        const std::vector<ReportTimerFact>& timers, Timestamp end,
                                        const WorkCalendar& calendar) {
  std::vector<const ReportCaseFact*> case_pointers;
  case_pointers.reserve(cases.size());
  for (const ReportCaseFact& fact : cases) case_pointers.push_back(&fact);
  std::vector<const ReportTimerFact*> timer_pointers;
  timer_pointers.reserve(timers.size());
  for (const ReportTimerFact& timer : timers) timer_pointers.push_back(&timer);
  return aggregate_report(case_pointers, timer_pointers, end, calendar);
}

std::vector<ReportRow> aggregate_report(const std::vector<const ReportCaseFact*>& cases,
                                        const std::vector<const ReportTimerFact*>& timers,
                                        Timestamp end, const WorkCalendar& calendar) {
  std::map<std::pair<ReportDimension, std::string>, ReportRow> rows;
  // Adds to every row of `labels`.
  const auto count_in_rows = [&rows](const ReportLabels& labels, const auto& add) {
    for (ReportDimension dimension : kAllReportDimensions) {
      const std::optional<ReportLabel>& label = labels[static_cast<std::size_t>(dimension)];
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
  for (const ReportCaseFact* fact_pointer : cases) {
    const ReportCaseFact& fact = *fact_pointer;
    by_id.emplace(fact.case_id, &fact);
    count_in_rows(fact.labels, [&](ReportCounts& counts) {
      counts.received += fact.received;
      counts.registered += fact.registered;
      counts.handled += fact.handled;
      counts.merged += fact.merged;
      if (fact.merged_by_end) return;  // a duplicate is in no denominator
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

  for (const ReportTimerFact* timer_pointer : timers) {
    const ReportTimerFact& timer = *timer_pointer;
    if (timer.merged_by_end) continue;
    const ReportLabels* labels = timer.held_by.get();
    if (!labels) {
      const auto found = by_id.find(timer.case_id);
      if (found == by_id.end() || found->second->merged_by_end) continue;
      labels = &found->second->labels;
    }
    double work_hours = 0;
    if (timer.completed_in_period) {
      milliseconds worked =
          calendar.measure(timer.started_at, timer.ended_at, LimitUnit::kWorkHour);
      for (const auto& [from, to] : timer.pauses) {
        worked -= calendar.measure(from, to, LimitUnit::kWorkHour);
      }
      work_hours = duration<double, std::ratio<3600>>(worked).count();
    }
    count_in_rows(*labels, [&](ReportCounts& counts) {
      if (timer.dispatched) {
        ++counts.dispatched;
        counts.dispatches_kept += timer.dispatch_kept;
        if (timer.suggestion_followed) {
          ++counts.dispatches_suggested;
          counts.suggestions_followed += *timer.suggestion_followed;
        }
      }
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
