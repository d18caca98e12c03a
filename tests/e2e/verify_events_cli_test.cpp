// `gridcase verify-events` on the end-to-end database, through the real binary.
#include <gtest/gtest.h>

#include <string>

#include "support/case_http.hpp"
#include "support/command.hpp"
#include "support/demo_server.hpp"
#include "support/test_database.hpp"

namespace gridcase::testing {
namespace {

/// Runs the binary with `arguments` on the e2e database.
std::pair<std::string, int> run_gridcase(const std::string& arguments) {
  return run_command("GRIDCASE_DATABASE_URL=" + shell_quote(e2e_database_url()) + " " +
                     shell_quote(GRIDCASE_BINARY) + " " + arguments);
}

class VerifyEventsCliTest : public DemoServerTest {};

TEST_F(VerifyEventsCliTest, AnIntactLogExitsZeroAndSaysHowManyEventsItRead) {
  create_registered_case(port());  // at least a receive and a register event, written by the server

  const auto [output, status] = run_gridcase("verify-events");

  EXPECT_EQ(status, 0) << output;
  EXPECT_NE(output.find("the event log is intact"), std::string::npos) << output;
}

TEST(VerifyEventsUsageTest, ExtraArgumentsAreAUsageError) {
  const auto [output, status] = run_gridcase("verify-events now");

  EXPECT_EQ(status, 64) << output;
}

}  // namespace
}  // namespace gridcase::testing
