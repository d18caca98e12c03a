#include "gridcase/http/grid_import.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace gridcase::http {
namespace {

using domain::Error;
using domain::ErrorCode;
using domain::FieldError;
using nlohmann::json;

constexpr std::size_t kDepth = 32;

json square() {
  return json::parse(R"({"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]})");
}

json feature(const std::string& code, const std::string& level, const std::string& parent) {
  json properties{{"code", code}, {"name", "网格 " + code}, {"level", level}};
  if (!parent.empty()) properties["parent_code"] = parent;
  return json{{"type", "Feature"}, {"properties", properties}, {"geometry", square()}};
}

json collection(const std::vector<json>& features) {
  return json{{"type", "FeatureCollection"}, {"features", json(features)}};
}

Error error_from(const std::string& text) {
  try {
    parse_grid_import(text, kDepth);
  } catch (const Error& error) {
    return error;
  }
  ADD_FAILURE() << "parse_grid_import accepted: " << text;
  return Error(ErrorCode::kInternal, "nothing thrown");
}

std::vector<std::string> fields_of(const Error& error) {
  std::vector<std::string> fields;
  for (const FieldError& field : error.details().fields) fields.push_back(field.field);
  return fields;
}

TEST(ParseGridImportTest, FeaturesBecomeNodesWithEveryProperty) {
  json district = feature("150299", "district", "");
  json street = feature("150299001", "street", "150299");
  street["properties"]["valid_from"] = "2024-01-01";

  const std::vector<domain::GridNodeInput> nodes =
      parse_grid_import(collection({district, street}).dump(), kDepth);

  ASSERT_EQ(nodes.size(), 2U);
  EXPECT_EQ(nodes[0].code, "150299");
  EXPECT_EQ(nodes[0].level, domain::GridLevel::kDistrict);
  EXPECT_EQ(nodes[0].parent_code, std::nullopt);
  EXPECT_EQ(nodes[0].valid_from, std::nullopt);
  EXPECT_EQ(nodes[1].name, "网格 150299001");
  EXPECT_EQ(nodes[1].level, domain::GridLevel::kStreet);
  EXPECT_EQ(nodes[1].parent_code, "150299");
  EXPECT_EQ(nodes[1].valid_from, "2024-01-01");
}

TEST(ParseGridImportTest, GeometryIsKeptAsGeoJsonText) {
  const std::vector<domain::GridNodeInput> nodes =
      parse_grid_import(collection({feature("150299", "district", "")}).dump(), kDepth);

  EXPECT_EQ(json::parse(nodes.at(0).geometry_geojson), square());
}

TEST(ParseGridImportTest, NullParentCodeMeansNoParent) {
  json district = feature("150299", "district", "");
  district["properties"]["parent_code"] = nullptr;

  const std::vector<domain::GridNodeInput> nodes =
      parse_grid_import(collection({district}).dump(), kDepth);

  EXPECT_EQ(nodes.at(0).parent_code, std::nullopt);
}

TEST(ParseGridImportTest, EmptyFeatureListParsesToNoNodes) {
  EXPECT_TRUE(parse_grid_import(collection({}).dump(), kDepth).empty());
}

TEST(ParseGridImportTest, InvalidJsonIsMalformed) {
  EXPECT_EQ(error_from(R"({"type":"FeatureCollection",)").code(), ErrorCode::kMalformed);
}

TEST(ParseGridImportTest, NestingDeeperThanTheLimitIsMalformed) {
  const std::string deep = R"({"type":"FeatureCollection","features":)" + std::string(40, '[') +
                           std::string(40, ']') + "}";

  EXPECT_EQ(error_from(deep).code(), ErrorCode::kMalformed);
}

TEST(ParseGridImportTest, DocumentThatIsNotAFeatureCollectionIsMalformedOnType) {
  for (const char* text :
       {R"([])", R"({"type":"Feature"})", R"({"features":[]})", R"("FeatureCollection")"}) {
    const Error error = error_from(text);

    EXPECT_EQ(error.code(), ErrorCode::kMalformed) << text;
    EXPECT_EQ(fields_of(error), std::vector<std::string>{"type"}) << text;
  }
}

