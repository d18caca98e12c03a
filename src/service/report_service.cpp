#include "gridcase/service/report_service.hpp"

#include <memory>
#include <utility>

#include "gridcase/domain/grid.hpp"
#include "gridcase/service/report_repository.hpp"

namespace gridcase::service {

using namespace std::chrono;

ReportService::ReportService(TransactionRunner& transactions, CalendarCache& calendar,
                             const domain::Clock& clock, ReportOptions options)
    : transactions_(transactions), calendar_(calendar), clock_(clock), options_(options) {}

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

/// The one row of the district's report that counts exactly a scope's cases, when the scope is
/// one grid node, one unit or one officer: a fact is in that row when its own label for the
/// dimension is the key, which is what in_scope() asks of it; and every count is a sum over the
/// facts (ReportCounts::operator+=). nullopt for the whole district or a combined scope.
std::optional<std::pair<domain::ReportDimension, std::string>> row_counting(
    const ReportScope& scope) {
  if (scope.grid.has_value() + scope.unit.has_value() + scope.officer.has_value() != 1)
    return std::nullopt;
  if (scope.unit) return std::pair{domain::ReportDimension::kUnit, *scope.unit};
  if (scope.officer) return std::pair{domain::ReportDimension::kOfficer, *scope.officer};
  const std::optional<domain::GridLevel> level = domain::level_of_code(*scope.grid);
  if (!level) return std::nullopt;
  switch (*level) {
    case domain::GridLevel::kDistrict:
      return std::pair{domain::ReportDimension::kDistrict, *scope.grid};
    case domain::GridLevel::kStreet:
      return std::pair{domain::ReportDimension::kStreet, *scope.grid};
    case domain::GridLevel::kCommunity:
      return std::pair{domain::ReportDimension::kCommunity, *scope.grid};
    case domain::GridLevel::kCell:
      return std::pair{domain::ReportDimension::kCell, *scope.grid};
  }
  return std::nullopt;
}

}  // namespace

Report ReportService::compute_in(Repositories& repos, domain::ReportPeriod period,
                                 year_month_day date, const ReportScope& scope) const {
  const std::shared_ptr<const domain::WorkCalendar> calendar = calendar_.current(repos);
  Report report{domain::period_containing(period, date, calendar->utc_offset()), {}};
  const year_month_day last_day{sys_days{report.period.end_day} - days{1}};
  std::vector<domain::ReportCaseFact> cases =
      repos.reports.case_facts(report.period.start, report.period.end, last_day);
  if (!scope.is_everything()) {
    std::erase_if(cases,
                  [&scope](const domain::ReportCaseFact& fact) { return !in_scope(fact, scope); });
  }
  const std::vector<domain::ReportTimerFact> timers =
      repos.reports.timer_facts(report.period.start, report.period.end);
  report.rows = domain::aggregate_report(cases, timers, report.period.end, *calendar);
  if (scope.is_everything()) {
    if (report.period.end <= clock_.now()) {
      repos.reports.replace_snapshot(report.period, report.rows, clock_.now());
    }
  } else {
    std::erase_if(report.rows,
                  [&scope](const domain::ReportRow& row) { return !shown_in(row, scope); });
  }
  return report;
}

Report ReportService::get_in(Repositories& repos, domain::ReportPeriod period, year_month_day date,
                             const ReportScope& scope) const {
  if (scope.is_everything()) {
    const std::shared_ptr<const domain::WorkCalendar> calendar = calendar_.current(repos);
    const domain::PeriodBounds bounds =
        domain::period_containing(period, date, calendar->utc_offset());
    if (repos.reports.has_snapshot(bounds)) return Report{bounds, repos.reports.snapshot(bounds)};
  }
  return compute_in(repos, period, date, scope);
}

boost::asio::awaitable<Report> ReportService::compute(domain::ReportPeriod period,
                                                      year_month_day date) const {
  Report report;
  auto work = [&](Repositories& repos) { report = compute_in(repos, period, date, {}); };
  co_await transactions_.run(work);
  co_return report;
}

boost::asio::awaitable<Report> ReportService::get(domain::ReportPeriod period,
                                                  year_month_day date) const {
  return get(period, date, ReportScope{});
}

boost::asio::awaitable<Report> ReportService::get(domain::ReportPeriod period, year_month_day date,
                                                  ReportScope scope) const {
  Report report;
  auto work = [&](Repositories& repos) { report = get_in(repos, period, date, scope); };
  co_await transactions_.run(work);
  co_return report;
}

boost::asio::awaitable<std::vector<TrendPoint>> ReportService::trend(year_month_day last,
                                                                     int days_back,
                                                                     ReportScope scope) const {
  std::vector<TrendPoint> points;
  auto work = [&](Repositories& repos) {
    points.clear();
    const std::shared_ptr<const domain::WorkCalendar> calendar = calendar_.current(repos);
    const year_month_day today = calendar->local_date(clock_.now());
    if (sys_days{last} > sys_days{today}) last = today;
    // A scoped trend reads its row of each stored day (the nightly job stores the district's);
    // only days without a snapshot (today, a night not yet computed) are computed live.
    const auto row = row_counting(scope);
    for (int back = days_back - 1; back >= 0; --back) {
      const year_month_day day{sys_days{last} - days{back}};
      if (row) {
        const domain::PeriodBounds bounds =
            domain::period_containing(domain::ReportPeriod::kDay, day, calendar->utc_offset());
        if (repos.reports.has_snapshot(bounds)) {
          const std::optional<domain::ReportRow> stored =
              repos.reports.snapshot_row(bounds, row->first, row->second);
          points.push_back(TrendPoint{day, stored ? stored->counts : domain::ReportCounts{}});
          continue;
        }
      }
      const Report report = get_in(repos, domain::ReportPeriod::kDay, day, scope);
      points.push_back(TrendPoint{day, domain::totals_of(report.rows)});
    }
  };
  co_await transactions_.run(work);
  co_return points;
}

boost::asio::awaitable<NightlyRun> ReportService::run_nightly() const {
  NightlyRun run;
  auto work = [&](Repositories& repos) {
    run = NightlyRun{};
    if (!repos.reports.try_lock()) return;
    run.ran = true;
    const std::shared_ptr<const domain::WorkCalendar> calendar = calendar_.current(repos);
    const domain::LocalTimestamp local_now = calendar->to_local(clock_.now());
    const local_days today = floor<days>(local_now);
    const bool past_nightly_time = local_now - today >= options_.nightly_at;
    const local_days latest = today - days{past_nightly_time ? 1 : 2};
    for (int back = options_.catch_up_days - 1; back >= 0; --back) {
      const year_month_day night{sys_days{(latest - days{back}).time_since_epoch()}};
      const domain::PeriodBounds bounds =
          domain::period_containing(domain::ReportPeriod::kDay, night, calendar->utc_offset());
      if (repos.reports.has_snapshot(bounds)) continue;
      compute_in(repos, domain::ReportPeriod::kDay, night, {});
      run.computed.push_back(night);
    }
  };
  co_await transactions_.run(work);
  co_return run;
}

}  // namespace gridcase::service
