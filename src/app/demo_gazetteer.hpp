#pragma once

#include <string_view>
#include <vector>

#include "gridcase/domain/address.hpp"

namespace gridcase::app {

/// The demo district's address gazetteer (docs/administration.md, "Addresses (the
/// gazetteer)"): eleven roads named in data/kundulun-admin.json (the roads its streets are named
/// after, and 海德路 of its market list) laid along lines of the demo lattice, five west to east
/// and six north to south, with a door number on each side of the road for every cell it passes
/// (odd numbers north or west of it, even ones south or east), and the seven markets of the file
/// as buildings at doors of their roads. Synthetic like the grid's geometry: real names,
/// invented places. Deterministic.
std::vector<domain::AddressInput> make_demo_gazetteer(std::string_view admin_json);

}  // namespace gridcase::app
