#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gridcase/domain/error.hpp"
#include "gridcase/domain/time.hpp"
#include "gridcase/domain/time_text.hpp"
#include "gridcase/domain/timers.hpp"

namespace gridcase::domain {

// The evaluation of domain.md §8: every formula once, here. Counting cases and timers in the
// event log is storage's work; turning the counts into rates, a score and a grade is this file's.

/// The periods a report covers (domain.md §8), all in local time.
enum class ReportPeriod {
  kDay,
  kWeek,  // ISO week, Monday to Sunday
  kMonth,
  kQuarter,
  kYearToDate,  // 1 January up to and including the date
};

inline constexpr ReportPeriod kAllReportPeriods[] = {ReportPeriod::kDay, ReportPeriod::kWeek,
                                                     ReportPeriod::kMonth, ReportPeriod::kQuarter,
                                                     ReportPeriod::kYearToDate};

/// "day", "week", "month", "quarter", "ytd" (the spelling of contract/api.md).
std::string_view to_string(ReportPeriod period);
std::optional<ReportPeriod> parse_report_period(std::string_view text);

/// What a report row is about: a grid node with its subtree, a unit, a grid officer, a channel
/// or a category.
enum class ReportDimension {
  kDistrict,
  kStreet,
  kCommunity,
  kCell,
  kUnit,
  kOfficer,  // the grid officer responsible for the case's cell (domain.md §5)
  kChannel,
  kCategory,
};

inline constexpr ReportDimension kAllReportDimensions[] = {
    ReportDimension::kDistrict, ReportDimension::kStreet,  ReportDimension::kCommunity,
    ReportDimension::kCell,     ReportDimension::kUnit,    ReportDimension::kOfficer,
    ReportDimension::kChannel,  ReportDimension::kCategory};

std::string_view to_string(ReportDimension dimension);
std::optional<ReportDimension> parse_report_dimension(std::string_view text);

/// [start, end) of a period: local dates (end exclusive) and the UTC instants of their local
/// midnights.
struct PeriodBounds {
  ReportPeriod period = ReportPeriod::kDay;
  std::chrono::year_month_day first_day{};
  std::chrono::year_month_day end_day{};  // the day after the last one
  Timestamp start;
  Timestamp end;
  friend bool operator==(const PeriodBounds&, const PeriodBounds&) = default;
};

/// The period of kind `period` that contains the local date `date` (for the year to date: the
/// one that ends with `date`), with local time = UTC + `utc_offset`. Throws kInvalidValue
/// (field `date`) for an impossible date.
PeriodBounds period_containing(ReportPeriod period, std::chrono::year_month_day date,
                               std::chrono::minutes utc_offset);

/// Refuses (kInvalidValue, field `date`) a period nothing can be counted in: one that ends on or
/// before `first_day`, the local day of the district's first case, or begins after `today`.
void check_reportable(const PeriodBounds& period, std::chrono::year_month_day first_day,
                      std::chrono::year_month_day today);

/// Whether `today` lies inside the period: it is running, and its end state is today's.
bool is_running(const PeriodBounds& period, std::chrono::year_month_day today);

/// The instant a period's facts are judged at: its end once it has ended; for a period still
/// running, now (just after it: what happened at `now` counts) — never its end to come, so a
/// running period counts as due only deadlines already passed, and lights and ages are now's.
Timestamp judged_at(const PeriodBounds& period, Timestamp now);

/// A rate: nullopt when its denominator is 0 (shown "—", never 0% or 100%).
using Rate = std::optional<double>;

Rate rate(std::int64_t numerator, std::int64_t denominator);

/// 0.9372 → "93.72%"; nullopt → "—". Two decimals, rounded half away from zero.
std::string format_percent(Rate value);

/// One stage timer's instances in a period: ended on time, ended late (instances ended by
/// reject, merge, reassign … count as neither), and overdue and still running at its end.
struct TimerCounts {
  std::int64_t on_time = 0;
  std::int64_t late = 0;
  std::int64_t overdue_running = 0;
  friend bool operator==(const TimerCounts&, const TimerCounts&) = default;
};

/// on_time / (on_time + late + overdue_running).
Rate on_time_rate(const TimerCounts& counts);

/// Open cases at the end of a period by age since they were received.
enum class BacklogAge {
  kUnderOneDay,
  kOneToThreeDays,
  kThreeToSevenDays,
  kSevenToThirtyDays,
  kOverThirtyDays
};
inline constexpr std::size_t kBacklogAgeBuckets = 5;
std::string_view to_string(BacklogAge age);  // "lt_1d", "1_3d", "3_7d", "7_30d", "gt_30d"
/// The bucket of an age: [0, 1 d), [1 d, 3 d), [3 d, 7 d), [7 d, 30 d), [30 d, ∞).
BacklogAge backlog_age(std::chrono::milliseconds age);

/// What the event log says about one scope in one period (domain.md §8). Every count is of
/// cases (or timers, callbacks) whose event happened in the period, as the log stood at its end.
struct ReportCounts {
  std::int64_t received = 0;
  std::int64_t registered = 0;
  std::int64_t dispatched = 0;       // dispatches and reassigns, not reworks
  std::int64_t dispatches_kept = 0;  // of those, not followed by a return or reassign of the cycle
  std::int64_t dispatches_suggested = 0;  // of those, the ones made while a suggestion was offered
  std::int64_t suggestions_followed = 0;  // of those, the ones sent to the first suggested unit
  std::int64_t handled = 0;
  std::int64_t closed = 0;  // merged duplicates left out
  std::int64_t closed_on_time = 0;
  std::int64_t closed_reworked = 0;  // closed with ≥ 1 rework
  std::int64_t closed_extended = 0;  // closed with ≥ 1 approved extension
  std::int64_t merged = 0;
  std::int64_t due = 0;  // closed + open past their handling deadline at the end
  std::array<TimerCounts, std::size(kAllStageTimers)> timers{};  // indexed by StageTimer
  std::int64_t handling_instances = 0;  // handling instances that ended in the period
  double handling_work_hours = 0;       // their total duration, in work hours
  std::int64_t callbacks_reached = 0;
  std::int64_t callbacks_satisfied = 0;  // satisfied or basically satisfied
  std::array<std::int64_t, kBacklogAgeBuckets> backlog_by_age{};
  std::array<std::int64_t, 3> backlog_by_light{};  // indexed by Light; open handling cycles

