// Changing the grid over HTTP (docs/grid.md, "Changing the grid"; docs/administration.md,
// "The grid"): retire, replace, a replacing import, and every refusal.
#include <gtest/gtest.h>

#include <algorithm>

#include "support/demo_server.hpp"
#include "support/test_database.hpp"

namespace gridcase::testing {
namespace {

using nlohmann::json;

/// A district code only these tests use, far from the demo district and every other test's.
constexpr const char* kDistrict = "150274";
constexpr double kLon = 102.0;
constexpr double kLat = 30.0;

json box(double from, double to) {
  const double west = kLon + from * 0.01;
  const double east = kLon + to * 0.01;
  return json{
      {"type", "Polygon"},
      {"coordinates",
       json::array({json::array({json::array({west, kLat}), json::array({east, kLat}),
                                 json::array({east, kLat + 0.01}), json::array({west, kLat + 0.01}),
                                 json::array({west, kLat})})})}};
}

/// A node over cells [from, to) of the district's single row.
json feature(const std::string& suffix, double from, double to, bool dated = false) {
  const std::string code = kDistrict + suffix;
  const char* level = code.size() == 6    ? "district"
                      : code.size() == 9  ? "street"
                      : code.size() == 12 ? "community"
                                          : "cell";
  json properties{{"code", code}, {"name", "测试 " + code}, {"level", level}};
  if (code.size() > 6) properties["parent_code"] = code.substr(0, code.size() - 3);
  if (dated) properties["valid_from"] = "2026-01-01";  // in force before today, so it can end today
  return json{{"type", "Feature"}, {"properties", properties}, {"geometry", box(from, to)}};
}

/// The district, its street, community 001001 (cells 001 and 002) and community 001002 (cell
/// 001), in force since January.
json grid_file() {
  return json{
      {"type", "FeatureCollection"},
      {"features", json::array({feature("", 0, 3, true), feature("001", 0, 3, true),
                                feature("001001", 0, 2, true), feature("001001001", 0, 1, true),
                                feature("001001002", 1, 2, true), feature("001002", 2, 3, true),
                                feature("001002001", 2, 3, true)})}};
}

std::string code(const std::string& suffix) { return kDistrict + suffix; }

bool names_field(const HttpResponse& response, const std::string& field) {
  const std::vector<std::string> fields = error_fields(response);
  return std::find(fields.begin(), fields.end(), field) != fields.end();
}

class GridChangeApiTest : public DemoServerTest {
 protected:
  void SetUp() override {
    DemoServerTest::SetUp();
    delete_grid_subtree(e2e_database_url(), kDistrict);
    ASSERT_EQ(post("/api/v1/grid/import", grid_file().dump(), "application/geo+json").status, 201U);
  }

  void TearDown() override { delete_grid_subtree(e2e_database_url(), kDistrict); }

  static HttpResponse retire(const std::string& suffix, const std::string& body = "{}") {
    return post("/api/v1/grid/" + code(suffix) + "/retire", body);
  }

  static HttpResponse replace(const json& body) {
    return post("/api/v1/grid/replace", body.dump(), "application/json");
  }

  static json node(const std::string& suffix) {
    return json_of(get("/api/v1/grid/" + code(suffix)));
  }

  static json merge() {
    return json{{"retire", json::array({code("001001"), code("001002")})},
                {"features", json::array({feature("001003", 0, 3), feature("001003001", 0, 1.5),
                                          feature("001003002", 1.5, 3)})}};
  }

  /// The grid as it stands: how many cells are current.
  static int current_cells() { return node("").at("current_cells").get<int>(); }

