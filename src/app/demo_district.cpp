#include "demo_district.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <map>
#include <nlohmann/json.hpp>
#include <numeric>
#include <set>

namespace gridcase::app {
namespace {

using nlohmann::json;

// The urban core of domain.md §2: 68 × 67 cells of ≈99 m × 99 m, 10 × 10 community blocks.
constexpr double kMinLon = 109.78;
constexpr double kMaxLon = 109.86;
constexpr double kMinLat = 40.61;
constexpr double kMaxLat = 40.67;
constexpr int kColumns = kDemoColumns;
constexpr int kRows = kDemoRows;
constexpr int kBlockColumns = 10;
constexpr int kBlockRows = 10;
/// The day every demo duty begins: before any simulated history (officers have their cells
/// from the start).
constexpr std::string_view kDemoDutiesFrom = "2000-01-01";

// Lattice coordinates: column 0 is the west edge, row 0 the north edge.
double lon_at(int column) { return kMinLon + (kMaxLon - kMinLon) * column / kColumns; }
double lat_at(int row) { return kMaxLat - (kMaxLat - kMinLat) * row / kRows; }

/// Cell boundaries of block `index` of `blocks` over `cells`: as even as the division allows.
int block_edge(int index, int blocks, int cells) { return index * cells / blocks; }

struct LatticePoint {
  int column;
  int row;
  // NOLINTNEXTLINE(modernize-use-nullptr): clang-tidy 14 misreads a defaulted <=>
  auto operator<=>(const LatticePoint&) const = default;
};

std::string ring_json(const std::vector<LatticePoint>& ring) {
  std::string text = "[";
  for (std::size_t i = 0; i <= ring.size(); ++i) {
    const LatticePoint& point = ring[i % ring.size()];
    text += fmt::format("{}[{:.9f},{:.9f}]", i == 0 ? "" : ",", lon_at(point.column),
                        lat_at(point.row));
  }
  return text + "]";
}

std::string rectangle(int west, int north, int east, int south) {
  // Counter-clockwise (RFC 7946): SW, SE, NE, NW.
  return R"({"type":"Polygon","coordinates":[)" +
         ring_json({{west, south}, {east, south}, {east, north}, {west, north}}) + "]}";
}

/// The outline of a simply connected set of lattice cells, as a GeoJSON Polygon.
std::string outline(const std::set<LatticePoint>& cells) {
  // Each cell contributes its counter-clockwise sides (in lon/lat) that face outside the set;
  // with no diagonal-only contacts every corner then starts exactly one edge.
  std::map<LatticePoint, LatticePoint> next;
  for (const LatticePoint& cell : cells) {
    const int c = cell.column;
    const int r = cell.row;
    if (!cells.contains({c, r + 1})) next[{c, r + 1}] = {c + 1, r + 1};  // south side, eastward
    if (!cells.contains({c + 1, r})) next[{c + 1, r + 1}] = {c + 1, r};  // east side, northward
    if (!cells.contains({c, r - 1})) next[{c + 1, r}] = {c, r};          // north side, westward
    if (!cells.contains({c - 1, r})) next[{c, r}] = {c, r + 1};          // west side, southward
  }
  std::vector<LatticePoint> ring;
  const LatticePoint start = next.begin()->first;
  LatticePoint at = start;
  do {
    const LatticePoint to = next.at(at);
    const bool straight =
        !ring.empty() && ((ring.back().column == at.column && at.column == to.column) ||
                          (ring.back().row == at.row && at.row == to.row));
    if (!straight) ring.push_back(at);
    at = to;
  } while (at != start);
  return R"({"type":"Polygon","coordinates":[)" + ring_json(ring) + "]}";
}

constexpr std::array kSurnames{"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴",
                               "徐", "孙", "胡", "朱", "高", "林", "何", "郭", "马", "罗"};
constexpr std::array kGivenNames{"伟", "芳",   "娜",   "敏", "静", "丽", "强", "磊",   "军", "洋",
                                 "勇", "艳",   "杰",   "娟", "涛", "明", "超", "秀英", "霞", "平",
                                 "刚", "桂英", "建华", "文", "斌", "宇", "浩", "凯",   "鹏", "晶"};

const std::map<std::string, std::string>& unit_type_names() {
  static const std::map<std::string, std::string> kNames{
      {"sanitation", "环卫"},      {"municipal_works", "市政"}, {"landscaping", "园林绿化"},
      {"enforcement", "城管执法"}, {"utilities", "公用事业"},   {"traffic", "交通"},
      {"environment", "生态环境"}, {"housing", "住建"}};
  return kNames;
}

struct StreetPlan {
  std::string code;
  std::string name;
  bool town = false;
  std::vector<std::pair<std::string, std::string>> communities;  // code, name (confirmed ones)
};

std::vector<StreetPlan> street_plans(const json& admin) {
  std::vector<StreetPlan> plans;
  int next_street = 1;
  for (const json& street : admin.at("streets")) {
    StreetPlan plan;
    plan.name = street.at("name").get<std::string>();
    if (street.contains("code")) {
      plan.code = street.at("code").get<std::string>();
      for (const json& community : street.value("communities", json::array())) {
        plan.communities.emplace_back(community.at("code").get<std::string>(),
                                      community.at("name").get<std::string>());
      }
    } else if (street.value("kind", "") == "town") {
      plan.town = true;
      plan.code = "150203100";
    } else {
      while (next_street == 3) ++next_street;  // 003 is the confirmed 沼潭街道
      plan.code = fmt::format("150203{:03}", next_street++);
    }
    plans.push_back(std::move(plan));
  }
  return plans;
}

}  // namespace

std::vector<domain::Category> parse_catalog(std::string_view text) {
  const json document = json::parse(text, nullptr, false);
  if (document.is_discarded() || !document.is_object() || !document.contains("categories") ||
      !document.at("categories").is_array()) {
    domain::throw_malformed("categories", "a catalogue file has a categories array");
  }
  std::vector<domain::Category> categories;
  try {
    for (const json& entry : document.at("categories")) {
      domain::Category category{
          entry.at("key").get<std::string>(), entry.at("name").get<std::string>(), {}};
      for (const json& condition : entry.at("conditions")) {
        category.conditions.push_back(domain::FilingCondition{
            condition.at("id").get<std::string>(), condition.at("text").get<std::string>(),
            condition.at("limit").at(0).get<int>(), condition.at("limit").at(1).get<std::string>(),
            condition.at("unit_type").get<std::string>(), condition.value("close_when", "")});
      }
      categories.push_back(std::move(category));
    }
  } catch (const json::exception& error) {
    domain::throw_malformed("categories", error.what());
  }
  return categories;
}

DemoDistrict make_demo_district(std::string_view admin_json, std::string_view categories_json) {
  const json admin = json::parse(admin_json);
  const json catalog = json::parse(categories_json);
  DemoDistrict demo;
  const std::string district_code = admin.at("district").at("code").get<std::string>();
  const std::string district_name = admin.at("district").at("name").get<std::string>();
  demo.nodes.push_back({district_code, district_name, domain::GridLevel::kDistrict, std::nullopt,
                        std::nullopt, rectangle(0, 0, kColumns, kRows)});

  // Blocks in serpentine order, so that each street's run of blocks is one connected piece.
  std::vector<std::pair<int, int>> blocks;  // block column, block row
  for (int row = 0; row < kBlockRows; ++row) {
    for (int i = 0; i < kBlockColumns; ++i)
      blocks.emplace_back(row % 2 == 0 ? i : kBlockColumns - 1 - i, row);
  }
  std::vector<StreetPlan> streets = street_plans(admin);
  const std::size_t confirmed = std::accumulate(
      streets.begin(), streets.end(), std::size_t{0},
      [](std::size_t sum, const StreetPlan& plan) { return sum + plan.communities.size(); });
  const auto unconfirmed_streets = static_cast<std::size_t>(
      std::count_if(streets.begin(), streets.end(),
                    [](const StreetPlan& plan) { return plan.communities.empty(); }));
  const std::size_t spare = blocks.size() - confirmed;

  std::size_t next_block = 0;
  std::size_t unconfirmed_index = 0;
  int officer_number = 0;
  for (const StreetPlan& street : streets) {
    std::size_t count = street.communities.size();
    if (count == 0) {
      count =
          spare / unconfirmed_streets + (unconfirmed_index < spare % unconfirmed_streets ? 1 : 0);
      ++unconfirmed_index;
    }
    std::set<LatticePoint> street_cells;
    std::vector<domain::GridNodeInput> communities;
    std::vector<domain::GridNodeInput> cells;
    for (std::size_t k = 0; k < count; ++k) {
      const auto [block_column, block_row] = blocks[next_block++];
      const int west = block_edge(block_column, kBlockColumns, kColumns);
      const int east = block_edge(block_column + 1, kBlockColumns, kColumns);
      const int north = block_edge(block_row, kBlockRows, kRows);
      const int south = block_edge(block_row + 1, kBlockRows, kRows);
      std::string code;
      std::string name;
      if (k < street.communities.size()) {
        std::tie(code, name) = street.communities[k];
      } else if (street.town) {
        code = fmt::format("{}{:03}", street.code, 201 + k);
        name = fmt::format("{}第{}村", street.name.substr(0, street.name.size() - 3), k + 1);
      } else {
        code = fmt::format("{}{:03}", street.code, 1 + k);
        name = fmt::format("{}第{}社区", street.name.substr(0, street.name.size() - 6), k + 1);
      }
      communities.push_back({code, name, domain::GridLevel::kCommunity, street.code, std::nullopt,
                             rectangle(west, north, east, south)});
      std::vector<std::string> cell_codes;
      int sequence = 0;
      for (int row = north; row < south; ++row) {
        for (int column = west; column < east; ++column) {
          street_cells.insert({column, row});
          const std::string cell_code = fmt::format("{}{:03}", code, ++sequence);
          cells.push_back({cell_code, fmt::format("{}{:03}号网格", name, sequence),
                           domain::GridLevel::kCell, code, std::nullopt,
                           rectangle(column, row, column + 1, row + 1)});
          cell_codes.push_back(cell_code);
        }
      }
      // Four officers per community: two grid officers share its cells; one road chief; one
      // sanitation lead. Their names are synthetic.
      const std::size_t half = cell_codes.size() / 2;
      const std::vector<std::pair<domain::Duty, std::vector<std::string>>> duties{
          {domain::Duty::kGridOfficer,
           {cell_codes.begin(), cell_codes.begin() + static_cast<long>(half)}},
          {domain::Duty::kGridOfficer,
           {cell_codes.begin() + static_cast<long>(half), cell_codes.end()}},
          {domain::Duty::kRoadChief, cell_codes},
          {domain::Duty::kSanitation, cell_codes}};
      for (const auto& [duty, duty_cells] : duties) {
        ++officer_number;
        const auto n = static_cast<std::size_t>(officer_number);
        domain::Officer officer;
        officer.code = fmt::format("KDL{:04}", officer_number);
        officer.name = std::string(kSurnames[(n * 7) % kSurnames.size()]) +
                       kGivenNames[(n * 13 + n / kSurnames.size()) % kGivenNames.size()];
        officer.phone = fmt::format("1394720{:04}", officer_number);
        // From long before any history `gridcase simulate` writes (at most 3660 days back), so
        // that the per-officer reports of past periods name their officers.
        officer.responsibilities.push_back({duty, duty_cells, std::string(kDemoDutiesFrom)});
        demo.officers.push_back(std::move(officer));
      }
    }
    demo.nodes.push_back({street.code, street.name, domain::GridLevel::kStreet, district_code,
                          std::nullopt, outline(street_cells)});
    demo.nodes.insert(demo.nodes.end(), communities.begin(), communities.end());
    demo.nodes.insert(demo.nodes.end(), cells.begin(), cells.end());
  }

  for (const json& type_json : catalog.at("units")) {
    const std::string type = type_json.get<std::string>();
    const auto label = unit_type_names().find(type);
    const std::string type_name = label == unit_type_names().end() ? type : label->second;
    demo.units.push_back({fmt::format("{}-{}", district_code, type),
                          district_name + type_name + "局", type, district_code});
    for (const StreetPlan& street : streets) {
      demo.units.push_back({fmt::format("{}-{}", street.code, type),
                            street.name + type_name + "中队", type, street.code});
    }
  }
  demo.categories = parse_catalog(categories_json);
  return demo;
}

}  // namespace gridcase::app
