#include "gridcase/service/address_service.hpp"

#include "gridcase/domain/problem_list.hpp"
#include "gridcase/service/audit_service.hpp"
#include "gridcase/service/grid_service.hpp"

namespace gridcase::service {
namespace {

using domain::Error;
using domain::ErrorCode;

std::string_view mode_name(AddressImportMode mode) {
  return mode == AddressImportMode::kReplace ? "replace" : "add";
}

}  // namespace

boost::asio::awaitable<AddressImportSummary> AddressService::import(
    std::vector<domain::AddressInput> entries, AddressImportMode mode, const domain::Actor& actor,
    std::string empty_field) const {
  domain::require_district_admin(actor, "import the address gazetteer");
  std::vector<domain::FieldError> problems = domain::validate_address_import(entries, empty_field);
  AddressImportSummary summary;
  if (problems.empty()) {
    try {
      co_await transactions_.run([&](Repositories& repos) {
        JsonText before = repos.audit.snapshot(AuditSubject::kAddresses, {});
        problems = repos.addresses.import_entries(entries, mode, actor.id, summary);
        if (!problems.empty()) {
          throw Error(ErrorCode::kInvalidValue, "import refused");  // rolls the inserts back
        }
        record_change(repos.audit, actor.id, domain::AuditAction::kAddressImport,
                      std::string(mode_name(mode)), std::move(before), AuditSubject::kAddresses,
                      {});
      });
    } catch (const Error&) {
      // The rollback above is reported below with every problem; anything else goes up as is.
      if (problems.empty()) throw;
    }
  }
  if (!problems.empty()) {
    domain::refuse_with_problems(std::move(problems), "the address import", "imported",
                                 empty_field);
  }
  summary.mode = mode;
  co_return summary;
}

boost::asio::awaitable<JsonText> AddressService::search(AddressSearch search, PageRequest page,
                                                        const domain::Actor& reader) const {
  domain::require_grid_reader(reader);
  if (page.limit < 1 || page.limit > kMaxPageLimit) {
    domain::throw_invalid("limit", "from 1 to " + std::to_string(kMaxPageLimit));
  }
  if (page.after && (page.after->empty() || page.after->size() > 18 ||
                     page.after->find_first_not_of("0123456789") != std::string::npos)) {
    domain::throw_invalid("cursor", "not a cursor this list returned");
  }
  JsonText found;
  co_await transactions_.read(
      [&](Repositories& repos) { found = repos.addresses.search(search, page); });
  co_return found;
}

boost::asio::awaitable<bool> AddressService::has_entries() const {
  long long entries = 0;
  co_await transactions_.read([&](Repositories& repos) { entries = repos.addresses.count(); });
  co_return entries > 0;
}

}  // namespace gridcase::service
