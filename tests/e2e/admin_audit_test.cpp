// Records a regulator will ask for, through the real binary (docs/security.md): the admin audit
// log read over HTTP by another admin and refused to everyone else, its records beyond change,
// the command line recorded as `cli`, and reporter retention run by the nightly job.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <random>

#include "support/case_http.hpp"
#include "support/command.hpp"
#include "support/demo_server.hpp"
#include "support/eventually.hpp"
#include "support/server_process.hpp"
#include "support/test_database.hpp"

namespace gridcase::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

constexpr const char* kPassword = "correct horse battery";

HttpHeaders bearer(const std::string& token) {
  return HttpHeaders{{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}};
}

/// Runs the binary with `arguments` on the e2e database, `input` on its standard input.
std::pair<std::string, int> run_gridcase(const std::string& arguments, const std::string& input) {
  return run_command("printf '%s\\n' " + shell_quote(input) +
                     " | GRIDCASE_DATABASE_URL=" + shell_quote(e2e_database_url()) + " " +
                     shell_quote(GRIDCASE_BINARY) + " " + arguments);
}

class AdminAuditApiTest : public DemoServerTest {
 protected:
  /// A user made by the demo admin over HTTP; fails the test unless it is created.
  std::string create_user(const std::string& prefix, const json& roles,
                          const std::string& scope = "district") {
    const std::string username = unique_token(prefix);
    const json body{{"username", username},
                    {"display_name", "审计 " + username},
                    {"roles", roles},
                    {"scope", scope},
                    {"password", kPassword}};
    const HttpResponse created =
        http_request(port(), "POST", "/api/v1/users", body.dump(), case_headers("admin"));
    EXPECT_EQ(created.status, 201U) << created.body;
    return username;
  }

  /// A session token of `username`, minted straight into the database as demo_token() does
  /// (signing in is auth_api_test's, and its failed logins may lock this address out).
  static std::string token_of(const std::string& username) {
    std::random_device random;
    std::string token = "gct_";
    static constexpr char kHex[] = "0123456789abcdef";
    for (int i = 0; i < 64; ++i) token += kHex[random() % 16];
    const std::string id = query_scalar(
        e2e_database_url(),
        "INSERT INTO auth_tokens (user_id, kind, label, digest, expires_at) "
        "SELECT id, 'session', 'e2e', sha256(convert_to('" +
            token + "', 'UTF8')), now() + interval '1 hour' FROM users WHERE username = '" +
            username + "' RETURNING id");
    EXPECT_FALSE(id.empty()) << "no user " << username;
    return token;
  }

  /// GET /api/v1/admin/audit`query` with `headers`.
  HttpResponse audit(const std::string& query, const HttpHeaders& headers) {
    return http_request(port(), "GET", "/api/v1/admin/audit" + query, {}, headers);
  }
};

