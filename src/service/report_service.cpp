#include "gridcase/service/report_service.hpp"

#include <algorithm>
#include <array>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/this_coro.hpp>
#include <iterator>
#include <map>
#include <memory>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "gridcase/domain/error.hpp"
#include "gridcase/domain/grid.hpp"
#include "gridcase/service/report_repository.hpp"
#include "gridcase/service/wakeup.hpp"

namespace gridcase::service {

using namespace std::chrono;

ReportService::ReportService(TransactionRunner& transactions, CalendarCache& calendar,
                             const domain::Clock& clock, ReportOptions options)
    : transactions_(transactions),
      calendar_(calendar),
      clock_(clock),
      options_(options),
      live_(options.live) {}

namespace {

bool in_scope(const domain::ReportLabels& labels, const ReportScope& scope) {
  const auto key_of = [&labels](domain::ReportDimension dimension) -> const std::string* {
    const std::optional<domain::ReportLabel>& label = labels[static_cast<std::size_t>(dimension)];
    return label ? &label->key : nullptr;
  };
  if (scope.grid) {
    const std::string* cell = key_of(domain::ReportDimension::kCell);
    const std::string* district = key_of(domain::ReportDimension::kDistrict);
    const bool inside =
        cell ? cell->starts_with(*scope.grid) : district && *district == *scope.grid;
    if (!inside) return false;
  }
  if (scope.unit) {
    const std::string* unit = key_of(domain::ReportDimension::kUnit);
    if (!unit || *unit != *scope.unit) return false;
  }
  if (scope.officer) {
    const std::string* officer = key_of(domain::ReportDimension::kOfficer);
    if (!officer || *officer != *scope.officer) return false;
  }
  return true;
}

bool in_scope(const domain::ReportCaseFact& fact, const ReportScope& scope) {
  return in_scope(fact.labels, scope);
}

/// Whether a timer charged to someone other than its case's rows (held_by) is in the scope; one
/// charged to its case's rows is counted with its case.
bool held_outside(const domain::ReportTimerFact& timer, const ReportScope& scope) {
  return timer.held_by && !in_scope(*timer.held_by, scope);
}

/// A grid-confined report shows no grid rows above its node (they would hold its cases only).
bool shown_in(const domain::ReportRow& row, const ReportScope& scope) {
  if (!scope.grid) return true;
  switch (row.dimension) {
    case domain::ReportDimension::kDistrict:
    case domain::ReportDimension::kStreet:
    case domain::ReportDimension::kCommunity:
    case domain::ReportDimension::kCell:
      return row.label.key.starts_with(*scope.grid);
    case domain::ReportDimension::kUnit:
    case domain::ReportDimension::kOfficer:
    case domain::ReportDimension::kChannel:
    case domain::ReportDimension::kCategory:
      break;
  }
  return true;
}

std::optional<domain::ReportDimension> dimension_of_node(const std::string& code) {
  const std::optional<domain::GridLevel> level = domain::level_of_code(code);
  if (!level) return std::nullopt;
  switch (*level) {
    case domain::GridLevel::kDistrict:
      return domain::ReportDimension::kDistrict;
    case domain::GridLevel::kStreet:
      return domain::ReportDimension::kStreet;
    case domain::GridLevel::kCommunity:
      return domain::ReportDimension::kCommunity;
    case domain::GridLevel::kCell:
      return domain::ReportDimension::kCell;
  }
  return std::nullopt;
}

// The one spelling of stored scope keys: '' the district, "grid:<code>", "unit:<code>",
// "officer:<code>" (sql/015_report_scopes.sql). Every key is written and read through these.
struct ScopePart {
  std::string_view prefix;
  std::optional<std::string> ReportScope::*member;
};
constexpr std::array<ScopePart, 3> kScopeParts{{{kGridScopePrefix, &ReportScope::grid},
                                                {"unit:", &ReportScope::unit},
                                                {"officer:", &ReportScope::officer}}};

/// The part of a scope a row's subject is (grid nodes, units, officers); nullopt for the rest.
std::optional<std::size_t> part_of(domain::ReportDimension dimension) {
  switch (dimension) {
    case domain::ReportDimension::kDistrict:
    case domain::ReportDimension::kStreet:
    case domain::ReportDimension::kCommunity:
    case domain::ReportDimension::kCell:
      return 0;
    case domain::ReportDimension::kUnit:
      return 1;
    case domain::ReportDimension::kOfficer:
      return 2;
    case domain::ReportDimension::kChannel:
    case domain::ReportDimension::kCategory:
      break;
  }
  return std::nullopt;
}

/// Writes the key of one part's scope into `key` (reused: no allocation once it is long enough).
void write_key(std::size_t part, std::string_view code, std::string& key) {
  key.assign(kScopeParts[part].prefix);
  key.append(code);
}

int parts_of(const ReportScope& scope) {
  return scope.grid.has_value() + scope.unit.has_value() + scope.officer.has_value();
}

/// The scope a stored key names.
ReportScope scope_named(std::string_view key) {
  ReportScope scope;
  for (const ScopePart& part : kScopeParts) {
    if (key.starts_with(part.prefix))
      scope.*part.member = std::string(key.substr(part.prefix.size()));
  }
  return scope;
}

/// The stored row that counts exactly a scope's cases: (stored scope, dimension, key). A fact is
/// in a row when its own label for the dimension is the key, which is what in_scope() asks of
/// it, and every count is a sum over facts (ReportCounts::operator+=). So one grid node, unit or
/// officer is its row of the district's report, and a grid node within a unit's or officer's
/// scope is that node's row of the unit's or officer's report. nullopt for the whole district
/// (its totals) and for a unit combined with an officer.
struct CountingRow {
  std::string scope;
  domain::ReportDimension dimension;
  std::string key;
};

std::optional<CountingRow> row_counting(const ReportScope& scope) {
  if (parts_of(scope) == 0 || (scope.unit && scope.officer)) return std::nullopt;
  if (!scope.grid) {
    if (scope.unit) return CountingRow{"", domain::ReportDimension::kUnit, *scope.unit};
    return CountingRow{"", domain::ReportDimension::kOfficer, *scope.officer};
  }
  const std::optional<domain::ReportDimension> dimension = dimension_of_node(*scope.grid);
  if (!dimension) return std::nullopt;
  ReportScope within = scope;
  within.grid.reset();
  return CountingRow{snapshot_scope(within).value_or(""), *dimension, *scope.grid};
}

/// The scope a district-level grid key names is stored as the district ('') when every case of
/// the period is in that district (aggregate_by_scope leaves out the duplicate).
bool is_district_key(std::string_view key) {
  const ReportScope scope = scope_named(key);
  return scope.grid && dimension_of_node(*scope.grid) == domain::ReportDimension::kDistrict;
}

/// One period's facts counted for every stored scope at once: the district ('') and each scope
/// any fact counts in, grid rows above a grid scope's node left out as for a caller. Scope keys
/// are interned (each held once, scopes referred to by index) and a case's timers are found in one
/// sorted list when the case is counted, so nothing is kept per case but pointers. A district
/// every case is in is the district's report: not kept twice.
std::map<std::string, std::vector<domain::ReportRow>> aggregate_by_scope(
    const std::vector<domain::ReportCaseFact>& cases,
    const std::vector<domain::ReportTimerFact>& timers, domain::Timestamp end,
    const domain::WorkCalendar& calendar) {
  std::map<std::string, std::vector<domain::ReportRow>> by_scope;
  by_scope[""] = domain::aggregate_report(cases, timers, end, calendar);
  constexpr auto kDistrict = static_cast<std::size_t>(domain::ReportDimension::kDistrict);
  const bool one_district =
      !cases.empty() && std::all_of(cases.begin(), cases.end(), [&](const auto& fact) {
        return fact.labels[kDistrict] && cases.front().labels[kDistrict] &&
               fact.labels[kDistrict]->key == cases.front().labels[kDistrict]->key;
      });
  // A case's timers, found by binary search (16 bytes a timer, no node per case).
  std::vector<std::pair<long long, const domain::ReportTimerFact*>> timers_by_case;
  timers_by_case.reserve(timers.size());
  for (const domain::ReportTimerFact& timer : timers) {
    if (!timer.held_by) timers_by_case.emplace_back(timer.case_id, &timer);
  }
  std::sort(timers_by_case.begin(), timers_by_case.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });

