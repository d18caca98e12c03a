#include <gtest/gtest.h>

#include <iomanip>
#include <nlohmann/json.hpp>
#include <sstream>

#include "gridcase/domain/access.hpp"
#include "gridcase/service/grid_service.hpp"
#include "gridcase/storage/database.hpp"
#include "support/run_sync.hpp"
#include "support/test_database.hpp"

namespace gridcase::service {
namespace {

using domain::Error;
using domain::ErrorCode;
using domain::FieldError;
using domain::GridLevel;
using domain::GridNodeInput;
using nlohmann::json;

/// Degrees per cell side (≈1 km here): a hand-made grid only these tests use.
constexpr double kCell = 0.01;

std::string polygon(const std::vector<std::pair<double, double>>& ring) {
  std::ostringstream text;
  text << std::setprecision(12) << R"({"type":"Polygon","coordinates":[[)";
  for (std::size_t i = 0; i <= ring.size(); ++i) {
    const auto& [lon, lat] = ring[i % ring.size()];
    text << (i == 0 ? "" : ",") << '[' << lon << ',' << lat << ']';
  }
  text << "]]}";
  return text.str();
}

std::string rectangle(double west, double south, double east, double north) {
  return polygon({{west, south}, {east, south}, {east, north}, {west, north}});
}

/// A district of its own, somewhere no other test puts one, with one street, one community and
/// two cells side by side (west 001, east 002) sharing the edge lon = origin + kCell.
class HandMadeGrid {
 public:
  HandMadeGrid(std::string district, double origin_lon, double origin_lat)
      : district_(std::move(district)), lon_(origin_lon), lat_(origin_lat) {}

  std::string district() const { return district_; }
  std::string street() const { return district_ + "001"; }
  std::string community() const { return street() + "001"; }
  std::string cell(int sequence) const {
    return community() + (sequence < 10 ? "00" : "0") + std::to_string(sequence);
  }
  double lon(double cells) const { return lon_ + cells * kCell; }
  double lat(double cells) const { return lat_ + cells * kCell; }

  /// An axis-aligned box in cell units from the origin.
  std::string box(double west, double south, double east, double north) const {
    return rectangle(lon(west), lat(south), lon(east), lat(north));
  }

  GridNodeInput node(std::string code, GridLevel level, std::string geometry) const {
    std::optional<std::string> parent;
    if (level != GridLevel::kDistrict) parent = code.substr(0, code.size() - 3);
    return GridNodeInput{code, "测试 " + code, level, parent, std::nullopt, std::move(geometry)};
  }

  /// District, street and community: 2 × 1 cells.
  std::vector<GridNodeInput> parents() const {
    return {node(district(), GridLevel::kDistrict, box(0, 0, 2, 1)),
            node(street(), GridLevel::kStreet, box(0, 0, 2, 1)),
            node(community(), GridLevel::kCommunity, box(0, 0, 2, 1))};
  }

  std::vector<GridNodeInput> valid() const {
    std::vector<GridNodeInput> nodes = parents();
    nodes.push_back(node(cell(1), GridLevel::kCell, box(0, 0, 1, 1)));
    nodes.push_back(node(cell(2), GridLevel::kCell, box(1, 0, 2, 1)));
    return nodes;
  }

 private:
  std::string district_;
  double lon_;
  double lat_;
};

class GridImportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    url_ = testing::test_database_url();
    storage::apply_migrations(testing::database_options(url_));
    database_ = storage::open_database(testing::database_options(url_));
    grid_service_.emplace(*database_);
  }

  void TearDown() override {
    for (const std::string& code : districts_) testing::delete_grid_subtree(url_, code);
  }

  /// Reserves `grid`'s district for this test: gone before and after it.
  HandMadeGrid use(HandMadeGrid grid) {
    testing::delete_grid_subtree(url_, grid.district());
    districts_.push_back(grid.district());
    return grid;
  }

  ImportSummary import(std::vector<GridNodeInput> nodes) {
    return testing::run_sync(grid_service_->import(std::move(nodes), domain::command_line_actor()));
  }

  /// The error an import that must fail throws.
  Error refusal_of(std::vector<GridNodeInput> nodes) {
    try {
      import(std::move(nodes));
    } catch (const Error& error) {
      return error;
    }
    ADD_FAILURE() << "the import was accepted";
    return Error(ErrorCode::kInternal, "accepted");
  }

  bool exists(const std::string& code) {
    try {
      testing::run_sync(grid_service_->node(code, false));
      return true;
    } catch (const Error& error) {
      if (error.code() != ErrorCode::kNotFound) throw;
      return false;
    }
  }

