#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "gridcase/domain/access.hpp"
#include "gridcase/service/address_service.hpp"
#include "support/case_world.hpp"
#include "support/run_sync.hpp"
#include "support/test_database.hpp"

namespace gridcase::testing {
namespace {

using domain::AddressInput;
using domain::AddressMatch;
using domain::Error;
using domain::ErrorCode;
using domain::FieldError;
using nlohmann::json;
using service::AddressImportMode;

/// The gazetteer is one per database and only these tests write it: each starts from none.
void clear_gazetteer(const std::string& url) {
  pqxx::connection connection{url};
  pqxx::work tx{connection};
  tx.exec0("DELETE FROM addresses");
  tx.exec0("DELETE FROM address_imports");
  tx.commit();
}

/// CaseDistrict's cells with a gazetteer: a road through both cells of its first street and a
/// building in the other street.
class AddressGazetteerTest : public CaseWorldTest {
 protected:
  void SetUp() override {
    CaseWorldTest::SetUp();
    clear_gazetteer(url_);
    addresses_ = std::make_unique<service::AddressService>(*database_);
  }

  void TearDown() override {
    addresses_.reset();
    clear_gazetteer(url_);
    CaseWorldTest::TearDown();
  }

  static AddressInput entry(std::string road, std::optional<std::string> door,
                            std::optional<std::string> building, domain::Point point, int line) {
    AddressInput input;
    input.road = std::move(road);
    input.door_number = std::move(door);
    input.building = std::move(building);
    input.point = point;
    input.at = "lines[" + std::to_string(line) + "]";
    input.point_fields = {input.at + ".lon", input.at + ".lat"};
    return input;
  }

  /// 友谊大街 1号 (west cell), 2号 and 2号 五四市场 (east cell), 阿尔丁大街 9号 and 鞍山道马路市场
  /// (the other street).
  static std::vector<AddressInput> gazetteer() {
    return {entry("友谊大街", "1号", std::nullopt, CaseDistrict::in_cell(), 2),
            entry("友谊大街", "2号", std::nullopt, CaseDistrict::in_east_cell(), 3),
            entry("友谊大街", "2号", "五四市场", CaseDistrict::in_east_cell(), 4),
            entry("阿尔丁大街", "9号", std::nullopt, CaseDistrict::in_other_street(), 5),
            entry("鞍山道", std::nullopt, "鞍山道马路市场", CaseDistrict::in_other_street(), 6)};
  }

  service::AddressImportSummary import(std::vector<AddressInput> entries,
                                       AddressImportMode mode = AddressImportMode::kAdd) {
    return run_sync(
        addresses_->import(std::move(entries), mode, domain::command_line_actor(), "lines"));
  }

  Error import_refusal(std::vector<AddressInput> entries,
                       AddressImportMode mode = AddressImportMode::kAdd) {
    try {
      import(std::move(entries), mode);
    } catch (const Error& error) {
      return error;
    }
    ADD_FAILURE() << "the import was taken";
    return Error(ErrorCode::kInternal, "taken");
  }

  json search(const std::string& q, AddressMatch match, int limit = 50,
              std::optional<std::string> cursor = std::nullopt,
              domain::Role role = domain::Role::kOperator) {
    service::PageRequest page;
    page.limit = limit;
    page.after = std::move(cursor);
    return json::parse(run_sync(addresses_->search({domain::address_query(q, match), match}, page,
                                                   case_actor(role)))
                           .text);
  }

  static std::vector<std::string> addresses_of(const json& page) {
    std::vector<std::string> found;
    for (const json& item : page.at("items"))
      found.push_back(item.at("address").get<std::string>());
    return found;
  }

  json received_case(std::optional<std::string> address, std::optional<domain::Point> point) {
    domain::NewCase intake =
        case_report(domain::Channel::kHotline12345, CaseDistrict::in_cell(), true, clock_->now());
    intake.point = point;
    intake.address = std::move(address);
    return get(receive(intake));
  }

