// Changing the grid (docs/grid.md, "Changing the grid"): retiring a node, replacing nodes by new
// ones, a replacing import; the open cases of retired cells located again; reports of past
// periods on the grid as it was then.
#include <gtest/gtest.h>

#include <iomanip>
#include <pqxx/pqxx>
#include <sstream>

#include "gridcase/domain/access.hpp"
#include "gridcase/service/report_service.hpp"
#include "report_world.hpp"
#include "run_sync.hpp"
#include "test_database.hpp"

namespace gridcase::testing {
namespace {

using namespace std::chrono_literals;
using domain::CaseAction;
using domain::CaseStatus;
using domain::Error;
using domain::ErrorCode;
using domain::GridChange;
using domain::GridLevel;
using domain::GridNodeInput;
using domain::Role;
using nlohmann::json;
using std::chrono::year_month_day;

constexpr year_month_day kMonday = std::chrono::year{2026} / 11 / 23;
constexpr year_month_day kTuesday = std::chrono::year{2026} / 11 / 24;

// The case world's corner and cell size (tests/support/case_world.cpp).
constexpr double kWest = 60.0;
constexpr double kSouth = 20.0;
constexpr double kCell = 0.01;

constexpr const char* kCommunity = "150261001001";       // cells 001 [0,1) and 002 [1,2)
constexpr const char* kOtherCommunity = "150261002001";  // cell 001 [2,3)
constexpr const char* kOtherCommunityCell = "150261002001001";

std::string box(double from, double to) {
  std::ostringstream text;
  const double west = kWest + from * kCell;
  const double east = kWest + to * kCell;
  text << std::setprecision(12) << R"({"type":"Polygon","coordinates":[[)" << '[' << west << ','
       << kSouth << "],[" << east << ',' << kSouth << "],[" << east << ',' << kSouth + kCell
       << "],[" << west << ',' << kSouth + kCell << "],[" << west << ',' << kSouth << "]]]}";
  return text.str();
}

/// A node spanning cells [from, to) of the case world's single row.
GridNodeInput node(const std::string& code, double from, double to) {
  const GridLevel level = *domain::level_of_code(code);
  std::optional<std::string> parent;
  if (level != GridLevel::kDistrict) parent = code.substr(0, code.size() - 3);
  return GridNodeInput{code, "用例 " + code, level, parent, std::nullopt, box(from, to)};
}

bool names(const Error& error, const std::string& field, const std::string& part = "") {
  for (const domain::FieldError& problem : error.details().fields) {
    if (problem.field == field && problem.message.find(part) != std::string::npos) return true;
  }
  return false;
}

class GridChangeTest : public ReportWorldTest {
 protected:
  void SetUp() override {
    ReportWorldTest::SetUp();
    // The case world's grid was imported on the real day the test runs, which may be after the
    // fixed clock's: it has been in force since January here.
    sql("UPDATE grid_nodes SET valid_from = '2026-01-01' WHERE path <@ '150261'");
    // The admin audit log is append-only and outlives a test: this test's records are newer.
    started_ = value("SELECT now()::text");
  }

  void sql(const std::string& statement) {
    pqxx::connection connection{url_};
    pqxx::work tx{connection};
    tx.exec0(statement);
    tx.commit();
  }

  std::string value(const std::string& query) {
    pqxx::connection connection{url_};
    pqxx::read_transaction tx{connection};
    const pqxx::row row = tx.exec1(query);
    return row[0].is_null() ? "NULL" : row[0].as<std::string>();
  }

  json change(GridChange change, const domain::Actor& actor = domain::command_line_actor()) {
    return json::parse(run_sync(grid_->change(std::move(change), actor)).text);
  }

  json retire(const std::string& code, std::optional<std::string> date = std::nullopt) {
    return json::parse(
        run_sync(grid_->retire(code, std::move(date), domain::command_line_actor())).text);
  }

  template <class Work>
  Error refusal(Work work) {
    try {
      work();
    } catch (const Error& error) {
      return error;
    }
    ADD_FAILURE() << "the change was accepted";
    return Error(ErrorCode::kInternal, "accepted");
  }

  /// valid_to of a node, "NULL" while current.
  std::string valid_to(const std::string& code) {
    return value("SELECT valid_to::text FROM grid_nodes WHERE code = '" + code + "'");
  }

  std::string located(domain::Point point) {
    return json::parse(run_sync(grid_->locate(point, domain::command_line_actor())).text)
        .at("cell")
        .at("code");
  }

