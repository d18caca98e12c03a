// The HTML bulletin in headless Chromium (issue 5): Debian's chromium driven by playwright-core
// (tests/browser, installed by scripts/test.sh from its lockfile). A screenshot is taken; a
// console error, a page error, a network request or an empty page fails the test. The page is
// served with the server's Content-Security-Policy (issue 12): a violation is a console error,
// and a style sheet the policy blocked leaves the tables unstyled, which fails it too.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <fstream>

#include "support/case_http.hpp"
#include "support/command.hpp"
#include "support/demo_server.hpp"

namespace gridcase::testing {
namespace {

std::string today_utc() {
  const auto today = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  const std::chrono::year_month_day date{today};
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
  return text;
}

class BulletinBrowserTest : public DemoServerTest {};

TEST_F(BulletinBrowserTest, TheMonthsBulletinRendersInHeadlessChromiumWithoutErrors) {
  create_registered_case(port());  // something to rank
  const HttpResponse bulletin =
      get("/api/v1/reports?period=month&by=street&format=html&date=" + today_utc());
  ASSERT_EQ(bulletin.status, 200U) << bulletin.body;
  ASSERT_TRUE(bulletin.header("Content-Type").value_or("").starts_with("text/html"));
  const std::string policy = bulletin.header("Content-Security-Policy").value_or("");
  ASSERT_NE(policy.find("default-src 'none'"), std::string::npos) << policy;
  const std::string html = unique_token("/tmp/gridcase-bulletin") + ".html";
  const std::string png = html.substr(0, html.size() - 5) + ".png";
  std::ofstream{html} << bulletin.body;

  const auto [output, status] = run_command(
      "node " +
      shell_quote(std::string(GRIDCASE_SOURCE_DIR) + "/tests/browser/render_bulletin.mjs") + " " +
      shell_quote(html) + " " + shell_quote(png) + " " + shell_quote(policy));

  EXPECT_EQ(status, 0) << output;
  EXPECT_NE(output.find("rendered"), std::string::npos) << output;
  std::printf("%s", output.c_str());
  std::remove(html.c_str());
  std::remove(png.c_str());
}

}  // namespace
}  // namespace gridcase::testing
