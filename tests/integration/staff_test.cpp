// District administration of officers, duties and units against a real PostgreSQL
// (docs/administration.md, "Officers, duties and units"): every change is one transaction with
// its audit record, the one-officer-per-duty-per-cell rule holds across assign, handover and
// end, a refused change changes nothing, and tasks and reports follow a handover.
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <pqxx/pqxx>

#include "gridcase/domain/time_text.hpp"
#include "gridcase/service/report_service.hpp"
#include "gridcase/service/staff_service.hpp"
#include "support/case_world.hpp"
#include "support/run_sync.hpp"
#include "support/test_database.hpp"

namespace gridcase::testing {
namespace {

using domain::CaseAction;
using domain::CaseStatus;
using domain::ErrorCode;
using domain::Role;
using nlohmann::json;

constexpr const char* kPrefix = "it-staff-";
const std::string kOfficerA = std::string(kPrefix) + "a";
const std::string kOfficerB = std::string(kPrefix) + "b";
const std::string kNewUnit = std::string(CaseDistrict::kStreet) + "-it-staff-sanitation";

domain::Actor admin() {
  return domain::Actor{std::string(kPrefix) + "admin", domain::RoleSet{Role::kAdmin}, Role::kAdmin};
}

domain::Actor dispatcher() {
  return domain::Actor{std::string(kPrefix) + "dispatcher", domain::RoleSet{Role::kDispatcher},
                       Role::kDispatcher};
}

std::vector<std::string> fields_of(const domain::Error& error) {
  std::vector<std::string> fields;
  for (const domain::FieldError& field : error.details().fields) fields.push_back(field.field);
  return fields;
}

class StaffTest : public CaseWorldTest {
 protected:
  void SetUp() override {
    CaseWorldTest::SetUp();
    forget_staff();
    staff_ = std::make_unique<service::StaffService>(*database_);
    first_audit_id_ =
        std::stoll(query_scalar(url_, "SELECT coalesce(max(id), 0) FROM admin_audit"));
  }

  void TearDown() override {
    staff_.reset();
    if (!url_.empty()) forget_staff();
    CaseWorldTest::TearDown();
  }

  void forget_staff() {
    pqxx::connection connection{url_};
    pqxx::work tx{connection};
    const std::string like = std::string(kPrefix) + "%";
    tx.exec_params0(
        "DELETE FROM officer_cells WHERE officer_id IN (SELECT id FROM officers WHERE code LIKE "
        "$1)",
        like);
    tx.exec_params0("DELETE FROM officers WHERE code LIKE $1", like);
    tx.exec_params0(
        "DELETE FROM auth_tokens WHERE user_id IN (SELECT id FROM users WHERE username LIKE $1)",
        like);
    tx.exec_params0("DELETE FROM users WHERE username LIKE $1", like);
    tx.commit();
  }

  std::string scalar(const std::string& sql) { return query_scalar(url_, sql); }

  json create_officer(const std::string& code) {
    return json::parse(
        run_sync(staff_->create_officer(
                     {code, "测试员" + code.substr(code.size() - 1), std::string("13900000000")},
                     admin()))
            .text);
  }

  /// A duty begun long ago, as the data of a district that ran before these routes existed.
  void appoint_since(const std::string& officer, const char* cell, const char* from) {
    scalar(std::string("INSERT INTO officer_cells (officer_id, duty, cell_code, valid_from) ") +
           "SELECT id, 'grid_officer', '" + cell + "', '" + from +
           "' FROM officers WHERE code = '" + officer + "' RETURNING 1");
  }

  json assign(const std::string& officer, std::vector<std::string> cells,
              std::optional<std::chrono::year_month_day> from = std::nullopt,
              const char* duty = "grid_officer") {
    return json::parse(
        run_sync(staff_->assign({officer, duty, std::move(cells), from}, admin())).text);
  }

  template <class Work>
  domain::Error refusal(Work work) {
    try {
      work();
    } catch (const domain::Error& error) {
      return error;
    }
    ADD_FAILURE() << "accepted";
    return domain::Error(ErrorCode::kInternal, "accepted");
  }

  std::chrono::year_month_day today() {
    return *domain::parse_iso_date(scalar("SELECT to_char(gridcase_today(), 'YYYY-MM-DD')"));
  }

