// A database connection lost during COMMIT (issue 6): the intake's COMMIT reaches PostgreSQL and
// commits, but the answer never comes back (libpqxx's in_doubt_error). The server cannot know
// the outcome, so it answers 503 with Retry-After, and the client's retry with the same
// Idempotency-Key settles it: the case committed once, and the retry answers that case.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/case_http.hpp"
#include "support/pg_proxy.hpp"
#include "support/server_process.hpp"
#include "support/test_database.hpp"

namespace gridcase::testing {
namespace {

using nlohmann::json;

TEST(CommitInDoubtTest, ALostCommitAnswers503AndTheRetryWithTheSameKeySettlesIt) {
  const std::string url = e2e_database_url();
  PgProxy proxy{port_of_url(url)};
  ServerProcess server{proxy.url_through(url)};
  const unsigned short port = server.port();

  const std::string marker = unique_token("in-doubt");
  json body = case_intake_body("hotline_12345");
  body["description"] = marker;
  const HttpHeaders headers = case_headers("integration", {{"Idempotency-Key", marker}});

  proxy.cut_after_commit_of(marker);
  const HttpResponse lost = http_request(port, "POST", "/api/v1/cases", body.dump(), headers);
  ASSERT_EQ(proxy.cuts(), 1) << "the trap never saw the intake's COMMIT; answer: " << lost.status
                             << " " << lost.body;
  EXPECT_EQ(lost.status, 503U) << lost.body;
  EXPECT_EQ(lost.header("Content-Type").value_or(""), "application/problem+json");
  EXPECT_TRUE(lost.header("Retry-After").has_value());
  EXPECT_NE(lost.body.find("Idempotency-Key"), std::string::npos)
      << "the answer tells the client to retry with its key";
  const std::string count_sql = "SELECT count(*) FROM cases WHERE description = '" + marker + "'";
  EXPECT_EQ(query_scalar(url, count_sql), "1") << "the COMMIT did reach the database";

  // The retry settles it: the committed case, not a second one.
  const HttpResponse retried = http_request(port, "POST", "/api/v1/cases", body.dump(), headers);
  ASSERT_EQ(retried.status, 201U) << retried.body;
  EXPECT_EQ(json::parse(retried.body).at("case_no").get<std::string>(),
            query_scalar(url, "SELECT case_no FROM cases WHERE description = '" + marker + "'"));
  EXPECT_EQ(query_scalar(url, count_sql), "1") << "no duplicate";

  // The pool replaced the lost connection: the server keeps working through the same proxy.
  const HttpResponse after = get_as(port, "/api/v1/grid/locate?lon=109.83&lat=40.65", "dispatcher");
  EXPECT_EQ(after.status, 200U) << after.body;
}

}  // namespace
}  // namespace gridcase::testing
