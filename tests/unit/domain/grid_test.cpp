#include "gridcase/domain/grid.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

namespace gridcase::domain {
namespace {

constexpr const char* kSquare =
    R"({"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]})";

GridNodeInput node(std::string code, GridLevel level, std::optional<std::string> parent) {
  return GridNodeInput{std::move(code), "名称", level, std::move(parent), std::nullopt, kSquare};
}

/// A district with one street, one community and one cell: valid as it stands.
std::vector<GridNodeInput> valid_chain() {
  return {node("150203", GridLevel::kDistrict, std::nullopt),
          node("150203004", GridLevel::kStreet, "150203"),
          node("150203004012", GridLevel::kCommunity, "150203004"),
          node("150203004012007", GridLevel::kCell, "150203004012")};
}

bool has_error_on(const std::vector<FieldError>& errors, const std::string& field) {
  for (const FieldError& error : errors) {
    if (error.field == field) return true;
  }
  return false;
}

ErrorCode code_thrown_by_possible(double lon, double lat) {
  try {
    require_possible(Point{lon, lat});
  } catch (const Error& error) {
    return error.code();
  }
  ADD_FAILURE() << "require_possible(" << lon << ", " << lat << ") did not throw";
  return ErrorCode::kInternal;
}

// ---- levels and names ----

TEST(GridLevelTest, EveryLevelParsesFromItsOwnName) {
  for (GridLevel level :
       {GridLevel::kDistrict, GridLevel::kStreet, GridLevel::kCommunity, GridLevel::kCell}) {
    EXPECT_EQ(parse_grid_level(to_string(level)), level) << to_string(level);
  }
}

TEST(GridLevelTest, UnknownOrDifferentlyCasedLevelNamesDoNotParse) {
  EXPECT_EQ(parse_grid_level("village"), std::nullopt);
  EXPECT_EQ(parse_grid_level("Cell"), std::nullopt);
  EXPECT_EQ(parse_grid_level(""), std::nullopt);
}

TEST(GridLevelTest, CodeWidthImpliesTheLevel) {
  EXPECT_EQ(level_of_code("150203"), GridLevel::kDistrict);
  EXPECT_EQ(level_of_code("150203004"), GridLevel::kStreet);
  EXPECT_EQ(level_of_code("150203004012"), GridLevel::kCommunity);
  EXPECT_EQ(level_of_code("150203004012007"), GridLevel::kCell);
}

TEST(GridLevelTest, CodesOfOtherWidthsOrWithNonDigitsHaveNoLevel) {
  EXPECT_EQ(level_of_code(""), std::nullopt);
  EXPECT_EQ(level_of_code("15020"), std::nullopt);
  EXPECT_EQ(level_of_code("1502030"), std::nullopt);
  EXPECT_EQ(level_of_code("1502030040120070"), std::nullopt);
  EXPECT_EQ(level_of_code("15020a"), std::nullopt);
  EXPECT_EQ(level_of_code("-50203"), std::nullopt);
}

TEST(DutyTest, EveryDutyParsesFromItsOwnName) {
  for (Duty duty : kAllDuties) EXPECT_EQ(parse_duty(to_string(duty)), duty) << to_string(duty);
  EXPECT_EQ(to_string(Duty::kGridOfficer), "grid_officer");
  EXPECT_EQ(to_string(Duty::kRoadChief), "road_chief");
  EXPECT_EQ(to_string(Duty::kSanitation), "sanitation");
}

TEST(DutyTest, UnknownDutyDoesNotParse) { EXPECT_EQ(parse_duty("patrol"), std::nullopt); }

// ---- code_problem: widths ----

TEST(CodeProblemTest, WellFormedCodesOfEveryLevelHaveNoProblem) {
  EXPECT_EQ(code_problem("150203", GridLevel::kDistrict), std::nullopt);
  EXPECT_EQ(code_problem("150203004", GridLevel::kStreet), std::nullopt);
  EXPECT_EQ(code_problem("150203004012", GridLevel::kCommunity), std::nullopt);
  EXPECT_EQ(code_problem("150203004012007", GridLevel::kCell), std::nullopt);
}

TEST(CodeProblemTest, CodeOfTheWrongWidthForItsLevelIsAProblem) {
  EXPECT_NE(code_problem("150203004", GridLevel::kDistrict), std::nullopt);
  EXPECT_NE(code_problem("150203", GridLevel::kStreet), std::nullopt);
  EXPECT_NE(code_problem("150203004012007", GridLevel::kCommunity), std::nullopt);
  EXPECT_NE(code_problem("150203004012", GridLevel::kCell), std::nullopt);
}