TEST(ParseGridImportTest, MissingOrNonArrayFeaturesIsMalformedOnFeatures) {
  for (const char* text :
       {R"({"type":"FeatureCollection"})", R"({"type":"FeatureCollection","features":{}})"}) {
    const Error error = error_from(text);

    EXPECT_EQ(error.code(), ErrorCode::kMalformed) << text;
    EXPECT_EQ(fields_of(error), std::vector<std::string>{"features"}) << text;
  }
}

TEST(ParseGridImportTest, ElementThatIsNotAFeatureIsMalformedOnItsType) {
  json bad = feature("150299", "district", "");
  bad["type"] = "Point";

  const Error error = error_from(collection({feature("150298", "district", ""), bad, 7}).dump());

  EXPECT_EQ(error.code(), ErrorCode::kMalformed);
  EXPECT_EQ(fields_of(error), (std::vector<std::string>{"features[1].type", "features[2].type"}));
}

TEST(ParseGridImportTest, FeatureWithoutPropertiesIsMalformedOnProperties) {
  json bad = feature("150299", "district", "");
  bad.erase("properties");

  const Error error = error_from(collection({bad}).dump());

  EXPECT_EQ(error.code(), ErrorCode::kMalformed);
  EXPECT_EQ(fields_of(error), std::vector<std::string>{"features[0].properties"});
}

TEST(ParseGridImportTest, FeatureWithNonObjectGeometryIsMalformedOnGeometry) {
  json missing = feature("150299", "district", "");
  missing.erase("geometry");
  json null_geometry = feature("150298", "district", "");
  null_geometry["geometry"] = nullptr;

  const Error error = error_from(collection({missing, null_geometry}).dump());

  EXPECT_EQ(error.code(), ErrorCode::kMalformed);
  EXPECT_EQ(fields_of(error),
            (std::vector<std::string>{"features[0].geometry", "features[1].geometry"}));
}

TEST(ParseGridImportTest, MissingRequiredPropertiesAreEachNamed) {
  json bad = feature("150299", "district", "");
  bad["properties"] = json::object();

  const Error error = error_from(collection({bad}).dump());

  EXPECT_EQ(error.code(), ErrorCode::kMalformed);
  EXPECT_EQ(fields_of(error),
            (std::vector<std::string>{"features[0].properties.code", "features[0].properties.name",
                                      "features[0].properties.level"}));
}

TEST(ParseGridImportTest, PropertyOfTheWrongJsonTypeIsMalformedAndNamed) {
  json bad = feature("150299001", "street", "150299");
  bad["properties"]["code"] = 150299001;
  bad["properties"]["parent_code"] = 150299;
  bad["properties"]["valid_from"] = true;

  const Error error = error_from(collection({bad}).dump());

  EXPECT_EQ(error.code(), ErrorCode::kMalformed);
  EXPECT_EQ(fields_of(error), (std::vector<std::string>{"features[0].properties.code",
                                                        "features[0].properties.parent_code",
                                                        "features[0].properties.valid_from"}));
}

TEST(ParseGridImportTest, ShapeProblemsOfSeveralFeaturesAreAllReported) {
  json no_name = feature("150299", "district", "");
  no_name["properties"].erase("name");
  json no_code = feature("150298", "district", "");
  no_code["properties"].erase("code");

  const Error error =
      error_from(collection({no_name, feature("150297", "district", ""), no_code}).dump());

  EXPECT_EQ(fields_of(error), (std::vector<std::string>{"features[0].properties.name",
                                                        "features[2].properties.code"}));
}

TEST(ParseGridImportTest, UnknownLevelIsAnInvalidValueNamingTheLevel) {
  const Error error = error_from(collection({feature("150299", "province", "")}).dump());

  EXPECT_EQ(error.code(), ErrorCode::kInvalidValue);
  EXPECT_EQ(fields_of(error), std::vector<std::string>{"features[0].properties.level"});
}

TEST(ParseGridImportTest, ShapeProblemsWinOverUnknownLevels) {
  json no_name = feature("150299", "district", "");
  no_name["properties"].erase("name");

  const Error error = error_from(collection({feature("150298", "province", ""), no_name}).dump());

  EXPECT_EQ(error.code(), ErrorCode::kMalformed);
}

}  // namespace
}  // namespace gridcase::http