  std::unordered_map<std::string, std::size_t> index_of;
  std::vector<const std::string*> keys;
  std::vector<std::vector<const domain::ReportCaseFact*>> cases_of;
  std::vector<std::vector<const domain::ReportTimerFact*>> timers_of;
  std::string key;
  // Every stored scope `labels` fall in (its index, made on first use), to `add` to.
  const auto for_each_scope = [&](const domain::ReportLabels& labels, const auto& add) {
    for (const domain::ReportDimension dimension : domain::kAllReportDimensions) {
      const std::optional<std::size_t> part = part_of(dimension);
      const std::optional<domain::ReportLabel>& label = labels[static_cast<std::size_t>(dimension)];
      if (!part || !label) continue;
      if (dimension == domain::ReportDimension::kDistrict && one_district) continue;
      write_key(*part, label->key, key);
      auto [found, inserted] = index_of.try_emplace(key, cases_of.size());
      if (inserted) {
        keys.push_back(&found->first);
        cases_of.emplace_back();
        timers_of.emplace_back();
      }
      add(found->second);
    }
  };
  for (const domain::ReportCaseFact& fact : cases) {
    const auto of_case = std::equal_range(
        timers_by_case.begin(), timers_by_case.end(),
        std::pair<long long, const domain::ReportTimerFact*>{fact.case_id, nullptr},
        [](const auto& a, const auto& b) { return a.first < b.first; });
    for_each_scope(fact.labels, [&](std::size_t index) {
      cases_of[index].push_back(&fact);
      for (auto timer = of_case.first; timer != of_case.second; ++timer) {
        timers_of[index].push_back(timer->second);
      }
    });
  }
  // A timer charged to another holder than its case's rows (a unit that returned the case, an
  // officer before a handover) counts in the scopes of that holder.
  for (const domain::ReportTimerFact& timer : timers) {
    if (timer.held_by) {
      for_each_scope(*timer.held_by,
                     [&](std::size_t index) { timers_of[index].push_back(&timer); });
    }
  }
  for (std::size_t index = 0; index < keys.size(); ++index) {
    std::vector<domain::ReportRow> rows =
        domain::aggregate_report(cases_of[index], timers_of[index], end, calendar);
    const ReportScope scope = scope_named(*keys[index]);
    std::erase_if(rows, [&scope](const domain::ReportRow& row) { return !shown_in(row, scope); });
    by_scope[*keys[index]] = std::move(rows);
    cases_of[index] = {};
    timers_of[index] = {};
  }
  return by_scope;
}

/// The report with only the rows of `dimensions` (all of them when it is empty).
Report only(Report report, const std::vector<domain::ReportDimension>& dimensions) {
  if (!dimensions.empty()) {
    std::erase_if(report.rows, [&dimensions](const domain::ReportRow& row) {
      return std::find(dimensions.begin(), dimensions.end(), row.dimension) == dimensions.end();
    });
  }
  return report;
}

/// The period of one local day.
domain::PeriodBounds day_bounds(std::chrono::year_month_day day,
                                const domain::WorkCalendar& calendar) {
  return domain::period_containing(domain::ReportPeriod::kDay, day, calendar.utc_offset());
}

/// The local day of the district's first case; today while there is none.
year_month_day first_case_day(Repositories& repos, const domain::WorkCalendar& calendar,
                              year_month_day today) {
  const std::optional<domain::Timestamp> first = repos.reports.first_case_received();
  return first ? calendar.local_date(*first) : today;
}

/// The stored rows of one scope of a computed period: the district's when the key is a
/// district every case of the period was in (aggregate_by_scope stores that report once, as '').
/// Adds a row of zeros for every subject of `dimension` the scope's ranking lists and `report`
/// has no row of.
void add_missing_subjects(Repositories& repos, Report& report, domain::ReportDimension dimension,
                          const ReportScope& scope) {
  std::vector<domain::ReportLabel> subjects =
      repos.reports.subjects(dimension, report.period, scope.grid, scope.unit, scope.officer);
  std::unordered_set<std::string_view> present;
  for (const domain::ReportRow& row : report.rows) {
    if (row.dimension == dimension) present.insert(row.label.key);
  }
  std::vector<domain::ReportRow> missing;
  for (domain::ReportLabel& subject : subjects) {
    if (!present.contains(subject.key)) {
      missing.push_back(domain::ReportRow{dimension, std::move(subject), {}});
    }
  }
  present.clear();  // its views point into report.rows, which grows now
  report.rows.insert(report.rows.end(), std::make_move_iterator(missing.begin()),
                     std::make_move_iterator(missing.end()));
}

std::vector<domain::ReportRow> stored_rows(Repositories& repos, const domain::PeriodBounds& bounds,
                                           const std::string& key,
                                           const std::vector<domain::ReportDimension>& dimensions) {
  std::vector<domain::ReportRow> rows = repos.reports.snapshot(bounds, key, dimensions);
  if (!rows.empty() || !is_district_key(key)) return rows;
  const std::vector<domain::ReportRow> districts =
      repos.reports.snapshot(bounds, "", {domain::ReportDimension::kDistrict});
  if (districts.size() == 1 && districts.front().label.key == scope_named(key).grid) {
    return repos.reports.snapshot(bounds, "", dimensions);
  }
  return rows;
}

/// Whether every dimension asked for is a grid level (none asked: every dimension, so no).
bool only_grid_rows(const std::vector<domain::ReportDimension>& dimensions) {
  return !dimensions.empty() &&
         std::all_of(dimensions.begin(), dimensions.end(), [](domain::ReportDimension dimension) {
           return part_of(dimension) == std::size_t{0};
         });
}

}  // namespace

