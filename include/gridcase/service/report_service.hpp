#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "gridcase/domain/clock.hpp"
#include "gridcase/domain/report.hpp"
#include "gridcase/service/calendar_cache.hpp"
#include "gridcase/service/live_computations.hpp"
#include "gridcase/service/report_repository.hpp"
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
  /// How many past nights a server that was down computes when it starts (counting yesterday);
  /// further back too, to the start of the running year (or week), so that every finished day
  /// of a running period is stored — never before the district's first case.
  int catch_up_days = 31;
  /// The computations that read the event log on request (today, a period never stored).
  LiveComputationLimits live;
  /// How old today's facts may be when a running period is answered from them although events
  /// were written since: such a request is answered at once and starts one newer read in the
  /// background (stale while revalidating), so no request waits for a read of today while the
  /// previous one is younger than this. 0 waits for a read after every new event (exact).
  std::chrono::seconds live_max_age{0};
  /// How many days without a snapshot one request may compute (a running period's finished
  /// days, a trend's days); beyond, kUnavailable with the live retry_after: the nightly job
  /// computes them.
  int max_day_computations = 31;
  /// How many rows of finished periods' reports this process keeps in memory, as read (least
  /// recently used first out; 0 keeps none). A kept report is answered again while its snapshot
  /// and the administrative record (admin_audit: names, grid, duties) are unchanged.
  std::size_t cached_rows = 100000;
};

/// A period's report: its bounds and one row per (dimension, key) that has any fact.
struct Report {
  domain::PeriodBounds period;
  std::vector<domain::ReportRow> rows;
  /// A period that includes now: the moment its figures count the event log to (today's facts
  /// as read, at most ReportOptions::live_max_age before the request). nullopt once it has ended.
  std::optional<domain::Timestamp> as_of;
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

/// The key a scope's report is stored under: '' the district, "grid:<code>", "unit:<code>" or
/// "officer:<code>"; nullopt for a scope combining two of them (not stored).
std::optional<std::string> snapshot_scope(const ReportScope& scope);

/// One day of a trend: the totals of the scope on that day.
struct TrendPoint {
  std::chrono::year_month_day date{};
  domain::ReportCounts totals;
};

/// What one run of the nightly job did.
struct NightlyRun {
  bool ran = false;                                   // false: another process held the lock
  std::vector<std::chrono::year_month_day> computed;  // the nights computed, oldest first
  /// A stored period marked stale (sql/024) computed again: at most one a run, when no night
  /// was due.
  std::optional<domain::PeriodBounds> recomputed;
};

/// The nightly report (domain.md §8): counts every period from the event log as it stood at the
/// period's end and keeps them as snapshots. Every period kind is computed the same way over its
/// own span, never by combining daily rates.
class ReportService {
 public:
  /// The work calendar's offset is local time; its hours measure handling.
  ReportService(TransactionRunner& transactions, CalendarCache& calendar,
                const domain::Clock& clock, ReportOptions options);

  /// Computes the period of kind `period` containing `date`; a period that has ended is stored
  /// with the report of every scope (replacing what was stored).
  boost::asio::awaitable<Report> compute(domain::ReportPeriod period,
                                         std::chrono::year_month_day date) const;

  /// The district's report: get(period, date, {}, "").
  boost::asio::awaitable<Report> get(domain::ReportPeriod period,
                                     std::chrono::year_month_day date) const;

  /// The report of `scope` for the period containing `date`, for `account`. A finished period
  /// is read from its snapshot (computed and stored once, when it has none); a running one is
  /// the stored sum of its finished days plus today, whose facts are read once per change of
  /// the event log. A combined scope is counted from the facts. What has to read the event log
  /// waits its turn (LiveComputations: kUnavailable or kRateLimited when there is none). Refuses
  /// (kInvalidValue, `date`) a period before the district's first case or not begun. Only the
  /// rows of `dimensions` are read and returned, unless it is empty. With `every_subject_of`,
  /// the rows of that dimension list every subject a ranking of it lists for the scope
  /// (ReportRepository::subjects, read in the same transaction): one with nothing in the period
  /// has a row of zeros.
  boost::asio::awaitable<Report> get(
      domain::ReportPeriod period, std::chrono::year_month_day date, ReportScope scope,
      std::string account = {}, std::vector<domain::ReportDimension> dimensions = {},
      std::optional<domain::ReportDimension> every_subject_of = std::nullopt) const;
  /// get() without the copy: a finished period's stored report, once read, is shared by every
  /// request that asks for it again (ReportOptions::cached_rows).
  boost::asio::awaitable<std::shared_ptr<const Report>> get_shared(
      domain::ReportPeriod period, std::chrono::year_month_day date, ReportScope scope,
      std::string account = {}, std::vector<domain::ReportDimension> dimensions = {},
      std::optional<domain::ReportDimension> every_subject_of = std::nullopt) const;