  long long audit_records(const std::string& action) {
    return std::stoll(scalar("SELECT count(*) FROM admin_audit WHERE id > " +
                             std::to_string(first_audit_id_) + " AND action = '" + action + "'"));
  }

  /// Rows of officer_cells, officers and units: what a refused change must leave as it was.
  std::string staff_state() {
    return scalar(
        "SELECT (SELECT count(*) FROM officer_cells) || '/' || (SELECT "
        "coalesce(max(valid_to)::text, "
        "'') FROM officer_cells) || '/' || (SELECT count(*) FROM officers) || '/' || (SELECT "
        "string_agg(code || name || coalesce(phone, '') || active, ',' ORDER BY code) FROM "
        "officers) || '/' || (SELECT string_agg(code || name || type || scope_code || active, ',' "
        "ORDER BY code) FROM units) || '/' || (SELECT count(*) FROM admin_audit)");
  }

  std::unique_ptr<service::StaffService> staff_;
  long long first_audit_id_ = 0;
};

// ---- officers ----

TEST_F(StaffTest, CreatedOfficerIsActiveWithoutDutiesAndAudited) {
  const json officer = create_officer(kOfficerA);

  EXPECT_EQ(officer.at("code"), kOfficerA);
  EXPECT_EQ(officer.at("active"), true);
  EXPECT_EQ(officer.at("phone"), "13900000000");
  EXPECT_TRUE(officer.at("duties").empty());
  EXPECT_EQ(audit_records("officer.create"), 1);
}

TEST_F(StaffTest, OfficerCodeIsNeverReused) {
  create_officer(kOfficerA);
  const std::string before = staff_state();

  const domain::Error error = refusal([&] { create_officer(kOfficerA); });

  EXPECT_EQ(error.code(), ErrorCode::kConflict);
  EXPECT_EQ(fields_of(error), std::vector<std::string>{"code"});
  EXPECT_EQ(staff_state(), before);
}

TEST_F(StaffTest, BadOfficerFieldsAreNamedAndChangeNothing) {
  const std::string before = staff_state();

  const domain::Error error = refusal([&] {
    run_sync(staff_->create_officer({"has space", "", std::string("call me")}, admin()));
  });

  EXPECT_EQ(error.code(), ErrorCode::kInvalidValue);
  EXPECT_EQ(fields_of(error), (std::vector<std::string>{"code", "name", "phone"}));
  EXPECT_EQ(staff_state(), before);
}

TEST_F(StaffTest, OnlyADistrictAdminChangesStaff) {
  create_officer(kOfficerA);
  const std::string before = staff_state();
  const domain::Actor street_admin{"x",
                                   domain::RoleSet{Role::kAdmin},
                                   Role::kAdmin,
                                   {domain::ScopeKind::kGrid, CaseDistrict::kStreet}};

  for (const domain::Actor& actor : {dispatcher(), street_admin}) {
    EXPECT_EQ(refusal([&] {
                run_sync(staff_->create_officer({kOfficerB, "乙", {}}, actor));
              }).code(),
              ErrorCode::kForbidden);
    EXPECT_EQ(refusal([&] {
                run_sync(staff_->update_officer(kOfficerA, {.active = false}, actor));
              }).code(),
              ErrorCode::kForbidden);
    EXPECT_EQ(
        refusal([&] {
          run_sync(staff_->assign({kOfficerA, "grid_officer", {CaseDistrict::kCell}, {}}, actor));
        }).code(),
        ErrorCode::kForbidden);
    EXPECT_EQ(refusal([&] {
                run_sync(staff_->create_unit(
                    {kNewUnit, "保洁", "sanitation", CaseDistrict::kStreet}, actor));
              }).code(),
              ErrorCode::kForbidden);
  }
  EXPECT_EQ(staff_state(), before);
}

TEST_F(StaffTest, EditChangesOnlyTheGivenFieldsAndAnEmptyPhoneRemovesIt) {
  create_officer(kOfficerA);

  const json edited = json::parse(
      run_sync(staff_->update_officer(kOfficerA, {.name = "新名字", .phone = ""}, admin())).text);

  EXPECT_EQ(edited.at("name"), "新名字");
  EXPECT_TRUE(edited.at("phone").is_null());
  EXPECT_EQ(edited.at("active"), true);
  const json record = json::parse(scalar(
      "SELECT json_build_object('before', before, 'after', after) FROM admin_audit WHERE action = "
      "'officer.update' AND id > " +
      std::to_string(first_audit_id_)));
  EXPECT_EQ(record.at("before").at(0).at("phone"), "13900000000");
  EXPECT_TRUE(record.at("after").at(0).at("phone").is_null());
}

TEST_F(StaffTest, UnknownOfficerIsNotFound) {
  EXPECT_EQ(
      refusal([&] { run_sync(staff_->update_officer(kOfficerA, {.name = "x"}, admin())); }).code(),
      ErrorCode::kNotFound);
}

TEST_F(StaffTest, OfficerWithDutiesInForceOrPlannedCannotBeDeactivated) {
  create_officer(kOfficerA);
  const json assigned = assign(kOfficerA, {CaseDistrict::kCell, CaseDistrict::kEastCell});
  const std::string before = staff_state();

  const domain::Error error =
      refusal([&] { run_sync(staff_->update_officer(kOfficerA, {.active = false}, admin())); });

  EXPECT_EQ(error.code(), ErrorCode::kConflict);
  ASSERT_EQ(error.details().fields.size(), 2U);
  EXPECT_NE(error.details().fields[0].message.find(CaseDistrict::kCell), std::string::npos);
  EXPECT_EQ(staff_state(), before);

  // Ended tomorrow (a duty that begins today cannot end today): in force today, so still
  // refused; then the duties are handed to B and A can go.
  create_officer(kOfficerB);
  EXPECT_EQ(refusal([&] {
              run_sync(staff_->hand_over(
                  {kOfficerB, "grid_officer", {CaseDistrict::kCell}, std::nullopt}, admin()));
            }).code(),
            ErrorCode::kConflict);  // A's duty begins today: it cannot end the day it begins
  const auto tomorrow = std::chrono::sys_days{today()} + std::chrono::days{1};
  run_sync(staff_->hand_over({kOfficerB,
                              "grid_officer",
                              {CaseDistrict::kCell, CaseDistrict::kEastCell},
                              std::chrono::year_month_day{tomorrow}},
                             admin()));
  EXPECT_EQ(refusal([&] {
              run_sync(staff_->update_officer(kOfficerA, {.active = false}, admin()));
            }).code(),
            ErrorCode::kConflict);  // still in force today
  EXPECT_EQ(assigned.at("duties").size(), 2U);
}

TEST_F(StaffTest, DeactivatedOfficerKeepsTheirHistory) {
  create_officer(kOfficerA);
  create_officer(kOfficerB);
  appoint_since(kOfficerA, CaseDistrict::kCell, "2026-01-01");
  run_sync(
      staff_->hand_over({kOfficerB, "grid_officer", {CaseDistrict::kCell}, std::nullopt}, admin()));

  const json deactivated =
      json::parse(run_sync(staff_->update_officer(kOfficerA, {.active = false}, admin())).text);

  EXPECT_EQ(deactivated.at("active"), false);
  ASSERT_EQ(deactivated.at("duties").size(), 1U);
  EXPECT_EQ(deactivated.at("duties").at(0).at("from"), "2026-01-01");
  EXPECT_EQ(deactivated.at("duties").at(0).at("to"), domain::format_iso_date(today()));
  EXPECT_EQ(deactivated.at("duties").at(0).at("in_force"), false);
  // An inactive officer is given no duty.
  const domain::Error error = refusal([&] { assign(kOfficerA, {CaseDistrict::kOtherStreetCell}); });
  EXPECT_EQ(error.code(), ErrorCode::kInvalidValue);
  EXPECT_EQ(fields_of(error), std::vector<std::string>{"officer"});
}

// ---- duties ----

TEST_F(StaffTest, ASecondOfficerForTheSameDutyAndCellIsAConflictNamingTheDuty) {
  create_officer(kOfficerA);
  create_officer(kOfficerB);
  const json held = assign(kOfficerA, {CaseDistrict::kCell});
  const long long id = held.at("duties").at(0).at("id");
  const std::string before = staff_state();

  const domain::Error error = refusal([&] {
    assign(kOfficerB, {CaseDistrict::kEastCell, CaseDistrict::kCell});
  });

  EXPECT_EQ(error.code(), ErrorCode::kConflict);
  ASSERT_EQ(fields_of(error), std::vector<std::string>{"cells[1]"});
  EXPECT_NE(error.details().fields[0].message.find("duty " + std::to_string(id) + ": " + kOfficerA),
            std::string::npos)
      << error.details().fields[0].message;
  EXPECT_EQ(staff_state(), before);  // not even the east cell
  // Another duty over the same cell is no conflict; a later start still overlaps the open duty.
  assign(kOfficerB, {CaseDistrict::kCell}, std::nullopt, "road_chief");
  const auto later =
      std::chrono::year_month_day{std::chrono::sys_days{today()} + std::chrono::days{30}};
  EXPECT_EQ(refusal([&] { assign(kOfficerB, {CaseDistrict::kCell}, later); }).code(),
            ErrorCode::kConflict);
}

TEST_F(StaffTest, AssignmentRefusesThePastUnknownOfficersAndCellsThatAreNot) {
  create_officer(kOfficerA);
  const std::string before = staff_state();
  const auto yesterday =
      std::chrono::year_month_day{std::chrono::sys_days{today()} - std::chrono::days{1}};

  EXPECT_EQ(fields_of(refusal([&] { assign(kOfficerA, {CaseDistrict::kCell}, yesterday); })),
            std::vector<std::string>{"from"});
  EXPECT_EQ(fields_of(refusal([&] { assign(kOfficerB, {CaseDistrict::kCell}); })),
            std::vector<std::string>{"officer"});
  EXPECT_EQ(
      fields_of(refusal([&] { assign(CaseDistrict::kRetiredOfficer, {CaseDistrict::kCell}); })),
      std::vector<std::string>{"officer"});
  EXPECT_EQ(fields_of(refusal([&] { assign(kOfficerA, {"150261001001099"}); })),
            std::vector<std::string>{"cells[0]"});
  EXPECT_EQ(fields_of(refusal([&] { assign(kOfficerA, {CaseDistrict::kStreet}); })),
            std::vector<std::string>{"cells[0]"});
  EXPECT_EQ(fields_of(refusal([&] {
              assign(kOfficerA, {CaseDistrict::kCell, CaseDistrict::kCell});
            })),
            std::vector<std::string>{"cells[1]"});
  EXPECT_EQ(fields_of(refusal([&] { assign(kOfficerA, {}); })), std::vector<std::string>{"cells"});
  EXPECT_EQ(
      fields_of(refusal([&] { assign(kOfficerA, {CaseDistrict::kCell}, std::nullopt, "mayor"); })),
      std::vector<std::string>{"duty"});
  EXPECT_EQ(staff_state(), before);
}

TEST_F(StaffTest, HandoverEndsTheOldDutyTheDayTheNewOneBeginsInOneChange) {
  create_officer(kOfficerA);
  create_officer(kOfficerB);
  appoint_since(kOfficerA, CaseDistrict::kCell, "2026-01-01");

  const json b = json::parse(
      run_sync(staff_->hand_over({kOfficerB, "grid_officer", {CaseDistrict::kCell}, std::nullopt},
                                 admin()))
          .text);

  const std::string day = domain::format_iso_date(today());
  EXPECT_EQ(b.at("duties").at(0).at("from"), day);
  EXPECT_TRUE(b.at("duties").at(0).at("to").is_null());
  const json history = json::parse(
      run_sync(staff_->cell_duties(CaseDistrict::kCell, case_actor(Role::kSupervisor))).text);
  ASSERT_EQ(history.at("items").size(), 2U);
  EXPECT_EQ(history.at("items").at(0).at("officer").at("code"), kOfficerA);
  EXPECT_EQ(history.at("items").at(0).at("to"), day);
  EXPECT_EQ(history.at("items").at(1).at("officer").at("code"), kOfficerB);
  EXPECT_EQ(history.at("items").at(1).at("in_force"), true);
  EXPECT_EQ(audit_records("duty.handover"), 1);
  const json record = json::parse(
      scalar("SELECT after::text FROM admin_audit WHERE action = 'duty.handover' AND id > " +
             std::to_string(first_audit_id_)));
  EXPECT_EQ(record.size(), 2U);  // both officers, as they are after it
}

TEST_F(StaffTest, HandoverRefusalsChangeNothing) {
  create_officer(kOfficerA);
  create_officer(kOfficerB);
  appoint_since(kOfficerA, CaseDistrict::kCell, "2026-01-01");
  const std::string before = staff_state();

  // Nothing to hand over in the east cell; A already holds the cell; B unknown to the district.
  const domain::Error unheld = refusal([&] {
    run_sync(staff_->hand_over(
        {kOfficerB, "grid_officer", {CaseDistrict::kCell, CaseDistrict::kEastCell}, std::nullopt},
        admin()));
  });
  EXPECT_EQ(unheld.code(), ErrorCode::kConflict);
  EXPECT_EQ(fields_of(unheld), std::vector<std::string>{"cells[1]"});
  EXPECT_EQ(fields_of(refusal([&] {
              run_sync(staff_->hand_over(
                  {kOfficerA, "grid_officer", {CaseDistrict::kCell}, std::nullopt}, admin()));
            })),
            std::vector<std::string>{"to"});
  EXPECT_EQ(
      fields_of(refusal([&] {
        run_sync(staff_->hand_over(
            {std::string(kPrefix) + "nobody", "grid_officer", {CaseDistrict::kCell}, {}}, admin()));
      })),
      std::vector<std::string>{"to"});
  EXPECT_EQ(staff_state(), before);

  // A handover planned for next week: a second one tomorrow would overlap it.
  const auto next_week =
      std::chrono::year_month_day{std::chrono::sys_days{today()} + std::chrono::days{7}};
  run_sync(
      staff_->hand_over({kOfficerB, "grid_officer", {CaseDistrict::kCell}, next_week}, admin()));
  const auto tomorrow =
      std::chrono::year_month_day{std::chrono::sys_days{today()} + std::chrono::days{1}};
  const domain::Error overlap = refusal([&] {
    run_sync(staff_->hand_over(
        {CaseDistrict::kPatrolOfficer, "grid_officer", {CaseDistrict::kCell}, tomorrow}, admin()));
  });
  EXPECT_EQ(overlap.code(), ErrorCode::kConflict);
  EXPECT_NE(overlap.details().fields.at(0).message.find(kOfficerB), std::string::npos);
}

TEST_F(StaffTest, EndingADutyChecksItsDates) {
  create_officer(kOfficerA);
  appoint_since(kOfficerA, CaseDistrict::kCell, "2026-01-01");
  const long long id =
      std::stoll(scalar("SELECT oc.id FROM officer_cells oc JOIN officers o ON o.id = "
                        "oc.officer_id WHERE o.code = '" +
                        kOfficerA + "'"));
  const auto day = [&](int from_today) {
    return std::chrono::year_month_day{std::chrono::sys_days{today()} +
                                       std::chrono::days{from_today}};
  };

  EXPECT_EQ(
      refusal([&] { run_sync(staff_->end_duty(id + 1000000, std::nullopt, admin())); }).code(),
      ErrorCode::kNotFound);
  EXPECT_EQ(fields_of(refusal([&] { run_sync(staff_->end_duty(id, day(-1), admin())); })),
            std::vector<std::string>{"on"});
  run_sync(staff_->end_duty(id, day(10), admin()));
  run_sync(staff_->end_duty(id, day(5), admin()));  // earlier still: allowed
  const domain::Error later = refusal([&] { run_sync(staff_->end_duty(id, day(8), admin())); });
  EXPECT_EQ(later.code(), ErrorCode::kConflict);
  EXPECT_EQ(scalar("SELECT valid_to FROM officer_cells WHERE id = " + std::to_string(id)),
            domain::format_iso_date(day(5)));
  EXPECT_EQ(audit_records("duty.end"), 2);
  // A duty that begins today cannot end today.
  create_officer(kOfficerB);
  const json b = assign(kOfficerB, {CaseDistrict::kEastCell});
  EXPECT_EQ(fields_of(refusal([&] {
              run_sync(staff_->end_duty(b.at("duties").at(0).at("id"), std::nullopt, admin()));
            })),
            std::vector<std::string>{"on"});
}

TEST_F(StaffTest, CellDutiesAreReadInsideTheReadersScope) {
  const domain::Actor other_street{"x",
                                   domain::RoleSet{Role::kSupervisor},
                                   Role::kSupervisor,
                                   {domain::ScopeKind::kGrid, CaseDistrict::kOtherStreet}};
  const domain::Actor integration = case_actor(Role::kIntegration);

  EXPECT_EQ(
      refusal([&] { run_sync(staff_->cell_duties(CaseDistrict::kCell, other_street)); }).code(),
      ErrorCode::kNotFound);
  EXPECT_EQ(
      refusal([&] { run_sync(staff_->cell_duties(CaseDistrict::kCell, integration)); }).code(),
      ErrorCode::kForbidden);
  EXPECT_EQ(refusal([&] { run_sync(staff_->cell_duties("150261001001099", admin())); }).code(),
            ErrorCode::kNotFound);
  EXPECT_EQ(
      fields_of(refusal([&] { run_sync(staff_->cell_duties(CaseDistrict::kStreet, admin())); })),
      std::vector<std::string>{"code"});
}

// ---- units ----

TEST_F(StaffTest, UnitIsCreatedEditedAndAudited) {
  const json created = json::parse(
      run_sync(staff_->create_unit({kNewUnit, "前进道保洁队", "sanitation", CaseDistrict::kStreet},
                                   admin()))
          .text);
  EXPECT_EQ(created.at("active"), true);
  EXPECT_EQ(created.at("scope"), CaseDistrict::kStreet);

  const json edited = json::parse(
      run_sync(staff_->update_unit(
                   kNewUnit, {.name = "保洁二队", .scope_code = CaseDistrict::kCode}, admin()))
          .text);

  EXPECT_EQ(edited.at("name"), "保洁二队");
  EXPECT_EQ(edited.at("scope"), CaseDistrict::kCode);
  EXPECT_EQ(edited.at("type"), "sanitation");
  EXPECT_EQ(audit_records("unit.create"), 1);
  EXPECT_EQ(audit_records("unit.update"), 1);
}

TEST_F(StaffTest, UnitRefusalsNameTheFieldAndChangeNothing) {
  const std::string before = staff_state();
  const auto create = [&](domain::Unit unit) {
    return refusal([&] { run_sync(staff_->create_unit(std::move(unit), admin())); });
  };

  EXPECT_EQ(
      create({CaseDistrict::kStreetUnit, "重名", "enforcement", CaseDistrict::kStreet}).code(),
      ErrorCode::kConflict);
  EXPECT_EQ(fields_of(create({kNewUnit, "社区队", "sanitation", "150261001001"})),
            std::vector<std::string>{"scope"});  // a community is no unit scope
  EXPECT_EQ(fields_of(create({kNewUnit, "无此街", "sanitation", "150261009"})),
            std::vector<std::string>{"scope"});
  EXPECT_EQ(fields_of(create({"a b", "", "Sanitation!", "x"})),
            (std::vector<std::string>{"code", "name", "type", "scope"}));
  EXPECT_EQ(
      refusal([&] { run_sync(staff_->update_unit(kNewUnit, {.name = "x"}, admin())); }).code(),
      ErrorCode::kNotFound);
  EXPECT_EQ(staff_state(), before);
}

TEST_F(StaffTest, UnitWithOpenCasesCannotBeDeactivatedAndAnInactiveOneIsNotDispatchedTo) {
  const std::string open = receive(domain::Channel::kWeb);
  drive_to(open, CaseStatus::kDispatched);  // to kStreetUnit
  const std::string before = staff_state();

  const domain::Error error = refusal([&] {
    run_sync(staff_->update_unit(CaseDistrict::kStreetUnit, {.active = false}, admin()));
  });

  EXPECT_EQ(error.code(), ErrorCode::kConflict);
  ASSERT_EQ(error.details().fields.size(), 1U);
  EXPECT_EQ(error.details().fields[0].message, open);
  EXPECT_EQ(staff_state(), before);

  act(open, CaseAction::kReturn, reason_input(), Role::kUnit);
  run_sync(staff_->update_unit(CaseDistrict::kStreetUnit, {.active = false}, admin()));
  const domain::Error dispatch =
      refusal([&] { act(open, CaseAction::kDispatch, unit_input(), Role::kDispatcher); });
  EXPECT_EQ(dispatch.code(), ErrorCode::kInvalidValue);
  EXPECT_EQ(fields_of(dispatch), std::vector<std::string>{"unit"});
}

// ---- the assignee of a dispatch ----

TEST_F(StaffTest, AnAssigneeIsAnActiveStaffAccountOfTheUnit) {
  const std::string staff_user = std::string(kPrefix) + "unit-staff";
  const std::string other_user = std::string(kPrefix) + "other-unit-staff";
  scalar(std::string("INSERT INTO users (username, display_name, roles, scope_kind, scope_code) ") +
         "VALUES ('" + staff_user + "', '执法队员', '{unit}', 'unit', '" +
         CaseDistrict::kStreetUnit + "'), ('" + other_user + "', '另一队员', '{unit}', 'unit', '" +
         CaseDistrict::kDistrictUnit + "') RETURNING 1");
  const std::string case_no = receive(domain::Channel::kWeb);
  drive_to(case_no, CaseStatus::kRegistered);
  domain::ActionInput input = unit_input();

  for (const std::string& wrong : {other_user, std::string("nobody"), std::string("李四")}) {
    input.assignee = wrong;
    const domain::Error error =
        refusal([&] { act(case_no, CaseAction::kDispatch, input, Role::kDispatcher); });
    EXPECT_EQ(error.code(), ErrorCode::kInvalidValue) << wrong;
    EXPECT_EQ(fields_of(error), std::vector<std::string>{"assignee"}) << wrong;
  }
  EXPECT_EQ(get(case_no).at("status"), "registered");

  input.assignee = staff_user;
  EXPECT_EQ(act(case_no, CaseAction::kDispatch, input, Role::kDispatcher).at("assignee"),
            staff_user);
  const json listed =
      json::parse(run_sync(staff_->unit_staff(CaseDistrict::kStreetUnit, dispatcher())).text);
  EXPECT_EQ(listed.at("items"),
            json::array({{{"username", staff_user}, {"display_name", "执法队员"}}}));
  // An inactive account is no longer staff to choose.
  scalar("UPDATE users SET active = false WHERE username = '" + staff_user + "' RETURNING 1");
  input.unit = CaseDistrict::kStreetUnit;
  EXPECT_EQ(
      fields_of(refusal([&] { act(case_no, CaseAction::kReassign, input, Role::kDispatcher); })),
      std::vector<std::string>{"assignee"});
}

// ---- the handover test of issue 14 ----

TEST_F(StaffTest, AfterAHandoverTheCheckTaskGoesToTheNewOfficerAndLastMonthStillNamesTheOld) {
  create_officer(kOfficerA);
  create_officer(kOfficerB);
  appoint_since(kOfficerA, CaseDistrict::kCell, "2026-01-01");
  // Last month (November 2026, case_test_start): a case checked by A and closed.
  const std::string november = receive(domain::Channel::kApp, false);
  drive_to(november, CaseStatus::kClosed);
  const json november_case = get(november);
  for (const json& event : november_case.at("events")) {
    if (event.at("action") == "complete") {
      EXPECT_EQ(event.at("params").at("officer"), kOfficerA);
    }
  }

  // Today the cell is handed to B; a case completed now is B's to check.
  run_sync(
      staff_->hand_over({kOfficerB, "grid_officer", {CaseDistrict::kCell}, std::nullopt}, admin()));
  clock_->set(
      std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now()));
  const std::string after = receive(domain::Channel::kApp, false);
  drive_to(after, CaseStatus::kHandled);

  const json handled = get(after);
  EXPECT_EQ(handled.at("events").back().at("action"), "complete");
  EXPECT_EQ(handled.at("events").back().at("params").at("officer"), kOfficerB);
  EXPECT_EQ(handled.at("grid_officer").at("code"), kOfficerB);

  // The report of November still counts its case in A's row, and B has none.
  service::ReportService reports{*database_, *calendar_, *clock_, service::ReportOptions{}};
  const service::Report report =
      run_sync(reports.compute(domain::ReportPeriod::kMonth, std::chrono::year{2026} / 11 / 30));
  std::map<std::string, long long> closed_by_officer;
  for (const domain::ReportRow& row : report.rows) {
    if (row.dimension == domain::ReportDimension::kOfficer)
      closed_by_officer[row.label.key] += row.counts.closed;
  }
  EXPECT_EQ(closed_by_officer[kOfficerA], 1);
  EXPECT_FALSE(closed_by_officer.contains(kOfficerB));
}

}  // namespace
}  // namespace gridcase::testing
