#pragma once

#include <pqxx/transaction_base>

#include "gridcase/service/repositories.hpp"

namespace gridcase::storage {

class PgHealthRepository final : public service::HealthRepository {
 public:
  explicit PgHealthRepository(pqxx::transaction_base& tx) : tx_(tx) {}

  std::vector<std::string> pending_migrations() override;
  std::vector<service::Gauge> gauges() override;
  service::OpenCases open_cases() override;
  std::optional<domain::Timestamp> database_now() override;

 private:
  pqxx::transaction_base& tx_;
};

}  // namespace gridcase::storage
