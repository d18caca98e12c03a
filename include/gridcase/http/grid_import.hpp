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

}  // namespace gridcase::http