TEST(CodeProblemTest, WidthProblemNamesTheExpectedNumberOfDigits) {
  const std::optional<std::string> problem = code_problem("1502030041", GridLevel::kCell);

  ASSERT_TRUE(problem);
  EXPECT_NE(problem->find("15 digits"), std::string::npos) << *problem;
}

TEST(CodeProblemTest, CodeWithNonDigitsIsAProblem) {
  EXPECT_NE(code_problem("15020X", GridLevel::kDistrict), std::nullopt);
  EXPECT_NE(code_problem("150203 04", GridLevel::kStreet), std::nullopt);
  EXPECT_NE(code_problem("15020300401２", GridLevel::kCommunity), std::nullopt);
}

// ---- code_problem: the district part ----

TEST(CodeProblemTest, DistrictCodeStartingWith00IsNotACountyCode) {
  EXPECT_NE(code_problem("000203", GridLevel::kDistrict), std::nullopt);
}

TEST(CodeProblemTest, ProvinceLevelCodeIsNotACountyCode) {
  EXPECT_NE(code_problem("150000", GridLevel::kDistrict), std::nullopt);
}

TEST(CodeProblemTest, CountyCodeProblemAppliesToEveryLevelBelow) {
  EXPECT_NE(code_problem("000203004012007", GridLevel::kCell), std::nullopt);
}

// ---- code_problem: street ranges 001–399 ----

TEST(CodeProblemTest, StreetNumbersAtTheEdgesOfEachRangeAreAccepted) {
  for (const char* street : {"001", "099", "100", "199", "200", "399"}) {
    EXPECT_EQ(code_problem(std::string("150203") + street, GridLevel::kStreet), std::nullopt)
        << street;
  }
}

TEST(CodeProblemTest, StreetNumber000IsRefused) {
  EXPECT_NE(code_problem("150203000", GridLevel::kStreet), std::nullopt);
}

TEST(CodeProblemTest, StreetNumberAbove399IsRefused) {
  EXPECT_NE(code_problem("150203400", GridLevel::kStreet), std::nullopt);
  EXPECT_NE(code_problem("150203999", GridLevel::kStreet), std::nullopt);
}

TEST(CodeProblemTest, StreetRangeAppliesToCommunityAndCellCodesToo) {
  EXPECT_NE(code_problem("150203400012", GridLevel::kCommunity), std::nullopt);
  EXPECT_NE(code_problem("150203000012007", GridLevel::kCell), std::nullopt);
}

// ---- code_problem: community ranges 001–399 ----

TEST(CodeProblemTest, CommunityNumbersAtTheEdgesOfEachRangeAreAccepted) {
  for (const char* community : {"001", "199", "200", "399"}) {
    EXPECT_EQ(code_problem(std::string("150203004") + community, GridLevel::kCommunity),
              std::nullopt)
        << community;
  }
}

TEST(CodeProblemTest, CommunityNumber000IsRefused) {
  EXPECT_NE(code_problem("150203004000", GridLevel::kCommunity), std::nullopt);
}

TEST(CodeProblemTest, CommunityNumberAbove399IsRefused) {
  EXPECT_NE(code_problem("150203004400", GridLevel::kCommunity), std::nullopt);
  EXPECT_NE(code_problem("150203004400001", GridLevel::kCell), std::nullopt);
}

// ---- code_problem: cells 001+ ----

TEST(CodeProblemTest, CellSequenceStartsAt001AndMayReach999) {
  EXPECT_EQ(code_problem("150203004012001", GridLevel::kCell), std::nullopt);
  EXPECT_EQ(code_problem("150203004012999", GridLevel::kCell), std::nullopt);
}

TEST(CodeProblemTest, CellSequence000IsRefused) {
  EXPECT_NE(code_problem("150203004012000", GridLevel::kCell), std::nullopt);
}

// ---- require_grid_code ----

TEST(RequireGridCodeTest, WellFormedCodeOfAnyLevelPasses) {
  EXPECT_NO_THROW(require_grid_code("150203", "code"));
  EXPECT_NO_THROW(require_grid_code("150203004012007", "code"));
}

TEST(RequireGridCodeTest, CodeOfNoLevelThrowsInvalidValueNamingTheField) {
  try {
    require_grid_code("1502", "grid");
    FAIL() << "no exception";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::kInvalidValue);
    ASSERT_EQ(error.details().fields.size(), 1U);
    EXPECT_EQ(error.details().fields[0].field, "grid");
  }
}