  json locate(double lon, double lat) {
    return json::parse(testing::run_sync(grid_service_->locate(domain::Point{lon, lat},
                                                               domain::command_line_actor()))
                           .text);
  }

  std::string url_;
  std::unique_ptr<storage::Database> database_;
  std::optional<GridService> grid_service_;
  std::vector<std::string> districts_;
};

/// The messages reported for `field`.
std::vector<std::string> messages_for(const Error& error, const std::string& field) {
  std::vector<std::string> messages;
  for (const FieldError& problem : error.details().fields) {
    if (problem.field == field) messages.push_back(problem.message);
  }
  return messages;
}

bool mentions(const std::vector<std::string>& messages, const std::string& part) {
  for (const std::string& message : messages) {
    if (message.find(part) != std::string::npos) return true;
  }
  return false;
}

TEST_F(GridImportTest, ValidGridIsImportedAndCountedPerLevel) {
  const HandMadeGrid grid = use(HandMadeGrid{"150299", 10.0, 10.0});

  const ImportSummary summary = import(grid.valid());

  EXPECT_EQ(
      summary.nodes_by_level,
      (std::map<std::string, int>{{"district", 1}, {"street", 1}, {"community", 1}, {"cell", 2}}));
  EXPECT_TRUE(exists(grid.cell(2)));
}

TEST_F(GridImportTest, ImportedNodeKnowsItsParentsAndChildren) {
  const HandMadeGrid grid = use(HandMadeGrid{"150296", 12.0, 10.0});
  import(grid.valid());

  const json community =
      json::parse(testing::run_sync(grid_service_->node(grid.community(), false)).text);

  EXPECT_EQ(community.at("level"), "community");
  EXPECT_EQ(community.at("parent_code"), grid.street());
  EXPECT_EQ(community.at("parents").size(), 2U);
  EXPECT_EQ(community.at("children").size(), 2U);
  EXPECT_EQ(community.at("current_cells"), 2);
}

TEST_F(GridImportTest, ChildrenMayBeImportedUnderParentsAlreadyInTheDatabase) {
  const HandMadeGrid grid = use(HandMadeGrid{"150295", 14.0, 10.0});
  import(grid.parents());

  const ImportSummary summary =
      import({grid.node(grid.cell(1), GridLevel::kCell, grid.box(0, 0, 1, 1))});

  EXPECT_EQ(summary.nodes_by_level.at("cell"), 1);
  EXPECT_TRUE(exists(grid.cell(1)));
}

TEST_F(GridImportTest, FileWithOneBadFeatureImportsNothing) {
  const HandMadeGrid grid = use(HandMadeGrid{"150294", 16.0, 10.0});
  std::vector<GridNodeInput> nodes = grid.valid();
  nodes[4].geometry_geojson = grid.box(5, 5, 6, 6);  // the second cell lies outside its community

  refusal_of(nodes);

  EXPECT_FALSE(exists(grid.district()));
  EXPECT_FALSE(exists(grid.cell(1)));
}

TEST_F(GridImportTest, RefusalIsAnInvalidValueThatSaysNothingWasImported) {
  const HandMadeGrid grid = use(HandMadeGrid{"150293", 18.0, 10.0});
  std::vector<GridNodeInput> nodes = grid.valid();
  nodes[4].geometry_geojson = grid.box(5, 5, 6, 6);

  const Error error = refusal_of(nodes);

  EXPECT_EQ(error.code(), ErrorCode::kInvalidValue);
  EXPECT_NE(std::string(error.what()).find("nothing was imported"), std::string::npos)
      << error.what();
}

TEST_F(GridImportTest, SelfIntersectingPolygonIsReportedOnItsGeometry) {
  const HandMadeGrid grid = use(HandMadeGrid{"150292", 20.0, 10.0});
  std::vector<GridNodeInput> nodes = grid.valid();
  // A bowtie: its two halves cross at the centre of the cell.
  nodes[3].geometry_geojson = polygon({{grid.lon(0), grid.lat(0)},
                                       {grid.lon(1), grid.lat(1)},
                                       {grid.lon(1), grid.lat(0)},
                                       {grid.lon(0), grid.lat(1)}});

  const Error error = refusal_of(nodes);

  EXPECT_TRUE(mentions(messages_for(error, "features[3].geometry"), "invalid polygon"));
  EXPECT_FALSE(exists(grid.district()));
}