  /// Splits kCommunity in two (west 150261001002, east 150261001003), one cell each.
  GridChange split() {
    return GridChange{.date = std::nullopt,
                      .retire = {kCommunity},
                      .nodes = {node("150261001002", 0, 1), node("150261001002001", 0, 1),
                                node("150261001003", 1, 2), node("150261001003001", 1, 2)}};
  }

  long long nodes_in_district() {
    return std::stoll(value("SELECT count(*) FROM grid_nodes WHERE path <@ '150261'"));
  }

  /// The admin audit records this test wrote that match `condition`.
  std::string audits(const std::string& condition) {
    return value("SELECT count(*) FROM admin_audit WHERE at >= '" + started_ + "' AND " +
                 condition);
  }

  std::string started_;
};

TEST_F(GridChangeTest, RetiringACommunityRetiresItsCellsAndNoPointRoutesToThemAnyMore) {
  at(kMonday, 10h);
  const json done = retire(kOtherCommunity);

  EXPECT_EQ(done.at("date"), "2026-11-23");
  EXPECT_EQ(done.at("retired"), (json{{"cell", 1}, {"community", 1}}));
  EXPECT_EQ(valid_to(kOtherCommunity), "2026-11-23");
  EXPECT_EQ(valid_to(kOtherCommunityCell), "2026-11-23");
  EXPECT_EQ(valid_to(CaseDistrict::kOtherStreet), "NULL");  // the parent stays
  const Error outside = refusal([&] { located(CaseDistrict::in_other_street()); });
  EXPECT_EQ(outside.code(), ErrorCode::kInvalidValue);
  // Cell lists offer current cells only, unless asked for history.
  const json current = json::parse(
      run_sync(grid_->cells(CaseDistrict::kOtherStreet, {}, domain::command_line_actor())).text);
  EXPECT_TRUE(current.at("items").empty());
  const json history = json::parse(
      run_sync(grid_->cells(CaseDistrict::kOtherStreet, {}, domain::command_line_actor(), true))
          .text);
  ASSERT_EQ(history.at("items").size(), 1U);
  EXPECT_EQ(history.at("items")[0].at("valid_to"), "2026-11-23");
  // The node still answers, with its end date.
  const json retired = json::parse(run_sync(grid_->node(kOtherCommunity, false)).text);
  EXPECT_EQ(retired.at("valid_to"), "2026-11-23");
  // The admin audit log has it, before (current) and after (retired).
  EXPECT_EQ(audits("action = 'grid.retire' AND target = '" + std::string(kOtherCommunity) +
                   "' AND after->'retired' ? '" + kOtherCommunity +
                   "' AND before->'retired' = '{}'::jsonb"),
            "1");
}

TEST_F(GridChangeTest, ARetiredNodeCannotBeRetiredAgainNorItsCodeImportedOrCreatedAgain) {
  at(kMonday, 10h);
  retire(kOtherCommunity);

  const Error again = refusal([&] { retire(kOtherCommunity); });
  EXPECT_EQ(again.code(), ErrorCode::kInvalidValue);
  EXPECT_TRUE(names(again, "code", "already retired on 2026-11-23"));

  const Error reused = refusal([&] {
    change({.date = std::nullopt, .retire = {}, .nodes = {node(kOtherCommunity, 2, 3)}});
  });
  EXPECT_EQ(reused.code(), ErrorCode::kInvalidValue);
  EXPECT_TRUE(names(reused, "features[0].properties.code", "codes are never reused"));

  const Error imported = refusal([&] {
    run_sync(grid_->import({node(kOtherCommunity, 2, 3)}, domain::command_line_actor()));
  });
  EXPECT_TRUE(names(imported, "features[0].properties.code", "codes are never reused"));
}

TEST_F(GridChangeTest, AnUnknownCodeIsNotFoundOnTheRouteOfOneNodeAnd422InAList) {
  EXPECT_EQ(refusal([&] { retire("150261009"); }).code(), ErrorCode::kNotFound);
  const Error listed = refusal([&] {
    change({.date = std::nullopt, .retire = {kCommunity, "150261009"}, .nodes = {}});
  });
  EXPECT_EQ(listed.code(), ErrorCode::kInvalidValue);
  EXPECT_TRUE(names(listed, "retire[1]", "no such grid node"));
  EXPECT_EQ(valid_to(kCommunity), "NULL");
}

TEST_F(GridChangeTest, ANonAdminMayNotChangeTheGrid) {
  const Error refused = refusal([&] { change(split(), case_actor(Role::kShiftLeader)); });
  EXPECT_EQ(refused.code(), ErrorCode::kForbidden);
  EXPECT_EQ(valid_to(kCommunity), "NULL");
}

TEST_F(GridChangeTest, TheDateIsTodayOrEarlierAndAfterEveryRetiredNodeBegan) {
  at(kMonday, 10h);
  const Error future = refusal([&] { retire(kOtherCommunity, "2026-11-24"); });
  EXPECT_TRUE(names(future, "date", "no later than today (2026-11-23)"));
  const Error before = refusal([&] { retire(kOtherCommunity, "2026-01-01"); });
  EXPECT_TRUE(names(before, "date", "must be after 2026-01-01"));
  const Error malformed = refusal([&] { retire(kOtherCommunity, "2026-02-30"); });
  EXPECT_TRUE(names(malformed, "date"));
  EXPECT_EQ(valid_to(kOtherCommunity), "NULL");

  const json done = retire(kOtherCommunity, "2026-11-01");  // from an earlier day
  EXPECT_EQ(done.at("date"), "2026-11-01");
  EXPECT_EQ(valid_to(kOtherCommunityCell), "2026-11-01");
}

TEST_F(GridChangeTest, ASplitRetiresTheOldNodesAndRoutesToTheNewOnesFromTheDate) {
  at(kMonday, 10h);
  const json done = change(split());

  EXPECT_EQ(done.at("retired"), (json{{"cell", 2}, {"community", 1}}));
  EXPECT_EQ(done.at("imported"), (json{{"cell", 2}, {"community", 2}}));
  EXPECT_EQ(value("SELECT valid_from::text FROM grid_nodes WHERE code = '150261001003001'"),
            "2026-11-23");
  EXPECT_EQ(located(CaseDistrict::in_cell()), "150261001002001");
  EXPECT_EQ(located(CaseDistrict::in_east_cell()), "150261001003001");
  EXPECT_EQ(audits("action = 'grid.replace' AND target = '" + std::string(kCommunity) + "'"), "1");
}

TEST_F(GridChangeTest, OverlappingOrBadReplacementsAreRefusedAndChangeNothing) {
  at(kMonday, 10h);
  const long long before = nodes_in_district();

  GridChange overlapping = split();
  overlapping.nodes[2] = node("150261001003", 0.5, 2);  // overlaps its new sibling
  overlapping.nodes[3] = node("150261001003001", 0.5, 2);
  const Error overlap = refusal([&] { change(overlapping); });
  EXPECT_EQ(overlap.code(), ErrorCode::kInvalidValue);
  EXPECT_TRUE(names(overlap, "features[2].geometry", "overlaps sibling 150261001002"));

  // Without retiring the old community, the new one overlaps it.
  GridChange kept_old = split();
  kept_old.retire.clear();
  const Error existing = refusal([&] { change(kept_old); });
  EXPECT_TRUE(names(existing, "features[0].geometry",
                    "overlaps existing sibling " + std::string(kCommunity)));

  GridChange bad_geometry = split();
  bad_geometry.nodes[1].geometry_geojson =
      R"({"type":"Polygon","coordinates":[[[60,20],[60.01,20.01],[60.01,20],[60,20.01],[60,20]]]})";
  const Error invalid = refusal([&] { change(bad_geometry); });
  EXPECT_TRUE(names(invalid, "features[1].geometry", "invalid polygon"));

  // A new node under a node the change retires.
  GridChange orphan = split();
  orphan.nodes.push_back(node("150261001001003", 0, 1));
  const Error under_retired = refusal([&] { change(orphan); });
  EXPECT_TRUE(names(under_retired, "features[4].properties.parent_code", "retired by this change"));

  GridChange other_date = split();
  other_date.nodes[0].valid_from = "2026-11-20";
  const Error dated = refusal([&] { change(other_date); });
  EXPECT_TRUE(names(dated, "features[0].properties.valid_from", "the change's date (2026-11-23)"));

  EXPECT_EQ(nodes_in_district(), before);
  EXPECT_EQ(valid_to(kCommunity), "NULL");
  EXPECT_EQ(audits("target = '" + std::string(kCommunity) + "'"), "0");
}

TEST_F(GridChangeTest, RetiringTheScopeOfAnActiveUnitIsAConflict) {
  at(kMonday, 10h);
  const Error refused = refusal([&] { retire(CaseDistrict::kOtherStreet); });
  EXPECT_EQ(refused.code(), ErrorCode::kConflict);
  EXPECT_TRUE(names(refused, "units", CaseDistrict::kOtherStreetUnit));
  EXPECT_EQ(valid_to(CaseDistrict::kOtherStreet), "NULL");
}

TEST_F(GridChangeTest, DutiesOverRetiredCellsEndOnTheDate) {
  at(kMonday, 10h);
  sql("INSERT INTO officer_cells (officer_id, duty, cell_code, valid_from) SELECT id, "
      "'grid_officer', '" +
      std::string(kOtherCommunityCell) + "', '2026-06-01' FROM officers WHERE code = '" +
      CaseDistrict::kPatrolOfficer + "'");

  const json done = retire(kOtherCommunity);

  EXPECT_EQ(done.at("duties_ended"), 1);
  EXPECT_EQ(value("SELECT valid_to::text FROM officer_cells WHERE cell_code = '" +
                  std::string(kOtherCommunityCell) + "'"),
            "2026-11-23");
}

TEST_F(GridChangeTest, OpenCasesOfRetiredCellsAreLocatedAgainAndClosedOnesKeepTheirCell) {
  at(kMonday, 10h);
  const std::string closed = receive(domain::Channel::kApp, false);
  drive_to(closed, CaseStatus::kClosed);
  const std::string open = receive(domain::Channel::kApp, false);
  drive_to(open, CaseStatus::kDispatched);
  const int version = get(open).at("version");
  clock_->advance(1h);

  const json done = change(split());

  ASSERT_EQ(done.at("relocated").size(), 1U) << done;
  EXPECT_EQ(done.at("relocated")[0],
            (json{{"case_no", open}, {"from", CaseDistrict::kCell}, {"to", "150261001002001"}}));
  const json moved = get(open);
  EXPECT_EQ(moved.at("cell").at("code"), "150261001002001");
  EXPECT_EQ(moved.at("status"), "dispatched");
  EXPECT_EQ(moved.at("version"), version + 1);
  const json last = moved.at("events").back();
  EXPECT_EQ(last.at("action"), "locate");
  EXPECT_EQ(last.at("params").at("previous_cell"), CaseDistrict::kCell);
  EXPECT_EQ(get(closed).at("cell").at("code"), CaseDistrict::kCell);
  // The move is in the attribute history the reports read, at the time of the change.
  EXPECT_EQ(value("SELECT h.cell_code FROM case_attribute_history h JOIN cases c ON c.id = "
                  "h.case_id WHERE c.case_no = '" +
                  open + "' ORDER BY h.id DESC LIMIT 1"),
            "150261001002001");
  // The chain of the case's events still verifies.
  EXPECT_EQ(value("SELECT count(*) FROM gridcase_first_broken_event() WHERE id IS NOT NULL"), "0");
}

TEST_F(GridChangeTest, AChangeThatLeavesAnOpenCaseInNoCellIsAConflictAndChangesNothing) {
  at(kMonday, 10h);
  const std::string open = receive(domain::Channel::kApp, false);  // in the west cell
  GridChange east_only{.date = std::nullopt,
                       .retire = {kCommunity},
                       .nodes = {node("150261001003", 1, 2), node("150261001003001", 1, 2)}};

  const Error refused = refusal([&] { change(east_only); });

  EXPECT_EQ(refused.code(), ErrorCode::kConflict);
  EXPECT_TRUE(names(refused, "cases", open));
  EXPECT_EQ(valid_to(kCommunity), "NULL");
  EXPECT_EQ(value("SELECT count(*) FROM grid_nodes WHERE code = '150261001003'"), "0");
  EXPECT_EQ(get(open).at("cell").at("code"), CaseDistrict::kCell);
}

TEST_F(GridChangeTest, AReplacingImportKeepsWhatItNamesAndRetiresWhatItLeavesOut) {
  at(kMonday, 10h);
  // The whole district again, with kCommunity redrawn as one community of one cell.
  std::vector<GridNodeInput> file = {node(CaseDistrict::kCode, 0, 3),
                                     node(CaseDistrict::kStreet, 0, 2),
                                     node("150261001004", 0, 2),
                                     node("150261001004001", 0, 2),
                                     node(CaseDistrict::kOtherStreet, 2, 3),
                                     node(kOtherCommunity, 2, 3),
                                     node(kOtherCommunityCell, 2, 3)};

  const json done = json::parse(
      run_sync(grid_->import_replacing(file, std::nullopt, domain::command_line_actor())).text);

  EXPECT_EQ(done.at("retired"), (json{{"cell", 2}, {"community", 1}}));
  EXPECT_EQ(done.at("imported"), (json{{"cell", 1}, {"community", 1}}));
  EXPECT_EQ(done.at("kept"), 5);
  EXPECT_EQ(valid_to(kCommunity), "2026-11-23");
  EXPECT_EQ(valid_to(kOtherCommunityCell), "NULL");
  EXPECT_EQ(located(CaseDistrict::in_east_cell()), "150261001004001");
}

TEST_F(GridChangeTest, AReplacingImportWithoutADateTakesTheOneItsNewNodesBeginOn) {
  at(kMonday, 10h);
  std::vector<GridNodeInput> file = {node(CaseDistrict::kStreet, 0, 2), node("150261001004", 0, 2),
                                     node("150261001004001", 0, 2)};
  file[0].valid_from = "2026-01-01";  // as exported: a kept node's own date is its own
  file[1].valid_from = "2026-11-20";
  file[2].valid_from = "2026-11-20";

  const json done = json::parse(
      run_sync(grid_->import_replacing(file, std::nullopt, domain::command_line_actor())).text);

  EXPECT_EQ(done.at("date"), "2026-11-20");
  EXPECT_EQ(valid_to(kCommunity), "2026-11-20");
  EXPECT_EQ(value("SELECT valid_from::text FROM grid_nodes WHERE code = '150261001004'"),
            "2026-11-20");
}

TEST_F(GridChangeTest, AReplacingImportRefusesAKeptNodeThatChanged) {
  at(kMonday, 10h);
  GridNodeInput renamed = node(CaseDistrict::kOtherStreet, 2, 3);
  renamed.name = "改名街道";
  GridNodeInput moved = node(kOtherCommunity, 2, 2.5);

  const Error refused = refusal([&] {
    run_sync(grid_->import_replacing({renamed, moved}, std::nullopt, domain::command_line_actor()));
  });

  EXPECT_EQ(refused.code(), ErrorCode::kInvalidValue);
  EXPECT_TRUE(names(refused, "features[0].properties.name", "differs"));
  EXPECT_TRUE(names(refused, "features[1].geometry", "differs"));
  EXPECT_EQ(valid_to(kOtherCommunityCell), "NULL");
}

// The report of a day before a merge shows the two old communities; of the day of the merge,
// the new one: every case is labelled with the cell it was in at the end of the period.
TEST_F(GridChangeTest, AReportOfADayBeforeAMergeShowsTheOldCommunitiesAndAfterItTheNewOne) {
  at(kMonday, 9h);
  change(split());  // Monday: two communities, west and east
  at(kMonday, 10h);
  const std::string west =
      receive(case_report(domain::Channel::kApp, CaseDistrict::in_cell(), false, clock_->now()));
  const std::string east = receive(
      case_report(domain::Channel::kApp, CaseDistrict::in_east_cell(), false, clock_->now()));
  at(kTuesday, 9h);  // Tuesday: merged into one
  const json merged = change({.date = std::nullopt,
                              .retire = {"150261001002", "150261001003"},
                              .nodes = {node("150261001004", 0, 2), node("150261001004001", 0, 1),
                                        node("150261001004002", 1, 2)}});
  EXPECT_EQ(merged.at("relocated").size(), 2U);
  at(kTuesday, 10h);
  act(west, CaseAction::kRegister, register_input(), Role::kShiftLeader);
  act(east, CaseAction::kRegister, register_input(), Role::kShiftLeader);

  auto communities = [&](year_month_day day) {
    std::map<std::string, long long> rows;
    const service::Report report = run_sync(reports_->compute(domain::ReportPeriod::kDay, day));
    for (const domain::ReportRow& row : report.rows) {
      if (row.dimension == domain::ReportDimension::kCommunity) {
        rows[row.label.key] = row.counts.received + row.counts.registered;
      }
    }
    return rows;
  };
  EXPECT_EQ(communities(kMonday),
            (std::map<std::string, long long>{{"150261001002", 1}, {"150261001003", 1}}));
  EXPECT_EQ(communities(kTuesday), (std::map<std::string, long long>{{"150261001004", 2}}));
}

}  // namespace
}  // namespace gridcase::testing
