#pragma once

#include <optional>
#include <string>
#include <vector>

#include "gridcase/domain/address.hpp"
#include "gridcase/service/repositories.hpp"

namespace gridcase::service {

/// How an import changes the gazetteer: `kAdd` adds its entries, an entry with the road, door
/// number and building of a current one taking its place; `kReplace` retires every current
/// entry first. Nothing is deleted: a retired entry keeps the import that retired it.
enum class AddressImportMode { kAdd, kReplace };

struct AddressImportSummary {
  AddressImportMode mode = AddressImportMode::kAdd;
  long long import_id = 0;
  long long imported = 0;  // entries of the file
  long long retired = 0;   // current entries it retired (replaced, or all of them)
  long long entries = 0;   // current entries after it
};

/// A gazetteer search, checked: `text` is domain::address_query's normalized query.
struct AddressSearch {
  std::string text;
  domain::AddressMatch match = domain::AddressMatch::kPrefix;
};

/// The address gazetteer (sql/023_address_gazetteer.sql).
class AddressRepository {
 public:
  virtual ~AddressRepository() = default;
  /// The checks that need the database (each point inside a current grid cell), then the
  /// import recorded as done by `actor`. Returns every problem found; the caller must roll back
  /// when there are any (the summary is then meaningless).
  virtual std::vector<domain::FieldError> import_entries(
      const std::vector<domain::AddressInput>& entries, AddressImportMode mode,
      const std::string& actor, AddressImportSummary& summary) = 0;
  /// A page of current entries matching `search`: {"items": [...], "next_cursor": …}.
  /// The cursor is the id of the previous page's last entry.
  virtual JsonText search(const AddressSearch& search, const PageRequest& page) = 0;
  /// The point of the one current entry an address names (normalized: domain::normalize_address)
  /// whose point lies in a current grid cell; nullopt when none or several do.
  virtual std::optional<domain::Point> resolve(const std::string& normalized) = 0;
  /// Current entries.
  virtual long long count() = 0;
  /// What the admin audit log keeps of the gazetteer: its current entries counted, the last
  /// import.
  virtual JsonText snapshot() = 0;
};

}  // namespace gridcase::service
