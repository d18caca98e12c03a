#include "demo_gazetteer.hpp"

#include <fmt/format.h>

#include <iterator>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

#include "demo_district.hpp"

namespace gridcase::app {
namespace {

using nlohmann::json;

/// A road along a lattice line: west to east along the line above row `line`, or north to
/// south along the line left of column `line`.
struct Road {
  const char* name;
  bool west_to_east;
  int line;
};

// Roads named in data/kundulun-admin.json (its streets are named after them; 海德路 is in its
// market list), spread evenly over the lattice. `create_demo_gazetteer` checks the names are
// in the file, so the two cannot drift apart.
constexpr Road kRoads[] = {
    {"友谊大街", true, 8}, {"团结大街", true, 20}, {"阿尔丁大街", true, 33}, {"市府东路", true, 46},
    {"白云路", true, 59},  {"林荫路", false, 6},   {"少先路", false, 17},    {"前进道", false, 28},
    {"鞍山道", false, 39}, {"昆工路", false, 50},  {"海德路", false, 61},
};

/// The markets of the file's 2017 report, each at a door of a road: (road, door number).
struct Market {
  const char* road;
  int door;
};
constexpr Market kMarkets[] = {
    {"团结大街", 31},    // 乐园东门早市
    {"阿尔丁大街", 18},  // 208早市
    {"白云路", 57},      // 79#市场
    {"海德路", 40},      // 海德路马路市场
    {"鞍山道", 25},      // 鞍山道马路市场
    {"友谊大街", 54},    // 五四市场
    {"林荫路", 73},      // 颐园市场
};

}  // namespace

std::vector<domain::AddressInput> make_demo_gazetteer(std::string_view admin_json) {
  const json admin = json::parse(admin_json);
  const json& extent = admin.at("extent_wgs84");
  const double min_lon = extent.at("min_lon").get<double>();
  const double max_lon = extent.at("max_lon").get<double>();
  const double min_lat = extent.at("min_lat").get<double>();
  const double max_lat = extent.at("max_lat").get<double>();
  const double cell_lon = (max_lon - min_lon) / kDemoColumns;
  const double cell_lat = (max_lat - min_lat) / kDemoRows;
  // Every road name must be in the file: a street named after it, or a market on it.
  const std::string file_text(admin_json);
  for (const Road& road : kRoads) {
    if (file_text.find(road.name) == std::string::npos) {
      throw std::logic_error(std::string("the demo road ") + road.name + " is not in the file");
    }
  }
  std::vector<std::string> markets;
  for (const json& name : admin.at("markets_named_in_the_2017_report")) {
    markets.push_back(name.get<std::string>());
  }

  std::vector<domain::AddressInput> entries;
  for (const Road& road : kRoads) {
    const int cells = road.west_to_east ? kDemoColumns : kDemoRows;
    for (int k = 0; k < cells; ++k) {
      for (int side = 0; side < 2; ++side) {  // odd numbers first: north or west of the road
        domain::AddressInput entry;
        entry.road = road.name;
        const int number = 2 * k + 1 + side;
        entry.door_number = fmt::format("{}号", number);
        // A quarter of a cell off the road, in the middle of the cell's side: inside one cell.
        if (road.west_to_east) {
          const double road_lat = max_lat - cell_lat * road.line;
          entry.point = {min_lon + cell_lon * (k + 0.5),
                         road_lat + (side == 0 ? 0.25 : -0.25) * cell_lat};
        } else {
          const double road_lon = min_lon + cell_lon * road.line;
          entry.point = {road_lon + (side == 0 ? -0.25 : 0.25) * cell_lon,
                         max_lat - cell_lat * (k + 0.5)};
        }
        entry.at = fmt::format("{}{}", road.name, *entry.door_number);
        entry.point_fields = {entry.at};
        entries.push_back(entry);
        for (std::size_t m = 0; m < std::size(kMarkets) && m < markets.size(); ++m) {
          if (kMarkets[m].door == number && std::string_view(kMarkets[m].road) == road.name) {
            domain::AddressInput market = entry;
            market.building = markets[m];
            market.at += markets[m];
            market.point_fields = {market.at};
            entries.push_back(std::move(market));
          }
        }
      }
    }
  }
  return entries;
}

}  // namespace gridcase::app
