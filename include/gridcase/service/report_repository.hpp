#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gridcase/domain/report.hpp"
#include "gridcase/domain/time.hpp"

namespace gridcase::service {

/// What a stored report read from a snapshot depends on: the write of the snapshot (a new
/// computation, or a mark that it is stale, writes it again), and the administrative record as
/// far as it goes (the names, grid and duties that list its subjects).
struct SnapshotVersion {
  long long written = 0;
  long long admin_changes = 0;
  friend bool operator==(const SnapshotVersion&, const SnapshotVersion&) = default;
};

/// How a stored scope key confined to a grid node begins: "grid:<code>".
inline constexpr std::string_view kGridScopePrefix = "grid:";

/// Port: the event log's facts for a period and the stored report snapshots. A snapshot holds one
/// report per scope key ('' the district, "grid:<code>", "unit:<code>", "officer:<code>").
class ReportRepository {
 public:
  virtual ~ReportRepository() = default;
  /// Every case the period [start, end) concerns, as the log stood at `end`; officers are those
  /// responsible for the case's cell on `last_day` (local).
  virtual std::vector<domain::ReportCaseFact> case_facts(domain::Timestamp start,
                                                         domain::Timestamp end,
                                                         std::chrono::year_month_day last_day) = 0;
  /// Every stage-timer instance the period concerns, as the log stood at `end`.
  virtual std::vector<domain::ReportTimerFact> timer_facts(domain::Timestamp start,
                                                           domain::Timestamp end) = 0;
  /// When the district's first case was received; nullopt while there is none.
  virtual std::optional<domain::Timestamp> first_case_received() = 0;
  /// A number that grows with every event committed whose time is at or after `since` (what
  /// today's report counts changes only then), whatever order events commit in.
  virtual long long events_version(domain::Timestamp since) = 0;
  /// The dispatches and reassigns in [start, today_start) whose day's report counted them kept
  /// (no return or reassign of their cycle before the end of their local day) but that a return
  /// or reassign after that day has overturned. One fact per case and day, `dispatches_kept`
  /// the number, its labels the case's cell chain, unit, officer (on that day), channel and
  /// category at the end of that day (names as keys); `first_day` is the local date of `start`.
  virtual std::vector<domain::ReportCaseFact> overturned_dispatches(
      domain::Timestamp start, domain::Timestamp today_start,
      std::chrono::year_month_day first_day) = 0;
  /// Replaces the period's snapshot with the rows of every scope (one run for them all).
  virtual void replace_snapshot(const domain::PeriodBounds& period,
                                const std::map<std::string, std::vector<domain::ReportRow>>& scopes,
                                domain::Timestamp computed_at) = 0;
  /// The stored rows of one scope of the period, ordered by dimension and key (only those of
  /// `dimensions` unless it is empty); empty when the scope had nothing or the period was never
  /// computed.
  virtual std::vector<domain::ReportRow> snapshot(
      const domain::PeriodBounds& period, std::string_view scope,
      const std::vector<domain::ReportDimension>& dimensions = {}) = 0;
  /// The stored row of one subject (dimension and key) of one scope of the period; nullopt when
  /// there is no such row (or the period was never computed: ask has_snapshot).
  virtual std::optional<domain::ReportRow> snapshot_row(const domain::PeriodBounds& period,
                                                        std::string_view scope,
                                                        domain::ReportDimension dimension,
                                                        std::string_view key) = 0;
  /// The stored days of [first_day, end_day), each with its rows of one scope and dimension (of
  /// one subject when `key` is given): one entry per day that was computed (no rows: nothing in
  /// it), none for a day never computed or marked stale. Oldest first. For a trend: one read.
  virtual std::vector<std::pair<std::chrono::year_month_day, std::vector<domain::ReportRow>>>
  snapshot_days(std::chrono::year_month_day first_day, std::chrono::year_month_day end_day,
                std::string_view scope, domain::ReportDimension dimension,
                const std::optional<std::string>& key) = 0;
  /// Whether the period was computed (a period with no cases has a snapshot of no rows).
  virtual bool has_snapshot(const domain::PeriodBounds& period) = 0;
  /// The period's snapshot's version; nullopt when it was not computed (has_snapshot false).
  virtual std::optional<SnapshotVersion> snapshot_version(const domain::PeriodBounds& period) = 0;

  /// The stored sum of a running period's finished days [first_day, end_day) for one scope
  /// (domain::add_finished_day), only the rows of `dimensions` unless it is empty; nullopt when
  /// it was not stored.
  virtual std::optional<std::vector<domain::ReportRow>> days_sum(
      std::chrono::year_month_day first_day, std::chrono::year_month_day end_day,
      std::string_view scope, const std::vector<domain::ReportDimension>& dimensions = {}) = 0;
  /// The end of the latest stored sum from `first_day` for the scope that ends before `before`.
  virtual std::optional<std::chrono::year_month_day> latest_days_sum(
      std::chrono::year_month_day first_day, std::string_view scope,
      std::chrono::year_month_day before) = 0;
  /// Stores a sum of finished days, replacing the scope's earlier sums from the same first day.
  virtual void store_days_sum(std::chrono::year_month_day first_day,
                              std::chrono::year_month_day end_day, std::string_view scope,
                              const std::vector<domain::ReportRow>& rows,
                              domain::Timestamp computed_at) = 0;
  /// Deletes the sums that end before `day` (their periods have moved on).
  virtual void purge_days_sums(std::chrono::year_month_day day) = 0;
  /// The oldest stored period (not a sum of days) marked stale (computed before a correction of
  /// the report rules, sql/024) that ended by `ended_by`: its kind and last day; nullopt when none
  /// is.
  virtual std::optional<std::pair<domain::ReportPeriod, std::chrono::year_month_day>> stale_period(
      std::chrono::year_month_day ended_by) = 0;
  /// Every subject a ranking by `dimension` lists, whether or not it had anything in the period
  /// (docs/reports.md, "Rankings"): the grid nodes of that level inside `grid` not retired before
  /// the period began (none for a unit's or officer's scope), the active units (only `unit` in a
  /// unit's scope; those serving `grid` in a grid's), the officers with a grid-officer duty during
  /// the period (only `officer` in an officer's scope; over cells inside `grid` in a grid's). None
  /// for channels and categories.
  virtual std::vector<domain::ReportLabel> subjects(domain::ReportDimension dimension,
                                                    const domain::PeriodBounds& period,
                                                    const std::optional<std::string>& grid,
                                                    const std::optional<std::string>& unit,
                                                    const std::optional<std::string>& officer) = 0;
  /// Waits for the transaction-scoped lock of one stored thing (a period or a sum), so that two
  /// computations of it do not write it at once.
  virtual void lock_snapshot(std::string_view what) = 0;

  /// The transaction-scoped advisory lock of the nightly report; false while another process
  /// holds it (then that process computes the nights).
  virtual bool try_lock() = 0;
};

}  // namespace gridcase::service