TEST(RequireGridCodeTest, CodeOutOfRangeThrowsInvalidValue) {
  try {
    require_grid_code("150203400", "code");
    FAIL() << "no exception";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::kInvalidValue);
  }
}

// ---- parent_code_of / ltree_path_of ----

TEST(ParentCodeTest, ParentIsTheCodeLessItsLastThreeDigits) {
  EXPECT_EQ(parent_code_of("150203004012007"), "150203004012");
  EXPECT_EQ(parent_code_of("150203004012"), "150203004");
  EXPECT_EQ(parent_code_of("150203004"), "150203");
}

TEST(LtreePathTest, PathOfACellListsEveryAncestorThenItself) {
  EXPECT_EQ(ltree_path_of("150203004012007"), "150203.150203004.150203004012.150203004012007");
}

TEST(LtreePathTest, PathOfADistrictIsItsCode) { EXPECT_EQ(ltree_path_of("150203"), "150203"); }

TEST(LtreePathTest, PathOfAStreetHasTwoLabels) {
  EXPECT_EQ(ltree_path_of("150203004"), "150203.150203004");
}

// ---- require_possible ----

TEST(RequirePossibleTest, PointsOnTheEdgesOfTheEarthArePossible) {
  EXPECT_NO_THROW(require_possible(Point{180, 90}));
  EXPECT_NO_THROW(require_possible(Point{-180, -90}));
  EXPECT_NO_THROW(require_possible(Point{109.83, 40.65}));
}

TEST(RequirePossibleTest, LatitudeBeyond90IsInvalidAndNamesLat) {
  try {
    require_possible(Point{109.83, 95});
    FAIL() << "no exception";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::kInvalidValue);
    ASSERT_EQ(error.details().fields.size(), 1U);
    EXPECT_EQ(error.details().fields[0].field, "lat");
  }
}

TEST(RequirePossibleTest, LongitudeBeyond180IsInvalidAndNamesLon) {
  try {
    require_possible(Point{-180.0001, 40});
    FAIL() << "no exception";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::kInvalidValue);
    ASSERT_EQ(error.details().fields.size(), 1U);
    EXPECT_EQ(error.details().fields[0].field, "lon");
  }
}

TEST(RequirePossibleTest, NonFiniteCoordinatesAreInvalid) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double infinity = std::numeric_limits<double>::infinity();

  EXPECT_EQ(code_thrown_by_possible(nan, 40), ErrorCode::kInvalidValue);
  EXPECT_EQ(code_thrown_by_possible(109, nan), ErrorCode::kInvalidValue);
  EXPECT_EQ(code_thrown_by_possible(infinity, 40), ErrorCode::kInvalidValue);
  EXPECT_EQ(code_thrown_by_possible(109, -infinity), ErrorCode::kInvalidValue);
}

// ---- validate_grid_import ----

TEST(ValidateGridImportTest, ConsistentChainHasNoProblems) {
  EXPECT_TRUE(validate_grid_import(valid_chain()).empty());
}

TEST(ValidateGridImportTest, EmptyCollectionIsAProblemOfFeatures) {
  const std::vector<FieldError> errors = validate_grid_import({});

  ASSERT_EQ(errors.size(), 1U);
  EXPECT_EQ(errors[0].field, "features");
}

TEST(ValidateGridImportTest, MalformedCodeIsReportedOnThatFeaturesCode) {
  std::vector<GridNodeInput> nodes = valid_chain();
  nodes[3].code = "150203004012000";

  const std::vector<FieldError> errors = validate_grid_import(nodes);

  ASSERT_EQ(errors.size(), 1U);
  EXPECT_EQ(errors[0].field, "features[3].properties.code");
}

TEST(ValidateGridImportTest, CodeOfAnotherLevelsWidthIsReported) {
  std::vector<GridNodeInput> nodes = valid_chain();
  nodes[2].level = GridLevel::kCell;  // a 12-digit code claiming to be a cell

  const std::vector<FieldError> errors = validate_grid_import(nodes);

  EXPECT_TRUE(has_error_on(errors, "features[2].properties.code"));
}

