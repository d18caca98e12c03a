// A day whose six-digit case numbers are used up (sql/functions/050_gridcase_next_case_seq.sql,
// docs/security.md): intake is refused with 503 and a log line, never a 500 or a wider number.
#include <gtest/gtest.h>

#include "support/case_http.hpp"
#include "support/demo_server.hpp"
#include "support/eventually.hpp"
#include "support/server_process.hpp"
#include "support/test_database.hpp"

namespace gridcase::testing {
namespace {

using namespace std::chrono_literals;

/// Sets today's case-number sequence of the e2e database to its last number, and back to where
/// it was when destroyed: the other end-to-end tests number cases today too.
class ExhaustedToday {
 public:
  ExhaustedToday() {
    query_scalar(url_, "SELECT gridcase_next_case_seq(gridcase_today())");  // exists from now on
    sequence_ = "case_seq_" + query_scalar(url_, "SELECT to_char(gridcase_today(), 'YYYYMMDD')");
    last_ = query_scalar(url_, "SELECT last_value FROM " + sequence_);
    query_scalar(url_, "SELECT setval('" + sequence_ + "', 999999)");
  }
  ~ExhaustedToday() { query_scalar(url_, "SELECT setval('" + sequence_ + "', " + last_ + ")"); }
  ExhaustedToday(const ExhaustedToday&) = delete;
  ExhaustedToday& operator=(const ExhaustedToday&) = delete;

 private:
  std::string url_ = e2e_database_url();
  std::string sequence_;
  std::string last_;
};

TEST(CaseNumbersUsedUpTest, IntakeOnADayWithNoNumberLeftIs503WithRetryAfterALogLineAndNoCase) {
  ServerProcess server{e2e_database_url()};
  const ExhaustedToday exhausted;
  const long long cases = e2e_rows("cases");

  const HttpResponse refused = post_case(server.port(), case_intake_body("web"));

  EXPECT_TRUE(is_problem(refused, 503)) << refused.body;
  EXPECT_TRUE(refused.header("Retry-After").has_value());
  EXPECT_NE(refused.body.find("no case number is left for today"), std::string::npos)
      << refused.body;
  EXPECT_EQ(e2e_rows("cases"), cases);
  EXPECT_TRUE(
      eventually([&] { return server.log().find("case numbers used up") != std::string::npos; }, 5s,
                 "the refusal is logged"))
      << server.log();
}

}  // namespace
}  // namespace gridcase::testing
