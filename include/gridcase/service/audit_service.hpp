#pragma once

#include <boost/asio/awaitable.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "gridcase/domain/case.hpp"
#include "gridcase/service/audit_repository.hpp"
#include "gridcase/service/transaction_runner.hpp"

namespace gridcase::service {

/// Appends a record of `action` on `target` by `actor`: `before` as the caller took it before
/// the change, `after` a snapshot of `subject` taken now. For the services, inside the change's
/// transaction.
void record_change(AuditRepository& audit, std::string_view actor, domain::AuditAction action,
                   std::string target, JsonText before, AuditSubject subject,
                   const std::vector<std::string>& keys);

/// Reading the admin audit log (docs/security.md, "Records a regulator will ask for"). The
/// records themselves are written by the services that make the changes.
class AuditService {
 public:
  explicit AuditService(TransactionRunner& transactions) : transactions_(transactions) {}

  /// A page of records, newest first. kForbidden unless `actor` is a district-wide admin;
  /// kInvalidValue for a limit outside 1..200 or `from` after `to`.
  boost::asio::awaitable<JsonText> records(AuditFilter filter, AuditPage page,
                                           const domain::Actor& actor) const;

 private:
  TransactionRunner& transactions_;
};

}  // namespace gridcase::service
