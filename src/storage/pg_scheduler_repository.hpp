#pragma once

#include <pqxx/transaction_base>

#include "gridcase/service/case_repository.hpp"

namespace gridcase::storage {

class PgSchedulerRepository final : public service::SchedulerRepository {
 public:
  explicit PgSchedulerRepository(pqxx::transaction_base& tx) : tx_(tx) {}

  bool try_lock() override;
  int mark_overdue(domain::Timestamp now, int limit) override;
  std::vector<service::EscalationCandidate> escalation_candidates(
      domain::Timestamp now, const domain::WorkCalendar& calendar, int limit) override;
  bool escalate(long long timer_id, int level, domain::Timestamp now) override;
  std::vector<std::string> due_resumptions(domain::Timestamp now, int limit) override;

 private:
  pqxx::transaction_base& tx_;
};

}  // namespace gridcase::storage
