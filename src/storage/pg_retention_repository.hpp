#pragma once

#include <pqxx/transaction_base>

#include "gridcase/service/reporter_retention.hpp"

namespace gridcase::storage {

class PgRetentionRepository final : public service::RetentionRepository {
 public:
  explicit PgRetentionRepository(pqxx::transaction_base& tx) : tx_(tx) {}

  bool try_lock() override;
  std::vector<std::string> reporters_due(domain::Timestamp closed_before, int limit) override;
  void erase_reporter(const std::string& case_no) override;

 private:
  pqxx::transaction_base& tx_;
};

}  // namespace gridcase::storage
