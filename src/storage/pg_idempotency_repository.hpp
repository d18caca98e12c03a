#pragma once

#include <pqxx/transaction_base>

#include "gridcase/service/case_repository.hpp"

namespace gridcase::storage {

class PgIdempotencyRepository final : public service::IdempotencyRepository {
 public:
  explicit PgIdempotencyRepository(pqxx::transaction_base& tx) : tx_(tx) {}

  bool try_lock(std::string_view caller, std::string_view route, std::string_view key) override;
  std::optional<std::pair<service::WriteOutcome, bool>> find(std::string_view caller,
                                                             std::string_view route,
                                                             std::string_view key,
                                                             std::string_view body) override;
  void save(std::string_view caller, std::string_view route, std::string_view key,
            std::string_view body, const service::WriteOutcome& outcome) override;
  int purge(domain::Timestamp before, int limit) override;

 private:
  pqxx::transaction_base& tx_;
};

}  // namespace gridcase::storage
