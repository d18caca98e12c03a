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
  std::optional<domain::Timestamp> first_case_received() override;
  long long events_version(domain::Timestamp since) override;
  std::vector<domain::ReportCaseFact> overturned_dispatches(
      domain::Timestamp start, domain::Timestamp today_start,
      std::chrono::year_month_day first_day) override;
  void replace_snapshot(const domain::PeriodBounds& period,
                        const std::map<std::string, std::vector<domain::ReportRow>>& scopes,
                        domain::Timestamp computed_at) override;
  std::vector<domain::ReportRow> snapshot(
      const domain::PeriodBounds& period, std::string_view scope,
      const std::vector<domain::ReportDimension>& dimensions = {}) override;
  std::optional<domain::ReportRow> snapshot_row(const domain::PeriodBounds& period,
                                                std::string_view scope,
                                                domain::ReportDimension dimension,
                                                std::string_view key) override;
  bool has_snapshot(const domain::PeriodBounds& period) override;
  std::vector<std::pair<std::chrono::year_month_day, std::vector<domain::ReportRow>>> snapshot_days(
      std::chrono::year_month_day first_day, std::chrono::year_month_day end_day,
      std::string_view scope, domain::ReportDimension dimension,
      const std::optional<std::string>& key) override;
  std::optional<service::SnapshotVersion> snapshot_version(
      const domain::PeriodBounds& period) override;
  std::optional<std::vector<domain::ReportRow>> days_sum(
      std::chrono::year_month_day first_day, std::chrono::year_month_day end_day,
      std::string_view scope, const std::vector<domain::ReportDimension>& dimensions = {}) override;
  std::optional<std::chrono::year_month_day> latest_days_sum(
      std::chrono::year_month_day first_day, std::string_view scope,
      std::chrono::year_month_day before) override;
  void store_days_sum(std::chrono::year_month_day first_day, std::chrono::year_month_day end_day,
                      std::string_view scope, const std::vector<domain::ReportRow>& rows,
                      domain::Timestamp computed_at) override;
  void purge_days_sums(std::chrono::year_month_day day) override;
  std::optional<std::pair<domain::ReportPeriod, std::chrono::year_month_day>> stale_period(
      std::chrono::year_month_day ended_by) override;
  std::vector<domain::ReportLabel> subjects(domain::ReportDimension dimension,
                                            const domain::PeriodBounds& period,
                                            const std::optional<std::string>& grid,
                                            const std::optional<std::string>& unit,
                                            const std::optional<std::string>& officer) override;
  void lock_snapshot(std::string_view what) override;
  bool try_lock() override;

 private:
  /// Once per transaction, before the first fact read: the report's own statement timeout, and
  /// no JIT (compiling the fact plans costs more than the index probes they run).
  void prepare_heavy_read();
  /// The stored rows of one scope of a period (or a sum of days), optionally of one dimension
  /// or one subject.
  std::vector<domain::ReportRow> snapshot_rows(const std::string& period, const std::string& first,
                                               const std::string& end, std::string_view scope,
                                               const std::optional<std::string>& dimensions,
                                               const std::optional<std::string>& key);
  /// COPYs the rows of every scope into report_snapshots, but those a scope reads from the
  /// district's (sql/027); returns how many it stored.
  std::size_t write_rows(const std::string& period, const std::string& first,
                         const std::string& end,
                         const std::map<std::string, std::vector<domain::ReportRow>>& scopes);

  pqxx::transaction_base& tx_;
  std::chrono::milliseconds statement_timeout_;
  bool heavy_read_prepared_ = false;
};

}  // namespace gridcase::storage