std::optional<std::string> snapshot_scope(const ReportScope& scope) {
  const int parts = parts_of(scope);
  if (parts == 0) return std::string{};
  if (parts > 1) return std::nullopt;
  std::string key;
  for (std::size_t part = 0; part < kScopeParts.size(); ++part) {
    if (const auto& code = scope.*kScopeParts[part].member) write_key(part, *code, key);
  }
  return key;
}

struct ReportService::TodayFlight {
  std::vector<std::shared_ptr<Wakeup>> waiters;
};

/// Today's facts as read once, and the rows of each scope asked for since (computed once each).
struct ReportService::TodayFacts {
  year_month_day day{};
  long long version = 0;
  domain::Timestamp read_at;
  domain::PeriodBounds bounds;
  std::vector<domain::ReportCaseFact> cases;
  std::vector<domain::ReportTimerFact> timers;
  mutable std::mutex rows_mutex;
  mutable std::map<std::string, std::vector<domain::ReportRow>> rows_of;
  /// The dispatches of finished days overturned since, by the first day of the running period.
  mutable std::map<sys_days, std::vector<domain::ReportCaseFact>> overturned_since;
};

Report ReportService::compute_in(Repositories& repos, const domain::PeriodBounds& bounds,
                                 const ReportScope& scope, bool replace) const {
  const std::shared_ptr<const domain::WorkCalendar> calendar = calendar_.current(repos);
  Report report{bounds, {}};
  bool store = false;
  if (bounds.end <= clock_.now()) {
    // Locked before anything is read: a second computation of the period waits for the first
    // and then finds it stored, rather than deleting and copying every scope's rows again.
    repos.reports.lock_snapshot(std::string(to_string(bounds.period)) + " " +
                                domain::format_iso_date(bounds.first_day));
    store = replace || !repos.reports.has_snapshot(bounds);
  }
  // A period still running is judged as of now, not at its end to come (docs/reports.md).
  const domain::Timestamp now = clock_.now();
  const domain::Timestamp as_of = domain::judged_at(bounds, now);
  const year_month_day last_day = as_of < bounds.end
                                      ? calendar->local_date(as_of)
                                      : year_month_day{sys_days{bounds.end_day} - days{1}};
  std::vector<domain::ReportCaseFact> cases =
      repos.reports.case_facts(bounds.start, as_of, last_day);
  std::vector<domain::ReportTimerFact> timers = repos.reports.timer_facts(bounds.start, as_of);
  if (store) {
    // Counting every stored scope costs little next to reading the facts, and makes each of
    // them a snapshot read from now on.
    std::map<std::string, std::vector<domain::ReportRow>> by_scope =
        aggregate_by_scope(cases, timers, bounds.end, *calendar);
    repos.reports.replace_snapshot(bounds, by_scope, clock_.now());
    if (const std::optional<std::string> key = snapshot_scope(scope)) {
      if (const auto found = by_scope.find(*key); found != by_scope.end()) {
        report.rows = std::move(found->second);
        return report;
      }
    }
  }
  if (!scope.is_everything()) {
    std::erase_if(cases,
                  [&scope](const domain::ReportCaseFact& fact) { return !in_scope(fact, scope); });
    std::erase_if(timers, [&scope](const domain::ReportTimerFact& timer) {
      return held_outside(timer, scope);
    });
  }
  report.rows = domain::aggregate_report(cases, timers, as_of, *calendar);
  std::erase_if(report.rows,
                [&scope](const domain::ReportRow& row) { return !shown_in(row, scope); });
  if (as_of < bounds.end) report.as_of = now;  // running: counted to this moment
  return report;
}