TEST_F(GridImportTest, CellOutsideItsCommunityIsReported) {
  const HandMadeGrid grid = use(HandMadeGrid{"150291", 22.0, 10.0});
  std::vector<GridNodeInput> nodes = grid.valid();
  nodes[4].geometry_geojson = grid.box(1.5, 0, 2.5, 1);  // half of it sticks out east

  const Error error = refusal_of(nodes);

  EXPECT_EQ(messages_for(error, "features[4].geometry"),
            std::vector<std::string>{"not inside its parent"});
}

TEST_F(GridImportTest, OverlappingSiblingCellsAreReported) {
  const HandMadeGrid grid = use(HandMadeGrid{"150290", 24.0, 10.0});
  std::vector<GridNodeInput> nodes = grid.valid();
  nodes[4].geometry_geojson = grid.box(0.5, 0, 1.5, 1);  // covers half of cell 001

  const Error error = refusal_of(nodes);

  EXPECT_TRUE(
      mentions(messages_for(error, "features[4].geometry"), "overlaps sibling " + grid.cell(1)));
}

TEST_F(GridImportTest, CellOverlappingACellAlreadyInTheDatabaseIsReported) {
  const HandMadeGrid grid = use(HandMadeGrid{"150289", 26.0, 10.0});
  import(grid.valid());

  const Error error =
      refusal_of({grid.node(grid.cell(3), GridLevel::kCell, grid.box(0.5, 0, 1.5, 1))});

  EXPECT_TRUE(mentions(messages_for(error, "features[0].geometry"), "overlaps existing sibling"));
}

TEST_F(GridImportTest, DistrictOverlappingAnotherDistrictInTheFileIsReported) {
  const HandMadeGrid west = use(HandMadeGrid{"150275", 52.0, 10.0});
  const HandMadeGrid east = use(HandMadeGrid{"150274", 52.01, 10.0});

  const Error error =
      refusal_of({west.node(west.district(), GridLevel::kDistrict, west.box(0, 0, 2, 1)),
                  east.node(east.district(), GridLevel::kDistrict, east.box(0, 0, 2, 1))});

  EXPECT_TRUE(
      mentions(messages_for(error, "features[0].geometry"), "overlaps sibling " + east.district()));
}

TEST_F(GridImportTest, DistrictOverlappingADistrictAlreadyInTheDatabaseIsReported) {
  const HandMadeGrid west = use(HandMadeGrid{"150270", 54.0, 10.0});
  const HandMadeGrid east = use(HandMadeGrid{"150269", 54.01, 10.0});
  import({west.node(west.district(), GridLevel::kDistrict, west.box(0, 0, 2, 1))});

  const Error error =
      refusal_of({east.node(east.district(), GridLevel::kDistrict, east.box(0, 0, 2, 1))});

  EXPECT_TRUE(mentions(messages_for(error, "features[0].geometry"),
                       "overlaps existing sibling " + west.district()));
}

TEST_F(GridImportTest, CellsSharingOnlyAnEdgeDoNotOverlap) {
  const HandMadeGrid grid = use(HandMadeGrid{"150288", 28.0, 10.0});

  EXPECT_NO_THROW(import(grid.valid()));
}

TEST_F(GridImportTest, MissingParentIsReported) {
  const HandMadeGrid grid = use(HandMadeGrid{"150287", 30.0, 10.0});
  std::vector<GridNodeInput> nodes = grid.valid();
  nodes.erase(nodes.begin() + 2);  // the community goes; its cells stay

  const Error error = refusal_of(nodes);

  EXPECT_TRUE(mentions(messages_for(error, "features[2].properties.parent_code"), "no such node"));
  EXPECT_TRUE(mentions(messages_for(error, "features[3].properties.parent_code"), "no such node"));
}

TEST_F(GridImportTest, ExistingCodeReimportedIsReported) {
  const HandMadeGrid grid = use(HandMadeGrid{"150286", 32.0, 10.0});
  import(grid.valid());

  const Error error = refusal_of(grid.valid());

  for (int i = 0; i < 5; ++i) {
    const std::string field = "features[" + std::to_string(i) + "].properties.code";
    EXPECT_TRUE(mentions(messages_for(error, field), "already exists")) << field;
  }
}

TEST_F(GridImportTest, GeometryThatIsNotAPolygonIsReported) {
  const HandMadeGrid grid = use(HandMadeGrid{"150285", 34.0, 10.0});
  std::vector<GridNodeInput> nodes = grid.valid();
  nodes[3].geometry_geojson = R"({"type":"Point","coordinates":[34.005,10.005]})";

  const Error error = refusal_of(nodes);

  EXPECT_TRUE(mentions(messages_for(error, "features[3].geometry"), "Polygon or MultiPolygon"));
}

