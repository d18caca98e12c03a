#pragma once

#include <pqxx/transaction_base>

#include "gridcase/service/address_repository.hpp"

namespace gridcase::storage {

class PgAddressRepository final : public service::AddressRepository {
 public:
  explicit PgAddressRepository(pqxx::transaction_base& tx) : tx_(tx) {}

  std::vector<domain::FieldError> import_entries(const std::vector<domain::AddressInput>& entries,
                                                 service::AddressImportMode mode,
                                                 const std::string& actor,
                                                 service::AddressImportSummary& summary) override;
  service::JsonText search(const service::AddressSearch& search,
                           const service::PageRequest& page) override;
  std::optional<domain::Point> resolve(const std::string& normalized) override;
  long long count() override;
  service::JsonText snapshot() override;

 private:
  pqxx::transaction_base& tx_;
};

}  // namespace gridcase::storage
