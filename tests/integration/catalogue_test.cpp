// The versioned catalogue and stage time limits against a real PostgreSQL (issue 14,
// docs/administration.md "The catalogue and time limits"): categories and filing conditions
// are retired, never deleted; a case keeps the limits it was registered under; a category's
// stage-limit overrides apply from `register` on; every change is in the admin audit log and a
// refused one changes nothing.
#include <gtest/gtest.h>

#include <optional>

#include "gridcase/domain/catalog.hpp"
#include "support/case_world.hpp"
#include "support/error_of.hpp"
#include "support/run_sync.hpp"
#include "support/test_database.hpp"

namespace gridcase::testing {
namespace {

using domain::CaseAction;
using domain::CaseStatus;
using domain::ErrorCode;
using domain::LimitUnit;
using domain::Role;
using domain::StageTimer;
using domain::TimeLimit;
using nlohmann::json;

domain::Actor admin() {
  return domain::Actor{"it-catalogue-admin", domain::RoleSet{Role::kAdmin}, Role::kAdmin};
}

/// CaseDistrict's catalogue without event:0102 (exposed garbage).
std::vector<domain::Category> without_garbage() {
  std::vector<domain::Category> catalogue = CaseDistrict::categories();
  std::erase_if(catalogue,
                [](const domain::Category& category) { return category.key == "event:0102"; });
  return catalogue;
}

/// CaseDistrict's catalogue with event:0101/stop limited to `stop_hours` work hours.
std::vector<domain::Category> with_stop_limit(int stop_hours) {
  std::vector<domain::Category> catalogue = CaseDistrict::categories();
  catalogue[0].conditions[0].limit_value = stop_hours;
  return catalogue;
}

std::optional<json> find_key(const json& list, const std::string& key) {
  for (const json& item : list.at("items")) {
    if (item.at("key") == key) return item;  // a copy: lists are often temporaries
  }
  return std::nullopt;
}

class CatalogueTest : public CaseWorldTest {
 protected:
  void SetUp() override {
    CaseWorldTest::SetUp();
    first_audit_id_ =
        std::stoll(query_scalar(url_, "SELECT coalesce(max(id), 0) FROM admin_audit"));
  }

  json categories(bool include_retired) {
    return json::parse(run_sync(catalog_->categories(include_retired)).text);
  }

  json set_limits(const std::string& key, std::vector<domain::TimeLimitOverride> overrides,
                  const domain::Actor& actor = admin()) {
    // The catalogue listing of that one category (the HTTP answer is its single item).
    return json::parse(
               run_sync(catalog_->replace_time_limits(key, std::move(overrides), actor)).text)
        .at("items")
        .at(0);
  }

  /// A case received in kCell and registered under `category`/`condition`.
  std::string registered(const char* category = "event:0101", const char* condition = "stop") {
    const std::string case_no = receive(domain::Channel::kPatrol, false);
    act(case_no, CaseAction::kRegister, register_input(category, condition), Role::kShiftLeader);
    return case_no;
  }

  /// Dispatches, acknowledges and completes a registered case: its check timer starts.
  void complete(const std::string& case_no) {
    act(case_no, CaseAction::kDispatch, unit_input(), Role::kDispatcher);
    act(case_no, CaseAction::kAcknowledge, {}, Role::kUnit);
    act(case_no, CaseAction::kComplete, note_input(), Role::kUnit);
  }

  TimeLimit limit_of(const std::string& case_no, StageTimer timer) {
    const std::vector<service::TimerView> found = timers_named(timers(case_no), timer);
    EXPECT_FALSE(found.empty()) << to_string(timer);
    return found.empty() ? TimeLimit{} : found.back().row.limit;
  }

  /// This test's audit records of `action`.
  long long audit_records(const std::string& action) {
    return std::stoll(query_scalar(url_, "SELECT count(*) FROM admin_audit WHERE id > " +
                                             std::to_string(first_audit_id_) + " AND action = '" +
                                             action + "'"));
  }

