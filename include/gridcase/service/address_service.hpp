#pragma once

#include <boost/asio/awaitable.hpp>
#include <string>
#include <vector>

#include "gridcase/domain/access.hpp"
#include "gridcase/domain/address.hpp"
#include "gridcase/service/address_repository.hpp"
#include "gridcase/service/transaction_runner.hpp"

namespace gridcase::service {

/// The address gazetteer: imported by a district-wide admin, searched by every grid reader,
/// and used by intake to place a case given an address (CaseService::receive).
class AddressService {
 public:
  explicit AddressService(TransactionRunner& transactions) : transactions_(transactions) {}

  /// All or nothing: throws kInvalidValue listing every problem (at most 1000, then a count),
  /// and then nothing is written. Recorded in the admin audit log (`address.import`).
  boost::asio::awaitable<AddressImportSummary> import(std::vector<domain::AddressInput> entries,
                                                      AddressImportMode mode,
                                                      const domain::Actor& actor,
                                                      std::string empty_field = "body") const;
  /// Throws kForbidden for an integration (it reads no grid), kInvalidValue for a limit outside
  /// 1..200 or a cursor that is not an entry id.
  boost::asio::awaitable<JsonText> search(AddressSearch search, PageRequest page,
                                          const domain::Actor& reader) const;
  /// True when the gazetteer has a current entry (seed-demo loads the demo's only then).
  boost::asio::awaitable<bool> has_entries() const;

 private:
  TransactionRunner& transactions_;
};

}  // namespace gridcase::service