TEST_F(GridImportTest, UnreadableGeometryIsReported) {
  const HandMadeGrid grid = use(HandMadeGrid{"150284", 36.0, 10.0});
  std::vector<GridNodeInput> nodes = grid.valid();
  nodes[3].geometry_geojson = R"({"type":"Polygon","coordinates":"nowhere"})";

  const Error error = refusal_of(nodes);

  EXPECT_TRUE(
      mentions(messages_for(error, "features[3].geometry"), "not a readable GeoJSON geometry"));
}

TEST_F(GridImportTest, CoordinatesOutsideWgs84AreReported) {
  const HandMadeGrid grid = use(HandMadeGrid{"150283", 38.0, 10.0});
  std::vector<GridNodeInput> nodes = grid.valid();
  for (GridNodeInput& node : nodes)
    node.geometry_geojson = rectangle(500000, 4000000, 500100, 4000100);

  const Error error = refusal_of(nodes);

  EXPECT_TRUE(mentions(messages_for(error, "features[0].geometry"), "WGS84"));
}

TEST_F(GridImportTest, EveryProblemOfTheFileIsReportedAtOnce) {
  const HandMadeGrid grid = use(HandMadeGrid{"150282", 40.0, 10.0});
  std::vector<GridNodeInput> nodes = grid.parents();
  nodes.push_back(grid.node(grid.cell(1), GridLevel::kCell,  // a bowtie
                            polygon({{grid.lon(0), grid.lat(0)},
                                     {grid.lon(1), grid.lat(1)},
                                     {grid.lon(1), grid.lat(0)},
                                     {grid.lon(0), grid.lat(1)}})));
  nodes.push_back(grid.node(grid.cell(2), GridLevel::kCell, grid.box(1, 0, 2, 1)));
  nodes.push_back(
      grid.node(grid.cell(3), GridLevel::kCell, grid.box(1.5, 0, 2, 0.5)));          // overlaps 002
  nodes.push_back(grid.node(grid.cell(4), GridLevel::kCell, grid.box(7, 7, 8, 8)));  // outside
  nodes.push_back(
      grid.node(grid.district() + "002001", GridLevel::kCommunity, grid.box(0, 0, 1, 1)));

  const Error error = refusal_of(nodes);

  EXPECT_TRUE(mentions(messages_for(error, "features[3].geometry"), "invalid polygon"));
  EXPECT_TRUE(
      mentions(messages_for(error, "features[5].geometry"), "overlaps sibling " + grid.cell(2)));
  EXPECT_TRUE(mentions(messages_for(error, "features[6].geometry"), "not inside its parent"));
  EXPECT_TRUE(mentions(messages_for(error, "features[7].properties.parent_code"), "no such node"));
  EXPECT_FALSE(exists(grid.district()));
}

TEST_F(GridImportTest, PointInsideACellLocatesToItWithItsWholeChain) {
  const HandMadeGrid grid = use(HandMadeGrid{"150281", 42.0, 10.0});
  import(grid.valid());

  const json found = locate(grid.lon(1.5), grid.lat(0.5));

  EXPECT_EQ(found.at("cell").at("code"), grid.cell(2));
  EXPECT_EQ(found.at("community").at("code"), grid.community());
  EXPECT_EQ(found.at("street").at("code"), grid.street());
  EXPECT_EQ(found.at("district").at("code"), grid.district());
  EXPECT_EQ(found.at("officers"), json::array());
}

TEST_F(GridImportTest, PointOnASharedEdgeLocatesToTheLowerCellCode) {
  const HandMadeGrid grid = use(HandMadeGrid{"150280", 44.0, 10.0});
  import(grid.valid());

  const json found = locate(grid.lon(1), grid.lat(0.5));

  EXPECT_EQ(found.at("cell").at("code"), grid.cell(1));
}

TEST_F(GridImportTest, PointOnASharedEdgeLocatesTheSameWayEveryTime) {
  const HandMadeGrid grid = use(HandMadeGrid{"150279", 46.0, 10.0});
  import(grid.valid());

  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(locate(grid.lon(1), grid.lat(0.25)).at("cell").at("code"), grid.cell(1));
}

TEST_F(GridImportTest, PointOnTheOuterEdgeOfACellStillLocatesToIt) {
  const HandMadeGrid grid = use(HandMadeGrid{"150278", 48.0, 10.0});
  import(grid.valid());

  EXPECT_EQ(locate(grid.lon(2), grid.lat(0.5)).at("cell").at("code"), grid.cell(2));
}