  /// The scope's daily totals for the `days` days ending with `last`, oldest first; a `last`
  /// after today (the rest of a current month, say) ends at today: days to come have no figures,
  /// days before the district's first case are zero. Finished days are read from their
  /// snapshots (a day never stored is computed and stored once), today as get() reads it.
  boost::asio::awaitable<std::vector<TrendPoint>> trend(std::chrono::year_month_day last, int days,
                                                        ReportScope scope,
                                                        std::string account = {}) const;

  /// Computes every night due and not computed yet, one transaction each: the previous local
  /// day once the local time is past `nightly_at` (else the day before), and back to
  /// `catch_up_days` or the running year's (week's) first day. One process at a time (advisory
  /// lock), so each night is computed exactly once; sums of days that have moved on are purged.
  /// When no night was due, one stored period marked stale is computed again.
  boost::asio::awaitable<NightlyRun> run_nightly() const;

  /// Whether a background read of today (live_max_age) is under way: a server stopping waits
  /// for it, since it holds this service.
  bool refreshing() const;
  /// No background read of today starts from now on (the server is stopping); requests still
  /// read today themselves when they must.
  void stop_refreshing() const;

  const ReportOptions& options() const { return options_; }
  /// The queue of computations on request (for tests and metrics).
  LiveComputations& live_computations() const { return live_; }

 private:
  struct TodayFacts;
  /// What one request needs of today's facts: the event log's version as the request first
  /// read it (kept through its retries: every event committed before it began is counted, and
  /// none after is waited for) and whether facts that new were missing.
  struct TodayNeed {
    std::chrono::year_month_day day{};
    std::optional<long long> version;
    bool missing = false;
    /// Answered from facts older than `version` (within live_max_age): a newer read is due.
    bool refresh = false;
    /// The shared read of today itself: only facts as new as `version` serve it.
    bool leading = false;
  };
  /// The one read of today's facts in progress: the requests that need it wait for it.
  struct TodayFlight;

