#pragma once

#include <boost/asio/awaitable.hpp>
#include <map>
#include <string>
#include <vector>

#include "gridcase/domain/audit.hpp"
#include "gridcase/domain/case.hpp"
#include "gridcase/domain/clock.hpp"
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
  /// Grid changes (retire, change, a replacing import) take their time and today's date from
  /// `clock`; without one, from the system clock.
  explicit GridService(TransactionRunner& transactions) : transactions_(transactions) {}
  GridService(TransactionRunner& transactions, const domain::Clock& clock)
      : transactions_(transactions), clock_(&clock) {}

  /// Throws kInvalidValue (fields lon, lat) for an impossible point or one outside every cell.
  /// The cell's officers are listed when it lies inside the reader's scope; an integration
  /// reads none of the grid (kForbidden, domain::require_grid_reader).
  boost::asio::awaitable<JsonText> locate(domain::Point point, const domain::Actor& reader) const;
  /// Throws kNotFound for an unknown code, kInvalidValue for a malformed one.
  /// Its `children` are the current ones; with `history`, the retired ones too.
  boost::asio::awaitable<JsonText> node(std::string code, bool with_geometry,
                                        bool history = false) const;
  /// node() as `reader` asks for it (kForbidden for an integration).
  boost::asio::awaitable<JsonText> node(std::string code, bool with_geometry,
                                        const domain::Actor& reader, bool history = false) const;
  /// Codes of the cells an officer is currently responsible for (any duty).
  boost::asio::awaitable<std::vector<std::string>> officer_cells(std::string officer_code) const;
  /// The current cells of a subtree; with `history`, the retired ones too.
  boost::asio::awaitable<JsonText> cells(std::string code, PageRequest page,
                                         const domain::Actor& reader, bool history = false) const;
  /// The grid under `code` at one level (domain::map_level, field `level`) as a GeoJSON
  /// FeatureCollection, each node with the open and overdue cases `reader` may read. A node
  /// outside a grid-confined reader's subtree is kNotFound, as an unknown one; an integration is
  /// kForbidden.
  boost::asio::awaitable<JsonText> map(std::string code, std::optional<std::string> level,
                                       const domain::Actor& reader) const;
  /// The officers of a subtree's cells that lie inside the reader's scope: a node outside a
  /// grid-confined reader's subtree is kNotFound (domain::confine_read), as an unknown one.
  boost::asio::awaitable<JsonText> officers(std::string code, PageRequest page,
                                            const domain::Actor& reader) const;
  /// All or nothing: throws kInvalidValue listing every problem, and then nothing is written.
  boost::asio::awaitable<ImportSummary> import(std::vector<domain::GridNodeInput> nodes,
                                               const domain::Actor& actor) const;
  /// A replacing import (domain::GridImportMode::kReplace): the nodes the file names that exist
  /// are kept as they are, the new ones begin on `date` (default today), and every current node
  /// whose parent the file keeps but that the file leaves out is retired from `date` with its
  /// subtree, as change() does. Answers {"date", "retired", "imported", "kept", "relocated",
  /// "duties_ended"}.
  boost::asio::awaitable<JsonText> import_replacing(std::vector<domain::GridNodeInput> nodes,
                                                    std::optional<std::string> date,
                                                    const domain::Actor& actor) const;
  /// Retires the node `code` and its whole current subtree from `date` (default today): kNotFound
  /// for an unknown code, and otherwise as change().
  boost::asio::awaitable<JsonText> retire(std::string code, std::optional<std::string> date,
                                          const domain::Actor& actor) const;
  /// One change of the grid, all or nothing (docs/grid.md, "Changing the grid"): the nodes of
  /// `change.retire` end with their current subtrees, `change.nodes` begin, the duties over
  /// retired cells end, and each open case of a retired cell is located again by its point.
  /// kForbidden unless a district-wide admin; kInvalidValue listing every problem of the values;
  /// kConflict listing what stands in the way (an active unit scoped to a retired node, a duty
  /// that begins after the date, an open case no current cell would contain).
  boost::asio::awaitable<JsonText> change(domain::GridChange change,
                                          const domain::Actor& actor) const;
  /// Adds officers and their responsibility grids (one transaction). For the command line only:
  /// the audit log records it as done by `cli`.
  boost::asio::awaitable<void> add_officers(std::vector<domain::Officer> officers) const;

 private:
  boost::asio::awaitable<JsonText> apply(domain::GridChange change, bool replacing_import,
                                         domain::AuditAction action, std::string target,
                                         const std::string& retire_field,
                                         const domain::Actor& actor) const;
  domain::Timestamp now() const;

  TransactionRunner& transactions_;
  const domain::Clock* clock_ = nullptr;
};

/// A page of cells: throws kInvalidValue for a limit outside 1..200 or a cursor that is not a
/// cell code (the last cell of the previous page).
void require_page(const PageRequest& page);

}  // namespace gridcase::service