TEST_F(GridImportTest, PointOutsideEveryCellIsAnInvalidValueNamingTheCoordinates) {
  try {
    locate(-170.5, -80.5);  // no test puts a grid near the South Pole
    FAIL() << "no exception";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::kInvalidValue);
    EXPECT_FALSE(messages_for(error, "lon").empty());
    EXPECT_FALSE(messages_for(error, "lat").empty());
  }
}

TEST_F(GridImportTest, UnknownCodeIsNotFound) {
  try {
    testing::run_sync(grid_service_->node("150277", false));
    FAIL() << "no exception";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::kNotFound);
  }
}

TEST_F(GridImportTest, CellsArePagedByCodeWithACursor) {
  const HandMadeGrid grid = use(HandMadeGrid{"150276", 50.0, 10.0});
  import(grid.valid());

  const json first =
      json::parse(testing::run_sync(grid_service_->cells(grid.district(), PageRequest{{}, 1},
                                                         domain::command_line_actor()))
                      .text);
  const json second =
      json::parse(testing::run_sync(grid_service_->cells(grid.district(),
                                                         PageRequest{first.at("next_cursor"), 1},
                                                         domain::command_line_actor()))
                      .text);

  ASSERT_EQ(first.at("items").size(), 1U);
  EXPECT_EQ(first.at("items")[0].at("code"), grid.cell(1));
  ASSERT_EQ(second.at("items").size(), 1U);
  EXPECT_EQ(second.at("items")[0].at("code"), grid.cell(2));
  EXPECT_TRUE(second.at("next_cursor").is_null());
}

TEST_F(GridImportTest, OfficersOfASubtreeArePagedByTheirCodes) {
  const HandMadeGrid grid = use(HandMadeGrid{"150268", 56.0, 10.0});
  import(grid.valid());
  std::vector<domain::Officer> officers;
  for (const char* code : {"IT150268-A", "IT150268-B", "IT150268-C"}) {
    officers.push_back({code, "测试", "", {{domain::Duty::kGridOfficer, {}}}});
  }
  officers[0].responsibilities[0].cell_codes = {grid.cell(1)};
  officers[1].responsibilities[0] = {domain::Duty::kRoadChief, {grid.cell(1), grid.cell(2)}};
  officers[2].responsibilities[0] = {domain::Duty::kSanitation, {grid.cell(1), grid.cell(2)}};
  testing::run_sync(grid_service_->add_officers(officers));

  const json first =
      json::parse(testing::run_sync(grid_service_->officers(grid.district(), PageRequest{{}, 2},
                                                            domain::command_line_actor()))
                      .text);
  const json second =
      json::parse(testing::run_sync(grid_service_->officers(grid.district(),
                                                            PageRequest{first.at("next_cursor"), 2},
                                                            domain::command_line_actor()))
                      .text);

  ASSERT_EQ(first.at("items").size(), 2U);
  EXPECT_EQ(first.at("items")[0].at("code"), "IT150268-A");
  EXPECT_EQ(first.at("items")[1].at("code"), "IT150268-B");
  EXPECT_EQ(first.at("next_cursor"), "IT150268-B");
  ASSERT_EQ(second.at("items").size(), 1U);
  EXPECT_EQ(second.at("items")[0].at("code"), "IT150268-C");
  EXPECT_TRUE(second.at("next_cursor").is_null());
}

TEST_F(GridImportTest, LocateNamesTheOfficerOfEachDutyOfTheCell) {
  const HandMadeGrid grid = use(HandMadeGrid{"150267", 58.0, 10.0});
  import(grid.valid());
  testing::run_sync(grid_service_->add_officers(
      {{"IT150267-A", "甲", "13900000001", {{domain::Duty::kGridOfficer, {grid.cell(2)}}}},
       {"IT150267-B", "乙", "", {{domain::Duty::kSanitation, {grid.cell(1), grid.cell(2)}}}}}));

  const json found = locate(grid.lon(1.5), grid.lat(0.5));

  ASSERT_EQ(found.at("officers").size(), 2U);
  EXPECT_EQ(found.at("officers")[0].at("duty"), "grid_officer");
  EXPECT_EQ(found.at("officers")[0].at("code"), "IT150267-A");
  EXPECT_EQ(found.at("officers")[0].at("phone"), "13900000001");
  EXPECT_EQ(found.at("officers")[1].at("duty"), "sanitation");
  EXPECT_TRUE(found.at("officers")[1].at("phone").is_null());
}

}  // namespace
}  // namespace gridcase::service
