#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>

#include "case_http.hpp"
#include "demo_server.hpp"
#include "support/test_database.hpp"

namespace gridcase::testing {
namespace {

using nlohmann::json;

// Roads only these tests import, at points of the demo district near the README point (cell
// 150203004007017 and its neighbours). Imported in `add` mode: the demo gazetteer stays.
constexpr const char* kCsv =
    "road,door_number,building,lon,lat\n"
    "测试甲路,1号,,109.8301,40.6501\n"
    "测试甲路,2号,测试大厦,109.8312,40.6502\n"
    "测试乙路,8号,,109.8290,40.6490\n";

std::vector<std::string> addresses_of(const json& page) {
  std::vector<std::string> found;
  for (const json& item : page.at("items")) found.push_back(item.at("address").get<std::string>());
  return found;
}

/// `text` percent-encoded for a query string (every byte outside unreserved ASCII).
std::string encoded(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char ch : text) {
    const auto byte = static_cast<unsigned char>(ch);
    if (std::isalnum(byte) != 0 || ch == '-' || ch == '_' || ch == '.' || ch == '~') {
      out += ch;
    } else {
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 0xF];
    }
  }
  return out;
}

class AddressApiTest : public DemoServerTest {
 protected:
  /// POST /api/v1/addresses/import?mode=<mode> as `role`.
  static HttpResponse import_as(std::string_view role, std::string_view body, std::string_view type,
                                std::string_view mode = "add") {
    HttpHeaders headers = auth_headers(role);
    headers.emplace_back("Content-Type", std::string(type));
    return http_request(port(), "POST", "/api/v1/addresses/import?mode=" + std::string(mode), body,
                        headers);
  }

  void SetUp() override {
    DemoServerTest::SetUp();
    ASSERT_EQ(import_as("admin", kCsv, "text/csv").status, 201U);
  }

  /// GET /api/v1/addresses?q=<q><more> as `role`; no `q` when it is empty.
  static HttpResponse search(std::string_view q, std::string_view more = "",
                             std::string_view role = "operator") {
    std::string target = "/api/v1/addresses?";
    if (!q.empty()) target += "q=" + encoded(q);
    target += more;
    return get_as(port(), target, role);
  }
};

TEST_F(AddressApiTest, AnAdminImportsCsvAndTheImportIsInTheAuditLog) {
  const HttpResponse response = import_as("admin", kCsv, "text/csv; charset=utf-8");

  ASSERT_EQ(response.status, 201U) << response.body;
  const json summary = json_of(response);
  EXPECT_EQ(summary.at("mode"), "add");
  EXPECT_EQ(summary.at("imported"), 3);
  EXPECT_EQ(summary.at("retired"), 3);  // the same three, imported by SetUp, replaced
  EXPECT_GT(summary.at("entries").get<long long>(), 1000);  // the demo's are still there
  const HttpResponse audit = get("/api/v1/admin/audit?action=address.import&limit=1");
  ASSERT_EQ(audit.status, 200U) << audit.body;
  const json record = json_of(audit).at("items").at(0);
  EXPECT_EQ(record.at("actor"), "admin");
  EXPECT_EQ(record.at("target"), "add");
  EXPECT_EQ(record.at("after").at("last_import").at("id"), summary.at("import"));
}

TEST_F(AddressApiTest, AnAdminImportsGeoJsonToo) {
  json feature = json::object();
  feature["type"] = "Feature";
  feature["properties"] = json{{"road", "测试丙路"}, {"door_number", "5号"}};
  feature["geometry"] = json{{"type", "Point"}, {"coordinates", json::array({109.8305, 40.6495})}};
  const json collection{{"type", "FeatureCollection"}, {"features", json::array({feature})}};

  const HttpResponse response = import_as("admin", collection.dump(), "application/geo+json");

  ASSERT_EQ(response.status, 201U) << response.body;
  EXPECT_EQ(addresses_of(json_of(search("测试丙"))), std::vector<std::string>{"测试丙路5号"});
}

TEST_F(AddressApiTest, AnyoneButADistrictAdminIs403AndNothingIsStored) {
  const long long before = e2e_rows("addresses");
  for (const char* role : {"operator", "dispatcher", "supervisor", "integration"}) {
    EXPECT_TRUE(is_problem(import_as(role, kCsv, "text/csv"), 403)) << role;
  }
  EXPECT_EQ(e2e_rows("addresses"), before);
}

TEST_F(AddressApiTest, ABadCsvIs400NamingTheLineAndFieldAndNothingIsStored) {
  const long long before = e2e_rows("addresses");

  const HttpResponse response = import_as(
      "admin", "road,door_number,lon,lat\n测试丁路,1号,109.83,40.65\n测试丁路,2号,east,40.65\n",
      "text/csv", "replace");

  EXPECT_TRUE(is_problem(response, 400));
  EXPECT_EQ(error_fields(response), std::vector<std::string>{"lines[3].lon"});
  EXPECT_EQ(e2e_rows("addresses"), before);
  EXPECT_TRUE(json_of(search("测试丁")).at("items").empty());
}