TEST_F(AdminAuditApiTest, AnotherAdminReadsWhatAnAdminChangedWithBeforeAndAfter) {
  const std::string username = create_user("e2e-audited", json::array({"operator"}));
  const HttpResponse patched = http_request(
      port(), "PATCH", "/api/v1/users/" + username,
      json{{"roles", {"supervisor"}}, {"scope", "grid:150203004"}}.dump(), case_headers("admin"));
  ASSERT_EQ(patched.status, 200U) << patched.body;
  const std::string auditor = create_user("e2e-auditor", json::array({"admin"}));
  const HttpHeaders as_auditor = bearer(token_of(auditor));

  const HttpResponse answer = audit("?target=" + username, as_auditor);

  ASSERT_EQ(answer.status, 200U) << answer.body;
  const json items = json::parse(answer.body).at("items");
  ASSERT_EQ(items.size(), 3U) << answer.body;  // newest first
  EXPECT_EQ(items[0].at("action"), "user.update");
  EXPECT_EQ(items[0].at("actor"), "admin");
  EXPECT_EQ(items[0].at("before").at("roles"), json::array({"operator"}));
  EXPECT_EQ(items[0].at("after").at("roles"), json::array({"supervisor"}));
  EXPECT_EQ(items[0].at("after").at("scope"), (json{{"kind", "grid"}, {"code", "150203004"}}));
  EXPECT_EQ(items[1].at("action"), "user.password");
  EXPECT_EQ(items[2].at("action"), "user.create");
  EXPECT_TRUE(items[2].at("before").is_null());
  EXPECT_EQ(answer.body.find("$argon2"), std::string::npos) << "a password hash in the log";
  EXPECT_EQ(answer.body.find(kPassword), std::string::npos);

  // Keyset pages, newest first, as every list pages.
  const HttpResponse first = audit("?target=" + username + "&limit=2", as_auditor);
  ASSERT_EQ(first.status, 200U) << first.body;
  const json first_page = json::parse(first.body);
  ASSERT_EQ(first_page.at("items").size(), 2U);
  ASSERT_TRUE(first_page.at("next_cursor").is_string()) << first.body;
  const HttpResponse second = audit(
      "?target=" + username + "&limit=2&cursor=" + first_page.at("next_cursor").get<std::string>(),
      as_auditor);
  ASSERT_EQ(second.status, 200U) << second.body;
  const json second_page = json::parse(second.body);
  ASSERT_EQ(second_page.at("items").size(), 1U);
  EXPECT_EQ(second_page.at("items")[0].at("action"), "user.create");
  EXPECT_TRUE(second_page.at("next_cursor").is_null());

  const HttpResponse by_actor = audit("?actor=admin&action=user.update&limit=200", as_auditor);
  ASSERT_EQ(by_actor.status, 200U) << by_actor.body;
  const json filtered = json::parse(by_actor.body);
  for (const json& item : filtered.at("items")) {
    EXPECT_EQ(item.at("actor"), "admin");
    EXPECT_EQ(item.at("action"), "user.update");
  }
}

TEST_F(AdminAuditApiTest, EveryAccountButAnAdminIsRefused) {
  for (const char* role :
       {"operator", "shift_leader", "dispatcher", "unit", "officer", "supervisor", "integration"}) {
    EXPECT_TRUE(is_problem(audit("", auth_headers(role)), 403)) << role;
  }
  EXPECT_TRUE(is_problem(audit("", {}), 401));
}

TEST_F(AdminAuditApiTest, ARefusedChangeRecordsNothing) {
  const std::string username = create_user("e2e-refused", json::array({"operator"}));
  const auto records = [&] {
    return json::parse(audit("?target=" + username, auth_headers("admin")).body).at("items").size();
  };
  const std::size_t before = records();

  const HttpResponse refused =
      http_request(port(), "PATCH", "/api/v1/users/" + username,
                   json{{"scope", "grid:150203999"}}.dump(), case_headers("admin"));

  EXPECT_TRUE(is_problem(refused, 422)) << refused.body;
  EXPECT_EQ(records(), before);
}

TEST_F(AdminAuditApiTest, BadFiltersAreRefusedNamingThem) {
  EXPECT_TRUE(is_problem(audit("?action=user.delete", auth_headers("admin")), 422));
  EXPECT_TRUE(is_problem(audit("?cursor=abc", auth_headers("admin")), 422));
  EXPECT_TRUE(is_problem(audit("?limit=201", auth_headers("admin")), 422));
  EXPECT_TRUE(is_problem(audit("?from=yesterday", auth_headers("admin")), 400));
  EXPECT_TRUE(is_problem(audit("?who=admin", auth_headers("admin")), 400));
}

TEST_F(AdminAuditApiTest, TheDatabaseRefusesToUpdateOrDeleteARecord) {
  create_user("e2e-kept", json::array({"operator"}));
  const std::string url = e2e_database_url();
  const std::string id = query_scalar(url, "SELECT max(id) FROM admin_audit");
  ASSERT_FALSE(id.empty());

  for (const std::string& sql : {"UPDATE admin_audit SET actor = 'nobody' WHERE id = " + id,
                                 "DELETE FROM admin_audit WHERE id = " + id}) {
    try {
      query_scalar(url, sql);
      ADD_FAILURE() << "accepted: " << sql;
    } catch (const std::exception& error) {
      EXPECT_NE(std::string(error.what()).find("admin_audit is append-only"), std::string::npos)
          << error.what();
    }
  }
  EXPECT_EQ(query_scalar(url, "SELECT actor FROM admin_audit WHERE id = " + id), "admin");
}

