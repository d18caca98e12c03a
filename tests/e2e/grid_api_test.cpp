#include <gtest/gtest.h>

#include <set>

#include "support/demo_server.hpp"

namespace gridcase::testing {
namespace {

using nlohmann::json;

/// The README's example point, in the urban core of the demo district.
constexpr const char* kReadmeLocate = "/api/v1/grid/locate?lon=109.83&lat=40.65";

class GridApiTest : public DemoServerTest {
 protected:
  /// The cell (with its chain) at the README's point.
  json readme_cell() {
    const HttpResponse response = get(kReadmeLocate);
    EXPECT_EQ(response.status, 200U) << response.body;
    return json_of(response);
  }

  /// Every page of `target` at `limit` items each.
  std::vector<json> all_pages(const std::string& target, int limit) {
    std::vector<json> pages;
    std::string cursor;
    for (int guard = 0; guard < 1000; ++guard) {
      const char separator = target.find('?') == std::string::npos ? '?' : '&';
      std::string page_target = target + separator + "limit=" + std::to_string(limit);
      if (!cursor.empty()) page_target += "&cursor=" + cursor;
      const HttpResponse response = get(page_target);
      EXPECT_EQ(response.status, 200U) << page_target << ": " << response.body;
      pages.push_back(json_of(response));
      const json& next = pages.back()["next_cursor"];
      if (!next.is_string()) break;
      cursor = next.get<std::string>();
    }
    return pages;
  }
};

TEST_F(GridApiTest, ReadmeLocateExampleNamesTheWholeGridChain) {
  const json found = readme_cell();

  const std::string cell = found.at("cell").at("code");
  EXPECT_EQ(cell.size(), 15U);
  EXPECT_FALSE(found.at("cell").at("name").get<std::string>().empty());
  EXPECT_EQ(found.at("community").at("code"), cell.substr(0, 12));
  EXPECT_EQ(found.at("street").at("code"), cell.substr(0, 9));
  EXPECT_EQ(found.at("district").at("code"), "150203");
  EXPECT_EQ(found.at("district").at("name"), "昆都仑区");
}

TEST_F(GridApiTest, ReadmeLocateExampleNamesAnOfficerForEachDuty) {
  const json found = readme_cell();

  std::multiset<std::string> duties;
  for (const json& officer : found.at("officers")) {
    duties.insert(officer.at("duty").get<std::string>());
    EXPECT_FALSE(officer.at("code").get<std::string>().empty());
    EXPECT_FALSE(officer.at("name").get<std::string>().empty());
  }
  EXPECT_EQ(duties, (std::multiset<std::string>{"grid_officer", "road_chief", "sanitation"}));
}

TEST_F(GridApiTest, LocateEchoesThePoint) {
  const json found = readme_cell();

  EXPECT_DOUBLE_EQ(found.at("point").at("lon").get<double>(), 109.83);
  EXPECT_DOUBLE_EQ(found.at("point").at("lat").get<double>(), 40.65);
}

TEST_F(GridApiTest, LocateAnswersJson) {
  EXPECT_EQ(get(kReadmeLocate).header("Content-Type"), "application/json");
}

TEST_F(GridApiTest, DistrictHasNoParentsAndThirteenStreetsAsChildren) {
  const HttpResponse response = get("/api/v1/grid/150203");

  ASSERT_EQ(response.status, 200U) << response.body;
  const json district = json_of(response);
  EXPECT_EQ(district.at("level"), "district");
  EXPECT_EQ(district.at("parents"), json::array());
  EXPECT_EQ(district.at("children").size(), 13U);
  for (const json& child : district.at("children")) EXPECT_EQ(child.at("level"), "street");
  EXPECT_EQ(district.at("current_cells"), 68 * 67);
}

TEST_F(GridApiTest, CellListsItsParentsOutermostFirstAndHasNoChildren) {
  const std::string cell = readme_cell().at("cell").at("code");

  const HttpResponse response = get("/api/v1/grid/" + cell);

  ASSERT_EQ(response.status, 200U) << response.body;
  const json node = json_of(response);
  EXPECT_EQ(node.at("code"), cell);
  EXPECT_EQ(node.at("level"), "cell");
  ASSERT_EQ(node.at("parents").size(), 3U);
  EXPECT_EQ(node.at("parents")[0].at("code"), cell.substr(0, 6));
  EXPECT_EQ(node.at("parents")[1].at("code"), cell.substr(0, 9));
  EXPECT_EQ(node.at("parents")[2].at("code"), cell.substr(0, 12));
  EXPECT_EQ(node.at("children"), json::array());
}

TEST_F(GridApiTest, CommunityListsItsCellsAsChildren) {
  const std::string community = readme_cell().at("community").at("code");

  const json node = json_of(get("/api/v1/grid/" + community));

  EXPECT_EQ(node.at("parent_code"), community.substr(0, 9));
  EXPECT_EQ(node.at("children").size(), node.at("current_cells").get<std::size_t>());
  for (const json& child : node.at("children")) {
    EXPECT_EQ(child.at("code").get<std::string>().substr(0, 12), community);
  }
}

TEST_F(GridApiTest, NodeGeometryIsSentOnlyWhenAskedFor) {
  const std::string cell = readme_cell().at("cell").at("code");

  const json without = json_of(get("/api/v1/grid/" + cell));
  const json with = json_of(get("/api/v1/grid/" + cell + "?geometry=true"));

  EXPECT_TRUE(without.at("geometry").is_null());
  EXPECT_EQ(with.at("geometry").at("type"), "MultiPolygon");
}

TEST_F(GridApiTest, CellPagesDoNotOverlapAndTogetherListEveryCell) {
  const std::string community = readme_cell().at("community").at("code");
  const std::size_t cells = json_of(get("/api/v1/grid/" + community)).at("current_cells");

  const std::vector<json> pages = all_pages("/api/v1/grid/" + community + "/cells", 10);

  std::set<std::string> codes;
  std::size_t listed = 0;
  for (const json& page : pages) {
    EXPECT_LE(page.at("items").size(), 10U);
    for (const json& item : page.at("items")) {
      codes.insert(item.at("code").get<std::string>());
      ++listed;
    }
  }
  EXPECT_EQ(listed, cells);
  EXPECT_EQ(codes.size(), cells);
  EXPECT_GT(pages.size(), 1U);
}

TEST_F(GridApiTest, LastCellPageHasANullCursor) {
  const std::string community = readme_cell().at("community").at("code");

  const std::vector<json> pages = all_pages("/api/v1/grid/" + community + "/cells", 10);

  EXPECT_TRUE(pages.back().at("next_cursor").is_null());
  for (std::size_t i = 0; i + 1 < pages.size(); ++i)
    EXPECT_TRUE(pages[i].at("next_cursor").is_string());
}

TEST_F(GridApiTest, CellPagesComeInCodeOrder) {
  const std::string street = readme_cell().at("street").at("code");

  const std::vector<json> pages = all_pages("/api/v1/grid/" + street + "/cells", 200);

  std::string previous;
  for (const json& page : pages) {
    for (const json& item : page.at("items")) {
      const std::string code = item.at("code");
      EXPECT_LT(previous, code);
      EXPECT_EQ(code.substr(0, 9), street);
      previous = code;
    }
  }
}

TEST_F(GridApiTest, CellItemsNameTheirCommunityAndAPointInside) {
  const std::string community = readme_cell().at("community").at("code");

  const json page = json_of(get("/api/v1/grid/" + community + "/cells?limit=1"));

  ASSERT_EQ(page.at("items").size(), 1U);
  EXPECT_EQ(page.at("items")[0].at("community"), community);
  EXPECT_EQ(page.at("items")[0].at("point").size(), 2U);
}

TEST_F(GridApiTest, CommunityHasFourOfficersCoveringTheThreeDuties) {
  const std::string community = readme_cell().at("community").at("code");

  const HttpResponse response = get("/api/v1/officers?grid=" + community);

  ASSERT_EQ(response.status, 200U) << response.body;
  const json officers = json_of(response);
  EXPECT_EQ(officers.at("items").size(), 4U);
  std::set<std::string> duties;
  for (const json& officer : officers.at("items")) {
    for (const json& duty : officer.at("duties")) duties.insert(duty.at("duty").get<std::string>());
  }
  EXPECT_EQ(duties, (std::set<std::string>{"grid_officer", "road_chief", "sanitation"}));
  EXPECT_TRUE(officers.at("next_cursor").is_null());
}

TEST_F(GridApiTest, OfficersOfTheDistrictArePagedWithoutOverlap) {
  const std::vector<json> pages = all_pages("/api/v1/officers?grid=150203", 150);

  // Officers the administration tests add (codes "e2e-…", kept between runs) are not the demo's.
  std::set<std::string> codes;
  std::size_t listed = 0;
  for (const json& page : pages) {
    for (const json& officer : page.at("items")) {
      const std::string code = officer.at("code").get<std::string>();
      if (code.starts_with("e2e-")) continue;
      codes.insert(code);
      ++listed;
    }
  }

  EXPECT_EQ(pages.size(), 3U);
  EXPECT_EQ(listed, 400U);
  EXPECT_EQ(codes.size(), 400U);
}

TEST_F(GridApiTest, UnitsListEightTypesForTheDistrictAndEachStreet) {
  const HttpResponse response = get("/api/v1/units");

  ASSERT_EQ(response.status, 200U) << response.body;
  const json units = json_of(response);
  std::set<std::string> types;
  std::set<std::string> scopes;
  std::size_t demo_units = 0;
  for (const json& unit : units.at("items")) {
    // Units the administration tests add ("e2e-…", kept between runs) are not the demo's.
    if (unit.at("code").get<std::string>().starts_with("e2e-")) continue;
    types.insert(unit.at("type").get<std::string>());
    scopes.insert(unit.at("scope").get<std::string>());
    ++demo_units;
  }
  EXPECT_EQ(demo_units, 8U * 14U);
  EXPECT_EQ(types.size(), 8U);
  EXPECT_EQ(scopes.size(), 14U);
}

TEST_F(GridApiTest, CategoriesAreAddressedByTypeAndCode) {
  const HttpResponse response = get("/api/v1/categories");

  ASSERT_EQ(response.status, 200U) << response.body;
  const json categories = json_of(response);
  ASSERT_FALSE(categories.at("items").empty());
  for (const json& category : categories.at("items")) {
    const std::string key = category.at("key");
    EXPECT_EQ(
        key, category.at("type").get<std::string>() + ":" + category.at("code").get<std::string>());
    EXPECT_FALSE(category.at("conditions").empty()) << key;
  }
}

}  // namespace
}  // namespace gridcase::testing
