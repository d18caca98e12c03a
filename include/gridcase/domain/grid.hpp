#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gridcase/domain/error.hpp"

namespace gridcase::domain {

/// The four tiers of domain.md §2, outermost first.
enum class GridLevel { kDistrict, kStreet, kCommunity, kCell };

std::string_view to_string(GridLevel level);
std::optional<GridLevel> parse_grid_level(std::string_view text);

/// The level a code's width implies (6, 9, 12 or 15 digits), or nullopt for anything else.
std::optional<GridLevel> level_of_code(std::string_view code);

/// Why `code` is not a well-formed code of `level` (digits, width, the number ranges of
/// domain.md §2), or nullopt when it is.
std::optional<std::string> code_problem(std::string_view code, GridLevel level);

/// Throws kInvalidValue (field `field`) unless `code` is a well-formed code of any level.
void require_grid_code(std::string_view code, const std::string& field);

/// The level of a map of the node `code` (GET /api/v1/grid/{code}/map), field `level`: `wanted`
/// when it is a street, community or cell level at or below the node's own, by default the level
/// below the node's (a cell's map is the cell itself). Requires a well-formed code; throws
/// kInvalidValue for any other `wanted`.
GridLevel map_level(std::string_view code, const std::optional<std::string>& wanted);

/// The code of the parent node: the code less its last three digits. Requires a non-district code.
std::string parent_code_of(std::string_view code);

/// The ltree path of a node: its ancestors' codes and its own, dot-separated.
std::string ltree_path_of(std::string_view code);

/// Duties a responsibility grid carries ("one grid, one responsible person" per duty).
enum class Duty { kGridOfficer, kRoadChief, kSanitation };
inline constexpr Duty kAllDuties[] = {Duty::kGridOfficer, Duty::kRoadChief, Duty::kSanitation};

std::string_view to_string(Duty duty);
std::optional<Duty> parse_duty(std::string_view text);

struct Point {
  double lon = 0;
  double lat = 0;
};

/// Throws kInvalidValue for a coordinate no place on Earth has (lon ∉ [-180,180], lat ∉ [-90,90]).
void require_possible(const Point& point);

/// One Feature of a grid import file, already read from JSON.
struct GridNodeInput {
  std::string code;
  std::string name;
  GridLevel level = GridLevel::kCell;
  std::optional<std::string> parent_code;
  std::optional<std::string> valid_from;  // YYYY-MM-DD
  std::string geometry_geojson;           // the Feature's geometry, as GeoJSON text
};

inline constexpr std::size_t kMaxGridNameChars = 100;

/// Every problem that can be seen without the database: code format and ranges, consistency of
/// code, level and parent_code, duplicates within the file, names, dates. Fields are named
/// `features[i].properties.<name>`.
std::vector<FieldError> validate_grid_import(const std::vector<GridNodeInput>& nodes);

/// What an import does with the current nodes it does not name (docs/grid.md, "Changing the
/// grid"): `add` leaves them alone; `replace` retires, from the import's date, every current node
/// whose parent the file names as an existing node and that the file itself leaves out.
enum class GridImportMode { kAdd, kReplace };

std::string_view to_string(GridImportMode mode);
std::optional<GridImportMode> parse_grid_import_mode(std::string_view text);

/// One change of the grid, all or nothing, from one date: the nodes in `retire` end (each with
/// its whole current subtree) and `nodes` begin. Retiring one node, a split, a merge and a
/// redraw are all this; a replacing import computes `retire` itself.
struct GridChange {
  std::optional<std::string> date;  // YYYY-MM-DD, the first day of the new grid; default today
  std::vector<std::string> retire;  // codes of current nodes
  std::vector<GridNodeInput> nodes;
};

/// Every problem of a change that can be seen without the database: the date's form, the
/// codes to retire (well-formed, each once, field `retire[i]`), the new nodes as
/// validate_grid_import checks them (a new node's own valid_from, when given, must be the
/// change's date), and a change that changes nothing. `retire_field` names the list in
/// refusals (`retire`, or `code` for a route that retires the node of its path).
std::vector<FieldError> validate_grid_change(const GridChange& change,
                                             const std::string& retire_field = "retire");

}  // namespace gridcase::domain
