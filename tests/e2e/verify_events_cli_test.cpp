// `gridcase verify-events` on the end-to-end database, through the real binary.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <memory>
#include <string>

#include "support/case_http.hpp"
#include "support/demo_server.hpp"
#include "support/test_database.hpp"

namespace gridcase::testing {
namespace {

/// Runs the binary with `arguments` on the e2e database; returns its output and exit status.
std::pair<std::string, int> run_gridcase(const std::string& arguments) {
  const std::string command = "GRIDCASE_DATABASE_URL='" + e2e_database_url() + "' '" + GRIDCASE_BINARY + "' " +
                              arguments + " 2>&1";
  std::unique_ptr<FILE, int (*)(FILE*)> pipe{::popen(command.c_str(), "r"), ::pclose};
  std::string output;
  std::array<char, 4096> buffer{};
  while (std::fgets(buffer.data(), static_cast<int>(buffer.size()), pipe.get()) != nullptr) output += buffer.data();
  const int status = ::pclose(pipe.release());
  return {output, WIFEXITED(status) ? WEXITSTATUS(status) : -1};
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