std::shared_ptr<const ReportService::TodayFacts> ReportService::today_facts(
    Repositories& repos, const domain::WorkCalendar& calendar, year_month_day today, bool live,
    TodayNeed& need) const {
  const domain::PeriodBounds bounds = day_bounds(today, calendar);
  const domain::Timestamp since = bounds.start - days{1};
  if (!need.version || need.day != today) {
    need.day = today;
    need.version = repos.reports.events_version(since);
  }
  const domain::Timestamp now = clock_.now();
  {
    const std::lock_guard lock{today_mutex_};
    if (today_ && today_->day == today) {
      if (today_->version >= *need.version) return today_;
      if (!need.leading && now - today_->read_at < options_.live_max_age) {
        need.refresh = true;  // answered now; a newer read is started for the next requests
        return today_;
      }
    }
  }
  if (!live) {
    need.missing = true;
    return nullptr;
  }
  auto facts = std::make_shared<TodayFacts>();
  facts->day = today;
  // Read again: events committed since the request began count too (never older than need).
  facts->version = repos.reports.events_version(since);
  facts->read_at = now;
  facts->bounds = bounds;
  facts->bounds.end = domain::judged_at(bounds, now);  // as of now, not at midnight
  facts->cases = repos.reports.case_facts(facts->bounds.start, facts->bounds.end, today);
  facts->timers = repos.reports.timer_facts(facts->bounds.start, facts->bounds.end);
  // What every running report needs besides stored days, read before the facts are shown to
  // other requests: one that found them without it would read it in its account's turn.
  for (const domain::ReportPeriod period :
       {domain::ReportPeriod::kWeek, domain::ReportPeriod::kMonth, domain::ReportPeriod::kQuarter,
        domain::ReportPeriod::kYearToDate}) {
    const domain::PeriodBounds running =
        domain::period_containing(period, today, calendar.utc_offset());
    if (sys_days{running.first_day} < sys_days{today}) {
      overturned_since(repos, *facts, running, true);
    }
  }
  const std::lock_guard lock{today_mutex_};
  if (!today_ || today_->day != today || today_->version <= facts->version) today_ = facts;
  return facts;
}

std::vector<domain::ReportRow> ReportService::today_rows(
    const TodayFacts& facts, const ReportScope& scope, const domain::WorkCalendar& calendar) const {
  const std::optional<std::string> key = snapshot_scope(scope);
  if (key) {
    const std::lock_guard lock{facts.rows_mutex};
    if (const auto found = facts.rows_of.find(*key); found != facts.rows_of.end()) {
      return found->second;
    }
  }
  std::vector<const domain::ReportCaseFact*> cases;
  for (const domain::ReportCaseFact& fact : facts.cases) {
    if (in_scope(fact, scope)) cases.push_back(&fact);
  }
  std::vector<const domain::ReportTimerFact*> timers;
  timers.reserve(facts.timers.size());
  for (const domain::ReportTimerFact& timer : facts.timers) {
    if (!held_outside(timer, scope)) timers.push_back(&timer);
  }
  std::vector<domain::ReportRow> rows =
      domain::aggregate_report(cases, timers, facts.bounds.end, calendar);
  std::erase_if(rows, [&scope](const domain::ReportRow& row) { return !shown_in(row, scope); });
  if (key) {
    const std::lock_guard lock{facts.rows_mutex};
    facts.rows_of.emplace(*key, rows);
  }
  return rows;
}

