// The command-center console (issue 17) in headless Chromium against the real server and
// database: tests/browser/console.mjs (playwright-core driving Debian's chromium, axe-core for
// accessibility, both pinned in tests/browser) walks the operator's hotline intake with the point
// picked on the map, the shift leader's register, the dispatcher's dispatch by suggestion while the
// street's wall updates live, a stale tab caught, a supervisor of another street who does not see
// the case, keyboard-only intake and sign-out. Screenshots go to console-screenshots/ in the
// working directory (the build tree); with GRIDCASE_CONSOLE_DOCS=1 they are copied to
// docs/console/ too. It prints the budget figures for docs/performance.md.
#include <gtest/gtest.h>

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "support/case_http.hpp"
#include "support/command.hpp"
#include "support/demo_server.hpp"

namespace gridcase::testing {
namespace {

/// CONSOLE_PASSWORD_<USERNAME>, the username upper-cased and every other character `_`, as
/// console.mjs reads it.
std::string password_variable(const std::string& username) {
  std::string name = "CONSOLE_PASSWORD_";
  for (const char c : username) {
    name += std::isalnum(static_cast<unsigned char>(c))
                ? static_cast<char>(std::toupper(static_cast<unsigned char>(c)))
                : '_';
  }
  return name;
}

class ConsoleBrowserTest : public DemoServerTest {
 protected:
  /// Gives `username` a fresh password through the API (as the demo admin) and returns it.
  std::string set_password(const std::string& username) {
    const std::string secret = "Console-" + unique_token("pw").substr(0, 16) + "-9";
    HttpHeaders headers = auth_headers("admin");
    headers.emplace_back("Content-Type", "application/json");
    const HttpResponse answer = http_request(port(), "PATCH", "/api/v1/users/" + username,
                                             nlohmann::json{{"password", secret}}.dump(), headers);
    EXPECT_EQ(answer.status, 200U) << username << ": " << answer.body;
    return secret;
  }
};

TEST_F(ConsoleBrowserTest, EachRolesMainPathWorksInChromiumWithoutAccessibilityFaults) {
  // A supervisor of another street than the demo point's.
  const DemoPlace other = other_demo_place(port());
  ASSERT_NE(std::string(other.street), std::string(kDemoPlace.street));
  const std::string other_supervisor = "console-sup-" + std::string(other.street);
  const HttpResponse created =
      post("/api/v1/users", nlohmann::json{{"username", other_supervisor},
                                           {"display_name", "另一街道 Supervisor"},
                                           {"password", "Another-street-9"},
                                           {"roles", {"supervisor"}},
                                           {"scope", "grid:" + std::string(other.street)}}
                                .dump());
  ASSERT_TRUE(created.status == 201U || created.status == 409U) << created.body;

  // An admin of the console's own: a new password revokes the account's tokens, and the
  // suite's requests go as the demo admin.
  const HttpResponse admin = post("/api/v1/users", nlohmann::json{{"username", "console-admin"},
                                                                  {"display_name", "控制台 Admin"},
                                                                  {"password", "Console-admin-9"},
                                                                  {"roles", {"admin"}}}
                                                       .dump());
  ASSERT_TRUE(admin.status == 201U || admin.status == 409U) << admin.body;

  std::string environment = "CONSOLE_ADMIN=console-admin ";
  for (const std::string user : {"operator", "shift_leader", "dispatcher", "supervisor", "unit",
                                 "officer", "console-admin"}) {
    environment += password_variable(user) + "=" + shell_quote(set_password(user)) + " ";
  }
  environment += password_variable(other_supervisor) + "=" +
                 shell_quote(set_password(other_supervisor)) +
                 " CONSOLE_OTHER_SUPERVISOR=" + shell_quote(other_supervisor) + " ";
  const std::string shots = (std::filesystem::current_path() / "console-screenshots").string();
  environment += "CONSOLE_SCREENSHOTS=" + shell_quote(shots) + " ";
  if (const char* docs = std::getenv("GRIDCASE_CONSOLE_DOCS"); docs && std::string(docs) == "1") {
    environment += "CONSOLE_DOCS_SCREENSHOTS=" +
                   shell_quote(std::string(GRIDCASE_SOURCE_DIR) + "/docs/console") + " ";
  }

  const auto [output, status] =
      run_command(environment + "node " +
                  shell_quote(std::string(GRIDCASE_SOURCE_DIR) + "/tests/browser/console.mjs") +
                  " http://127.0.0.1:" + std::to_string(port()));

  EXPECT_EQ(status, 0) << output;
  EXPECT_NE(output.find("console walk passed"), std::string::npos) << output;
  EXPECT_NE(output.find("console budgets:"), std::string::npos) << output;
  std::printf("%s", output.c_str());
}

}  // namespace
}  // namespace gridcase::testing
