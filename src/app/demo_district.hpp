#pragma once

#include <string_view>
#include <vector>

#include "gridcase/domain/catalog.hpp"
#include "gridcase/domain/grid.hpp"

namespace gridcase::app {

/// The demo district (Kundulun, 150203): real street names, synthetic geometry tiling the urban
/// core with ≈100 m cells, four officers per community, units and the starter catalogue.
struct DemoDistrict {
  std::vector<domain::GridNodeInput> nodes;  // parents before children
  std::vector<domain::Officer> officers;
  std::vector<domain::Unit> units;
  std::vector<domain::Category> categories;
};

/// The demo's lattice of cells over the extent of data/kundulun-admin.json: columns west to
/// east, rows north to south.
inline constexpr int kDemoColumns = 68;
inline constexpr int kDemoRows = 67;

/// Built from the admin-division and catalogue files (data/*.json). Deterministic.
DemoDistrict make_demo_district(std::string_view admin_json, std::string_view categories_json);

/// Reads a catalogue file in the format of data/categories.json. Throws domain::Error.
std::vector<domain::Category> parse_catalog(std::string_view text);

}  // namespace gridcase::app