TEST(ValidateGridImportTest, DuplicateCodeNamesTheFirstFeatureWithIt) {
  std::vector<GridNodeInput> nodes = valid_chain();
  nodes.push_back(nodes[3]);

  const std::vector<FieldError> errors = validate_grid_import(nodes);

  ASSERT_EQ(errors.size(), 1U);
  EXPECT_EQ(errors[0].field, "features[4].properties.code");
  EXPECT_NE(errors[0].message.find("features[3]"), std::string::npos) << errors[0].message;
}

TEST(ValidateGridImportTest, DistrictWithAParentIsReported) {
  std::vector<GridNodeInput> nodes = valid_chain();
  nodes[0].parent_code = "150200";

  const std::vector<FieldError> errors = validate_grid_import(nodes);

  ASSERT_EQ(errors.size(), 1U);
  EXPECT_EQ(errors[0].field, "features[0].properties.parent_code");
}

TEST(ValidateGridImportTest, NonDistrictWithoutAParentIsReported) {
  std::vector<GridNodeInput> nodes = valid_chain();
  nodes[1].parent_code.reset();

  const std::vector<FieldError> errors = validate_grid_import(nodes);

  ASSERT_EQ(errors.size(), 1U);
  EXPECT_EQ(errors[0].field, "features[1].properties.parent_code");
}

TEST(ValidateGridImportTest, ParentCodeThatIsNotTheCodesPrefixIsReported) {
  std::vector<GridNodeInput> nodes = valid_chain();
  nodes[3].parent_code = "150203004013";

  const std::vector<FieldError> errors = validate_grid_import(nodes);

  ASSERT_EQ(errors.size(), 1U);
  EXPECT_EQ(errors[0].field, "features[3].properties.parent_code");
  EXPECT_NE(errors[0].message.find("150203004012"), std::string::npos) << errors[0].message;
}

TEST(ValidateGridImportTest, GrandparentAsParentCodeIsReported) {
  std::vector<GridNodeInput> nodes = valid_chain();
  nodes[3].parent_code = "150203004";

  EXPECT_TRUE(has_error_on(validate_grid_import(nodes), "features[3].properties.parent_code"));
}

TEST(ValidateGridImportTest, EmptyNameIsReported) {
  std::vector<GridNodeInput> nodes = valid_chain();
  nodes[1].name.clear();

  const std::vector<FieldError> errors = validate_grid_import(nodes);

  ASSERT_EQ(errors.size(), 1U);
  EXPECT_EQ(errors[0].field, "features[1].properties.name");
}

TEST(ValidateGridImportTest, NameOfExactlyTheLimitInCharactersIsAccepted) {
  std::vector<GridNodeInput> nodes = valid_chain();
  nodes[1].name.clear();
  for (std::size_t i = 0; i < kMaxGridNameChars; ++i) nodes[1].name += "街";  // 3 bytes each

  EXPECT_TRUE(validate_grid_import(nodes).empty());
}

TEST(ValidateGridImportTest, NameOneCharacterOverTheLimitIsReported) {
  std::vector<GridNodeInput> nodes = valid_chain();
  nodes[1].name = std::string(kMaxGridNameChars + 1, 'a');

  const std::vector<FieldError> errors = validate_grid_import(nodes);

  ASSERT_EQ(errors.size(), 1U);
  EXPECT_EQ(errors[0].field, "features[1].properties.name");
}

TEST(ValidateGridImportTest, ValidFromThatIsARealDateIsAccepted) {
  std::vector<GridNodeInput> nodes = valid_chain();
  nodes[2].valid_from = "2024-02-29";

  EXPECT_TRUE(validate_grid_import(nodes).empty());
}

TEST(ValidateGridImportTest, ValidFromThatIsNotADateIsReported) {
  std::vector<GridNodeInput> nodes = valid_chain();
  nodes[2].valid_from = "2023-02-29";

  const std::vector<FieldError> errors = validate_grid_import(nodes);

  ASSERT_EQ(errors.size(), 1U);
  EXPECT_EQ(errors[0].field, "features[2].properties.valid_from");
}

TEST(ValidateGridImportTest, EveryProblemOfEveryFeatureIsReported) {
  std::vector<GridNodeInput> nodes = valid_chain();
  nodes[0].name.clear();
  nodes[1].parent_code = "150204";
  nodes[2].valid_from = "tomorrow";
  nodes[3].code = "15020300401200A";

  const std::vector<FieldError> errors = validate_grid_import(nodes);

  EXPECT_EQ(errors.size(), 4U);
  EXPECT_TRUE(has_error_on(errors, "features[0].properties.name"));
  EXPECT_TRUE(has_error_on(errors, "features[1].properties.parent_code"));
  EXPECT_TRUE(has_error_on(errors, "features[2].properties.valid_from"));
  EXPECT_TRUE(has_error_on(errors, "features[3].properties.code"));
}

