#pragma once

#include <boost/asio/awaitable.hpp>
#include <map>
#include <string>
#include <vector>

#include "gridcase/domain/case.hpp"
#include "gridcase/domain/grid.hpp"
#include "gridcase/service/repositories.hpp"
#include "gridcase/service/transaction_runner.hpp"

namespace gridcase::service {

struct ImportSummary {
  std::map<std::string, int> nodes_by_level;
};

/// Page sizes of every list (contract/api.md: limit ≤ 200).
inline constexpr int kMaxPageLimit = 200;

class GridService {
 public:
  explicit GridService(TransactionRunner& transactions) : transactions_(transactions) {}

  /// Throws kInvalidValue (fields lon, lat) for an impossible point or one outside every cell.
  /// The cell's officers are listed when it lies inside the reader's scope; an integration
  /// reads none of the grid (kForbidden, domain::require_grid_reader).
  boost::asio::awaitable<JsonText> locate(domain::Point point, const domain::Actor& reader) const;
  /// Throws kNotFound for an unknown code, kInvalidValue for a malformed one.
  boost::asio::awaitable<JsonText> node(std::string code, bool with_geometry) const;
  /// node() as `reader` asks for it (kForbidden for an integration).
  boost::asio::awaitable<JsonText> node(std::string code, bool with_geometry,
                                        const domain::Actor& reader) const;
  /// Codes of the cells an officer is currently responsible for (any duty).
  boost::asio::awaitable<std::vector<std::string>> officer_cells(std::string officer_code) const;
  boost::asio::awaitable<JsonText> cells(std::string code, PageRequest page,
                                         const domain::Actor& reader) const;
  /// The officers of a subtree's cells that lie inside the reader's scope: a node outside a
  /// grid-confined reader's subtree is kNotFound (domain::confine_read), as an unknown one.
  boost::asio::awaitable<JsonText> officers(std::string code, PageRequest page,
                                            const domain::Actor& reader) const;
  /// All or nothing: throws kInvalidValue listing every problem, and then nothing is written.
  boost::asio::awaitable<ImportSummary> import(std::vector<domain::GridNodeInput> nodes,
                                               const domain::Actor& actor) const;
  /// Adds officers and their responsibility grids (one transaction). For the command line only:
  /// the audit log records it as done by `cli`.
  boost::asio::awaitable<void> add_officers(std::vector<domain::Officer> officers) const;

 private:
  TransactionRunner& transactions_;
};

/// A page of cells: throws kInvalidValue for a limit outside 1..200 or a cursor that is not a
/// cell code (the last cell of the previous page).
void require_page(const PageRequest& page);

}  // namespace gridcase::service