std::optional<std::vector<domain::ReportRow>> ReportService::finished_days(
    Repositories& repos, year_month_day first_day, year_month_day first_case, year_month_day today,
    const std::string& scope_key, const std::vector<domain::ReportDimension>& dimensions,
    bool live) const {
  const year_month_day from = std::max(sys_days{first_day}, sys_days{first_case});
  if (sys_days{from} >= sys_days{today}) return std::vector<domain::ReportRow>{};
  if (auto stored = repos.reports.days_sum(first_day, today, scope_key, dimensions)) return stored;
  if (!live) return std::nullopt;
  const std::shared_ptr<const domain::WorkCalendar> calendar = calendar_.current(repos);
  repos.reports.lock_snapshot("days " + domain::format_iso_date(first_day) + " " + scope_key);
  if (auto stored = repos.reports.days_sum(first_day, today, scope_key)) return stored;
  // Yesterday's sum plus yesterday, as a rule: each finished day is read once per scope.
  std::vector<domain::ReportRow> sum;
  year_month_day next = from;
  if (const std::optional<year_month_day> latest =
          repos.reports.latest_days_sum(first_day, scope_key, today)) {
    if (auto stored = repos.reports.days_sum(first_day, *latest, scope_key)) {
      sum = std::move(*stored);
      next = std::max(sys_days{from}, sys_days{*latest});
    }
  }
  std::vector<domain::PeriodBounds> missing;
  for (sys_days each{next}; each < sys_days{today}; each += days{1}) {
    const domain::PeriodBounds bounds = day_bounds(year_month_day{each}, *calendar);
    if (!repos.reports.has_snapshot(bounds)) missing.push_back(bounds);
  }
  check_day_computations(missing.size());
  for (const domain::PeriodBounds& bounds : missing) compute_in(repos, bounds, {});
  for (sys_days each{next}; each < sys_days{today}; each += days{1}) {
    domain::add_finished_day(
        sum, stored_rows(repos, day_bounds(year_month_day{each}, *calendar), scope_key, {}));
  }
  repos.reports.store_days_sum(first_day, today, scope_key, sum, clock_.now());
  return sum;
}

void ReportService::check_day_computations(std::size_t days_to_compute) const {
  if (days_to_compute <= static_cast<std::size_t>(options_.max_day_computations)) return;
  throw domain::Error(domain::ErrorCode::kUnavailable,
                      std::to_string(days_to_compute) +
                          " days of this report are not computed yet (the nightly job computes "
                          "them): try again later",
                      domain::ErrorDetails{{}, {}, options_.live.retry_after});
}

std::optional<std::vector<domain::ReportCaseFact>> ReportService::overturned_since(
    Repositories& repos, const TodayFacts& facts, const domain::PeriodBounds& period,
    bool live) const {
  const sys_days first{period.first_day};
  {
    const std::lock_guard lock{facts.rows_mutex};
    if (const auto found = facts.overturned_since.find(first);
        found != facts.overturned_since.end()) {
      return found->second;
    }
  }
  if (!live) return std::nullopt;
  std::vector<domain::ReportCaseFact> overturned =
      repos.reports.overturned_dispatches(period.start, facts.bounds.start, period.first_day);
  const std::lock_guard lock{facts.rows_mutex};
  facts.overturned_since.emplace(first, overturned);
  return overturned;
}

std::optional<std::shared_ptr<const Report>> ReportService::read_in(
    Repositories& repos, domain::ReportPeriod period, year_month_day date, const ReportScope& scope,
    const std::vector<domain::ReportDimension>& dimensions,
    std::optional<domain::ReportDimension> every_subject_of, bool live, TodayNeed& need) const {
  {
    const std::shared_ptr<const domain::WorkCalendar> calendar = calendar_.current(repos);
    const year_month_day today = calendar->local_date(clock_.now());
    const domain::PeriodBounds bounds =
        domain::period_containing(period, date, calendar->utc_offset());
    domain::check_reportable(bounds, first_case_day(repos, *calendar, today), today);
    const std::optional<std::string> key = snapshot_scope(scope);
    if (key && !domain::is_running(bounds, today)) {
      if (const std::optional<SnapshotVersion> version = repos.reports.snapshot_version(bounds)) {
        return stored_report(repos, bounds, *key, scope, dimensions, every_subject_of, *version);
      }
    }
  }
  std::optional<Report> report = read_rows_in(repos, period, date, scope, dimensions, live, need);
  if (!report) return std::nullopt;
  if (every_subject_of) add_missing_subjects(repos, *report, *every_subject_of, scope);
  return std::make_shared<const Report>(std::move(*report));
}

