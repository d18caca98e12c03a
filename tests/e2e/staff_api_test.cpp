// District administration of officers, duties and units over HTTP (docs/administration.md,
// "Officers, duties and units"): each route, each refusal with the field it names, and the
// handover that moves a cell's check task to the new grid officer. The demo district is shared
// by every end-to-end test and kept between runs: these tests add officers and units of their
// own and take, for each duty they change, a cell of the north-east corner that no run has
// changed yet.
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "support/case_http.hpp"
#include "support/demo_server.hpp"
#include "support/test_database.hpp"

namespace gridcase::testing {
namespace {

using nlohmann::json;

class StaffApiTest : public DemoServerTest {
 protected:
  static HttpResponse send(std::string_view method, const std::string& target, const json& body,
                           std::string_view role = "admin") {
    return http_request(port(), method, target, body.is_null() ? std::string() : body.dump(),
                        case_headers(role));
  }

  static ::testing::AssertionResult refused_naming(const HttpResponse& response, unsigned status,
                                                   const std::string& field) {
    ::testing::AssertionResult problem = is_problem(response, status);
    if (!problem) return problem << " " << response.body;
    const std::vector<std::string> fields = error_fields(response);
    if (std::find(fields.begin(), fields.end(), field) == fields.end()) {
      return ::testing::AssertionFailure() << "does not name " << field << ": " << response.body;
    }
    return ::testing::AssertionSuccess();
  }

  /// A new officer of this run; fails the test unless created.
  static std::string new_officer() {
    const std::string code = unique_token("e2e-off");
    const HttpResponse created =
        send("POST", "/api/v1/officers",
             {{"code", code}, {"name", "新网格员"}, {"phone", "13900001111"}});
    EXPECT_EQ(created.status, 201U) << created.body;
    return code;
  }

  /// A current cell of the north-east corner whose `duty` has been held since before today,
  /// open-ended, with nothing planned after it: one no run has changed yet.
  static std::string unchanged_cell(const std::string& duty) {
    const std::string code = query_scalar(e2e_database_url(), R"sql(
      SELECT coalesce(min(g.code), '') FROM grid_nodes g
      JOIN officer_cells oc ON oc.cell_code = g.code AND oc.duty = ')sql" +
                                                                  duty + R"sql('
      WHERE g.level = 'cell' AND g.valid_to IS NULL
        AND ST_X(ST_Centroid(g.geom)) > 109.845 AND ST_Y(ST_Centroid(g.geom)) > 40.655
        AND oc.valid_from < gridcase_today() AND oc.valid_to IS NULL
        AND NOT EXISTS (SELECT 1 FROM officer_cells l WHERE l.cell_code = g.code
                        AND l.duty = oc.duty AND l.valid_from > oc.valid_from))sql");
    EXPECT_FALSE(code.empty()) << "no unchanged " << duty
                               << " cell left: re-create the e2e database";
    return code;
  }

  static std::string today() {
    return query_scalar(e2e_database_url(), "SELECT to_char(gridcase_today(), 'YYYY-MM-DD')");
  }

  static std::string day_after(const std::string& day, int days) {
    return query_scalar(e2e_database_url(), "SELECT to_char('" + day + "'::date + " +
                                                std::to_string(days) + ", 'YYYY-MM-DD')");
  }

