#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "gridcase/domain/clock.hpp"
#include "gridcase/domain/report.hpp"
#include "gridcase/service/calendar_cache.hpp"
#include "gridcase/service/transaction_runner.hpp"

namespace gridcase::service {

struct ReportOptions {
  /// Whether this process runs the nightly job (every process may: the lock picks one).
  bool enabled = true;
  /// How often the job looks for a night that is due.
  std::chrono::seconds check_interval{60};
  domain::ScoreWeights weights;
  /// Local time of day after which the previous day's report is due (default 01:00).
  std::chrono::minutes nightly_at{60};
  /// How many past nights a server that was down computes when it starts (counting yesterday).
  int catch_up_days = 31;
};

/// A period's report: its bounds and one row per (dimension, key) that has any fact.
struct Report {
  domain::PeriodBounds period;
  std::vector<domain::ReportRow> rows;
};

/// The part of the district a report covers: everything, or only the cases in a grid node's
/// subtree, dispatched to a unit, or in an officer's cells (the caller's scope, narrowed by the
/// request's `grid`).
struct ReportScope {
  std::optional<std::string> grid;
  std::optional<std::string> unit;
  std::optional<std::string> officer;

  bool is_everything() const { return !grid && !unit && !officer; }
};

/// One day of a trend: the totals of the scope on that day.
struct TrendPoint {
  std::chrono::year_month_day date{};
  domain::ReportCounts totals;
};

/// What one run of the nightly job did.
struct NightlyRun {
  bool ran = false;                                   // false: another process held the lock
  std::vector<std::chrono::year_month_day> computed;  // the nights computed, oldest first
};

/// The nightly report (domain.md §8): counts every period from the event log as it stood at the
/// period's end and keeps them as snapshots. Every period kind is computed the same way over its
/// own span, never by combining daily rates.
class ReportService {
 public:
  /// The work calendar's offset is local time; its hours measure handling.
  ReportService(TransactionRunner& transactions, CalendarCache& calendar,
                const domain::Clock& clock, ReportOptions options);

  /// Computes the period of kind `period` containing `date` and replaces its snapshot.
  boost::asio::awaitable<Report> compute(domain::ReportPeriod period,
                                         std::chrono::year_month_day date) const;

  /// The stored snapshot of the period, computed (and stored) first when there is none. A
  /// period that has not ended yet is computed up to now and not stored.
  boost::asio::awaitable<Report> get(domain::ReportPeriod period,
                                     std::chrono::year_month_day date) const;

  /// The report of `scope` only: the snapshot for everything, else computed from the facts of
  /// the scope's cases (and not stored).
  boost::asio::awaitable<Report> get(domain::ReportPeriod period, std::chrono::year_month_day date,
                                     ReportScope scope) const;

  /// The scope's daily totals for the `days` days ending with `last`, oldest first; a `last`
  /// after today (the rest of a current month, say) ends at today: days to come have no figures.
  boost::asio::awaitable<std::vector<TrendPoint>> trend(std::chrono::year_month_day last, int days,
                                                        ReportScope scope) const;

  /// Computes every night due and not computed yet: the previous local day once the local time
  /// is past `nightly_at` (else the day before), and up to `catch_up_days` back. One process at
  /// a time (advisory lock), so each night is computed exactly once.
  boost::asio::awaitable<NightlyRun> run_nightly() const;

  const ReportOptions& options() const { return options_; }

 private:
  /// Computes from the facts; stores the snapshot when `scope` is everything and the period has
  /// ended.
  Report compute_in(Repositories& repos, domain::ReportPeriod period,
                    std::chrono::year_month_day date, const ReportScope& scope) const;
  /// The stored snapshot for everything when there is one, else compute_in.
  Report get_in(Repositories& repos, domain::ReportPeriod period, std::chrono::year_month_day date,
                const ReportScope& scope) const;

  TransactionRunner& transactions_;
  CalendarCache& calendar_;
  const domain::Clock& clock_;
  const ReportOptions options_;
};

}  // namespace gridcase::service