  std::unique_ptr<service::AddressService> addresses_;
};

TEST_F(AddressGazetteerTest, ImportAddsEveryEntryAndRecordsItInTheAuditLog) {
  const service::AddressImportSummary summary = import(gazetteer());

  EXPECT_EQ(summary.imported, 5);
  EXPECT_EQ(summary.retired, 0);
  EXPECT_EQ(summary.entries, 5);
  EXPECT_EQ(rows_in("addresses"), 5);
  const json after = json::parse(query_scalar(
      url_,
      "SELECT after FROM admin_audit WHERE action = 'address.import' ORDER BY id DESC LIMIT 1"));
  EXPECT_EQ(after.at("entries"), 5);
  EXPECT_EQ(after.at("roads"), 3);
  EXPECT_EQ(after.at("last_import").at("mode"), "add");
  EXPECT_EQ(after.at("last_import").at("actor"), "cli");
}

TEST_F(AddressGazetteerTest, AddingAnEntryAgainRetiresTheOldOneAndKeepsIt) {
  import(gazetteer());
  const service::AddressImportSummary summary =
      import({entry("友谊大街", "1号", std::nullopt, CaseDistrict::in_east_cell(), 2)});

  EXPECT_EQ(summary.retired, 1);
  EXPECT_EQ(summary.entries, 5);
  EXPECT_EQ(rows_in("addresses"), 6);  // the old 1号 is kept, retired by the second import
  EXPECT_EQ(search("友谊大街1号", AddressMatch::kPrefix).at("items").at(0).at("cell"),
            CaseDistrict::kEastCell);
}

TEST_F(AddressGazetteerTest, ReplaceRetiresEveryCurrentEntry) {
  import(gazetteer());
  const service::AddressImportSummary summary =
      import({entry("团结大街", "3号", std::nullopt, CaseDistrict::in_cell(), 2)},
             AddressImportMode::kReplace);

  EXPECT_EQ(summary.retired, 5);
  EXPECT_EQ(summary.entries, 1);
  EXPECT_TRUE(search("友谊", AddressMatch::kPrefix).at("items").empty());
  EXPECT_EQ(addresses_of(search("团结", AddressMatch::kPrefix)),
            std::vector<std::string>{"团结大街3号"});
}

TEST_F(AddressGazetteerTest, PointOutsideEveryCellIsRefusedNamingTheLineAndNothingIsStored) {
  import(gazetteer());
  const long long audit_before = std::stoll(query_scalar(url_, "SELECT count(*) FROM admin_audit"));

  const Error error =
      import_refusal({entry("团结大街", "3号", std::nullopt, CaseDistrict::in_cell(), 2),
                      entry("团结大街", "4号", std::nullopt, CaseDistrict::outside(), 3)},
                     AddressImportMode::kReplace);

  EXPECT_EQ(error.code(), ErrorCode::kInvalidValue);
  EXPECT_EQ(error.details().fields,
            (std::vector<FieldError>{{"lines[3].lon", "outside every grid cell"},
                                     {"lines[3].lat", "outside every grid cell"}}));
  EXPECT_EQ(rows_in("addresses"), 5);
  EXPECT_EQ(search("友谊", AddressMatch::kPrefix).at("items").size(), 3U);
  EXPECT_EQ(std::stoll(query_scalar(url_, "SELECT count(*) FROM admin_audit")), audit_before);
}

TEST_F(AddressGazetteerTest, ValueProblemsAreAllReportedBeforeTheDatabaseIsAsked) {
  AddressInput far = entry("团结大街", "4号", std::nullopt, CaseDistrict::in_cell(), 3);
  far.point.lon = 200;
  const Error error =
      import_refusal({entry("团结大街", "4号", std::nullopt, CaseDistrict::in_cell(), 2), far,
                      entry("团结大街", "４号", std::nullopt, CaseDistrict::in_cell(), 4)});

  EXPECT_EQ(error.details().fields,
            (std::vector<FieldError>{
                {"lines[3].lon", "longitude must be between -180 and 180"},
                {"lines[4].road", "the same road, door number and building as lines[2]"}}));
  EXPECT_EQ(rows_in("addresses"), 0);
}

TEST_F(AddressGazetteerTest, OnlyADistrictWideAdminImports) {
  try {
    run_sync(addresses_->import(gazetteer(), AddressImportMode::kAdd,
                                case_actor(domain::Role::kOperator), "lines"));
    FAIL() << "an operator imported";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::kForbidden);
  }
  EXPECT_EQ(rows_in("addresses"), 0);
}

TEST_F(AddressGazetteerTest, PrefixSearchFindsAddressesAndBuildingsInOrder) {
  import(gazetteer());

  EXPECT_EQ(addresses_of(search("友谊大街", AddressMatch::kPrefix)),
            (std::vector<std::string>{"友谊大街1号", "友谊大街2号", "友谊大街2号五四市场"}));
  EXPECT_EQ(addresses_of(search("五四", AddressMatch::kPrefix)),
            std::vector<std::string>{"友谊大街2号五四市场"});
  EXPECT_EQ(addresses_of(search("鞍山道", AddressMatch::kPrefix)),
            std::vector<std::string>{"鞍山道鞍山道马路市场"});
  EXPECT_EQ(addresses_of(search("友谊 大街 ２", AddressMatch::kPrefix)),
            (std::vector<std::string>{"友谊大街2号", "友谊大街2号五四市场"}));
  EXPECT_TRUE(search("大街", AddressMatch::kPrefix).at("items").empty());
}

TEST_F(AddressGazetteerTest, PrefixSearchPagesByCursor) {
  import(gazetteer());

  const json first = search("友谊", AddressMatch::kPrefix, 2);
  ASSERT_EQ(addresses_of(first), (std::vector<std::string>{"友谊大街1号", "友谊大街2号"}));
  ASSERT_TRUE(first.at("next_cursor").is_string());
  const json second =
      search("友谊", AddressMatch::kPrefix, 2, first.at("next_cursor").get<std::string>());
  EXPECT_EQ(addresses_of(second), std::vector<std::string>{"友谊大街2号五四市场"});
  EXPECT_TRUE(second.at("next_cursor").is_null());
}

TEST_F(AddressGazetteerTest, SearchResultsCarryTheirPointAndCell) {
  import(gazetteer());

  const json item = search("阿尔丁", AddressMatch::kPrefix).at("items").at(0);
  EXPECT_EQ(item.at("road"), "阿尔丁大街");
  EXPECT_EQ(item.at("door_number"), "9号");
  EXPECT_TRUE(item.at("building").is_null());
  EXPECT_EQ(item.at("cell"), CaseDistrict::kOtherStreetCell);
  EXPECT_NEAR(item.at("point").at(0).get<double>(), CaseDistrict::in_other_street().lon, 1e-6);
}

TEST_F(AddressGazetteerTest, FuzzySearchFindsChineseTextFromTheMiddleOfAnAddress) {
  import(gazetteer());

  // Two characters from the middle: pg_trgm's similarity of '大街' and '友谊大街1号' is 0.
  const json found = search("大街", AddressMatch::kFuzzy);
  EXPECT_EQ(addresses_of(found),
            (std::vector<std::string>{"友谊大街1号", "友谊大街2号", "阿尔丁大街9号",
                                      "友谊大街2号五四市场"}));
  EXPECT_EQ(found.at("items").at(0).at("score"), 1.0);
}

TEST_F(AddressGazetteerTest, FuzzySearchToleratesAWrongCharacterAndRanksTheClosestFirst) {
  import(gazetteer());

  // 友谊路2号 (the road misremembered): of its pairs 友谊 谊路 路2 2号, two are in 友谊大街2号.
  const json found = search("友谊路2号", AddressMatch::kFuzzy);
  ASSERT_FALSE(found.at("items").empty());
  EXPECT_EQ(found.at("items").at(0).at("address"), "友谊大街2号");
  EXPECT_EQ(found.at("items").at(0).at("score"), 0.5);
  // Nothing shares half of the pairs of a text of another place.
  EXPECT_TRUE(search("团结大街", AddressMatch::kFuzzy).at("items").empty());
}

TEST_F(AddressGazetteerTest, FuzzySearchPagesByCursor) {
  import(gazetteer());

  const json first = search("大街", AddressMatch::kFuzzy, 3);
  ASSERT_EQ(first.at("items").size(), 3U);
  const json second =
      search("大街", AddressMatch::kFuzzy, 3, first.at("next_cursor").get<std::string>());
  EXPECT_EQ(addresses_of(second), std::vector<std::string>{"友谊大街2号五四市场"});
  EXPECT_TRUE(second.at("next_cursor").is_null());
}

TEST_F(AddressGazetteerTest, AnIntegrationDoesNotSearch) {
  EXPECT_THROW(search("友谊", AddressMatch::kPrefix, 50, std::nullopt, domain::Role::kIntegration),
               Error);
}

TEST_F(AddressGazetteerTest, BadLimitsAndCursorsAre422) {
  for (const auto& [limit, cursor] : std::vector<std::pair<int, std::optional<std::string>>>{
           {0, std::nullopt}, {201, std::nullopt}, {10, "abc"}, {10, ""}}) {
    try {
      search("友谊", AddressMatch::kPrefix, limit, cursor);
      ADD_FAILURE() << "limit " << limit << " was taken";
    } catch (const Error& error) {
      EXPECT_EQ(error.code(), ErrorCode::kInvalidValue);
    }
  }
}

TEST_F(AddressGazetteerTest, IntakeLocatesAnAddressThroughTheGazetteer) {
  import(gazetteer());

  const json received = received_case("友谊大街 ２号", std::nullopt);

  EXPECT_EQ(received.at("located"), true);
  EXPECT_EQ(received.at("cell").at("code"), CaseDistrict::kEastCell);
  EXPECT_NEAR(received.at("lon").get<double>(), CaseDistrict::in_east_cell().lon, 1e-9);
  EXPECT_EQ(received.at("address"), "友谊大街 ２号");  // as the caller said it
}

TEST_F(AddressGazetteerTest, IntakeResolvesABuildingByItsName) {
  import(gazetteer());

  EXPECT_EQ(received_case("鞍山道马路市场", std::nullopt).at("cell").at("code"),
            CaseDistrict::kOtherStreetCell);
  EXPECT_EQ(received_case("友谊大街2号五四市场", std::nullopt).at("cell").at("code"),
            CaseDistrict::kEastCell);
}

TEST_F(AddressGazetteerTest, AnAddressTheGazetteerCannotResolveLeavesTheCaseUnlocated) {
  import(gazetteer());

  const json unknown = received_case("团结大街100号", std::nullopt);
  EXPECT_EQ(unknown.at("located"), false);
  EXPECT_TRUE(unknown.at("cell").is_null());
  EXPECT_TRUE(unknown.at("lon").is_null());
  // A prefix names several places: not resolved either.
  EXPECT_EQ(received_case("友谊大街", std::nullopt).at("located"), false);
}

TEST_F(AddressGazetteerTest, AGivenPointWinsOverTheAddress) {
  import(gazetteer());

  EXPECT_EQ(received_case("友谊大街2号", CaseDistrict::in_cell()).at("cell").at("code"),
            CaseDistrict::kCell);
}

TEST_F(AddressGazetteerTest, ARetiredEntryNoLongerResolves) {
  import(gazetteer());
  import({entry("团结大街", "3号", std::nullopt, CaseDistrict::in_cell(), 2)},
         AddressImportMode::kReplace);

  EXPECT_EQ(received_case("友谊大街2号", std::nullopt).at("located"), false);
  EXPECT_EQ(received_case("团结大街3号", std::nullopt).at("cell").at("code"), CaseDistrict::kCell);
}

TEST_F(AddressGazetteerTest, AnEntryWhoseCellWasRetiredNoLongerResolves) {
  import(gazetteer());
  pqxx::connection connection{url_};
  pqxx::work tx{connection};
  tx.exec_params0("UPDATE grid_nodes SET valid_to = valid_from + 1 WHERE code = $1",
                  CaseDistrict::kOtherStreetCell);
  tx.commit();

  EXPECT_EQ(received_case("阿尔丁大街9号", std::nullopt).at("located"), false);
  EXPECT_TRUE(search("阿尔丁", AddressMatch::kPrefix).at("items").at(0).at("cell").is_null());
}

TEST_F(AddressGazetteerTest, BigramsArePairsOfNeighbouringCharacters) {
  EXPECT_EQ(query_scalar(url_,
                         "SELECT array_to_string(ARRAY(SELECT b FROM unnest(gridcase_bigrams("
                         "'友谊大街45号')) AS b ORDER BY b COLLATE \"C\"), ' ')"),
            "45 5号 友谊 大街 街4 谊大");
  EXPECT_EQ(query_scalar(url_, "SELECT cardinality(gridcase_bigrams('友'))"), "0");
}

}  // namespace
}  // namespace gridcase::testing
