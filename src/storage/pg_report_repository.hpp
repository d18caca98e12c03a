#pragma once

#include <chrono>
#include <pqxx/transaction_base>

#include "gridcase/service/report_repository.hpp"

namespace gridcase::storage {

class PgReportRepository final : public service::ReportRepository {
 public:
  /// `statement_timeout` applies to the fact reads (a period's whole history), 0: none.
  PgReportRepository(pqxx::transaction_base& tx, std::chrono::milliseconds statement_timeout)
      : tx_(tx), statement_timeout_(statement_timeout) {}

  std::vector<domain::ReportCaseFact> case_facts(domain::Timestamp start, domain::Timestamp end,
                                                 std::chrono::year_month_day last_day) override;
  std::vector<domain::ReportTimerFact> timer_facts(domain::Timestamp start,
                                                   domain::Timestamp end) override;
  void replace_snapshot(const domain::PeriodBounds& period,
                        const std::vector<domain::ReportRow>& rows,
                        domain::Timestamp computed_at) override;
  std::vector<domain::ReportRow> snapshot(const domain::PeriodBounds& period) override;
  std::optional<domain::ReportRow> snapshot_row(const domain::PeriodBounds& period,
                                                domain::ReportDimension dimension,
                                                std::string_view key) override;
  bool has_snapshot(const domain::PeriodBounds& period) override;
  bool try_lock() override;

 private:
  /// Once per transaction, before the first fact read: the report's own statement timeout, and
  /// no JIT (compiling the fact plans costs more than the index probes they run).
  void prepare_heavy_read();
  /// The snapshot's rows, or its one row of `dimension` and `key` (both null: every row).
  std::vector<domain::ReportRow> snapshot_rows(const domain::PeriodBounds& period,
                                               const char* dimension, const char* key);

  pqxx::transaction_base& tx_;
  std::chrono::milliseconds statement_timeout_;
  bool heavy_read_prepared_ = false;
};

}  // namespace gridcase::storage