std::shared_ptr<const Report> ReportService::stored_report(
    Repositories& repos, const domain::PeriodBounds& bounds, const std::string& key,
    const ReportScope& scope, const std::vector<domain::ReportDimension>& dimensions,
    std::optional<domain::ReportDimension> every_subject_of, const SnapshotVersion& version) const {
  std::string asked = std::string(to_string(bounds.period)) + ' ' +
                      domain::format_iso_date(bounds.first_day) + ' ' +
                      domain::format_iso_date(bounds.end_day) + ' ' + key + ' ';
  for (const domain::ReportDimension dimension : dimensions) {
    asked += std::string(to_string(dimension)) + ',';
  }
  asked += every_subject_of ? std::string(to_string(*every_subject_of)) : std::string("-");
  {
    const std::lock_guard lock{cache_mutex_};
    const auto found = cache_.find(asked);
    if (found != cache_.end() && found->second.version == version) {
      found->second.used = ++cache_clock_;
      return found->second.report;
    }
  }
  Report report{bounds, stored_rows(repos, bounds, key, dimensions)};
  if (every_subject_of) add_missing_subjects(repos, report, *every_subject_of, scope);
  auto shared = std::make_shared<const Report>(std::move(report));
  const std::size_t rows = shared->rows.size();
  if (rows > options_.cached_rows) return shared;
  const std::lock_guard lock{cache_mutex_};
  if (const auto old = cache_.find(asked); old != cache_.end()) {
    cache_rows_ -= old->second.report->rows.size();
    cache_.erase(old);
  }
  while (cache_rows_ + rows > options_.cached_rows && !cache_.empty()) {
    auto oldest = cache_.begin();
    for (auto each = cache_.begin(); each != cache_.end(); ++each) {
      if (each->second.used < oldest->second.used) oldest = each;
    }
    cache_rows_ -= oldest->second.report->rows.size();
    cache_.erase(oldest);
  }
  cache_.emplace(asked, CachedReport{version, shared, ++cache_clock_});
  cache_rows_ += rows;
  return shared;
}

std::optional<Report> ReportService::read_rows_in(
    Repositories& repos, domain::ReportPeriod period, year_month_day date, const ReportScope& scope,
    const std::vector<domain::ReportDimension>& dimensions, bool live, TodayNeed& need) const {
  const std::shared_ptr<const domain::WorkCalendar> calendar = calendar_.current(repos);
  const year_month_day today = calendar->local_date(clock_.now());
  const domain::PeriodBounds bounds =
      domain::period_containing(period, date, calendar->utc_offset());
  const year_month_day first_case = first_case_day(repos, *calendar, today);
  domain::check_reportable(bounds, first_case, today);
  const std::optional<std::string> key = snapshot_scope(scope);

  if (!domain::is_running(bounds, today)) {
    if (repos.reports.has_snapshot(bounds)) {
      if (key) return Report{bounds, stored_rows(repos, bounds, *key, dimensions)};
      // A grid node within a unit's (officer's) scope: its grid rows are those of the unit's
      // (officer's) report below the node (each counts exactly the cases of both).
      if (const std::optional<CountingRow> row = row_counting(scope);
          row && !row->scope.empty() && only_grid_rows(dimensions)) {
        Report report{bounds, stored_rows(repos, bounds, row->scope, dimensions)};
        std::erase_if(report.rows,
                      [&scope](const domain::ReportRow& each) { return !shown_in(each, scope); });
        return report;
      }
    }
    if (!live) return std::nullopt;
    return only(compute_in(repos, bounds, scope), dimensions);
  }
  if (!key) {
    // Nothing is stored for a combined scope: it is counted from the period's facts.
    if (!live) return std::nullopt;
    return only(compute_in(repos, bounds, scope), dimensions);
  }
  const std::shared_ptr<const TodayFacts> facts = today_facts(repos, *calendar, today, live, need);
  if (!facts) return std::nullopt;
  std::optional<std::vector<domain::ReportRow>> days =
      finished_days(repos, bounds.first_day, first_case, today, *key, dimensions, live);
  if (!days) return std::nullopt;
  // A finished day decided "kept" from its own events: a return or reassign since overturns it.
  const std::optional<std::vector<domain::ReportCaseFact>> overturned =
      overturned_since(repos, *facts, bounds, live);
  if (!overturned) return std::nullopt;
  std::vector<const domain::ReportCaseFact*> in_this_scope;
  for (const domain::ReportCaseFact& fact : *overturned) {
    if (in_scope(fact, scope)) in_this_scope.push_back(&fact);
  }
  std::vector<domain::ReportRow> rows =
      domain::running_period_rows(std::move(*days), today_rows(*facts, scope, *calendar));
  domain::withdraw_overturned_dispatches(rows, in_this_scope);
  return only(Report{bounds, std::move(rows), facts->read_at}, dimensions);
}

boost::asio::awaitable<Report> ReportService::compute(domain::ReportPeriod period,
                                                      year_month_day date) const {
  Report report;
  auto work = [&](Repositories& repos) {
    const std::shared_ptr<const domain::WorkCalendar> calendar = calendar_.current(repos);
    report = compute_in(repos, domain::period_containing(period, date, calendar->utc_offset()), {},
                        true);
  };
  co_await transactions_.run(work);
  co_return report;
}

boost::asio::awaitable<Report> ReportService::get(domain::ReportPeriod period,
                                                  year_month_day date) const {
  return get(period, date, ReportScope{}, {});
}

namespace {

/// Runs `action` when it goes out of scope, however that happens.
template <typename Action>
struct OnExit {
  Action action;
  explicit OnExit(Action on_exit) : action(std::move(on_exit)) {}
  OnExit(const OnExit&) = delete;
  OnExit& operator=(const OnExit&) = delete;
  ~OnExit() { action(); }
};

/// The live turn of the shared read of today's facts: no account's (no account is named so).
constexpr std::string_view kTodayTurn = "\n today's facts";

}  // namespace

