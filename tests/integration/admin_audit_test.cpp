// The admin audit log against a real PostgreSQL (docs/security.md, "Records a regulator will
// ask for"): every administrative change is recorded in its own transaction, a refused change
// records nothing, no secret appears, and the database refuses to change a record.
#include <gtest/gtest.h>

#include <pqxx/pqxx>

#include "gridcase/service/audit_service.hpp"
#include "gridcase/service/auth_service.hpp"
#include "support/case_world.hpp"
#include "support/run_sync.hpp"
#include "support/test_database.hpp"

namespace gridcase::testing {
namespace {

using domain::Role;
using nlohmann::json;

constexpr const char* kUserPrefix = "it-audit-";
constexpr const char* kPassword = "correct horse battery";

domain::Actor admin(const std::string& id) {
  return domain::Actor{std::string(kUserPrefix) + id, domain::RoleSet{Role::kAdmin}, Role::kAdmin};
}

class AdminAuditTest : public CaseWorldTest {
 protected:
  void SetUp() override {
    CaseWorldTest::SetUp();
    delete_accounts(url_, kUserPrefix);
    service::AuthOptions options;
    options.token_cache = std::chrono::milliseconds{0};
    options.password_cost = service::PasswordCost::kMinimum;
    auth_ = std::make_unique<service::AuthService>(*database_, *clock_, options);
    audit_ = std::make_unique<service::AuditService>(*database_);
    // Records stay (the log is append-only): each test reads only those after this one.
    first_id_ = std::stoll(query_scalar(url_, "SELECT coalesce(max(id), 0) FROM admin_audit"));
  }
  void TearDown() override {
    auth_.reset();
    audit_.reset();
    if (!url_.empty()) delete_accounts(url_, kUserPrefix);
    CaseWorldTest::TearDown();
  }

  /// This test's records about `target`, oldest first, as the admin endpoint shows them.
  std::vector<json> records_of(const std::string& target) {
    service::AuditFilter filter;
    filter.target = target;
    const json page = json::parse(
        run_sync(audit_->records(filter, service::AuditPage{std::nullopt, 200}, admin("reader")))
            .text);
    std::vector<json> found;
    for (const json& item : page.at("items")) {
      if (item.at("id").get<long long>() > first_id_) found.insert(found.begin(), item);
    }
    return found;
  }

  /// Every text of this test's records, for looking for what must never be there.
  std::string all_record_text() {
    return query_scalar(url_,
                        "SELECT coalesce(string_agg(actor || action || target || "
                        "coalesce(before::text, '') || coalesce(after::text, ''), ''), '') "
                        "FROM admin_audit WHERE id > " +
                            std::to_string(first_id_));
  }

  std::string refusal_of(const std::string& sql) {
    try {
      pqxx::connection connection{url_};
      pqxx::work tx{connection};
      tx.exec0(sql);
      tx.commit();
    } catch (const std::exception& error) {
      return error.what();
    }
    return "";
  }

  std::string name(const std::string& suffix) { return kUserPrefix + suffix; }