TEST_F(AdminAuditApiTest, AUserAddedOnTheCommandLineIsRecordedAsCli) {
  const std::string username = unique_token("e2e-cli");

  const auto [output, status] =
      run_gridcase("user add " + username + " --role operator --password-stdin", kPassword);

  ASSERT_EQ(status, 0) << output;
  const HttpResponse answer = audit("?target=" + username, auth_headers("admin"));
  ASSERT_EQ(answer.status, 200U) << answer.body;
  const json items = json::parse(answer.body).at("items");
  ASSERT_EQ(items.size(), 2U) << answer.body;
  EXPECT_EQ(items[1].at("action"), "user.create");
  EXPECT_EQ(items[1].at("actor"), "cli");
  EXPECT_EQ(items[0].at("action"), "user.password");
  EXPECT_EQ(items[0].at("actor"), "cli");
}

/// A server whose nightly job erases reporters one day after their case was closed, looking
/// every second (reports off: only the retention runs).
class ReporterRetentionApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string config = "/tmp/gridcase-retention-" + std::to_string(::getpid()) + ".json";
    std::ofstream{config} << R"({"reports": {"enabled": false, "check_interval_seconds": 1},
                                 "retention": {"reporter_days": 1}})";
    // At info, where the erasure's log line is written.
    server_ = std::make_unique<ServerProcess>(
        e2e_database_url(), std::map<std::string, std::string>{{"GRIDCASE_LOG_LEVEL", "info"}}, 60s,
        config);
    std::remove(config.c_str());
  }

  std::string rejected_case() {
    const std::string case_no = create_case(server_->port(), case_intake_body("hotline_12345"));
    const HttpResponse rejected =
        post_action(server_->port(), case_no, "reject", {{"reason", "重复 duplicate"}}, "operator");
    EXPECT_EQ(rejected.status, 200U) << rejected.body;
    return case_no;
  }

  std::string stored_reporter(const std::string& case_no) {
    return query_scalar(e2e_database_url(),
                        "SELECT coalesce(reporter_name, '') || '|' || coalesce(reporter_phone, '') "
                        "FROM cases WHERE case_no = '" +
                            case_no + "'");
  }

  std::unique_ptr<ServerProcess> server_;
};

TEST_F(ReporterRetentionApiTest, TheNightlyJobErasesAnOldClosedCasesReporterOnly) {
  const std::string old_case = rejected_case();
  const std::string recent_case = rejected_case();
  const std::string open_case = create_case(server_->port(), case_intake_body("hotline_12345"));
  ASSERT_EQ(stored_reporter(old_case), "张三|13812345678");
  query_scalar(
      e2e_database_url(),
      "UPDATE cases SET closed_at = now() - interval '2 days' WHERE case_no = '" + old_case + "'");

  ASSERT_TRUE(eventually([&] { return stored_reporter(old_case) == "|"; }, 10s,
                         "the old case's reporter is erased"))
      << server_->log();
  EXPECT_EQ(stored_reporter(recent_case), "张三|13812345678");
  EXPECT_EQ(stored_reporter(open_case), "张三|13812345678");

  const HttpResponse shown = get_as(server_->port(), "/api/v1/cases/" + old_case, "operator");
  ASSERT_EQ(shown.status, 200U) << shown.body;
  EXPECT_TRUE(json::parse(shown.body).at("reporter").is_null()) << shown.body;

  const HttpResponse records = http_request(
      server_->port(), "GET", "/api/v1/admin/audit?action=reporter.erase&target=" + old_case, {},
      auth_headers("admin"));
  ASSERT_EQ(records.status, 200U) << records.body;
  const json items = json::parse(records.body).at("items");
  ASSERT_EQ(items.size(), 1U) << records.body;
  EXPECT_EQ(items[0].at("actor"), "system");
  EXPECT_EQ(items[0].at("before").at("name_kept"), true);
  EXPECT_EQ(items[0].at("after").at("phone_kept"), false);
  EXPECT_EQ(records.body.find("13812345678"), std::string::npos);
  EXPECT_NE(server_->log().find("erased the reporter's name and phone of " + old_case),
            std::string::npos)
      << server_->log();

  const auto [output, status] =
      run_command("GRIDCASE_DATABASE_URL=" + shell_quote(e2e_database_url()) + " " +
                  shell_quote(GRIDCASE_BINARY) + " verify-events");
  EXPECT_EQ(status, 0) << output;
}

}  // namespace
}  // namespace gridcase::testing