template <typename Answer, typename Read>
boost::asio::awaitable<Answer> ReportService::answer(Read read, std::string account) const {
  TodayNeed need;
  std::optional<Answer> answered;
  const boost::asio::any_io_executor executor = co_await boost::asio::this_coro::executor;
  // Answered from today's facts as previously read: a newer read starts for the next requests.
  const auto refresh_if_due = [&] {
    if (need.refresh) refresh_today(need, executor);
  };
  co_await transactions_.run([&](Repositories& repos) { answered = read(repos, false, need); });
  if (answered) {
    refresh_if_due();
    co_return std::move(*answered);
  }
  if (need.missing) {
    co_await read_today(need);
    need.missing = false;
    co_await transactions_.run([&](Repositories& repos) { answered = read(repos, false, need); });
    if (answered) {
      refresh_if_due();
      co_return std::move(*answered);
    }
  }
  // It reads the event log: in turn, and the check above is repeated (another request may have
  // stored what this one needs meanwhile).
  const LiveComputations::Permit permit = co_await live_.enter(std::move(account));
  co_await transactions_.run([&](Repositories& repos) { answered = read(repos, true, need); });
  refresh_if_due();
  co_return std::move(*answered);
}

void ReportService::refresh_today(const TodayNeed& need,
                                  const boost::asio::any_io_executor& executor) const {
  {
    // One started at a time: a read in progress (or about to lead one) serves every request.
    const std::lock_guard lock{today_mutex_};
    if (today_flight_ || today_refreshing_ || refreshes_stopped_) return;
    today_refreshing_ = true;
  }
  boost::asio::co_spawn(
      executor, [this, need]() -> boost::asio::awaitable<void> { co_await read_today(need); },
      [this](const std::exception_ptr&) {
        // No turn free, the database away: the next request that needs today starts it again.
        const std::lock_guard lock{today_mutex_};
        today_refreshing_ = false;
      });
}

bool ReportService::refreshing() const {
  const std::lock_guard lock{today_mutex_};
  return today_refreshing_;
}

void ReportService::stop_refreshing() const {
  const std::lock_guard lock{today_mutex_};
  refreshes_stopped_ = true;
}

boost::asio::awaitable<void> ReportService::read_today(const TodayNeed& need) const {
  for (;;) {
    const std::shared_ptr<Wakeup> wakeup = co_await Wakeup::for_this_coroutine();
    {
      const std::lock_guard lock{today_mutex_};
      if (today_ && today_->day == need.day && need.version && today_->version >= *need.version) {
        co_return;
      }
      if (today_flight_) {
        today_flight_->waiters.push_back(wakeup);
      } else {
        today_flight_ = std::make_shared<TodayFlight>();
        break;  // this request leads the read
      }
    }
    // The read in progress may be older than this request needs, or may fail: look again.
    co_await wakeup->wait();
  }
  const OnExit land{[this] {
    std::shared_ptr<TodayFlight> flight;
    {
      const std::lock_guard lock{today_mutex_};
      flight = std::exchange(today_flight_, nullptr);
    }
    for (const std::shared_ptr<Wakeup>& waiter : flight->waiters) waiter->set();
  }};
  const LiveComputations::Permit permit = co_await live_.enter(std::string(kTodayTurn));
  TodayNeed mine = need;
  mine.refresh = false;
  mine.leading = true;
  co_await transactions_.run([&](Repositories& repos) {
    const std::shared_ptr<const domain::WorkCalendar> calendar = calendar_.current(repos);
    today_facts(repos, *calendar, calendar->local_date(clock_.now()), true, mine);
  });
}

boost::asio::awaitable<Report> ReportService::get(
    domain::ReportPeriod period, year_month_day date, ReportScope scope, std::string account,
    std::vector<domain::ReportDimension> dimensions,
    std::optional<domain::ReportDimension> every_subject_of) const {
  co_return *co_await get_shared(period, date, std::move(scope), std::move(account),
                                 std::move(dimensions), every_subject_of);
}

boost::asio::awaitable<std::shared_ptr<const Report>> ReportService::get_shared(
    domain::ReportPeriod period, year_month_day date, ReportScope scope, std::string account,
    std::vector<domain::ReportDimension> dimensions,
    std::optional<domain::ReportDimension> every_subject_of) const {
  co_return co_await answer<std::shared_ptr<const Report>>(
      [&](Repositories& repos, bool live, TodayNeed& need) {
        return read_in(repos, period, date, scope, dimensions, every_subject_of, live, need);
      },
      std::move(account));
}

