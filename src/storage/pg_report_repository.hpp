#pragma once

#include <pqxx/transaction_base>

#include "gridcase/service/report_repository.hpp"

namespace gridcase::storage {

class PgReportRepository final : public service::ReportRepository {
 public:
  explicit PgReportRepository(pqxx::transaction_base& tx) : tx_(tx) {}

  std::vector<domain::ReportCaseFact> case_facts(domain::Timestamp start, domain::Timestamp end,
                                                 std::chrono::year_month_day last_day) override;
  std::vector<domain::ReportTimerFact> timer_facts(domain::Timestamp start,
                                                   domain::Timestamp end) override;
  void replace_snapshot(const domain::PeriodBounds& period,
                        const std::vector<domain::ReportRow>& rows,
                        domain::Timestamp computed_at) override;
  std::vector<domain::ReportRow> snapshot(const domain::PeriodBounds& period) override;
  bool has_snapshot(const domain::PeriodBounds& period) override;
  bool try_lock() override;

 private:
  pqxx::transaction_base& tx_;
};

}  // namespace gridcase::storage