  const TimerCounts& timer(StageTimer which) const;
  TimerCounts& timer(StageTimer which);
  std::int64_t backlog() const;

  /// Adds `other`'s counts: the counts of two disjoint sets of cases.
  ReportCounts& operator+=(const ReportCounts& other);

  friend bool operator==(const ReportCounts&, const ReportCounts&) = default;
};

/// The weights of the composite score (综合指标值): points for completion, on-time completion
/// and the absence of rework. Default for a grid node, unit or officer: 40/40/20.
struct ScoreWeights {
  double completion = 40;
  double on_time_completion = 40;
  double no_rework = 20;
  friend bool operator==(const ScoreWeights&, const ScoreWeights&) = default;
};

/// Every problem of `weights`: a negative or non-finite weight, or weights that do not add up
/// to 100 (the score is 0–100). Fields are `completion`, `on_time_completion`, `no_rework`.
std::vector<FieldError> validate_score_weights(const ScoreWeights& weights);

enum class Grade { kA, kB, kC, kD, kE };
std::string_view to_string(Grade grade);  // "A" … "E"

/// A ≥ 90, B ≥ 75, C ≥ 60, D ≥ 40, E below; judged on the score as shown (two decimals), so a
/// bulletin never prints 90.00 next to a B. nullopt for an undefined score.
std::optional<Grade> grade_for(std::optional<double> score);

/// The rates of domain.md §8 computed from one scope's counts.
struct ReportMetrics {
  Rate completion;                                               // closed / due
  Rate on_time_completion;                                       // closed_on_time / due
  std::array<Rate, std::size(kAllStageTimers)> timer_on_time{};  // on_time_rate per timer
  Rate dispatch_accuracy;                                        // dispatches_kept / dispatched
  Rate suggestion_followed;                      // suggestions_followed / dispatches_suggested
  Rate rework;                                   // closed_reworked / closed
  Rate extension;                                // closed_extended / closed
  Rate satisfaction;                             // callbacks_satisfied / callbacks_reached
  std::optional<double> average_handling_hours;  // handling_work_hours / handling_instances
  std::optional<double> score;                   // 0–100, undefined when nothing was due
  std::optional<Grade> grade;