TEST_F(AddressApiTest, AGeoJsonPointOutsideTheGridIs422NamingTheFeatureAndNothingIsStored) {
  const long long before = e2e_rows("addresses");
  json collection{{"type", "FeatureCollection"}, {"features", json::array()}};
  for (const auto& [door, lon] :
       std::vector<std::pair<std::string, double>>{{"1号", kDemoPlace.lon}, {"2号", kOutsideLon}}) {
    collection["features"].push_back(
        {{"type", "Feature"},
         {"properties", {{"road", "测试戊路"}, {"door_number", door}}},
         {"geometry", {{"type", "Point"}, {"coordinates", {lon, kOutsideLat}}}}});
  }
  collection["features"][0]["geometry"]["coordinates"][1] = kDemoPlace.lat;

  const HttpResponse response = import_as("admin", collection.dump(), "application/json");

  EXPECT_TRUE(is_problem(response, 422));
  EXPECT_EQ(error_fields(response), std::vector<std::string>{"features[1].geometry"});
  EXPECT_EQ(e2e_rows("addresses"), before);
}

TEST_F(AddressApiTest, ABadModeIs422AndAnotherContentTypeIs415) {
  EXPECT_TRUE(is_problem(import_as("admin", kCsv, "text/csv", "merge"), 422));
  EXPECT_TRUE(is_problem(import_as("admin", kCsv, "text/plain"), 415));
}

TEST_F(AddressApiTest, ReadersSearchByPrefixAndByFuzzyMatchOnChineseText) {
  const HttpResponse prefix = search("测试甲");
  ASSERT_EQ(prefix.status, 200U) << prefix.body;
  EXPECT_EQ(addresses_of(json_of(prefix)),
            (std::vector<std::string>{"测试甲路1号", "测试甲路2号测试大厦"}));
  EXPECT_EQ(json_of(prefix).at("items").at(0).at("cell"), kDemoPlace.cell);

  // A building by its name; the demo's roads (友谊大街 1号 … 136号), paged.
  EXPECT_EQ(addresses_of(json_of(search("测试大厦"))),
            std::vector<std::string>{"测试甲路2号测试大厦"});
  const json page = json_of(search("友谊大街1", "&limit=5", "dispatcher"));
  EXPECT_EQ(page.at("items").size(), 5U);
  EXPECT_TRUE(page.at("next_cursor").is_string());

  // Fuzzy: a road remembered wrong (街 for 路: three of the five pairs still match) and two
  // characters from the middle of an address.
  const json fuzzy = json_of(search("测试甲街1号", "&match=fuzzy", "supervisor"));
  ASSERT_FALSE(fuzzy.at("items").empty());
  EXPECT_EQ(fuzzy.at("items").at(0).at("address"), "测试甲路1号");
  EXPECT_FALSE(json_of(search("大厦", "&match=fuzzy")).at("items").empty());
}

TEST_F(AddressApiTest, BadSearchesAre4xx) {
  EXPECT_TRUE(is_problem(search("", "match=prefix"), 400));
  EXPECT_TRUE(is_problem(search("测试", "&color=red"), 400));
  EXPECT_TRUE(is_problem(search("测试", "&match=sounds_like"), 422));
  EXPECT_TRUE(is_problem(search("测", "&match=fuzzy"), 422));
  EXPECT_TRUE(is_problem(search("测试", "&limit=500"), 422));
  EXPECT_TRUE(is_problem(search("测试", "", "integration"), 403));
}

TEST_F(AddressApiTest, IntakeByAnAddressOfTheDemoGazetteerIsLocatedThere) {
  const json found = json_of(search("友谊大街15号"));
  ASSERT_EQ(addresses_of(found), std::vector<std::string>{"友谊大街15号"});
  json body = case_intake_body("hotline_12345");
  body.erase("lon");
  body.erase("lat");
  body["address"] = "友谊大街 15号";

  const HttpResponse response = post_case(port(), body);

  ASSERT_EQ(response.status, 201U) << response.body;
  const json created = json_of(response);
  EXPECT_EQ(created.at("located"), true);
  EXPECT_EQ(created.at("cell").at("code"), found.at("items").at(0).at("cell"));
  EXPECT_EQ(created.at("address"), "友谊大街 15号");
}

TEST_F(AddressApiTest, IntakeByAnAddressTheGazetteerCannotResolveIsLeftUnlocated) {
  json body = case_intake_body("hotline_12345");
  body.erase("lon");
  body.erase("lat");
  body["address"] = "没有这条路88号";

  const HttpResponse response = post_case(port(), body);

  ASSERT_EQ(response.status, 201U) << response.body;
  const json created = json_of(response);
  EXPECT_EQ(created.at("located"), false);
  EXPECT_TRUE(created.at("cell").is_null());
}

}  // namespace
}  // namespace gridcase::testing
