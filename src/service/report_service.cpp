#include "gridcase/service/report_service.hpp"

#include <algorithm>
#include <memory>
#include <unordered_map>
#include <utility>

#include "gridcase/domain/grid.hpp"
#include "gridcase/service/report_repository.hpp"

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

bool in_scope(const domain::ReportCaseFact& fact, const ReportScope& scope) {
  const auto key_of = [&fact](domain::ReportDimension dimension) -> const std::string* {
    const std::optional<domain::ReportLabel>& label =
        fact.labels[static_cast<std::size_t>(dimension)];
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
  const int parts = scope.grid.has_value() + scope.unit.has_value() + scope.officer.has_value();
  if (parts == 0 || (scope.unit && scope.officer)) return std::nullopt;
  if (!scope.grid) {
    if (scope.unit) return CountingRow{"", domain::ReportDimension::kUnit, *scope.unit};
    return CountingRow{"", domain::ReportDimension::kOfficer, *scope.officer};
  }
  const std::optional<domain::ReportDimension> dimension = dimension_of_node(*scope.grid);
  if (!dimension) return std::nullopt;
  std::string within;
  if (scope.unit) within = "unit:" + *scope.unit;
  if (scope.officer) within = "officer:" + *scope.officer;
  return CountingRow{within, *dimension, *scope.grid};
}

/// Every stored scope a fact counts in: the district, its grid nodes, its unit and its officer.
void scopes_of(const domain::ReportCaseFact& fact, std::vector<std::string>& keys) {
  keys.clear();
  const auto add = [&](domain::ReportDimension dimension, const char* prefix) {
    const std::optional<domain::ReportLabel>& label =
        fact.labels[static_cast<std::size_t>(dimension)];
    if (label) keys.push_back(prefix + label->key);
  };
  add(domain::ReportDimension::kDistrict, "grid:");
  add(domain::ReportDimension::kStreet, "grid:");
  add(domain::ReportDimension::kCommunity, "grid:");
  add(domain::ReportDimension::kCell, "grid:");
  add(domain::ReportDimension::kUnit, "unit:");
  add(domain::ReportDimension::kOfficer, "officer:");
}

/// The scope a stored key names (only its grid matters to what is shown).
ReportScope scope_named(const std::string& key) {
  ReportScope scope;
  if (key.starts_with("grid:")) scope.grid = key.substr(5);
  if (key.starts_with("unit:")) scope.unit = key.substr(5);
  if (key.starts_with("officer:")) scope.officer = key.substr(8);
  return scope;
}

/// One period's facts counted for every stored scope at once: the district ('') and each scope
/// any fact counts in, grid rows above a grid scope's node left out as for a caller.
std::map<std::string, std::vector<domain::ReportRow>> aggregate_by_scope(
    const std::vector<domain::ReportCaseFact>& cases,
    const std::vector<domain::ReportTimerFact>& timers, domain::Timestamp end,
    const domain::WorkCalendar& calendar) {
  std::map<std::string, std::vector<domain::ReportRow>> by_scope;
  by_scope[""] = domain::aggregate_report(cases, timers, end, calendar);
  std::unordered_map<std::string, std::vector<const domain::ReportCaseFact*>> cases_of;
  std::unordered_map<long long, std::vector<std::string>> scopes_of_case;
  std::vector<std::string> keys;
  for (const domain::ReportCaseFact& fact : cases) {
    scopes_of(fact, keys);
    for (const std::string& key : keys) cases_of[key].push_back(&fact);
    scopes_of_case[fact.case_id] = keys;
  }
  std::unordered_map<std::string, std::vector<const domain::ReportTimerFact*>> timers_of;
  for (const domain::ReportTimerFact& timer : timers) {
    const auto found = scopes_of_case.find(timer.case_id);
    if (found == scopes_of_case.end()) continue;
    for (const std::string& key : found->second) timers_of[key].push_back(&timer);
  }
  for (const auto& [key, of_scope] : cases_of) {
    std::vector<domain::ReportRow> rows =
        domain::aggregate_report(of_scope, timers_of[key], end, calendar);
    const ReportScope scope = scope_named(key);
    std::erase_if(rows, [&scope](const domain::ReportRow& row) { return !shown_in(row, scope); });
    by_scope[key] = std::move(rows);
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

}  // namespace

std::optional<std::string> snapshot_scope(const ReportScope& scope) {
  const int parts = scope.grid.has_value() + scope.unit.has_value() + scope.officer.has_value();
  if (parts == 0) return std::string{};
  if (parts > 1) return std::nullopt;
  if (scope.grid) return "grid:" + *scope.grid;
  if (scope.unit) return "unit:" + *scope.unit;
  return "officer:" + *scope.officer;
}

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
};

Report ReportService::compute_in(Repositories& repos, const domain::PeriodBounds& bounds,
                                 const ReportScope& scope) const {
  const std::shared_ptr<const domain::WorkCalendar> calendar = calendar_.current(repos);
  Report report{bounds, {}};
  const year_month_day last_day{sys_days{bounds.end_day} - days{1}};
  std::vector<domain::ReportCaseFact> cases =
      repos.reports.case_facts(bounds.start, bounds.end, last_day);
  const std::vector<domain::ReportTimerFact> timers =
      repos.reports.timer_facts(bounds.start, bounds.end);
  if (bounds.end <= clock_.now()) {
    // Counting every stored scope costs little next to reading the facts, and makes each of
    // them a snapshot read from now on.
    std::map<std::string, std::vector<domain::ReportRow>> by_scope =
        aggregate_by_scope(cases, timers, bounds.end, *calendar);
    repos.reports.lock_snapshot(std::string(to_string(bounds.period)) + " " +
                                domain::format_iso_date(bounds.first_day));
    repos.reports.replace_snapshot(bounds, by_scope, clock_.now());
    if (const std::optional<std::string> key = snapshot_scope(scope)) {
      report.rows = std::move(by_scope[*key]);
      return report;
    }
  }
  if (!scope.is_everything()) {
    std::erase_if(cases,
                  [&scope](const domain::ReportCaseFact& fact) { return !in_scope(fact, scope); });
  }
  report.rows = domain::aggregate_report(cases, timers, bounds.end, *calendar);
  std::erase_if(report.rows,
                [&scope](const domain::ReportRow& row) { return !shown_in(row, scope); });
  return report;
}

std::shared_ptr<const ReportService::TodayFacts> ReportService::today_facts(
    Repositories& repos, const domain::WorkCalendar& calendar, year_month_day today,
    bool live) const {
  const long long version = repos.reports.events_version();
  const domain::Timestamp now = clock_.now();
  {
    const std::lock_guard lock{today_mutex_};
    if (today_ && today_->day == today &&
        (today_->version == version || now - today_->read_at < options_.live_max_age)) {
      return today_;
    }
  }
  if (!live) return nullptr;
  auto facts = std::make_shared<TodayFacts>();
  facts->day = today;
  facts->version = version;
  facts->read_at = now;
  facts->bounds = day_bounds(today, calendar);
  facts->cases = repos.reports.case_facts(facts->bounds.start, facts->bounds.end, today);
  facts->timers = repos.reports.timer_facts(facts->bounds.start, facts->bounds.end);
  const std::lock_guard lock{today_mutex_};
  if (!today_ || today_->day != today || today_->version <= version) today_ = facts;
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
  for (const domain::ReportTimerFact& timer : facts.timers) timers.push_back(&timer);
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
  for (sys_days each{next}; each < sys_days{today}; each += days{1}) {
    const domain::PeriodBounds bounds = day_bounds(year_month_day{each}, *calendar);
    if (!repos.reports.has_snapshot(bounds)) compute_in(repos, bounds, {});
    domain::add_finished_day(sum, repos.reports.snapshot(bounds, scope_key));
  }
  repos.reports.store_days_sum(first_day, today, scope_key, sum, clock_.now());
  return sum;
}

std::optional<Report> ReportService::read_in(Repositories& repos, domain::ReportPeriod period,
                                             year_month_day date, const ReportScope& scope,
                                             const std::vector<domain::ReportDimension>& dimensions,
                                             bool live) const {
  const std::shared_ptr<const domain::WorkCalendar> calendar = calendar_.current(repos);
  const year_month_day today = calendar->local_date(clock_.now());
  const domain::PeriodBounds bounds =
      domain::period_containing(period, date, calendar->utc_offset());
  const year_month_day first_case = first_case_day(repos, *calendar, today);
  domain::check_reportable(bounds, first_case, today);
  const std::optional<std::string> key = snapshot_scope(scope);

  if (!domain::is_running(bounds, today)) {
    if (key && repos.reports.has_snapshot(bounds)) {
      return Report{bounds, repos.reports.snapshot(bounds, *key, dimensions)};
    }
    if (!live) return std::nullopt;
    return only(compute_in(repos, bounds, scope), dimensions);
  }
  if (!key) {
    // Nothing is stored for a combined scope: it is counted from the period's facts.
    if (!live) return std::nullopt;
    return only(compute_in(repos, bounds, scope), dimensions);
  }
  const std::shared_ptr<const TodayFacts> facts = today_facts(repos, *calendar, today, live);
  if (!facts) return std::nullopt;
  std::optional<std::vector<domain::ReportRow>> days =
      finished_days(repos, bounds.first_day, first_case, today, *key, dimensions, live);
  if (!days) return std::nullopt;
  return only(Report{bounds, domain::running_period_rows(std::move(*days),
                                                         today_rows(*facts, scope, *calendar))},
              dimensions);
}

boost::asio::awaitable<Report> ReportService::compute(domain::ReportPeriod period,
                                                      year_month_day date) const {
  Report report;
  auto work = [&](Repositories& repos) {
    const std::shared_ptr<const domain::WorkCalendar> calendar = calendar_.current(repos);
    report = compute_in(repos, domain::period_containing(period, date, calendar->utc_offset()), {});
  };
  co_await transactions_.run(work);
  co_return report;
}

boost::asio::awaitable<Report> ReportService::get(domain::ReportPeriod period,
                                                  year_month_day date) const {
  return get(period, date, ReportScope{}, {});
}

boost::asio::awaitable<Report> ReportService::get(
    domain::ReportPeriod period, year_month_day date, ReportScope scope, std::string account,
    std::vector<domain::ReportDimension> dimensions) const {
  std::optional<Report> report;
  co_await transactions_.run([&](Repositories& repos) {
    report = read_in(repos, period, date, scope, dimensions, false);
  });
  if (report) co_return std::move(*report);
  // It reads the event log: in turn, and the check above is repeated (another request may have
  // stored what this one needs meanwhile).
  const LiveComputations::Permit permit = co_await live_.enter(std::move(account));
  co_await transactions_.run(
      [&](Repositories& repos) { report = read_in(repos, period, date, scope, dimensions, true); });
  co_return std::move(*report);
}

std::optional<std::vector<TrendPoint>> ReportService::trend_in(Repositories& repos,
                                                               year_month_day last, int days_back,
                                                               const ReportScope& scope,
                                                               bool live) const {
  std::vector<TrendPoint> points;
  const std::shared_ptr<const domain::WorkCalendar> calendar = calendar_.current(repos);
  const year_month_day today = calendar->local_date(clock_.now());
  if (sys_days{last} > sys_days{today}) last = today;
  const year_month_day first_case = first_case_day(repos, *calendar, today);
  const std::optional<CountingRow> row = row_counting(scope);
  const std::optional<std::string> key = snapshot_scope(scope);
  for (int back = days_back - 1; back >= 0; --back) {
    const year_month_day day{sys_days{last} - days{back}};
    if (sys_days{day} < sys_days{first_case}) {
      points.push_back(TrendPoint{day, {}});  // nothing to count yet, nothing to read
      continue;
    }
    if (day == today) {
      const std::shared_ptr<const TodayFacts> facts = today_facts(repos, *calendar, today, live);
      if (!facts) return std::nullopt;
      points.push_back(TrendPoint{day, domain::totals_of(today_rows(*facts, scope, *calendar))});
      continue;
    }
    const domain::PeriodBounds bounds = day_bounds(day, *calendar);
    if (!row && !key) {
      // A unit combined with an officer is stored nowhere: counted from the day's facts.
      if (!live) return std::nullopt;
      points.push_back(TrendPoint{day, domain::totals_of(compute_in(repos, bounds, scope).rows)});
      continue;
    }
    if (!repos.reports.has_snapshot(bounds)) {
      if (!live) return std::nullopt;
      compute_in(repos, bounds, {});  // once: stored for every scope
    }
    if (row) {
      const std::optional<domain::ReportRow> stored =
          repos.reports.snapshot_row(bounds, row->scope, row->dimension, row->key);
      points.push_back(TrendPoint{day, stored ? stored->counts : domain::ReportCounts{}});
    } else {
      points.push_back(TrendPoint{day, domain::totals_of(repos.reports.snapshot(
                                           bounds, *key, {domain::ReportDimension::kChannel}))});
    }
  }
  return points;
}

boost::asio::awaitable<std::vector<TrendPoint>> ReportService::trend(year_month_day last,
                                                                     int days_back,
                                                                     ReportScope scope,
                                                                     std::string account) const {
  std::optional<std::vector<TrendPoint>> points;
  co_await transactions_.run(
      [&](Repositories& repos) { points = trend_in(repos, last, days_back, scope, false); });
  if (points) co_return std::move(*points);
  const LiveComputations::Permit permit = co_await live_.enter(std::move(account));
  co_await transactions_.run(
      [&](Repositories& repos) { points = trend_in(repos, last, days_back, scope, true); });
  co_return std::move(*points);
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
  co_return run;
}

}  // namespace gridcase::service