TEST(GridImportModeTest, AddAndReplaceParseAndNothingElse) {
  EXPECT_EQ(parse_grid_import_mode("add"), GridImportMode::kAdd);
  EXPECT_EQ(parse_grid_import_mode("replace"), GridImportMode::kReplace);
  EXPECT_EQ(parse_grid_import_mode("Replace"), std::nullopt);
  EXPECT_EQ(to_string(GridImportMode::kReplace), "replace");
}

TEST(GridChangeValuesTest, AChangeThatChangesNothingIsRefused) {
  const std::vector<FieldError> errors = validate_grid_change(GridChange{});
  ASSERT_EQ(errors.size(), 1U);
  EXPECT_EQ(errors[0].field, "retire");
}

TEST(GridChangeValuesTest, CodesToRetireAreWellFormedAndNamedOnce) {
  const GridChange change{
      .date = "2026-12-01", .retire = {"150203004012", "15020300401", "150203004012"}, .nodes = {}};
  const std::vector<FieldError> errors = validate_grid_change(change);
  ASSERT_EQ(errors.size(), 2U);
  EXPECT_EQ(errors[0], (FieldError{"retire[1]", "a grid code is 6, 9, 12 or 15 digits"}));
  EXPECT_EQ(errors[1], (FieldError{"retire[2]", "duplicate of retire[0]"}));
}

TEST(GridChangeValuesTest, TheRouteOfOneNodeNamesItsCode) {
  const GridChange change{.date = std::nullopt, .retire = {"150203000"}, .nodes = {}};
  const std::vector<FieldError> errors = validate_grid_change(change, "code");
  ASSERT_EQ(errors.size(), 1U);
  EXPECT_EQ(errors[0].field, "code");
}

TEST(GridChangeValuesTest, TheDateIsARealDateAndNewNodesBeginOnIt) {
  GridChange change{.date = "2026-02-30", .retire = {"150203004012"}, .nodes = {}};
  EXPECT_EQ(validate_grid_change(change),
            (std::vector<FieldError>{{"date", "a date written YYYY-MM-DD"}}));

  change.date = "2026-12-01";
  change.nodes = {node("150203004013", GridLevel::kCommunity, "150203004")};
  change.nodes[0].valid_from = "2026-11-30";
  EXPECT_EQ(validate_grid_change(change),
            (std::vector<FieldError>{{"features[0].properties.valid_from",
                                      "must be the change's date (2026-12-01) or left out"}}));
  change.nodes[0].valid_from = "2026-12-01";
  EXPECT_TRUE(validate_grid_change(change).empty());
}

TEST(GridChangeValuesTest, NewNodesAreCheckedAsAnImportChecksThem) {
  const GridChange change{.date = std::nullopt,
                          .retire = {},
                          .nodes = {node("150203004013", GridLevel::kCommunity, "150203005")}};
  const std::vector<FieldError> errors = validate_grid_change(change);
  ASSERT_EQ(errors.size(), 1U);
  EXPECT_EQ(errors[0].field, "features[0].properties.parent_code");
}

}  // namespace
}  // namespace gridcase::domain

namespace gridcase::domain {
namespace {

TEST(MapLevelTest, DefaultsToTheLevelBelowAndRefusesLevelsAboveTheNode) {
  EXPECT_EQ(map_level("150203", std::nullopt), GridLevel::kStreet);
  EXPECT_EQ(map_level("150203004", std::nullopt), GridLevel::kCommunity);
  EXPECT_EQ(map_level("150203004012", std::nullopt), GridLevel::kCell);
  EXPECT_EQ(map_level("150203004012007", std::nullopt), GridLevel::kCell);
  EXPECT_EQ(map_level("150203", std::string("cell")), GridLevel::kCell);
  EXPECT_EQ(map_level("150203004", std::string("street")), GridLevel::kStreet);
  for (const char* wanted : {"district", "Cell", "", "grid"}) {
    EXPECT_THROW(map_level("150203", std::string(wanted)), Error) << wanted;
  }
  EXPECT_THROW(map_level("150203004012", std::string("street")), Error);
  EXPECT_THROW(map_level("150203004012007", std::string("community")), Error);
}

}  // namespace
}  // namespace gridcase::domain
