#include <gtest/gtest.h>

#include <algorithm>
#include <iomanip>
#include <sstream>

#include "support/demo_server.hpp"
#include "support/test_database.hpp"

namespace gridcase::testing {
namespace {

using nlohmann::json;

/// District codes only these tests use, far from the demo district and from each other.
constexpr const char* kImported = "150297";
constexpr const char* kBowtie = "150272";
constexpr const char* kRefused = "150273";

json box(double west, double south, double east, double north) {
  return json{{"type", "Polygon"},
              {"coordinates",
               json::array({json::array({json::array({west, south}), json::array({east, south}),
                                         json::array({east, north}), json::array({west, north}),
                                         json::array({west, south})})})}};
}

json feature(const std::string& code, const std::string& level, json geometry) {
  json properties{{"code", code}, {"name", "测试 " + code}, {"level", level}};
  if (level != "district") properties["parent_code"] = code.substr(0, code.size() - 3);
  return json{{"type", "Feature"}, {"properties", properties}, {"geometry", std::move(geometry)}};
}

/// District, street, community and two cells side by side at (lon, lat), 0.01° a cell.
json small_grid(const std::string& district, double lon, double lat) {
  const std::string community = district + "001001";
  return json{
      {"type", "FeatureCollection"},
      {"features",
       json::array(
           {feature(district, "district", box(lon, lat, lon + 0.02, lat + 0.01)),
            feature(district + "001", "street", box(lon, lat, lon + 0.02, lat + 0.01)),
            feature(community, "community", box(lon, lat, lon + 0.02, lat + 0.01)),
            feature(community + "001", "cell", box(lon, lat, lon + 0.01, lat + 0.01)),
            feature(community + "002", "cell", box(lon + 0.01, lat, lon + 0.02, lat + 0.01))})}};
}

class GridImportApiTest : public DemoServerTest {
 protected:
  void SetUp() override {
    DemoServerTest::SetUp();
    for (const char* code : {kImported, kBowtie, kRefused})
      delete_grid_subtree(e2e_database_url(), code);
  }

  void TearDown() override {
    for (const char* code : {kImported, kBowtie, kRefused})
      delete_grid_subtree(e2e_database_url(), code);
  }

