#include "gridcase/service/audit_service.hpp"

#include <utility>

#include "gridcase/domain/access.hpp"
#include "gridcase/domain/error.hpp"

namespace gridcase::service {

void record_change(AuditRepository& audit, std::string_view actor, domain::AuditAction action,
                   std::string target, std::optional<JsonText> before, AuditSubject subject,
                   const std::vector<std::string>& keys) {
  audit.append(AuditRecord{std::string(actor), action, std::move(target), std::move(before),
                           audit.snapshot(subject, keys)});
}

boost::asio::awaitable<JsonText> AuditService::records(AuditFilter filter, AuditPage page,
                                                       const domain::Actor& actor) const {
  domain::require_district_admin(actor, "read the audit log");
  if (page.limit < 1 || page.limit > 200) domain::throw_invalid("limit", "from 1 to 200");
  if (filter.from && filter.to && *filter.from > *filter.to)
    domain::throw_invalid("from", "after to");
  JsonText result;
  co_await transactions_.read(
      [&](Repositories& repos) { result = repos.audit.page(filter, page); });
  co_return result;
}

}  // namespace gridcase::service