  Rate timer_rate(StageTimer which) const;
};

/// score = w.completion × completion + w.on_time_completion × on-time completion
///       + w.no_rework × (1 − rework rate), the rework rate taken as 0 when nothing closed;
/// undefined when nothing was due.
std::optional<double> composite_score(const ReportCounts& counts, const ScoreWeights& weights);

ReportMetrics compute_metrics(const ReportCounts& counts, const ScoreWeights& weights);

/// A row's subject: its key (a grid code, unit code, officer code, channel or category key) and
/// its name.
struct ReportLabel {
  std::string key;
  std::string name;
  friend bool operator==(const ReportLabel&, const ReportLabel&) = default;
};

/// The rows a fact counts in, by ReportDimension: a cell's chain, unit, grid officer, channel and
/// category; nullopt where it had none (an unlocated case counts in its district only).
using ReportLabels = std::array<std::optional<ReportLabel>, std::size(kAllReportDimensions)>;

/// What the event log said at the end of a period about one case the period concerns (one with
/// an event in it, or open at its end). Read by storage; counted by aggregate_report.
struct ReportCaseFact {
  long long case_id = 0;
  /// The rows it counts in: its cell's chain, unit, grid officer, channel and category at the end
  /// of the period.
  ReportLabels labels{};
  Timestamp received_at;
  bool received = false;  // its receive, register, complete, close, merge happened in the period
  bool registered = false;
  bool handled = false;
  bool closed = false;
  bool merged = false;
  bool merged_by_end = false;  // a duplicate by the end of the period: left out of denominators
  /// Not counted by aggregate_report (a dispatch is a ReportTimerFact, charged to its unit): the
  /// dispatches withdraw_overturned_dispatches takes out of the rows of `labels`.
  int dispatches_kept = 0;
  bool closed_on_time = false;  // closed, and its last complete was at or before its deadline
  bool closed_reworked = false;
  bool closed_extended = false;
  bool open_at_end = false;
  bool open_past_deadline = false;  // open at the end, its current handling deadline passed
  /// Its handling cycle, when the case was dispatched, handling or suspended at the end.
  std::optional<TimerState> running_handling;
  int callbacks_reached = 0;
  int callbacks_satisfied = 0;
};

/// One stage-timer instance a period concerns: ended in it, still running at its end, or the
/// first handling instance of a cycle that a dispatch or reassign began in it. It is charged to
/// whoever held it (docs/reports.md, "Who is charged"): the unit that held the case when it began,
/// the cell and category the case had when it ended (at the end of the period if still running)
/// and that cell's grid officer on that day.
struct ReportTimerFact {
  long long case_id = 0;
  StageTimer timer = StageTimer::kHandling;
  bool merged_by_end = false;  // its case was a duplicate by the end: counted nowhere
  /// The rows it is charged to when they are not its case's at the end of the period (a unit
  /// that returned the case, a cell handed over, a case re-located); nullptr: its case's rows.
  std::shared_ptr<const ReportLabels> held_by;
  /// The dispatch or reassign that began its handling cycle happened in the period: a dispatch
  /// of the holder's; kept unless a return or reassign ended the cycle before the period's end.
  bool dispatched = false;
  bool dispatch_kept = false;
  /// Whether that dispatch chose the first suggested unit; nullopt when none was offered.
  std::optional<bool> suggestion_followed;
  std::optional<TimerOutcome> outcome_in_period;  // ended in the period: on time or late
  bool overdue_running = false;                   // running at the end, its deadline passed
  /// A handling instance ended by `complete` in the period: its start, end and the suspensions
  /// inside it (for the average handling time).
  bool completed_in_period = false;
  Timestamp started_at;
  Timestamp ended_at;
  std::vector<std::pair<Timestamp, Timestamp>> pauses;
};

/// One row of a report: a subject and its counts.
struct ReportRow {
  ReportDimension dimension = ReportDimension::kDistrict;
  ReportLabel label;
  ReportCounts counts;
  friend bool operator==(const ReportRow&, const ReportRow&) = default;
};

/// The totals of a report's scope: the sum of its channel rows (every case has one channel).
ReportCounts totals_of(const std::vector<ReportRow>& rows);

/// Where a row stands in a ranking: its score as shown (two decimals), its completion rate and
/// its key. The order: best shown score first (undefined last), then completion (undefined
/// last), then key. A page of a ranking resumes after the position of its previous page's last row.
struct RankingPosition {
  std::optional<double> shown_score;
  std::optional<double> completion;
  std::string key;
  friend bool operator==(const RankingPosition&, const RankingPosition&) = default;
};

/// Whether `a` comes before `b` in a ranking.
bool ranks_before(const RankingPosition& a, const RankingPosition& b);

/// A score as a ranking shows and compares it: rounded to two decimals.
std::optional<double> shown_score(std::optional<double> score);

/// One row of a ranking: the row, its metrics (computed once) and its rank among the rows with
/// a score. Points into the rows it was ranked from.
struct RankedRow {
  const ReportRow* row = nullptr;
  ReportMetrics metrics;
  std::optional<int> rank;

