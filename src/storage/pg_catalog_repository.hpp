#pragma once

#include <pqxx/transaction_base>

#include "gridcase/service/repositories.hpp"

namespace gridcase::storage {

class PgCatalogRepository final : public service::CatalogRepository {
 public:
  explicit PgCatalogRepository(pqxx::transaction_base& tx) : tx_(tx) {}

  service::JsonText list_units() override;
  service::JsonText list_categories() override;
  std::vector<domain::FieldError> upsert_units(const std::vector<domain::Unit>& units) override;
  void replace_categories(const std::vector<domain::Category>& categories) override;

 private:
  pqxx::transaction_base& tx_;
};

}  // namespace gridcase::storage
