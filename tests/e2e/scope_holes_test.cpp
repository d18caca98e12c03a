// The walls between parts of the grid, probed as an ordinary account would (docs/security.md,
// "Scope holes"): an action that names a second case or a unit, or moves a case, stays inside
// the caller's scope; what an answer names of other cases (possible duplicates) is what its
// reader may read; an integration names only its own cases and reads only the catalogue; and
// officers' names and phones stay within the scope that works with them.
#include <gtest/gtest.h>

#include <chrono>
#include <pqxx/pqxx>
#include <set>
#include <sstream>
#include <thread>

#include "support/case_http.hpp"
#include "support/demo_server.hpp"
#include "support/eventually.hpp"
#include "support/test_database.hpp"

namespace gridcase::testing {
namespace {

using nlohmann::json;

constexpr const char* kMissingCase = "150203-19990101-000001";  // well-formed, before any case
constexpr const char* kOtherStreet = "150203005";

/// Accounts seed-demo does not make: street 004's and 005's dispatchers, street 004's operator,
/// street 005's unit.
struct Accounts {
  std::string dispatcher_004 =
      scoped_account("e2e-scope-dispatcher-004", "dispatcher", "grid:150203004");
  std::string dispatcher_005 =
      scoped_account("e2e-scope-dispatcher-005", "dispatcher", "grid:150203005");
  std::string operator_004 = scoped_account("e2e-scope-operator-004", "operator", "grid:150203004");
  std::string unit_005 = scoped_account("e2e-scope-unit-005", "unit", "unit:150203005-enforcement");
};

const Accounts& accounts() {
  static const Accounts made;
  return made;
}

/// A point inside a cell of street 005, read from the server.
DemoPlace street_005_place(unsigned short port) {
  static DemoPlace place;
  static std::string cell;
  if (cell.empty()) {
    const json cells = json::parse(
        get_as(port, std::string("/api/v1/grid/") + kOtherStreet + "/cells?limit=1", "admin").body,
        nullptr, false);
    if (cells.is_discarded() || cells.at("items").empty()) {
      ADD_FAILURE() << "street " << kOtherStreet << " has no cells in the demo district";
      return kDemoPlace;
    }
    cell = cells.at("items")[0].at("code").get<std::string>();
    const json& point = cells.at("items")[0].at("point");
    place = DemoPlace{point[0].get<double>(), point[1].get<double>(), cell.c_str(), kOtherStreet};
  }
  return place;
}

std::string district_unit() {
  return query_scalar(e2e_database_url(),
                      "SELECT code FROM units WHERE scope_code = '150203' AND active "
                      "ORDER BY code LIMIT 1");
}

/// A problem answer without what differs between two requests by nature (request id, target)
/// and with `case_no` written as CASE.
std::string normalized(const HttpResponse& response, const std::string& case_no) {
  json problem = json::parse(response.body, nullptr, false);
  if (problem.is_discarded() || !problem.is_object()) return response.body;
  problem.erase("request_id");
  problem.erase("instance");
  std::string text = problem.dump();
  for (std::size_t at = text.find(case_no); at != std::string::npos; at = text.find(case_no, at)) {
    text.replace(at, case_no.size(), "CASE");
  }
  return std::to_string(response.status) + " " + text;
}

std::string status_of(unsigned short port, const std::string& case_no) {
  return json_of(get_as(port, "/api/v1/cases/" + case_no, "admin")).value("status", "");
}

bool lists(const json& document, const std::string& case_no) {
  for (const json& listed : document.at("possible_duplicates")) {
    if (listed == case_no) return true;
  }
  return false;
}

class ScopeHolesTest : public DemoServerTest {};

TEST_F(ScopeHolesTest, MergingIntoACaseOfAnotherStreetAnswersExactlyAsAMissingCase) {
  const DemoPlace there = street_005_place(port());
  const std::string dispatcher = accounts().dispatcher_004;
  const std::string open_there = create_case(port(), case_intake_body("web", there.lon, there.lat));
  const std::string rejected_there =
      create_case(port(), case_intake_body("web", there.lon, there.lat));
  ASSERT_EQ(
      post_action(port(), rejected_there, "reject", json{{"reason", "重复"}}, "operator").status,
      200U);

  std::vector<std::string> answers;
  for (const std::string& target : {open_there, rejected_there, std::string{kMissingCase}}) {
    const std::string duplicate = create_case(port(), case_intake_body("web"));
    const HttpResponse merged =
        post_action(port(), duplicate, "merge", json{{"into", target}}, dispatcher);
    EXPECT_TRUE(is_problem(merged, 422)) << target;
    EXPECT_EQ(error_fields(merged), std::vector<std::string>{"into"}) << target;
    EXPECT_EQ(status_of(port(), duplicate), "received") << target;
    answers.push_back(normalized(merged, target));
  }

  EXPECT_EQ(answers[0], answers[2]) << "an open case of another street";
  EXPECT_EQ(answers[1], answers[2]) << "a rejected case of another street";
  EXPECT_EQ(status_of(port(), open_there), "received");
  const std::string original_here = create_case(port(), case_intake_body("web"));
  const std::string duplicate_here = create_case(port(), case_intake_body("web"));
  EXPECT_EQ(post_action(port(), duplicate_here, "merge", json{{"into", original_here}}, dispatcher)
                .status,
            200U);
}

TEST_F(ScopeHolesTest, TwoCasesMergedIntoEachOtherAtOnceLeaveOneOriginal) {
  const std::string first = create_case(port(), case_intake_body("web"));
  const std::string second = create_case(port(), case_intake_body("web"));
  // Both merges end their case's registration timer: holding those rows stops each merge after
  // it has looked at its original, so the two overlap for certain.
  pqxx::connection holder{e2e_database_url()};
  pqxx::work held{holder};
  held.exec_params(
      "SELECT t.id FROM case_timers t JOIN cases c ON c.id = t.case_id "
      "WHERE c.case_no IN ($1, $2) FOR UPDATE OF t",
      first, second);
  HttpResponse forward;
  HttpResponse backward;

  std::thread one{[&] {
    forward = post_action(port(), first, "merge", json{{"into", second}}, "dispatcher");
  }};
  std::thread other{[&] {
    backward = post_action(port(), second, "merge", json{{"into", first}}, "dispatcher");
  }};
  EXPECT_TRUE(eventually(
      [&] {
        return query_scalar(e2e_database_url(),
                            "SELECT count(*) FROM pg_stat_activity WHERE datname = "
                            "current_database() AND wait_event_type = 'Lock'") == "2";
      },
      std::chrono::seconds{10}, "both merges wait"));
  held.abort();
  one.join();
  other.join();

  const std::multiset<unsigned> statuses{forward.status, backward.status};
  EXPECT_EQ(statuses, (std::multiset<unsigned>{200U, 409U})) << forward.body << "\n"
                                                             << backward.body;
  // The loser saw its original closed (a state refusal with allowed_actions), not a deadlock
  // PostgreSQL broke by aborting one of them (a conflict, without).
  const HttpResponse& loser = forward.status == 409U ? forward : backward;
  EXPECT_TRUE(json_of(loser).contains("allowed_actions")) << loser.body;
  const bool first_closed = status_of(port(), first) == "closed";
  const bool second_closed = status_of(port(), second) == "closed";
  EXPECT_NE(first_closed, second_closed) << "exactly one of the two is merged";
}

TEST_F(ScopeHolesTest, LocatingACaseOutsideTheCallersStreetIsRefusedExactlyAsIntakeRefusesIt) {
  const DemoPlace there = street_005_place(port());
  const std::string operator_004 = accounts().operator_004;
  const std::string case_no = create_case(port(), case_intake_body("web"));

  const HttpResponse intake =
      post_case(port(), case_intake_body("web", there.lon, there.lat), operator_004);
  const HttpResponse located = post_action(
      port(), case_no, "locate", json{{"lon", there.lon}, {"lat", there.lat}}, operator_004);

  EXPECT_TRUE(is_problem(located, 422)) << located.body;
  EXPECT_EQ(error_fields(located), std::vector<std::string>{"lon"});
  EXPECT_EQ(normalized(located, case_no), normalized(intake, case_no));
  EXPECT_EQ(json_of(get_as(port(), "/api/v1/cases/" + case_no, "admin")).at("cell").at("code"),
            kDemoPlace.cell);
  EXPECT_EQ(post_action(port(), case_no, "locate",
                        json{{"lon", kDemoPlace.lon}, {"lat", kDemoPlace.lat}}, operator_004)
                .status,
            200U);
}

TEST_F(ScopeHolesTest, AStreetDispatcherSendsCasesOnlyToUnitsWhoseScopeHoldsTheCasesCell) {
  const std::string dispatcher = accounts().dispatcher_004;
  const std::string other_unit = std::string(kOtherStreet) + "-enforcement";
  const std::string case_no = create_registered_case(port());

  const HttpResponse to_other =
      post_action(port(), case_no, "dispatch", json{{"unit", other_unit}}, dispatcher);
  const HttpResponse to_own =
      post_action(port(), case_no, "dispatch", json{{"unit", "150203004-enforcement"}}, dispatcher);
  const HttpResponse reassigned_other =
      post_action(port(), case_no, "reassign", json{{"unit", other_unit}}, dispatcher);
  const HttpResponse reassigned_district =
      post_action(port(), case_no, "reassign", json{{"unit", district_unit()}}, dispatcher);

  EXPECT_TRUE(is_problem(to_other, 422)) << to_other.body;
  EXPECT_EQ(error_fields(to_other), std::vector<std::string>{"unit"});
  EXPECT_EQ(to_own.status, 200U) << to_own.body;
  EXPECT_TRUE(is_problem(reassigned_other, 422)) << reassigned_other.body;
  EXPECT_EQ(error_fields(reassigned_other), std::vector<std::string>{"unit"});
  EXPECT_EQ(reassigned_district.status, 200U) << reassigned_district.body;
  EXPECT_EQ(get_as(port(), "/api/v1/cases/" + case_no, accounts().unit_005).status, 404U);
  // The district's dispatcher chooses any unit (domain.md §3): the rule guards the walls only.
  EXPECT_EQ(
      post_action(port(), case_no, "reassign", json{{"unit", other_unit}}, "dispatcher").status,
      200U);
  EXPECT_EQ(get_as(port(), "/api/v1/cases/" + case_no, accounts().unit_005).status, 200U);
}

/// Two points 12 m apart, either side of the border of street 004: {lon, lat} each.
std::pair<DemoPlace, DemoPlace> across_the_street_border() {
  static std::string cells;
  static DemoPlace inside;
  static DemoPlace outside;
  if (cells.empty()) {
    cells = query_scalar(e2e_database_url(), R"sql(
      SELECT concat_ws(' ', ac, bc, ST_X(pa), ST_Y(pa), ST_X(pb), ST_Y(pb)) FROM (
        SELECT a.code AS ac, b.code AS bc, a.geom AS ag, b.geom AS bg,
               ST_LineInterpolatePoint(ST_MakeLine(ST_Centroid(a.geom), ST_Centroid(b.geom)),
                                       0.47) AS pa,
               ST_LineInterpolatePoint(ST_MakeLine(ST_Centroid(a.geom), ST_Centroid(b.geom)),
                                       0.53) AS pb
        FROM grid_nodes a JOIN grid_nodes b
          ON b.level = 'cell' AND b.valid_to IS NULL AND left(b.code, 9) <> '150203004'
         AND ST_DWithin(a.geom, b.geom, 0)
        WHERE a.level = 'cell' AND a.valid_to IS NULL AND left(a.code, 9) = '150203004') pair
      WHERE ST_Covers(ag, pa) AND ST_Covers(bg, pb)
        AND ST_Distance(pa::geography, pb::geography) BETWEEN 5 AND 20
      ORDER BY ac, bc LIMIT 1)sql");
  }
  static std::string inside_cell;
  static std::string outside_cell;
  std::istringstream fields{cells};
  fields >> inside_cell >> outside_cell >> inside.lon >> inside.lat >> outside.lon >> outside.lat;
  inside.cell = inside_cell.c_str();
  outside.cell = outside_cell.c_str();
  return {inside, outside};
}

TEST_F(ScopeHolesTest, PossibleDuplicatesNameOnlyTheCasesTheirReaderMayRead) {
  const auto [inside, outside] = across_the_street_border();
  ASSERT_FALSE(std::string(inside.cell).empty()) << "no two cells either side of 004's border";
  const std::string beyond = create_case(port(), case_intake_body("web", outside.lon, outside.lat));
  const std::string within = create_case(port(), case_intake_body("web", inside.lon, inside.lat));

  const HttpResponse received =
      post_case(port(), case_intake_body("web", inside.lon, inside.lat), accounts().operator_004);

  ASSERT_EQ(received.status, 201U) << received.body;
  const json answer = json_of(received);
  EXPECT_TRUE(lists(answer, within)) << answer.at("possible_duplicates");
  EXPECT_FALSE(lists(answer, beyond)) << answer.at("possible_duplicates");
  const std::string target = "/api/v1/cases/" + answer.at("case_no").get<std::string>();
  const json to_district = json_of(get_as(port(), target, "shift_leader"));
  const json to_supervisor = json_of(get_as(port(), target, "supervisor"));
  EXPECT_TRUE(lists(to_district, beyond)) << to_district.at("possible_duplicates");
  EXPECT_TRUE(lists(to_supervisor, within)) << to_supervisor.at("possible_duplicates");
  EXPECT_FALSE(lists(to_supervisor, beyond)) << to_supervisor.at("possible_duplicates");
}

/// The `into` of `document`'s merge event ("" when it has none, "null" when it is null).
std::string merge_event_into(const json& document) {
  for (const json& event : document.at("events")) {
    if (event.at("action") == "merge") {
      const json& into = event.at("params").at("into");
      return into.is_null() ? "null" : into.get<std::string>();
    }
  }
  return "";
}

TEST_F(ScopeHolesTest, TheOriginalACaseWasMergedIntoIsNamedOnlyToReadersWhoMayReadIt) {
  const DemoPlace there = street_005_place(port());
  const std::string original = create_case(port(), case_intake_body("web", there.lon, there.lat));
  const std::string duplicate = create_case(port(), case_intake_body("web"));  // street 004

  const HttpResponse merged =
      post_action(port(), duplicate, "merge", json{{"into", original}}, "dispatcher");

  ASSERT_EQ(merged.status, 200U) << merged.body;
  const std::string target = "/api/v1/cases/" + duplicate;
  const json to_district = json_of(get_as(port(), target, "admin"));
  const json to_street_004 = json_of(get_as(port(), target, "supervisor"));
  EXPECT_EQ(to_district.at("merged_into"), original);
  EXPECT_EQ(merge_event_into(to_district), original);
  EXPECT_TRUE(to_street_004.at("merged_into").is_null()) << to_street_004.at("merged_into");
  EXPECT_EQ(merge_event_into(to_street_004), "null") << "the timeline names the original";
  EXPECT_EQ(to_street_004.dump().find(original), std::string::npos)
      << "street 004's supervisor reads a case number of street 005";
}

TEST_F(ScopeHolesTest, AnIntegrationActingOnACaseItDidNotSubmitGetsTheAnswerOfAMissingCase) {
  const std::string others = create_case(port(), case_intake_body("web"));
  const HttpResponse own_intake = post_case(port(), case_intake_body("web"), "integration");
  ASSERT_EQ(own_intake.status, 201U) << own_intake.body;
  const std::string own = json_of(own_intake).at("case_no").get<std::string>();

  const HttpResponse on_others = post_action(port(), others, "urge", json::object(), "integration");
  const HttpResponse on_missing =
      post_action(port(), kMissingCase, "urge", json::object(), "integration");
  const HttpResponse merged =
      post_action(port(), others, "merge", json{{"into", own}}, "integration");
  const HttpResponse on_own = post_action(port(), own, "urge", json::object(), "integration");

  EXPECT_TRUE(is_problem(on_others, 404)) << on_others.body;
  EXPECT_EQ(normalized(on_others, others), normalized(on_missing, kMissingCase));
  EXPECT_EQ(normalized(merged, others), normalized(on_missing, kMissingCase));
  EXPECT_TRUE(is_problem(on_own, 403)) << on_own.body;
}

TEST_F(ScopeHolesTest, AnIntegrationReadsOnlyTheCatalogueItFilesAgainst) {
  for (const std::string target :
       {"/api/v1/grid/locate?lon=109.83&lat=40.65", "/api/v1/grid/150203004",
        "/api/v1/grid/150203004007/cells", "/api/v1/officers?grid=150203004007", "/api/v1/units"}) {
    EXPECT_TRUE(is_problem(get_as(port(), target, "integration"), 403)) << target;
  }
  EXPECT_EQ(get_as(port(), "/api/v1/categories", "integration").status, 200U);

  const HttpResponse received = post_case(port(), case_intake_body("web"), "integration");

  ASSERT_EQ(received.status, 201U) << received.body;
  const json officer = json_of(received).at("grid_officer");
  ASSERT_TRUE(officer.is_object()) << received.body;
  EXPECT_TRUE(officer.contains("code"));
  EXPECT_FALSE(officer.contains("name") || officer.contains("phone")) << officer;
}

TEST_F(ScopeHolesTest, OfficersNamesAndPhonesStayWithinTheReadersScope) {
  const DemoPlace there = street_005_place(port());
  const std::string there_locate =
      "/api/v1/grid/locate?lon=" + std::to_string(there.lon) + "&lat=" + std::to_string(there.lat);
  const std::string here_locate = "/api/v1/grid/locate?lon=109.83&lat=40.65";

  const HttpResponse other_street =
      get_as(port(), std::string("/api/v1/officers?grid=") + kOtherStreet, "supervisor");
  const HttpResponse unknown =
      get_as(port(), "/api/v1/officers?grid=150203004199", "supervisor");  // no such community
  const json own_street = json_of(get_as(port(), "/api/v1/officers?grid=150203004", "supervisor"));
  const json located_there = json_of(get_as(port(), there_locate, "supervisor"));
  const json located_here = json_of(get_as(port(), here_locate, "supervisor"));
  const json to_unit = json_of(get_as(port(), "/api/v1/officers?grid=150203004", "unit"));
  const json to_district =
      json_of(get_as(port(), std::string("/api/v1/officers?grid=") + kOtherStreet, "operator"));

  EXPECT_TRUE(is_problem(other_street, 404)) << other_street.body;
  EXPECT_EQ(normalized(other_street, kOtherStreet), normalized(unknown, "150203004199"));
  EXPECT_FALSE(own_street.at("items").empty());
  EXPECT_EQ(located_there.at("officers"), json::array()) << located_there;
  EXPECT_EQ(located_there.at("cell").at("code"), there.cell);
  EXPECT_FALSE(located_here.at("officers").empty());
  EXPECT_EQ(to_unit.at("items"), json::array()) << to_unit;
  EXPECT_FALSE(to_district.at("items").empty());
}

}  // namespace
}  // namespace gridcase::testing