  static HttpResponse import(const json& collection,
                             std::string_view content_type = "application/geo+json") {
    return post("/api/v1/grid/import", collection.dump(), content_type);
  }
};

TEST_F(GridImportApiTest, ValidImportIs201WithCountsPerLevel) {
  const HttpResponse response = import(small_grid(kImported, 100.0, 30.0));

  ASSERT_EQ(response.status, 201U) << response.body;
  EXPECT_EQ(json_of(response).at("imported"),
            (json{{"district", 1}, {"street", 1}, {"community", 1}, {"cell", 2}}));
}

TEST_F(GridImportApiTest, ImportedCellIsLocatable) {
  ASSERT_EQ(import(small_grid(kImported, 100.0, 30.0)).status, 201U);

  const HttpResponse response = get("/api/v1/grid/locate?lon=100.015&lat=30.005");

  ASSERT_EQ(response.status, 200U) << response.body;
  const json found = json_of(response);
  EXPECT_EQ(found.at("cell").at("code"), std::string(kImported) + "001001002");
  EXPECT_EQ(found.at("district").at("code"), kImported);
}

TEST_F(GridImportApiTest, PlainJsonContentTypeIsAcceptedToo) {
  EXPECT_EQ(import(small_grid(kImported, 100.0, 30.0), "application/json; charset=utf-8").status,
            201U);
}

TEST_F(GridImportApiTest, SecondImportOfTheSameFileIs422) {
  ASSERT_EQ(import(small_grid(kImported, 100.0, 30.0)).status, 201U);

  const HttpResponse response = import(small_grid(kImported, 100.0, 30.0));

  EXPECT_TRUE(is_problem(response, 422));
  const std::vector<std::string> fields = error_fields(response);
  EXPECT_NE(std::find(fields.begin(), fields.end(), "features[0].properties.code"), fields.end());
}

TEST_F(GridImportApiTest, SelfIntersectingPolygonIs422NamingItsGeometry) {
  json collection = small_grid(kBowtie, 101.0, 30.0);
  collection["features"][3]["geometry"]["coordinates"] =
      json::parse("[[[101.0,30.0],[101.01,30.01],[101.01,30.0],[101.0,30.01],[101.0,30.0]]]");

  const HttpResponse response = import(collection);

  EXPECT_TRUE(is_problem(response, 422));
  const std::vector<std::string> fields = error_fields(response);
  EXPECT_NE(std::find(fields.begin(), fields.end(), "features[3].geometry"), fields.end())
      << response.body;
}

TEST_F(GridImportApiTest, RefusedImportLeavesNothingBehind) {
  json collection = small_grid(kBowtie, 101.0, 30.0);
  collection["features"][3]["geometry"]["coordinates"] =
      json::parse("[[[101.0,30.0],[101.01,30.01],[101.01,30.0],[101.0,30.01],[101.0,30.0]]]");
  ASSERT_EQ(import(collection).status, 422U);

  EXPECT_TRUE(is_problem(get(std::string("/api/v1/grid/") + kBowtie), 404));
  EXPECT_TRUE(is_problem(get(std::string("/api/v1/grid/") + kBowtie + "001001001"), 404));
}

TEST_F(GridImportApiTest, InvalidCodesAreAllReportedAs422) {
  json collection = small_grid(kRefused, 102.0, 30.0);
  collection["features"][3]["properties"]["code"] = std::string(kRefused) + "001001000";
  collection["features"][4]["properties"]["parent_code"] = "150273001002";

  const HttpResponse response = import(collection);

  EXPECT_TRUE(is_problem(response, 422));
  const std::vector<std::string> fields = error_fields(response);
  EXPECT_NE(std::find(fields.begin(), fields.end(), "features[3].properties.code"), fields.end());
  EXPECT_NE(std::find(fields.begin(), fields.end(), "features[4].properties.parent_code"),
            fields.end());
}

TEST_F(GridImportApiTest, UnknownLevelIs422) {
  json collection = small_grid(kRefused, 102.0, 30.0);
  collection["features"][0]["properties"]["level"] = "province";

  EXPECT_TRUE(is_problem(import(collection), 422));
}

TEST_F(GridImportApiTest, MissingPropertyIs400NamingIt) {
  json collection = small_grid(kRefused, 102.0, 30.0);
  collection["features"][2]["properties"].erase("name");

  const HttpResponse response = import(collection);

  EXPECT_TRUE(is_problem(response, 400));
  EXPECT_EQ(error_fields(response), std::vector<std::string>{"features[2].properties.name"});
}

TEST_F(GridImportApiTest, MalformedJsonIs400) {
  EXPECT_TRUE(is_problem(post("/api/v1/grid/import", R"({"type":"FeatureCollection","features":[)",
                              "application/geo+json"),
                         400));
}

TEST_F(GridImportApiTest, DeeplyNestedJsonIs400) {
  const std::string body = R"({"type":"FeatureCollection","features":)" + std::string(10000, '[') +
                           std::string(10000, ']') + "}";

  EXPECT_TRUE(is_problem(post("/api/v1/grid/import", body, "application/geo+json"), 400));
}

TEST_F(GridImportApiTest, WrongContentTypeIs415) {
  EXPECT_TRUE(is_problem(import(small_grid(kRefused, 102.0, 30.0), "text/plain"), 415));
}

TEST_F(GridImportApiTest, MissingContentTypeIs415) {
  const HttpResponse response =
      http_request(port(), "POST", "/api/v1/grid/import", small_grid(kRefused, 102.0, 30.0).dump(),
                   auth_headers("admin"));

  EXPECT_TRUE(is_problem(response, 415));
  EXPECT_TRUE(is_problem(get(std::string("/api/v1/grid/") + kRefused), 404));
}

}  // namespace
}  // namespace gridcase::testing