  /// How many admin audit records match `filter` (the log is append-only and outlives a test:
  /// tests compare counts before and after).
  static std::size_t audits(const std::string& filter) {
    return json_of(get("/api/v1/admin/audit?limit=200&" + filter)).at("items").size();
  }
};

TEST_F(GridChangeApiTest, RetiringACommunityEndsItAndItsCellsAndTheAuditLogHasIt) {
  const std::string filter = "action=grid.retire&target=" + code("001002");
  const std::size_t recorded = audits(filter);

  const HttpResponse response = retire("001002");

  ASSERT_EQ(response.status, 200U) << response.body;
  const json done = json_of(response);
  EXPECT_EQ(done.at("retired"), (json{{"cell", 1}, {"community", 1}}));
  EXPECT_FALSE(node("001002").at("valid_to").is_null());
  EXPECT_FALSE(node("001002001").at("valid_to").is_null());
  EXPECT_EQ(current_cells(), 2);
  EXPECT_TRUE(is_problem(get("/api/v1/grid/locate?lon=102.025&lat=30.005"), 422));

  const json cells = json_of(get("/api/v1/grid/" + code("001") + "/cells"));
  EXPECT_EQ(cells.at("items").size(), 2U);
  const json history = json_of(get("/api/v1/grid/" + code("001") + "/cells?history=true"));
  ASSERT_EQ(history.at("items").size(), 3U);
  EXPECT_EQ(history.at("items")[2].at("valid_to"), done.at("date"));

  // The street offers its current children; its history, the retired one too.
  EXPECT_EQ(node("001").at("children").size(), 1U);
  EXPECT_EQ(json_of(get("/api/v1/grid/" + code("001") + "?history=true")).at("children").size(),
            2U);

  ASSERT_EQ(audits(filter), recorded + 1);
  const json audit = json_of(get("/api/v1/admin/audit?" + filter));
  EXPECT_EQ(audit.at("items")[0].at("actor"), "admin");
}

TEST_F(GridChangeApiTest, AMergeReplacesTwoCommunitiesByOneInOneRequest) {
  const std::string filter = "action=grid.replace&target=" + code("001001");
  const std::size_t recorded = audits(filter);

  const HttpResponse response = replace(merge());

  ASSERT_EQ(response.status, 201U) << response.body;
  const json done = json_of(response);
  EXPECT_EQ(done.at("retired"), (json{{"cell", 3}, {"community", 2}}));
  EXPECT_EQ(done.at("imported"), (json{{"cell", 2}, {"community", 1}}));
  const json found = json_of(get("/api/v1/grid/locate?lon=102.025&lat=30.005"));
  EXPECT_EQ(found.at("cell").at("code"), code("001003002"));
  EXPECT_EQ(found.at("community").at("code"), code("001003"));
  EXPECT_EQ(audits(filter), recorded + 1);
}

TEST_F(GridChangeApiTest, AReplacingImportRetiresWhatTheFileLeavesOut) {
  json file = grid_file();
  file["features"].erase(6);  // community 001002 and its cell are left out
  file["features"].erase(5);

  const HttpResponse response =
      post("/api/v1/grid/import?mode=replace", file.dump(), "application/geo+json");

  ASSERT_EQ(response.status, 201U) << response.body;
  const json done = json_of(response);
  EXPECT_EQ(done.at("retired"), (json{{"cell", 1}, {"community", 1}}));
  EXPECT_EQ(done.at("kept"), 5);
  EXPECT_EQ(done.at("imported"), json::object());
  EXPECT_FALSE(node("001002").at("valid_to").is_null());
  EXPECT_TRUE(node("001001").at("valid_to").is_null());
}

TEST_F(GridChangeApiTest, ARetiredCodeCannotBeCreatedOrImportedAgain) {
  ASSERT_EQ(retire("001002").status, 200U);

  const HttpResponse created = replace(json{{"features", json::array({feature("001002", 2, 3)})}});
  EXPECT_TRUE(is_problem(created, 422));
  EXPECT_TRUE(names_field(created, "features[0].properties.code")) << created.body;

  const HttpResponse imported =
      post("/api/v1/grid/import",
           json{{"type", "FeatureCollection"}, {"features", json::array({feature("001002", 2, 3)})}}
               .dump(),
           "application/geo+json");
  EXPECT_TRUE(is_problem(imported, 422));
  EXPECT_TRUE(names_field(imported, "features[0].properties.code"));

  const HttpResponse again = retire("001002");
  EXPECT_TRUE(is_problem(again, 422));
  EXPECT_TRUE(names_field(again, "code"));
}

TEST_F(GridChangeApiTest, BadInputIsRefusedNamingTheFieldAndChangesNothing) {
  const std::size_t recorded = audits("target=" + code("001002"));
  // Unknown code: 404 on the node's own route, 422 naming it in a list.
  EXPECT_TRUE(is_problem(retire("009"), 404));
  json unknown = merge();
  unknown["retire"][1] = code("009");
  const HttpResponse listed = replace(unknown);
  EXPECT_TRUE(is_problem(listed, 422));
  EXPECT_TRUE(names_field(listed, "retire[1]")) << listed.body;

  // Overlapping replacement: the new community overlaps one the change does not retire.
  json overlapping = merge();
  overlapping["retire"].erase(1);
  const HttpResponse overlap = replace(overlapping);
  EXPECT_TRUE(is_problem(overlap, 422));
  EXPECT_TRUE(names_field(overlap, "features[0].geometry")) << overlap.body;

  // Bad geometry.
  json bowtie = merge();
  bowtie["features"][1]["geometry"]["coordinates"] =
      json::parse("[[[102.0,30.0],[102.01,30.01],[102.01,30.0],[102.0,30.01],[102.0,30.0]]]");
  const HttpResponse invalid = replace(bowtie);
  EXPECT_TRUE(is_problem(invalid, 422));
  EXPECT_TRUE(names_field(invalid, "features[1].geometry"));

  // A date to come, a date that is not one, a wrong JSON type, an unknown member.
  const HttpResponse future = retire("001002", R"({"date": "2999-01-01"})");
  EXPECT_TRUE(is_problem(future, 422));
  EXPECT_TRUE(names_field(future, "date"));
  EXPECT_TRUE(is_problem(retire("001002", R"({"date": "2026-02-30"})"), 422));
  EXPECT_TRUE(is_problem(retire("001002", R"({"date": 20260101})"), 400));
  EXPECT_TRUE(is_problem(retire("001002", R"({"when": "2026-01-01"})"), 400));
  EXPECT_TRUE(is_problem(retire("001002", "{"), 400));
  EXPECT_TRUE(is_problem(replace(json{{"retire", code("001002")}}), 400));
  const HttpResponse nothing = replace(json::object());
  EXPECT_TRUE(is_problem(nothing, 422));
  EXPECT_TRUE(names_field(nothing, "retire"));

  // Import modes.
  const HttpResponse mode =
      post("/api/v1/grid/import?mode=merge", grid_file().dump(), "application/geo+json");
  EXPECT_TRUE(is_problem(mode, 422));
  EXPECT_TRUE(names_field(mode, "mode"));
  const HttpResponse dated =
      post("/api/v1/grid/import?date=2026-01-01", grid_file().dump(), "application/geo+json");
  EXPECT_TRUE(is_problem(dated, 422));
  EXPECT_TRUE(names_field(dated, "date"));

  EXPECT_EQ(current_cells(), 3);
  EXPECT_TRUE(node("001002").at("valid_to").is_null());
  EXPECT_EQ(audits("target=" + code("001002")), recorded);
}

TEST_F(GridChangeApiTest, OnlyADistrictAdminMayChangeTheGrid) {
  for (const char* role : {"operator", "shift_leader", "dispatcher", "supervisor"}) {
    HttpHeaders headers = auth_headers(role);
    headers.emplace_back("Content-Type", "application/json");
    EXPECT_TRUE(is_problem(
        http_request(port(), "POST", "/api/v1/grid/" + code("001002") + "/retire", "{}", headers),
        403))
        << role;
    EXPECT_TRUE(is_problem(
        http_request(port(), "POST", "/api/v1/grid/replace", merge().dump(), headers), 403))
        << role;
    EXPECT_TRUE(is_problem(http_request(port(), "POST", "/api/v1/grid/import?mode=replace",
                                        grid_file().dump(), headers),
                           403))
        << role;
  }
  EXPECT_TRUE(is_problem(http_request(port(), "POST", "/api/v1/grid/replace", merge().dump(),
                                      {{"Content-Type", "application/json"}}),
                         401));
  EXPECT_TRUE(node("001002").at("valid_to").is_null());
}

}  // namespace
}  // namespace gridcase::testing
