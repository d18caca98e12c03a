#pragma once

#include <pqxx/transaction_base>

#include "gridcase/service/repositories.hpp"

namespace gridcase::storage {

class PgCatalogRepository final : public service::CatalogRepository {
 public:
  explicit PgCatalogRepository(pqxx::transaction_base& tx) : tx_(tx) {}

  service::JsonText list_units() override;
  service::JsonText list_categories(bool include_retired,
                                    const std::optional<std::string>& key) override;
  std::vector<domain::FieldError> upsert_units(const std::vector<domain::Unit>& units) override;
  void replace_categories(const std::vector<domain::Category>& categories) override;
  std::optional<bool> lock_category(std::string_view key) override;
  void replace_time_limits(std::string_view key,
                           const std::map<domain::StageTimer, domain::TimeLimit>& limits) override;

 private:
  pqxx::transaction_base& tx_;
};

}  // namespace gridcase::storage
