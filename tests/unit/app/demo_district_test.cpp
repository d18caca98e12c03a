#include "app/demo_district.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "embedded_demo_data.hpp"

namespace gridcase::app {
namespace {

using domain::Duty;
using domain::GridLevel;

/// Built once: the generator is deterministic and not cheap under the sanitizers.
const DemoDistrict& demo() {
  static const DemoDistrict district =
      make_demo_district(demo_data::k_kundulun_admin, demo_data::k_categories);
  return district;
}

std::size_t count_at(GridLevel level) {
  std::size_t count = 0;
  for (const domain::GridNodeInput& node : demo().nodes) count += node.level == level ? 1 : 0;
  return count;
}

TEST(DemoDistrictTest, HasOneDistrictCoded150203) {
  ASSERT_EQ(count_at(GridLevel::kDistrict), 1U);
  EXPECT_EQ(demo().nodes.front().code, "150203");
  EXPECT_EQ(demo().nodes.front().level, GridLevel::kDistrict);
}

TEST(DemoDistrictTest, HasThirteenStreets) { EXPECT_EQ(count_at(GridLevel::kStreet), 13U); }

TEST(DemoDistrictTest, HasOneHundredCommunities) {
  EXPECT_EQ(count_at(GridLevel::kCommunity), 100U);
}

TEST(DemoDistrictTest, TilesTheUrbanCoreWith68By67Cells) {
  EXPECT_EQ(count_at(GridLevel::kCell), 68U * 67U);  // 4,556 cells of ≈100 m × 100 m
}

TEST(DemoDistrictTest, EveryNodePassesImportValidationWithoutAProblem) {
  const std::vector<domain::FieldError> problems = domain::validate_grid_import(demo().nodes);

  EXPECT_TRUE(problems.empty()) << problems.size() << " problems, first: " << problems.front().field
                                << ": " << problems.front().message;
}

TEST(DemoDistrictTest, ParentsComeBeforeTheirChildren) {
  std::set<std::string> seen;
  for (const domain::GridNodeInput& node : demo().nodes) {
    if (node.parent_code) {
      EXPECT_TRUE(seen.contains(*node.parent_code)) << node.code;
    }
    seen.insert(node.code);
  }
}

TEST(DemoDistrictTest, EveryCommunityHasCells) {
  std::map<std::string, int> cells_per_community;
  for (const domain::GridNodeInput& node : demo().nodes) {
    if (node.level == GridLevel::kCommunity) cells_per_community[node.code];
    if (node.level == GridLevel::kCell) ++cells_per_community[*node.parent_code];
  }

  for (const auto& [community, cells] : cells_per_community) EXPECT_GT(cells, 0) << community;
}

TEST(DemoDistrictTest, EveryGeometryIsAPolygon) {
  for (const domain::GridNodeInput& node : demo().nodes) {
    ASSERT_TRUE(node.geometry_geojson.starts_with(R"({"type":"Polygon","coordinates":[[)"))
        << node.code;
  }
}

TEST(DemoDistrictTest, HasFourHundredOfficersWithDistinctCodes) {
  std::set<std::string> codes;
  for (const domain::Officer& officer : demo().officers) codes.insert(officer.code);

  EXPECT_EQ(demo().officers.size(), 400U);
  EXPECT_EQ(codes.size(), 400U);
}

TEST(DemoDistrictTest, EveryCellHasExactlyOneOfficerPerDuty) {
  std::map<std::pair<std::string, Duty>, int> officers_per_cell_duty;
  for (const domain::Officer& officer : demo().officers) {
    for (const domain::Officer::Responsibility& responsibility : officer.responsibilities) {
      for (const std::string& cell : responsibility.cell_codes) {
        ++officers_per_cell_duty[{cell, responsibility.duty}];
      }
    }
  }

  for (const domain::GridNodeInput& node : demo().nodes) {
    if (node.level != GridLevel::kCell) continue;
    for (Duty duty : domain::kAllDuties) {
      EXPECT_EQ((officers_per_cell_duty[{node.code, duty}]), 1)
          << node.code << " " << to_string(duty);
    }
  }
}

TEST(DemoDistrictTest, OfficersAnswerOnlyForCellsOfTheDistrict) {
  std::set<std::string> cells;
  for (const domain::GridNodeInput& node : demo().nodes) {
    if (node.level == GridLevel::kCell) cells.insert(node.code);
  }

  for (const domain::Officer& officer : demo().officers) {
    for (const domain::Officer::Responsibility& responsibility : officer.responsibilities) {
      for (const std::string& cell : responsibility.cell_codes) {
        EXPECT_TRUE(cells.contains(cell)) << officer.code << " " << cell;
      }
    }
  }
}

TEST(DemoDistrictTest, HasEightUnitTypesEachAtTheDistrictAndEveryStreet) {
  std::set<std::string> types;
  std::map<std::string, int> units_per_scope;
  for (const domain::Unit& unit : demo().units) {
    types.insert(unit.type);
    ++units_per_scope[unit.scope_code];
  }

  EXPECT_EQ(types.size(), 8U);
  EXPECT_EQ(demo().units.size(), 8U * (1 + 13));
  EXPECT_EQ(units_per_scope.size(), 14U);
  for (const auto& [scope, count] : units_per_scope) EXPECT_EQ(count, 8) << scope;
}

TEST(DemoDistrictTest, UnitCodesAreDistinct) {
  std::set<std::string> codes;
  for (const domain::Unit& unit : demo().units) codes.insert(unit.code);

  EXPECT_EQ(codes.size(), demo().units.size());
}

TEST(DemoDistrictTest, EveryUnitScopeIsTheDistrictOrAStreet) {
  std::map<std::string, GridLevel> levels;
  for (const domain::GridNodeInput& node : demo().nodes) levels[node.code] = node.level;

  for (const domain::Unit& unit : demo().units) {
    ASSERT_TRUE(levels.contains(unit.scope_code)) << unit.code;
    EXPECT_TRUE(levels[unit.scope_code] == GridLevel::kDistrict ||
                levels[unit.scope_code] == GridLevel::kStreet)
        << unit.code;
  }
}

TEST(DemoDistrictTest, StarterCatalogueIsValid) {
  ASSERT_FALSE(demo().categories.empty());
  EXPECT_TRUE(domain::validate_catalog(demo().categories).empty());
}

TEST(DemoDistrictTest, GeneratingTwiceGivesTheSameDistrict) {
  const DemoDistrict again =
      make_demo_district(demo_data::k_kundulun_admin, demo_data::k_categories);

  ASSERT_EQ(again.nodes.size(), demo().nodes.size());
  for (std::size_t i = 0; i < again.nodes.size(); ++i) {
    EXPECT_EQ(again.nodes[i].code, demo().nodes[i].code);
    EXPECT_EQ(again.nodes[i].geometry_geojson, demo().nodes[i].geometry_geojson);
  }
}

}  // namespace
}  // namespace gridcase::app