  static long long audit_count(const std::string& action, const std::string& target) {
    return std::stoll(
        query_scalar(e2e_database_url(), "SELECT count(*) FROM admin_audit WHERE action = '" +
                                             action + "' AND target = '" + target + "'"));
  }
};

TEST_F(StaffApiTest, OfficerIsCreatedReadEditedAndListed) {
  const std::string code = new_officer();
  EXPECT_EQ(audit_count("officer.create", code), 1);

  const HttpResponse edited =
      send("PATCH", "/api/v1/officers/" + code, {{"name", "改名"}, {"phone", ""}});
  ASSERT_EQ(edited.status, 200U) << edited.body;
  EXPECT_EQ(json_of(edited).at("name"), "改名");
  EXPECT_TRUE(json_of(edited).at("phone").is_null());
  EXPECT_EQ(audit_count("officer.update", code), 1);

  const HttpResponse read = get("/api/v1/officers/" + code);
  ASSERT_EQ(read.status, 200U) << read.body;
  EXPECT_EQ(json_of(read).at("active"), true);

  // Without `grid`, every officer for the admin, paged by code.
  const HttpResponse all =
      get("/api/v1/officers?limit=200&cursor=" + code.substr(0, code.size() - 1));
  ASSERT_EQ(all.status, 200U) << all.body;
  const json page = json_of(all);
  bool listed = false;
  for (const json& item : page.at("items")) listed |= item.at("code") == code;
  EXPECT_TRUE(listed);
}

TEST_F(StaffApiTest, OfficerRoutesRefuseWithTheStatusAndFieldTheContractSays) {
  const std::string code = new_officer();
  const long long officers = e2e_rows("officers");

  EXPECT_TRUE(is_problem(
      http_request(port(), "POST", "/api/v1/officers", json{{"code", "x"}, {"name", "x"}}.dump(),
                   {{"Content-Type", "application/json"}}),
      401));
  EXPECT_TRUE(
      refused_naming(send("POST", "/api/v1/officers", {{"code", 7}, {"name", "x"}}), 400, "code"));
  EXPECT_TRUE(refused_naming(send("POST", "/api/v1/officers", {{"name", "x"}}), 400, "code"));
  EXPECT_TRUE(refused_naming(
      send("POST", "/api/v1/officers", {{"code", "x"}, {"name", "x"}, {"rank", 1}}), 400, "rank"));
  EXPECT_TRUE(is_problem(
      send("POST", "/api/v1/officers", {{"code", "x1"}, {"name", "x"}}, "dispatcher"), 403));
  EXPECT_TRUE(refused_naming(send("POST", "/api/v1/officers", {{"code", code}, {"name", "x"}}), 409,
                             "code"));
  EXPECT_TRUE(refused_naming(
      send("POST", "/api/v1/officers", {{"code", "a b"}, {"name", "x"}, {"phone", "x"}}), 422,
      "phone"));
  EXPECT_TRUE(is_problem(send("PATCH", "/api/v1/officers/no-such-officer", {{"name", "x"}}), 404));
  EXPECT_TRUE(
      refused_naming(send("PATCH", "/api/v1/officers/" + code, {{"active", "no"}}), 400, "active"));
  EXPECT_TRUE(is_problem(get_as(port(), "/api/v1/officers/" + code, "supervisor"), 404));
  EXPECT_TRUE(is_problem(get_as(port(), "/api/v1/officers/" + code, "integration"), 403));
  EXPECT_TRUE(is_problem(get_as(port(), "/api/v1/officers", "dispatcher"), 403));

  EXPECT_EQ(e2e_rows("officers"), officers);
  EXPECT_EQ(json_of(get("/api/v1/officers/" + code)).at("name"), "新网格员");
}

TEST_F(StaffApiTest, DutyIsAssignedAndEndedAndTheRuleNamesTheConflictingDuty) {
  const std::string officer = new_officer();
  const std::string cell = unchanged_cell("sanitation");
  const json history = json_of(get("/api/v1/grid/" + cell + "/duties"));
  long long demo_duty = 0;
  for (const json& item : history.at("items"))
    if (item.at("duty") == "sanitation" && item.at("in_force") == true) demo_duty = item.at("id");
  ASSERT_NE(demo_duty, 0) << history.dump();
  const std::string tomorrow = day_after(today(), 1);

  // Held now: another sanitation duty over the cell is a conflict naming the one in force.
  const HttpResponse conflict =
      send("POST", "/api/v1/duties",
           {{"officer", officer}, {"duty", "sanitation"}, {"cells", {cell}}, {"from", tomorrow}});
  EXPECT_TRUE(refused_naming(conflict, 409, "cells[0]"));
  EXPECT_NE(conflict.body.find("duty " + std::to_string(demo_duty)), std::string::npos)
      << conflict.body;

  // The demo duty ends tomorrow; the new officer's begins then.
  const HttpResponse ended =
      send("POST", "/api/v1/duties/" + std::to_string(demo_duty) + "/end", {{"on", tomorrow}});
  ASSERT_EQ(ended.status, 200U) << ended.body;
  const HttpResponse assigned =
      send("POST", "/api/v1/duties",
           {{"officer", officer}, {"duty", "sanitation"}, {"cells", {cell}}, {"from", tomorrow}});
  ASSERT_EQ(assigned.status, 201U) << assigned.body;
  EXPECT_EQ(assigned.header("location").value_or(""), "/api/v1/officers/" + officer);
  const json duty = json_of(assigned).at("duties").at(0);
  EXPECT_EQ(duty.at("cell"), cell);
  EXPECT_EQ(duty.at("from"), tomorrow);
  EXPECT_EQ(duty.at("in_force"), false);  // not yet
  EXPECT_EQ(audit_count("duty.assign", officer), 1);

  const json after = json_of(get("/api/v1/grid/" + cell + "/duties"));
  EXPECT_EQ(after.at("items").size(), history.at("items").size() + 1);

  // An officer who holds a duty (planned, here) is not deactivated.
  EXPECT_TRUE(refused_naming(send("PATCH", "/api/v1/officers/" + officer, {{"active", false}}), 409,
                             "active"));
}

TEST_F(StaffApiTest, DutyRoutesRefuseBadInputChangingNothing) {
  const std::string officer = new_officer();
  const std::string cell = unchanged_cell("road_chief");
  const long long duties = e2e_rows("officer_cells");
  const json base{{"officer", officer}, {"duty", "road_chief"}, {"cells", {cell}}};
  const auto with = [&](const std::string& key, const json& value) {
    json body = base;
    body[key] = value;
    return body;
  };

  EXPECT_TRUE(refused_naming(send("POST", "/api/v1/duties", with("cells", cell)), 400, "cells"));
  EXPECT_TRUE(
      refused_naming(send("POST", "/api/v1/duties", with("from", "tomorrow")), 400, "from"));
  EXPECT_TRUE(is_problem(send("POST", "/api/v1/duties", base, "dispatcher"), 403));
  EXPECT_TRUE(refused_naming(send("POST", "/api/v1/duties", base), 409, "cells[0]"));
  EXPECT_TRUE(refused_naming(send("POST", "/api/v1/duties", with("duty", "mayor")), 422, "duty"));
  EXPECT_TRUE(refused_naming(send("POST", "/api/v1/duties", with("officer", "no-such-officer")),
                             422, "officer"));
  EXPECT_TRUE(refused_naming(send("POST", "/api/v1/duties", with("cells", {"150203999999999"})),
                             422, "cells[0]"));
  EXPECT_TRUE(
      refused_naming(send("POST", "/api/v1/duties", with("from", "2020-01-01")), 422, "from"));
  EXPECT_TRUE(is_problem(send("POST", "/api/v1/duties/999999999/end", json::object()), 404));
  EXPECT_TRUE(is_problem(send("POST", "/api/v1/duties/x/end", json::object()), 404));
  EXPECT_TRUE(refused_naming(
      send("POST", "/api/v1/duties/handover", {{"to", officer}, {"duty", "road_chief"}}), 400,
      "cells"));
  EXPECT_TRUE(
      refused_naming(send("POST", "/api/v1/duties/handover",
                          {{"to", "no-such-officer"}, {"duty", "road_chief"}, {"cells", {cell}}}),
                     422, "to"));
  EXPECT_TRUE(is_problem(get("/api/v1/grid/150203004199999/duties"), 404));
  EXPECT_TRUE(refused_naming(get("/api/v1/grid/150203/duties"), 422, "code"));
  EXPECT_TRUE(is_problem(get_as(port(), "/api/v1/grid/" + cell + "/duties", "integration"), 403));

  EXPECT_EQ(e2e_rows("officer_cells"), duties);
}

TEST_F(StaffApiTest, AfterAHandoverTheCheckTaskGoesToTheNewGridOfficer) {
  const std::string officer = new_officer();
  const std::string cell = unchanged_cell("grid_officer");
  const std::string unit_staff =
      scoped_account(unique_token("e2e-staff-unit"), "unit", "unit:150203-enforcement");

  const HttpResponse handed = send("POST", "/api/v1/duties/handover",
                                   {{"to", officer}, {"duty", "grid_officer"}, {"cells", {cell}}});
  ASSERT_EQ(handed.status, 200U) << handed.body;
  EXPECT_EQ(audit_count("duty.handover", officer), 1);
  const json history = json_of(get("/api/v1/grid/" + cell + "/duties"));
  std::string old_officer;
  for (const json& item : history.at("items")) {
    if (item.at("duty") == "grid_officer" && item.at("to") == today())
      old_officer = item.at("officer").at("code");
  }
  EXPECT_FALSE(old_officer.empty()) << history.dump();

  // A case in the cell, completed now: its check task is the new officer's.
  const std::string point = query_scalar(
      e2e_database_url(),
      "SELECT ST_X(p) || ',' || ST_Y(p) FROM (SELECT ST_PointOnSurface(geom) AS p FROM grid_nodes "
      "WHERE code = '" +
          cell + "') s");
  const DemoPlace place{std::stod(point.substr(0, point.find(','))),
                        std::stod(point.substr(point.find(',') + 1)), cell.c_str(), ""};
  const std::string case_no = create_registered_case(port(), place);
  const HttpResponse wrong_assignee =
      post_action(port(), case_no, "dispatch",
                  {{"unit", "150203-enforcement"}, {"assignee", "unit"}}, "dispatcher");
  EXPECT_TRUE(refused_naming(wrong_assignee, 422, "assignee"));  // another unit's staff
  ASSERT_EQ(post_action(port(), case_no, "dispatch",
                        {{"unit", "150203-enforcement"}, {"assignee", unit_staff}}, "dispatcher")
                .status,
            200U);
  ASSERT_EQ(post_action(port(), case_no, "acknowledge", json::object(), unit_staff).status, 200U);
  const HttpResponse completed =
      post_action(port(), case_no, "complete",
                  {{"note", "已处理"}, {"attachments", {kPhotoToUpload}}}, unit_staff);
  ASSERT_EQ(completed.status, 200U) << completed.body;

  const json found = json_of(get("/api/v1/cases/" + case_no));
  EXPECT_EQ(found.at("assignee"), unit_staff);
  EXPECT_EQ(found.at("events").back().at("params").at("officer"), officer);
  EXPECT_EQ(found.at("grid_officer").at("code"), officer);

  // The old officer keeps the duty's history; with nothing left in force they may go.
  const json old = json_of(get("/api/v1/officers/" + old_officer));
  EXPECT_FALSE(old.at("duties").empty());
}

TEST_F(StaffApiTest, UnitNamesItsOwnAssigneeWhenAcknowledging) {
  const std::string first =
      scoped_account(unique_token("e2e-staff-unit"), "unit", "unit:150203-enforcement");
  const std::string second =
      scoped_account(unique_token("e2e-staff-unit"), "unit", "unit:150203-enforcement");
  const std::string case_no = create_registered_case(port());
  ASSERT_EQ(post_action(port(), case_no, "dispatch",
                        {{"unit", "150203-enforcement"}, {"assignee", first}}, "dispatcher")
                .status,
            200U);
  const int version = json_of(get("/api/v1/cases/" + case_no)).at("version");

  // Another unit's account is no assignee of this one: 422 naming it, the case unchanged.
  EXPECT_TRUE(refused_naming(
      post_action(port(), case_no, "acknowledge", {{"assignee", "unit"}}, first), 422, "assignee"));
  const json unchanged = json_of(get("/api/v1/cases/" + case_no));
  EXPECT_EQ(unchanged.at("status"), "dispatched");
  EXPECT_EQ(unchanged.at("version"), version);
  EXPECT_EQ(unchanged.at("assignee"), first);

  const HttpResponse acknowledged =
      post_action(port(), case_no, "acknowledge", {{"assignee", second}}, first);
  ASSERT_EQ(acknowledged.status, 200U) << acknowledged.body;
  const json found = json_of(get("/api/v1/cases/" + case_no));
  EXPECT_EQ(found.at("status"), "handling");
  EXPECT_EQ(found.at("assignee"), second);
  EXPECT_EQ(found.at("events").back().at("params").at("assignee"), second);
}

TEST_F(StaffApiTest, UnitIsCreatedEditedAndNotDeactivatedWhileItHasOpenCases) {
  const std::string code = unique_token("e2e-unit");
  const HttpResponse created =
      send("POST", "/api/v1/units",
           {{"code", code}, {"name", "测试保洁队"}, {"type", "sanitation"}, {"scope", "150203"}});
  ASSERT_EQ(created.status, 201U) << created.body;
  EXPECT_EQ(created.header("location").value_or(""), "/api/v1/units/" + code);
  EXPECT_EQ(audit_count("unit.create", code), 1);
  const HttpResponse edited = send("PATCH", "/api/v1/units/" + code, {{"name", "测试保洁二队"}});
  ASSERT_EQ(edited.status, 200U) << edited.body;
  EXPECT_EQ(json_of(edited).at("name"), "测试保洁二队");

  const std::string case_no = create_registered_case(port());
  ASSERT_EQ(post_action(port(), case_no, "dispatch", {{"unit", code}}, "dispatcher").status, 200U);
  const HttpResponse refused = send("PATCH", "/api/v1/units/" + code, {{"active", false}});
  EXPECT_TRUE(refused_naming(refused, 409, "active"));
  EXPECT_NE(refused.body.find(case_no), std::string::npos) << refused.body;

  // Reassigned elsewhere, the unit may go; an inactive unit is dispatched to no more.
  ASSERT_EQ(
      post_action(port(), case_no, "reassign", {{"unit", "150203004-enforcement"}}, "dispatcher")
          .status,
      200U);
  const HttpResponse deactivated = send("PATCH", "/api/v1/units/" + code, {{"active", false}});
  ASSERT_EQ(deactivated.status, 200U) << deactivated.body;
  EXPECT_EQ(json_of(deactivated).at("active"), false);
  EXPECT_TRUE(refused_naming(
      post_action(port(), case_no, "reassign", {{"unit", code}}, "dispatcher"), 422, "unit"));
}

TEST_F(StaffApiTest, UnitRoutesRefuseWithTheFieldAndChangeNothing) {
  const long long units = e2e_rows("units");
  const json valid{{"code", unique_token("e2e-unit")},
                   {"name", "x"},
                   {"type", "sanitation"},
                   {"scope", "150203"}};
  const auto with = [&](const std::string& key, const json& value) {
    json body = valid;
    body[key] = value;
    return body;
  };

  EXPECT_TRUE(refused_naming(send("POST", "/api/v1/units", with("scope", 150203)), 400, "scope"));
  EXPECT_TRUE(is_problem(send("POST", "/api/v1/units", valid, "shift_leader"), 403));
  EXPECT_TRUE(refused_naming(send("POST", "/api/v1/units", with("code", "150203-sanitation")), 409,
                             "code"));
  EXPECT_TRUE(
      refused_naming(send("POST", "/api/v1/units", with("type", "Sanitation")), 422, "type"));
  EXPECT_TRUE(
      refused_naming(send("POST", "/api/v1/units", with("scope", "150203004007")), 422, "scope"));
  EXPECT_TRUE(
      refused_naming(send("POST", "/api/v1/units", with("scope", "150203098")), 422, "scope"));
  EXPECT_TRUE(is_problem(send("PATCH", "/api/v1/units/no-such-unit", {{"name", "x"}}), 404));
  EXPECT_TRUE(is_problem(get_as(port(), "/api/v1/units/150203-sanitation/staff", "unit"), 404));

  EXPECT_EQ(e2e_rows("units"), units);
}

TEST_F(StaffApiTest, UnitStaffListsTheAssigneesADispatcherMayChoose) {
  const HttpResponse listed =
      get_as(port(), "/api/v1/units/150203004-enforcement/staff", "dispatcher");
  ASSERT_EQ(listed.status, 200U) << listed.body;
  const json staff = json_of(listed);
  bool demo_unit_user = false;
  for (const json& item : staff.at("items")) demo_unit_user |= item.at("username") == "unit";
  EXPECT_TRUE(demo_unit_user) << listed.body;
  EXPECT_TRUE(is_problem(get_as(port(), "/api/v1/units/no-such-unit/staff", "dispatcher"), 404));
}

}  // namespace
}  // namespace gridcase::testing
