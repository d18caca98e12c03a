#pragma once

#include <pqxx/transaction_base>

#include "gridcase/service/audit_repository.hpp"

namespace gridcase::storage {

class PgAuditRepository final : public service::AuditRepository {
 public:
  explicit PgAuditRepository(pqxx::transaction_base& tx) : tx_(tx) {}

  service::JsonText snapshot(service::AuditSubject subject,
                             const std::vector<std::string>& keys) override;
  void append(const service::AuditRecord& record) override;
  service::JsonText page(const service::AuditFilter& filter,
                         const service::AuditPage& page) override;

 private:
  pqxx::transaction_base& tx_;
};

}  // namespace gridcase::storage
