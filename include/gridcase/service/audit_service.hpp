#pragma once

#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gridcase/domain/case.hpp"
#include "gridcase/service/audit_repository.hpp"
#include "gridcase/service/transaction_runner.hpp"

namespace gridcase::service {

/// Appends a record of `action` on `target` by `actor`: `before` as the caller took it before
/// the change (nullopt: it did not exist), `after` a snapshot of `subject` taken now. For the
/// services, inside the change's transaction.
void record_change(AuditRepository& audit, std::string_view actor, domain::AuditAction action,
                   std::string target, std::optional<JsonText> before, AuditSubject subject,
                   const std::vector<std::string>& keys);

/// The codes of `items` (units, grid nodes, officers: anything with a `code`), the keys of an
/// audit record's snapshots.
template <class Item>
std::vector<std::string> codes_of(const std::vector<Item>& items) {
  std::vector<std::string> codes;
  codes.reserve(items.size());
  for (const Item& item : items) codes.push_back(item.code);
  return codes;
}

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