  std::unique_ptr<service::AuthService> auth_;
  std::unique_ptr<service::AuditService> audit_;
  long long first_id_ = 0;
};

TEST_F(AdminAuditTest, CreatingAndChangingAUserRecordsWhoWhatAndBeforeAndAfter) {
  const std::string username = name("changed");
  domain::UserSpec spec{username, "测试", domain::RoleSet{Role::kOperator}, {}, {}, true};
  run_sync(auth_->create_user(spec, std::string(kPassword), admin("alice")));
  run_sync(auth_->login(username, kPassword, "it-10.9.9.9"));
  service::UserPatch patch;
  patch.roles = domain::RoleSet{Role::kSupervisor};
  patch.scope = domain::Scope{domain::ScopeKind::kGrid, CaseDistrict::kStreet};
  run_sync(auth_->update_user(username, patch, admin("bob")));

  const std::vector<json> records = records_of(username);
  ASSERT_EQ(records.size(), 3U);
  EXPECT_EQ(records[0].at("action"), "user.create");
  EXPECT_EQ(records[0].at("actor"), name("alice"));
  EXPECT_TRUE(records[0].at("before").is_null());
  EXPECT_EQ(records[0].at("after").at("roles"), json::array({"operator"}));
  EXPECT_EQ(records[0].at("after").at("has_password"), true);
  EXPECT_EQ(records[1].at("action"), "user.password");
  EXPECT_EQ(records[1].at("actor"), name("alice"));
  const json& update = records[2];
  EXPECT_EQ(update.at("action"), "user.update");
  EXPECT_EQ(update.at("actor"), name("bob"));
  EXPECT_EQ(update.at("before").at("roles"), json::array({"operator"}));
  EXPECT_EQ(update.at("before").at("unrevoked_tokens"), 1);  // the login's
  EXPECT_EQ(update.at("after").at("roles"), json::array({"supervisor"}));
  EXPECT_EQ(update.at("after").at("scope").at("code"), CaseDistrict::kStreet);
  EXPECT_EQ(update.at("after").at("unrevoked_tokens"), 0);  // a narrowed user's are revoked
  EXPECT_FALSE(update.at("at").get<std::string>().empty());

  const std::string text = all_record_text();
  EXPECT_EQ(text.find("$argon2"), std::string::npos) << "a password hash in the log";
  EXPECT_EQ(text.find(kPassword), std::string::npos);
}

TEST_F(AdminAuditTest, ARefusedChangeRecordsNothing) {
  const std::string username = name("refused");
  domain::UserSpec spec{username, "测试", domain::RoleSet{Role::kOperator}, {}, {}, true};
  run_sync(auth_->create_user(spec, std::string(kPassword), admin("alice")));
  const std::size_t before = records_of(username).size();

  service::UserPatch patch;
  patch.scope = domain::Scope{domain::ScopeKind::kGrid, "150261999"};  // no such node
  EXPECT_THROW(run_sync(auth_->update_user(username, patch, admin("alice"))), domain::Error);
  EXPECT_THROW(run_sync(auth_->create_user(spec, std::string(kPassword), admin("alice"))),
               domain::Error);  // taken

  EXPECT_EQ(records_of(username).size(), before);
}

TEST_F(AdminAuditTest, IntegrationTokensIssuedAndRevokedAreRecordedWithoutTheirSecret) {
  const std::string username = name("hotline");
  domain::UserSpec spec{
      username, "热线", domain::RoleSet{Role::kIntegration}, {}, {domain::Channel::kWeb}, true};
  run_sync(auth_->create_user(spec, std::nullopt, admin("alice")));
  const service::IssuedToken token = run_sync(auth_->create_integration_token(
      username, std::string("line 1"), std::nullopt, admin("alice")));
  run_sync(auth_->revoke_token(username, token.id, admin("carol")));

  const std::string target = username + "/" + std::to_string(token.id);
  const std::vector<json> records = records_of(target);
  ASSERT_EQ(records.size(), 2U);
  EXPECT_EQ(records[0].at("action"), "token.create");
  EXPECT_EQ(records[0].at("after").at("label"), "line 1");
  EXPECT_TRUE(records[0].at("after").at("revoked_at").is_null());
  EXPECT_EQ(records[1].at("action"), "token.revoke");
  EXPECT_EQ(records[1].at("actor"), name("carol"));
  EXPECT_TRUE(records[1].at("before").at("revoked_at").is_null());
  EXPECT_FALSE(records[1].at("after").at("revoked_at").is_null());

  const std::string text = all_record_text();
  EXPECT_EQ(text.find(token.token), std::string::npos) << "the token in the log";
  EXPECT_EQ(text.find(service::token_digest(token.token)), std::string::npos)
      << "the token's digest in the log";
}

TEST_F(AdminAuditTest, TheGridCatalogueAndCalendarChangesAreRecorded) {
  // CaseWorldTest::SetUp imported the grid as the command line does: the newest record of it.
  service::AuditFilter filter;
  filter.target = CaseDistrict::kCode;
  filter.action = domain::AuditAction::kGridImport;
  const json page = json::parse(
      run_sync(audit_->records(filter, service::AuditPage{std::nullopt, 1}, admin("reader"))).text);
  ASSERT_EQ(page.at("items").size(), 1U) << page;
  const json& import = page.at("items").at(0);
  EXPECT_EQ(import.at("actor"), "cli");
  EXPECT_TRUE(import.at("before").is_null());
  EXPECT_EQ(import.at("after").at("by_level").at("cell"), 3);
  EXPECT_NE(import.at("after").at("codes").dump().find(CaseDistrict::kCell), std::string::npos);

  run_sync(catalog_->replace_categories(CaseDistrict::categories(), admin("dora")));
  const std::vector<json> catalogue = records_of("categories");
  ASSERT_FALSE(catalogue.empty());
  EXPECT_EQ(catalogue.back().at("action"), "categories.replace");
  EXPECT_EQ(catalogue.back().at("actor"), name("dora"));
  EXPECT_EQ(catalogue.back().at("before"), catalogue.back().at("after"));

  domain::WorkCalendarSpec calendar = run_sync(cases_->calendar());
  calendar.holidays.push_back(std::chrono::year{2027} / 2 / 11);
  run_sync(cases_->replace_calendar(calendar, admin("dora")));
  const std::vector<json> calendars = records_of("calendar");
  ASSERT_EQ(calendars.size(), 1U);
  EXPECT_EQ(calendars[0].at("action"), "calendar.replace");
  EXPECT_EQ(calendars[0].at("after").at("holidays"), json::array({"2027-02-11"}));
  EXPECT_EQ(calendars[0].at("after").at("working_periods").at(0).at("weekday"), "mon");
}

TEST_F(AdminAuditTest, OnlyADistrictAdminReadsTheLog) {
  domain::Actor operator_actor{name("op"), domain::RoleSet{Role::kOperator}, Role::kOperator};
  try {
    run_sync(audit_->records({}, {}, operator_actor));
    ADD_FAILURE() << "an operator read the audit log";
  } catch (const domain::Error& error) {
    EXPECT_EQ(error.code(), domain::ErrorCode::kForbidden);
  }
}

TEST_F(AdminAuditTest, TheDatabaseRefusesToChangeOrRemoveARecord) {
  run_sync(catalog_->replace_categories(CaseDistrict::categories(), admin("dora")));
  const std::string id = query_scalar(url_, "SELECT max(id) FROM admin_audit");

  EXPECT_NE(refusal_of("UPDATE admin_audit SET actor = 'nobody' WHERE id = " + id)
                .find("admin_audit is append-only: UPDATE refused"),
            std::string::npos);
  EXPECT_NE(refusal_of("DELETE FROM admin_audit WHERE id = " + id)
                .find("admin_audit is append-only: DELETE refused"),
            std::string::npos);
  EXPECT_NE(refusal_of("TRUNCATE admin_audit").find("admin_audit is append-only: TRUNCATE refused"),
            std::string::npos);
  EXPECT_EQ(query_scalar(url_, "SELECT actor FROM admin_audit WHERE id = " + id), name("dora"));
}

TEST_F(AdminAuditTest, TheAuditLogAndTheEventLogAreGuardedByOneTriggerFunction) {
  const std::string guards =
      "SELECT count(*) || ' triggers, ' || string_agg(DISTINCT tgfoid::regproc::text, ',') "
      "FROM pg_trigger WHERE tgname IN ('case_events_append_only', 'case_events_no_truncate', "
      "'admin_audit_append_only', 'admin_audit_no_truncate')";

  EXPECT_EQ(query_scalar(url_, guards), "4 triggers, gridcase_refuse_change");
}

}  // namespace
}  // namespace gridcase::testing
