// /metrics' open-case gauges over HTTP: district-wide counts by status and by light, as
// Prometheus gauges with HELP and TYPE, and no case data.
#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <sstream>

#include "support/demo_server.hpp"
#include "support/test_database.hpp"

namespace gridcase::testing {
namespace {

/// The samples of `name` in an exposition text: label value → value.
std::map<std::string, long long> samples(const std::string& text, const std::string& name,
                                         const std::string& label) {
  std::map<std::string, long long> found;
  const std::regex sample{name + "\\{" + label + "=\"([a-z_]+)\"\\} (-?[0-9]+)"};
  std::istringstream lines{text};
  for (std::string line; std::getline(lines, line);) {
    std::smatch match;
    if (std::regex_match(line, match, sample)) found[match[1]] = std::stoll(match[2]);
  }
  return found;
}

long long total(const std::map<std::string, long long>& counts) {
  long long sum = 0;
  for (const auto& [label, value] : counts) sum += value;
  return sum;
}

using MetricsOpenCasesTest = DemoServerTest;

TEST_F(MetricsOpenCasesTest, OpenCasesByStatusAndByLightAreGaugesWithHelpAndType) {
  // An open case of its own: the test does not depend on what other tests left open.
  create_case(port(), case_intake_body("hotline_12319"));
  const std::string open_in_database = query_scalar(
      e2e_database_url(), "SELECT count(*) FROM cases WHERE status NOT IN ('closed', 'rejected')");

  const std::string text = get("/metrics").body;

  for (const std::string name : {"gridcase_open_cases", "gridcase_open_cases_by_light"}) {
    const std::size_t help = text.find("# HELP " + name + " ");
    const std::size_t type = text.find("# TYPE " + name + " gauge\n");
    const std::size_t first = text.find("\n" + name + "{");
    ASSERT_NE(help, std::string::npos) << text;
    ASSERT_NE(type, std::string::npos) << text;
    EXPECT_LT(help, type);
    EXPECT_LT(type, first);
  }
  const auto by_status = samples(text, "gridcase_open_cases", "status");
  const auto by_light = samples(text, "gridcase_open_cases_by_light", "light");
  EXPECT_EQ(by_status.size(), 9U) << text;
  EXPECT_TRUE(by_status.contains("received") && by_status.contains("replied")) << text;
  EXPECT_FALSE(by_status.contains("closed"));
  EXPECT_EQ(by_light.size(), 4U) << text;
  for (const char* light : {"green", "yellow", "red", "none"}) {
    EXPECT_TRUE(by_light.contains(light)) << light;
  }
  EXPECT_EQ(std::to_string(total(by_status)), open_in_database);
  EXPECT_EQ(total(by_light), total(by_status));
  EXPECT_GT(total(by_status), 0) << "the case made above is open";
  EXPECT_FALSE(std::regex_search(text, std::regex{"[0-9]{6}-[0-9]{8}-[0-9]{6}"}))
      << "a case number in /metrics";
}

TEST_F(MetricsOpenCasesTest, EveryLineIsACommentOrASampleOfTheTextFormat) {
  const std::string text = get("/metrics").body;

  const std::regex comment{"# (HELP [a-z_]+ .+|TYPE [a-z_]+ (counter|gauge|histogram))"};
  const std::regex sample{
      "[a-z_]+(\\{[a-z_]+=\"[^\"]*\"(,[a-z_]+=\"[^\"]*\")*\\})? -?[0-9.e+-]+(Inf)?"};
  std::istringstream lines{text};
  for (std::string line; std::getline(lines, line);) {
    EXPECT_TRUE(std::regex_match(line, comment) || std::regex_match(line, sample)) << line;
  }
}

}  // namespace
}  // namespace gridcase::testing
