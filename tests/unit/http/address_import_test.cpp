#include "address_import.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <nlohmann/json.hpp>

namespace gridcase::http {
namespace {

using domain::Error;
using domain::ErrorCode;
using domain::FieldError;
using nlohmann::json;

constexpr std::size_t kDepth = 32;

std::vector<FieldError> refusal(const std::function<void()>& parse, ErrorCode expected) {
  try {
    parse();
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), expected) << error.what();
    return error.details().fields;
  }
  ADD_FAILURE() << "the file was taken";
  return {};
}

TEST(AddressCsvTest, ReadsEntriesInAnyColumnOrderWithOptionalColumnsEmpty) {
  const std::vector<domain::AddressInput> entries = parse_address_csv(
      "\xEF\xBB\xBFlon,lat,road,building,door_number\r\n"
      "109.79,40.66,友谊大街,,15号\r\n"
      "\r\n"
      "109.8,40.65,\"团结大街\",\"乐园东门早市, 北\",31号\r\n");
  ASSERT_EQ(entries.size(), 2U);
  EXPECT_EQ(entries[0].road, "友谊大街");
  EXPECT_EQ(entries[0].door_number, "15号");
  EXPECT_EQ(entries[0].building, std::nullopt);
  EXPECT_DOUBLE_EQ(entries[0].point.lon, 109.79);
  EXPECT_DOUBLE_EQ(entries[0].point.lat, 40.66);
  EXPECT_EQ(entries[0].at, "lines[2]");
  EXPECT_EQ(entries[1].building, "乐园东门早市, 北");
  EXPECT_EQ(entries[1].at, "lines[4]");
  EXPECT_EQ(entries[1].point_fields, (std::vector<std::string>{"lines[4].lon", "lines[4].lat"}));
}

TEST(AddressCsvTest, DoorNumberAndBuildingColumnsMayBeLeftOut) {
  const auto entries = parse_address_csv("road,lon,lat\n甲路,1,2\n");
  ASSERT_EQ(entries.size(), 1U);
  EXPECT_EQ(entries[0].door_number, std::nullopt);
}

TEST(AddressCsvTest, QuotedFieldsHoldQuotesAndLineBreaksAndLinesAreCountedInTheFile) {
  const auto entries =
      parse_address_csv("road,building,lon,lat\n甲路,\"写着\"\"一\"\"\n两行\",1,2\n乙路,,3,4\n");
  ASSERT_EQ(entries.size(), 2U);
  EXPECT_EQ(entries[0].building, "写着\"一\"\n两行");
  EXPECT_EQ(entries[1].at, "lines[4]");
}

TEST(AddressCsvTest, HeaderProblemsNameTheColumns) {
  EXPECT_EQ(
      refusal([] { parse_address_csv("road,street,lon\n甲路,x,1\n"); }, ErrorCode::kMalformed),
      (std::vector<FieldError>{{"lines[1].street",
                                "unknown column; the columns are road, door_number, "
                                "building, lon, lat"},
                               {"lines[1].lat", "a required column is missing"}}));
  EXPECT_EQ(refusal([] { parse_address_csv("road,lon,lat,lon\n"); }, ErrorCode::kMalformed),
            (std::vector<FieldError>{{"lines[1].lon", "the column is repeated"}}));
  EXPECT_EQ(
      refusal([] { parse_address_csv(""); }, ErrorCode::kMalformed),
      (std::vector<FieldError>{{"lines[1]", "a header: road, door_number, building, lon, lat"}}));
}

TEST(AddressCsvTest, EveryRecordProblemNamesItsLineAndField) {
  EXPECT_EQ(refusal(
                [] {
                  parse_address_csv(
                      "road,door_number,lon,lat\n"
                      "甲路,1号,109.8,40.6\n"
                      ",2号,109.8,40.6\n"
                      "乙路,3号,east,\n"
                      "丙路,4号,109.8\n");
                },
                ErrorCode::kMalformed),
            (std::vector<FieldError>{{"lines[3].road", "required"},
                                     {"lines[4].lon", "must be a number"},
                                     {"lines[4].lat", "required"},
                                     {"lines[5]", "3 fields; the header has 4"}}));
}

TEST(AddressCsvTest, QuotingProblemsNameTheLine) {
  EXPECT_EQ(refusal([] { parse_address_csv("road,lon,lat\n\"甲路,1,2\n"); }, ErrorCode::kMalformed),
            (std::vector<FieldError>{{"lines[2]", "a quoted field is not closed"}}));
  EXPECT_EQ(
      refusal([] { parse_address_csv("road,lon,lat\n\"甲\"路,1,2\n"); }, ErrorCode::kMalformed),
      (std::vector<FieldError>{{"lines[2]", "text after a closing quote"}}));
}

TEST(AddressCsvTest, TextThatIsNotUtf8IsRefused) {
  EXPECT_EQ(refusal([] { parse_address_csv("road,lon,lat\n\xff,1,2\n"); }, ErrorCode::kMalformed),
            (std::vector<FieldError>{{"body", "not UTF-8 text (or it holds U+0000)"}}));
}

json point_feature(json properties, json coordinates) {
  return json{{"type", "Feature"},
              {"properties", std::move(properties)},
              {"geometry", {{"type", "Point"}, {"coordinates", std::move(coordinates)}}}};
}

TEST(AddressGeoJsonTest, ReadsPointFeatures) {
  const json collection{
      {"type", "FeatureCollection"},
      {"features",
       {point_feature({{"road", "友谊大街"}, {"door_number", "15号"}, {"source", "survey"}},
                      {109.79, 40.66}),
        point_feature({{"road", "团结大街"}, {"building", "乐园东门早市"}, {"door_number", ""}},
                      {109.8, 40.65, 1050})}}};
  const auto entries = parse_address_geojson(collection.dump(), kDepth);
  ASSERT_EQ(entries.size(), 2U);
  EXPECT_EQ(entries[0].door_number, "15号");
  EXPECT_EQ(entries[0].at, "features[0].properties");
  EXPECT_EQ(entries[1].door_number, std::nullopt);
  EXPECT_EQ(entries[1].building, "乐园东门早市");
  EXPECT_EQ(entries[1].point_fields, std::vector<std::string>{"features[1].geometry"});
}

TEST(AddressGeoJsonTest, EveryShapeProblemIsNamed) {
  json collection{
      {"type", "FeatureCollection"},
      {"features",
       {point_feature({{"door_number", "1号"}}, {1, 2}), point_feature({{"road", 7}}, {1, 2}),
        point_feature({{"road", "甲路"}}, {1}), json{{"type", "Point"}}}}};
  collection["features"][2]["geometry"]["type"] = "Point";
  EXPECT_EQ(
      refusal([&] { parse_address_geojson(collection.dump(), kDepth); }, ErrorCode::kMalformed),
      (std::vector<FieldError>{
          {"features[0].properties.road", "required"},
          {"features[1].properties.road", "must be a string"},
          {"features[2].geometry",
           "a GeoJSON Point: {\"type\": \"Point\", \"coordinates\": [lon, lat]}"},
          {"features[3].type", "must be a Feature"}}));
}

TEST(AddressGeoJsonTest, NotAFeatureCollectionIsRefused) {
  EXPECT_EQ(refusal([] { parse_address_geojson(R"({"type":"Feature"})", kDepth); },
                    ErrorCode::kMalformed),
            (std::vector<FieldError>{{"type", "a GeoJSON FeatureCollection"}}));
}

}  // namespace
}  // namespace gridcase::http