std::optional<std::vector<TrendPoint>> ReportService::trend_in(Repositories& repos,
                                                               year_month_day last, int days_back,
                                                               const ReportScope& scope, bool live,
                                                               TodayNeed& need) const {
  std::vector<TrendPoint> points;
  const std::shared_ptr<const domain::WorkCalendar> calendar = calendar_.current(repos);
  const year_month_day today = calendar->local_date(clock_.now());
  if (sys_days{last} > sys_days{today}) last = today;
  const year_month_day first_case = first_case_day(repos, *calendar, today);
  const std::optional<CountingRow> row = row_counting(scope);
  const std::optional<std::string> key = snapshot_scope(scope);
  // The stored days of the window, read at once: the scope's row, or its channel rows (totals).
  std::map<sys_days, domain::ReportCounts> stored_totals;
  if (row || key) {
    const sys_days first{sys_days{last} - days{days_back - 1}};
    for (auto& [day, rows] : repos.reports.snapshot_days(
             year_month_day{first}, year_month_day{sys_days{last} + days{1}},
             row ? row->scope : *key, row ? row->dimension : domain::ReportDimension::kChannel,
             row ? std::optional<std::string>(row->key) : std::nullopt)) {
      // A district stored under '' alone has no rows under its own key (stored_rows).
      if (!row && rows.empty() && is_district_key(*key)) continue;
      if (row) {
        stored_totals.emplace(sys_days{day},
                              rows.empty() ? domain::ReportCounts{} : rows.front().counts);
      } else {
        stored_totals.emplace(sys_days{day}, domain::totals_of(rows));
      }
    }
  }
  std::size_t computed = 0;  // days computed by this request
  for (int back = days_back - 1; back >= 0; --back) {
    const year_month_day day{sys_days{last} - days{back}};
    if (sys_days{day} < sys_days{first_case}) {
      points.push_back(TrendPoint{day, {}});  // nothing to count yet, nothing to read
      continue;
    }
    if (day == today) {
      const std::shared_ptr<const TodayFacts> facts =
          today_facts(repos, *calendar, today, live, need);
      if (!facts) return std::nullopt;
      points.push_back(TrendPoint{day, domain::totals_of(today_rows(*facts, scope, *calendar))});
      continue;
    }
    if (const auto stored = stored_totals.find(sys_days{day}); stored != stored_totals.end()) {
      points.push_back(TrendPoint{day, stored->second});
      continue;
    }
    const domain::PeriodBounds bounds = day_bounds(day, *calendar);
    if (!row && !key) {
      // A unit combined with an officer is stored nowhere: counted from the day's facts.
      if (!live) return std::nullopt;
      check_day_computations(++computed);
      points.push_back(TrendPoint{day, domain::totals_of(compute_in(repos, bounds, scope).rows)});
      continue;
    }
    if (!repos.reports.has_snapshot(bounds)) {
      if (!live) return std::nullopt;
      check_day_computations(++computed);
      compute_in(repos, bounds, {});  // once: stored for every scope
    }
    if (row) {
      const std::optional<domain::ReportRow> stored =
          repos.reports.snapshot_row(bounds, row->scope, row->dimension, row->key);
      points.push_back(TrendPoint{day, stored ? stored->counts : domain::ReportCounts{}});
    } else {
      points.push_back(
          TrendPoint{day, domain::totals_of(stored_rows(repos, bounds, *key,
                                                        {domain::ReportDimension::kChannel}))});
    }
  }
  return points;
}

boost::asio::awaitable<std::vector<TrendPoint>> ReportService::trend(year_month_day last,
                                                                     int days_back,
                                                                     ReportScope scope,
                                                                     std::string account) const {
  co_return co_await answer<std::vector<TrendPoint>>(
      [&](Repositories& repos, bool live, TodayNeed& need) {
        return trend_in(repos, last, days_back, scope, live, need);
      },
      std::move(account));
}

boost::asio::awaitable<NightlyRun> ReportService::run_nightly() const {
  NightlyRun run;
  // One night a transaction: a long catch-up keeps what it computed if it is interrupted.
  for (;;) {
    bool locked = false;
    std::optional<year_month_day> computed;
    auto work = [&](Repositories& repos) {
      locked = false;
      computed.reset();
      if (!repos.reports.try_lock()) return;
      locked = true;
      const std::shared_ptr<const domain::WorkCalendar> calendar = calendar_.current(repos);
      const domain::LocalTimestamp local_now = calendar->to_local(clock_.now());
      const local_days today = floor<days>(local_now);
      const year_month_day today_date{sys_days{today.time_since_epoch()}};
      const bool past_nightly_time = local_now - today >= options_.nightly_at;
      const sys_days latest{(today - days{past_nightly_time ? 1 : 2}).time_since_epoch()};
      // Every finished day of a running period is summed from its snapshot: reach back to the
      // start of the running year and week, but not before the first case.
      const sys_days year_start{today_date.year() / std::chrono::January / 1};
      const sys_days week_start{
          domain::period_containing(domain::ReportPeriod::kWeek, today_date, calendar->utc_offset())
              .first_day};
      sys_days earliest = latest - days{options_.catch_up_days - 1};
      const sys_days first_case{first_case_day(repos, *calendar, today_date)};
      const sys_days running_start = std::max(std::min(year_start, week_start), first_case);
      earliest = std::min(earliest, running_start);
      repos.reports.purge_days_sums(today_date);
      for (sys_days night = earliest; night <= latest; night += days{1}) {
        const domain::PeriodBounds bounds = day_bounds(year_month_day{night}, *calendar);
        if (repos.reports.has_snapshot(bounds)) continue;
        compute_in(repos, bounds, {});
        computed = year_month_day{night};
        return;
      }
    };
    co_await transactions_.run(work);
    run.ran = run.ran || locked;
    if (!computed) break;
    run.computed.push_back(*computed);
  }
  if (run.ran) {
    // Snapshots computed before a correction of the rules (sql/024), one a run.
    auto recompute = [&](Repositories& repos) {
      if (!repos.reports.try_lock()) return;
      const std::shared_ptr<const domain::WorkCalendar> calendar = calendar_.current(repos);
      const year_month_day today = calendar->local_date(clock_.now());
      const auto stale = repos.reports.stale_period(today);
      if (!stale) return;
      run.recomputed =
          domain::period_containing(stale->first, stale->second, calendar->utc_offset());
      compute_in(repos, *run.recomputed, {}, true);
    };
    co_await transactions_.run(recompute);
  }
  co_return run;
}

}  // namespace gridcase::service
