#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include "gridcase/domain/grid.hpp"

namespace gridcase::http {

/// Reads a GeoJSON FeatureCollection in the grid import format (domain.md §2). Throws
/// domain::Error kMalformed listing every shape problem (not JSON, too deep, missing or mistyped
/// properties), or kInvalidValue for an unknown level. Value checks are the domain's.
std::vector<domain::GridNodeInput> parse_grid_import(std::string_view text, std::size_t max_depth);

/// Reads the body of POST /api/v1/grid/replace: an object (a FeatureCollection, `type` optional)
/// with `date` (a string), `retire` (an array of strings) and `features` (as an import's), each
/// optional. Shape problems are kMalformed, as parse_grid_import's; values are the domain's.
domain::GridChange parse_grid_change(std::string_view text, std::size_t max_depth);

}  // namespace gridcase::http