  RankingPosition position() const;
};

/// The rows of `by` ranked by score (RankingPosition's order). Tied scores, as shown, share a
/// rank, and the next rank skips as many places (1, 1, 3); a row with no score has no rank.
std::vector<RankedRow> rank_rows(const std::vector<ReportRow>& rows, ReportDimension by,
                                 const ScoreWeights& weights);

/// Adds a finished day's counts to the sum of a running period's finished days. What happened in
/// the day adds up (every such count is of events or of cases with an event in it); what the
/// day's end held — the backlog, timers overdue and still running, the open part of `due` — does
/// not: the running period's end is today's, whose counts are added whole (operator+=).
void add_finished_day(ReportCounts& days, const ReportCounts& day);

/// add_finished_day for every row of `day`, matched to `days` by subject (dimension and key; the
/// later day's name wins). Keeps the order of aggregate_report: by dimension, then key.
void add_finished_day(std::vector<ReportRow>& days, const std::vector<ReportRow>& day);

/// A running period's rows: the sum of its finished days plus the running day's rows, added
/// whole, by subject (the running day's name wins).
std::vector<ReportRow> running_period_rows(std::vector<ReportRow> finished_days,
                                           const std::vector<ReportRow>& running_day);

/// Takes out of a running period's rows the dispatches its finished days counted as kept that a
/// return or reassign has overturned since (a day decides "kept" from its own events only): each
/// fact's dispatches_kept from the rows of its labels, those that `rows` has. The period computed
/// over its own span counts them as not kept.
void withdraw_overturned_dispatches(std::vector<ReportRow>& rows,
                                    const std::vector<const ReportCaseFact*>& overturned);

/// Counts the facts of one period into one row per (dimension, key) that has any fact, ordered
/// by dimension and key: a case in the rows of its labels, a timer (and its dispatch) in those of
/// its holder. `end` is the end of the period, or now for a period still running (ages and lights
/// are judged then);
/// handling durations are measured in work hours of `calendar`, suspensions left out.
std::vector<ReportRow> aggregate_report(const std::vector<ReportCaseFact>& cases,
                                        const std::vector<ReportTimerFact>& timers, Timestamp end,
                                        const WorkCalendar& calendar);

/// The same over facts held elsewhere (a part of one period's facts: one scope's cases and their
/// timers); timers charged to their case's rows (no `held_by`) whose case is not among `cases`
/// are passed over.
std::vector<ReportRow> aggregate_report(const std::vector<const ReportCaseFact*>& cases,
                                        const std::vector<const ReportTimerFact*>& timers,
                                        Timestamp end, const WorkCalendar& calendar);

}  // namespace gridcase::domain
