#include "gridcase/domain/address.hpp"

#include <gtest/gtest.h>

namespace gridcase::domain {
namespace {

AddressInput entry(std::string road, std::optional<std::string> door,
                   std::optional<std::string> building, std::string at) {
  AddressInput input;
  input.road = std::move(road);
  input.door_number = std::move(door);
  input.building = std::move(building);
  input.point = {109.8, 40.65};
  input.at = at;
  input.point_fields = {at + ".lon", at + ".lat"};
  return input;
}

TEST(AddressTest, NormalizingDropsSpacesAndReadsFullWidthFormsAsAscii) {
  EXPECT_EQ(normalize_address("友谊大街 ４５号"), "友谊大街45号");
  EXPECT_EQ(normalize_address("　友谊大街\t45 号 "), "友谊大街45号");
  EXPECT_EQ(normalize_address("Ａ座 B栋"), "a座b栋");
  EXPECT_EQ(normalize_address("79#市场"), "79#市场");
}

TEST(AddressTest, NormalizingKeepsChineseCharactersAsTheyAre) {
  EXPECT_EQ(normalize_address("阿尔丁大街"), "阿尔丁大街");
  EXPECT_EQ(normalize_address(""), "");
}

TEST(AddressTest, AnEntryIsKnownByItsRoadDoorNumberAndBuildingKeptApart) {
  const AddressInput split = entry("甲路", "1号", std::nullopt, "lines[2]");
  const AddressInput joined = entry("甲路1号", std::nullopt, std::nullopt, "lines[3]");
  EXPECT_NE(address_key(split), address_key(joined));
  EXPECT_EQ(address_search_text(split), address_search_text(joined));
  EXPECT_EQ(address_key(split), address_key(entry("甲路 ", "１号", std::nullopt, "lines[4]")));
}

TEST(AddressTest, ValidImportHasNoProblems) {
  EXPECT_TRUE(validate_address_import({entry("友谊大街", "1号", std::nullopt, "lines[2]"),
                                       entry("友谊大街", "1号", "五四市场", "lines[3]")},
                                      "lines")
                  .empty());
}

TEST(AddressTest, EmptyImportIsAProblemOfTheWholeFile) {
  EXPECT_EQ(validate_address_import({}, "features"),
            (std::vector<FieldError>{{"features", "the file has no entries"}}));
}

TEST(AddressTest, EveryBadValueIsNamedByItsLineAndField) {
  AddressInput far = entry("乙路", "2号", std::nullopt, "lines[3]");
  far.point.lat = 95;
  const std::vector<FieldError> problems =
      validate_address_import({entry(std::string(51, 'x'), "1号", std::nullopt, "lines[2]"), far,
                               entry("丙路", std::string(21, '9'), "  ", "lines[4]")},
                              "lines");
  EXPECT_EQ(problems, (std::vector<FieldError>{
                          {"lines[2].road", "1 to 50 characters"},
                          {"lines[3].lat", "latitude must be between -90 and 90"},
                          {"lines[4].door_number", "1 to 20 characters"},
                          {"lines[4].building", "1 to 100 characters"},
                      }));
}

TEST(AddressTest, ARepeatedEntryNamesTheFirst) {
  const std::vector<FieldError> problems =
      validate_address_import({entry("友谊大街", "1号", std::nullopt, "lines[2]"),
                               entry("友谊大街 ", "１号", std::nullopt, "lines[7]")},
                              "lines");
  EXPECT_EQ(problems,
            (std::vector<FieldError>{
                {"lines[7].road", "the same road, door number and building as lines[2]"}}));
}

TEST(AddressTest, ControlCharactersAreRefused) {
  const std::vector<FieldError> problems = validate_address_import(
      {entry("友谊\n大街", std::nullopt, std::nullopt, "lines[2]")}, "lines");
  EXPECT_EQ(
      problems,
      (std::vector<FieldError>{{"lines[2].road", "must be text without control characters"}}));
}

TEST(AddressTest, QueriesAreNormalizedAndAFuzzyOneNeedsTwoCharacters) {
  EXPECT_EQ(address_query(" 友谊 大街 ", AddressMatch::kPrefix), "友谊大街");
  EXPECT_EQ(address_query("友", AddressMatch::kPrefix), "友");
  EXPECT_THROW(address_query("友", AddressMatch::kFuzzy), Error);
  EXPECT_THROW(address_query("   ", AddressMatch::kPrefix), Error);
  EXPECT_THROW(address_query(std::string(101, 'a'), AddressMatch::kPrefix), Error);
  try {
    address_query("友 ", AddressMatch::kFuzzy);
    FAIL() << "a one-character fuzzy query was taken";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::kInvalidValue);
    EXPECT_EQ(error.details().fields.at(0).field, "q");
  }
}

TEST(AddressTest, MatchModesHaveTheirNames) {
  EXPECT_EQ(parse_address_match("prefix"), AddressMatch::kPrefix);
  EXPECT_EQ(parse_address_match("fuzzy"), AddressMatch::kFuzzy);
  EXPECT_EQ(parse_address_match("Fuzzy"), std::nullopt);
}

}  // namespace
}  // namespace gridcase::domain
