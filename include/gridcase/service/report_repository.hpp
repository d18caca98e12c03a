#pragma once

#include <chrono>
#include <vector>

#include "gridcase/domain/report.hpp"
#include "gridcase/domain/time.hpp"

namespace gridcase::service {

/// Port: the event log's facts for a period and the stored report snapshots.
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
  /// Replaces the period's snapshot with `rows`.
  virtual void replace_snapshot(const domain::PeriodBounds& period,
                                const std::vector<domain::ReportRow>& rows,
                                domain::Timestamp computed_at) = 0;
  /// The stored rows of the period, by dimension and key; empty when it was never computed.
  virtual std::vector<domain::ReportRow> snapshot(const domain::PeriodBounds& period) = 0;
  /// The stored row of one subject (dimension and key) of the period; nullopt when the period
  /// has no such row (or was never computed: ask has_snapshot).
  virtual std::optional<domain::ReportRow> snapshot_row(const domain::PeriodBounds& period,
                                                        domain::ReportDimension dimension,
                                                        std::string_view key) = 0;
  /// Whether the period was computed (a period with no cases has a snapshot of no rows).
  virtual bool has_snapshot(const domain::PeriodBounds& period) = 0;
  /// The transaction-scoped advisory lock of the nightly report; false while another process
  /// holds it (then that process computes the nights).
  virtual bool try_lock() = 0;
};

}  // namespace gridcase::service
