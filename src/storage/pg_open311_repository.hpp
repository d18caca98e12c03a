#pragma once

#include <pqxx/transaction_base>

#include "gridcase/service/open311_repository.hpp"

namespace gridcase::storage {

class PgOpen311Repository final : public service::Open311Repository {
 public:
  explicit PgOpen311Repository(pqxx::transaction_base& tx) : tx_(tx) {}

  std::vector<service::PublicRequest> find_public(
      const service::PublicRequestQuery& query) override;
  void store_token(std::string_view token, std::string_view case_no,
                   domain::Timestamp now) override;
  std::optional<std::string> case_of_token(std::string_view token) override;

 private:
  pqxx::transaction_base& tx_;
};

}  // namespace gridcase::storage