  long long first_audit_id_ = 0;
};

TEST_F(CatalogueTest, ACategoryLeftOutIsRetiredListedOnRequestAndItsCasesKeepItsName) {
  const std::string filed = registered("event:0102", "pile");

  run_sync(catalog_->replace_categories(without_garbage(), admin()));

  EXPECT_FALSE(find_key(categories(false), "event:0102"));
  const std::optional<json> retired = find_key(categories(true), "event:0102");
  ASSERT_TRUE(retired);
  EXPECT_TRUE(retired->at("retired_at").is_string());
  EXPECT_EQ(retired->at("name"), "暴露垃圾 exposed garbage");
  EXPECT_TRUE(find_key(categories(true), "event:0101")->at("retired_at").is_null());
  EXPECT_EQ(get(filed).at("category_name"), "暴露垃圾 exposed garbage");
  EXPECT_EQ(rows_in("categories WHERE key = 'event:0102'"), 1);
}

TEST_F(CatalogueTest, TheDatabaseRefusesToDeleteACategoryOrCondition) {
  EXPECT_ANY_THROW(
      query_scalar(url_, "DELETE FROM categories WHERE key = 'event:0102' RETURNING 1"));
  EXPECT_ANY_THROW(query_scalar(
      url_, "DELETE FROM filing_conditions WHERE category_key = 'event:0102' RETURNING 1"));

  EXPECT_EQ(rows_in("filing_conditions WHERE category_key = 'event:0102'"), 1);
}

TEST_F(CatalogueTest, RegisteringUnderARetiredCategoryIsRefusedNamingCategoryAndChangesNothing) {
  run_sync(catalog_->replace_categories(without_garbage(), admin()));
  const std::string case_no = receive(domain::Channel::kPatrol, false);

  const domain::Error error = refusal(case_no, CaseAction::kRegister,
                                      register_input("event:0102", "pile"), Role::kShiftLeader);

  EXPECT_EQ(error.code(), ErrorCode::kInvalidValue);
  ASSERT_EQ(error.details().fields.size(), 1U);
  EXPECT_EQ(error.details().fields[0].field, "category");
  EXPECT_NE(error.details().fields[0].message.find("retired"), std::string::npos);
  const json stored = get(case_no);
  EXPECT_EQ(stored.at("status"), "received");
  EXPECT_EQ(stored.at("version"), 1);
}

TEST_F(CatalogueTest, RegisteringUnderARetiredConditionIsRefusedNamingCondition) {
  std::vector<domain::Category> catalogue = CaseDistrict::categories();
  catalogue[0].conditions.push_back(
      {"sign", "a new sign", 1, "work_day", "enforcement", "sign removed"});
  run_sync(catalog_->replace_categories(catalogue, admin()));
  run_sync(catalog_->replace_categories(CaseDistrict::categories(), admin()));  // sign retired
  const std::string case_no = receive(domain::Channel::kPatrol, false);

  const domain::Error error = refusal(case_no, CaseAction::kRegister,
                                      register_input("event:0101", "sign"), Role::kShiftLeader);

  EXPECT_EQ(error.code(), ErrorCode::kInvalidValue);
  ASSERT_EQ(error.details().fields.size(), 1U);
  EXPECT_EQ(error.details().fields[0].field, "condition");
  EXPECT_NE(error.details().fields[0].message.find("retired"), std::string::npos);
  const std::optional<json> listed = find_key(categories(true), "event:0101");
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->at("conditions").size(), 2U);
  EXPECT_TRUE(listed->at("conditions")[1].at("retired_at").is_string());
  EXPECT_EQ(find_key(categories(false), "event:0101")->at("conditions").size(), 1U);
}

TEST_F(CatalogueTest, AnUnknownCategoryInRegisterNamesCategory) {
  const std::string case_no = receive(domain::Channel::kPatrol, false);

  const domain::Error error = refusal(case_no, CaseAction::kRegister,
                                      register_input("event:0999", "stop"), Role::kShiftLeader);

  EXPECT_EQ(error.code(), ErrorCode::kInvalidValue);
  ASSERT_EQ(error.details().fields.size(), 1U);
  EXPECT_EQ(error.details().fields[0].field, "category");
  EXPECT_EQ(get(case_no).at("version"), 1);
}

TEST_F(CatalogueTest, AnUnknownConditionOfAKnownCategoryNamesCondition) {
  const std::string case_no = receive(domain::Channel::kPatrol, false);

  const domain::Error error = refusal(case_no, CaseAction::kRegister,
                                      register_input("event:0101", "nothing"), Role::kShiftLeader);

  ASSERT_EQ(error.details().fields.size(), 1U);
  EXPECT_EQ(error.details().fields[0].field, "condition");
}

TEST_F(CatalogueTest, IntakeUnderARetiredCategoryIsRefusedNamingCategory) {
  run_sync(catalog_->replace_categories(without_garbage(), admin()));
  domain::NewCase intake =
      case_report(domain::Channel::kPatrol, CaseDistrict::in_cell(), false, clock_->now());
  intake.category_key = "event:0102";
  intake.photos = with_uploads(intake.photos, case_actor(Role::kOperator));
  const long long before = rows_in("cases WHERE case_no LIKE '150261-%'");

  const domain::Error error = error_of(
      [&] { run_sync(cases_->receive(intake, case_actor(Role::kOperator), std::nullopt)); });

  EXPECT_EQ(error.code(), ErrorCode::kInvalidValue);
  ASSERT_EQ(error.details().fields.size(), 1U);
  EXPECT_EQ(error.details().fields[0].field, "category");
  EXPECT_EQ(rows_in("cases WHERE case_no LIKE '150261-%'"), before);
}

TEST_F(CatalogueTest, ACategoryListedAgainIsReinstated) {
  run_sync(catalog_->replace_categories(without_garbage(), admin()));

  run_sync(catalog_->replace_categories(CaseDistrict::categories(), admin()));

  const std::optional<json> listed = find_key(categories(false), "event:0102");
  ASSERT_TRUE(listed);
  EXPECT_TRUE(listed->at("retired_at").is_null());
  registered("event:0102", "pile");
}

TEST_F(CatalogueTest, ACaseKeepsTheHandlingLimitOfTheConditionItWasFiledUnder) {
  const std::string before = registered();
  run_sync(catalog_->replace_categories(with_stop_limit(8), admin()));
  const std::string after = registered();
  // Retired after filing: the case is still handled under it.
  const std::string retired = registered("event:0102", "pile");
  run_sync(catalog_->replace_categories(without_garbage(), admin()));

  for (const std::string& case_no : {before, after, retired}) {
    act(case_no, CaseAction::kDispatch, unit_input(), Role::kDispatcher);
  }

  EXPECT_EQ(limit_of(before, StageTimer::kHandling), (TimeLimit{4, LimitUnit::kWorkHour}));
  EXPECT_EQ(limit_of(after, StageTimer::kHandling), (TimeLimit{8, LimitUnit::kWorkHour}));
  EXPECT_EQ(limit_of(retired, StageTimer::kHandling), (TimeLimit{1, LimitUnit::kWorkDay}));
}

TEST_F(CatalogueTest, ACategoryOverrideChangesCheckAndCloseOfCasesRegisteredAfterItOnly) {
  const std::string before = registered();
  const json shown =
      set_limits("event:0101", {{"check", 4, "work_hour"}, {"close", 1, "work_day"}});
  const std::string after = registered();

  for (const std::string& case_no : {before, after}) complete(case_no);

  EXPECT_EQ(shown.at("time_limits"), (json{{"check", {{"value", 4}, {"unit", "work_hour"}}},
                                           {"close", {{"value", 1}, {"unit", "work_day"}}}}));
  EXPECT_EQ(limit_of(before, StageTimer::kCheck), (TimeLimit{2, LimitUnit::kWorkHour}));
  EXPECT_EQ(limit_of(after, StageTimer::kCheck), (TimeLimit{4, LimitUnit::kWorkHour}));
  const std::vector<service::TimerView> check = timers_named(timers(after), StageTimer::kCheck);
  // Completed on Monday 10:00: four work hours end at 16:30 (12:00–14:30 is no working time).
  EXPECT_EQ(check.back().row.deadline,
            beijing(std::chrono::year{2026} / 11 / 23, std::chrono::minutes{16 * 60 + 30}));
  for (const std::string& case_no : {before, after}) {
    act(case_no, CaseAction::kCheck, result_input("passed"), Role::kOfficer);
  }
  EXPECT_EQ(limit_of(before, StageTimer::kClose), (TimeLimit{1, LimitUnit::kWorkHour}));
  EXPECT_EQ(limit_of(after, StageTimer::kClose), (TimeLimit{1, LimitUnit::kWorkDay}));
}

TEST_F(CatalogueTest, ACaseKeepsItsStageLimitsWhenTheOverridesChangeLater) {
  set_limits("event:0101", {{"dispatch", 3, "work_hour"}});
  const std::string case_no = registered();
  set_limits("event:0101", {});
  act(case_no, CaseAction::kDispatch, unit_input(), Role::kDispatcher);
  act(case_no, CaseAction::kReturn, reason_input(), Role::kUnit);  // registered again

  EXPECT_EQ(limit_of(case_no, StageTimer::kDispatch), (TimeLimit{3, LimitUnit::kWorkHour}));
  EXPECT_EQ(timers_named(timers(case_no), StageTimer::kDispatch).size(), 2U);
}

TEST_F(CatalogueTest, TheDeploymentDefaultAppliesFromIntakeOn) {
  service::CaseOptions options;
  options.district_code = CaseDistrict::kCode;
  options.stage_limits.limits[StageTimer::kRegistration] = TimeLimit{2, LimitUnit::kWorkDay};
  options.stage_limits.limits[StageTimer::kDispatch] = TimeLimit{5, LimitUnit::kUrgentHour};
  cases_ = std::make_unique<service::CaseService>(*database_, *clock_, *calendar_, options);
  set_limits("event:0101", {{"check", 4, "work_hour"}});

  const std::string case_no = registered();
  complete(case_no);

  EXPECT_EQ(limit_of(case_no, StageTimer::kRegistration), (TimeLimit{2, LimitUnit::kWorkDay}));
  EXPECT_EQ(limit_of(case_no, StageTimer::kDispatch), (TimeLimit{5, LimitUnit::kUrgentHour}));
  EXPECT_EQ(limit_of(case_no, StageTimer::kAcknowledgement), (TimeLimit{1, LimitUnit::kWorkHour}));
  EXPECT_EQ(limit_of(case_no, StageTimer::kCheck), (TimeLimit{4, LimitUnit::kWorkHour}));
}

TEST_F(CatalogueTest, EveryCatalogueChangeIsInTheAdminAuditLog) {
  run_sync(catalog_->replace_categories(without_garbage(), admin()));
  set_limits("event:0101", {{"check", 4, "work_hour"}});
  set_limits("event:0101", {});

  EXPECT_EQ(audit_records("categories.replace"), 1);
  EXPECT_EQ(audit_records("category.time_limits"), 2);
  const json last = json::parse(query_scalar(
      url_,
      "SELECT json_build_object('before', before, 'after', after, 'actor', actor, 'target', "
      "target) FROM admin_audit WHERE action = 'category.time_limits' ORDER BY id DESC LIMIT 1"));
  EXPECT_EQ(last.at("actor"), "it-catalogue-admin");
  EXPECT_EQ(last.at("target"), "event:0101");
  EXPECT_EQ(last.at("before").at("items")[0].at("time_limits").at("check").at("value"), 4);
  EXPECT_EQ(last.at("after").at("items")[0].at("time_limits"), json::object());
  const json replaced = json::parse(query_scalar(
      url_,
      "SELECT after FROM admin_audit WHERE action = 'categories.replace' ORDER BY id DESC "
      "LIMIT 1"));
  EXPECT_TRUE(find_key(replaced, "event:0102")->at("retired_at").is_string());
}

TEST_F(CatalogueTest, RefusedOverridesChangeNothingAndAreRefusedInTheContractOrder) {
  set_limits("event:0101", {{"check", 4, "work_hour"}});
  run_sync(catalog_->replace_categories(without_garbage(), admin()));
  const long long records = audit_records("category.time_limits");
  const domain::Actor dispatcher = case_actor(Role::kDispatcher);
  auto refused = [&](const std::string& key, std::vector<domain::TimeLimitOverride> overrides,
                     const domain::Actor& actor) {
    return error_of([&] { set_limits(key, std::move(overrides), actor); });
  };

  EXPECT_EQ(refused("event:0999", {}, dispatcher).code(), ErrorCode::kNotFound);
  EXPECT_EQ(refused("nonsense", {}, admin()).code(), ErrorCode::kNotFound);
  EXPECT_EQ(refused("event:0101", {}, dispatcher).code(), ErrorCode::kForbidden);
  EXPECT_EQ(refused("event:0102", {{"check", 1, "work_hour"}}, admin()).code(),
            ErrorCode::kConflict);
  const domain::Error invalid = refused("event:0101",
                                        {{"verification", 1, "work_hour"},
                                         {"check", 0, "work_hour"},
                                         {"close", 1, "fortnight"},
                                         {"handling", 1, "work_day"},
                                         {"lunch", 1, "work_hour"}},
                                        admin());
  EXPECT_EQ(invalid.code(), ErrorCode::kInvalidValue);
  std::vector<std::string> fields;
  for (const domain::FieldError& field : invalid.details().fields) fields.push_back(field.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"verification", "check.value", "close.unit",
                                              "handling", "lunch"}));

  EXPECT_EQ(audit_records("category.time_limits"), records);
  EXPECT_EQ(find_key(categories(false), "event:0101")->at("time_limits").at("check").at("value"),
            4);
}

}  // namespace
}  // namespace gridcase::testing