  /// Answers with `read` (Repositories&, bool live, TodayNeed&) -> optional<Answer>: first from
  /// what is stored and cached (live false); when today's facts were missing, after the one
  /// shared read of them (read_today); when something else must be read from the event log,
  /// in the account's live turn (live true).
  template <typename Answer, typename Read>
  boost::asio::awaitable<Answer> answer(Read read, std::string account) const;
  /// Makes today's facts at least as new as `need` asks: joins the read in progress, or leads
  /// one in a live turn of its own (not an account's, so that one account's concurrent requests
  /// wait for it instead of being refused).
  boost::asio::awaitable<void> read_today(const TodayNeed& need) const;
  /// Starts read_today(need) in the background on `executor` unless a read is in progress;
  /// its failure is left for the next request to meet.
  void refresh_today(const TodayNeed& need, const boost::asio::any_io_executor& executor) const;
  /// Computes the period from the facts. An ended period is stored for every scope when it has
  /// no snapshot yet, or always with `replace`; the rows of `scope` are returned.
  Report compute_in(Repositories& repos, const domain::PeriodBounds& bounds,
                    const ReportScope& scope, bool replace = false) const;
  /// Throws kUnavailable (retry_after) when one request would compute more than
  /// max_day_computations days.
  void check_day_computations(std::size_t days_to_compute) const;
  /// The dispatches of the running period's finished days that a return or reassign since has
  /// overturned (ReportRepository::overturned_dispatches), kept with today's facts; nullopt
  /// when they must be read and `live` is false.
  std::optional<std::vector<domain::ReportCaseFact>> overturned_since(
      Repositories& repos, const TodayFacts& facts, const domain::PeriodBounds& period,
      bool live) const;
  /// get()'s answer, or nullopt when it needs to read the event log and `live` is false.
  std::optional<std::shared_ptr<const Report>> read_in(
      Repositories& repos, domain::ReportPeriod period, std::chrono::year_month_day date,
      const ReportScope& scope, const std::vector<domain::ReportDimension>& dimensions,
      std::optional<domain::ReportDimension> every_subject_of, bool live, TodayNeed& need) const;
  /// read_in's answer but from the cache: a finished period of an uncombined scope without a
  /// snapshot, a running period, a combined scope.
  std::optional<Report> read_rows_in(Repositories& repos, domain::ReportPeriod period,
                                     std::chrono::year_month_day date, const ReportScope& scope,
                                     const std::vector<domain::ReportDimension>& dimensions,
                                     bool live, TodayNeed& need) const;
  /// A finished period's stored report of a stored scope: from the cache while `version` is
  /// the one it was read at, else read and kept.
  std::shared_ptr<const Report> stored_report(
      Repositories& repos, const domain::PeriodBounds& bounds, const std::string& key,
      const ReportScope& scope, const std::vector<domain::ReportDimension>& dimensions,
      std::optional<domain::ReportDimension> every_subject_of,
      const SnapshotVersion& version) const;
  /// trend()'s answer, or nullopt when it needs to read the event log and `live` is false.
  std::optional<std::vector<TrendPoint>> trend_in(Repositories& repos,
                                                  std::chrono::year_month_day last, int days_back,
                                                  const ReportScope& scope, bool live,
                                                  TodayNeed& need) const;
  /// Today's facts at least as new as the event log when the request began (`need`, set on its
  /// first call), or older ones read within live_max_age (need.refresh: a newer read is due);
  /// nullptr, with need.missing, when they must be read and `live` is false. Facts read here
  /// carry, for each running period that began before today, the overturned dispatches of its
  /// finished days (what every running report needs besides stored days), read before any
  /// other request sees them.
  std::shared_ptr<const TodayFacts> today_facts(Repositories& repos,
                                                const domain::WorkCalendar& calendar,
                                                std::chrono::year_month_day today, bool live,
                                                TodayNeed& need) const;
  /// Today's rows of a scope, from today's facts.
  std::vector<domain::ReportRow> today_rows(const TodayFacts& facts, const ReportScope& scope,
                                            const domain::WorkCalendar& calendar) const;
  /// The sum of the finished days [first_day, today) of a running period for a stored scope;
  /// nullopt when it must be derived and `live` is false.
  std::optional<std::vector<domain::ReportRow>> finished_days(
      Repositories& repos, std::chrono::year_month_day first_day,
      std::chrono::year_month_day first_case_day, std::chrono::year_month_day today,
      const std::string& scope_key, const std::vector<domain::ReportDimension>& dimensions,
      bool live) const;

  TransactionRunner& transactions_;
  CalendarCache& calendar_;
  const domain::Clock& clock_;
  const ReportOptions options_;
  mutable LiveComputations live_;
  mutable std::mutex today_mutex_;
  mutable std::shared_ptr<const TodayFacts> today_;    // guarded by today_mutex_
  mutable std::shared_ptr<TodayFlight> today_flight_;  // guarded by today_mutex_
  mutable bool refreshes_stopped_ = false;             // guarded by today_mutex_
  mutable bool today_refreshing_ = false;  // refresh_today's read started; guarded by today_mutex_
  /// Finished periods' reports as read (stored_report), by what was asked.
  struct CachedReport {
    SnapshotVersion version;
    std::shared_ptr<const Report> report;
    std::uint64_t used = 0;  // when it was last answered from, in cache_clock_ ticks
  };
  mutable std::mutex cache_mutex_;
  mutable std::map<std::string, CachedReport> cache_;  // guarded by cache_mutex_
  mutable std::size_t cache_rows_ = 0;                 // guarded by cache_mutex_
  mutable std::uint64_t cache_clock_ = 0;              // guarded by cache_mutex_
};

}  // namespace gridcase::service
