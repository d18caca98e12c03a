#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include "support/command.hpp"
#include "support/demo_server.hpp"
#include "support/test_database.hpp"

namespace gridcase::testing {
namespace {

using std::chrono::steady_clock;

/// Nothing listens on port 1: every connection attempt is refused.
constexpr const char* kUnreachableUrl = "postgresql://gridcase@127.0.0.1:1/gridcase";

using OperationsTest = DemoServerTest;

TEST_F(OperationsTest, HealthzIs200) {
  const HttpResponse response = get("/healthz");

  EXPECT_EQ(response.status, 200U);
  EXPECT_EQ(json_of(response).at("status"), "ok");
}

TEST_F(OperationsTest, ReadyzIs200WhenTheDatabaseIsMigrated) {
  const HttpResponse response = get("/readyz");

  EXPECT_EQ(response.status, 200U) << response.body;
  EXPECT_EQ(json_of(response).at("status"), "ready");
}

TEST_F(OperationsTest, MetricsArePrometheusTextCountingRequests) {
  ASSERT_EQ(get("/healthz").status, 200U);

  const HttpResponse response = get("/metrics");

  EXPECT_EQ(response.status, 200U);
  EXPECT_TRUE(
      response.header("Content-Type").value_or("").starts_with("text/plain; version=0.0.4"));
  EXPECT_NE(response.body.find("# TYPE gridcase_http_requests_total counter"), std::string::npos);
  EXPECT_NE(response.body.find("gridcase_http_requests_total{route=\"/healthz\",status=\"200\"}"),
            std::string::npos)
      << response.body;
}

TEST_F(OperationsTest, MetricsLabelRequestsByRoutePatternNotByPath) {
  ASSERT_EQ(get("/api/v1/grid/150211").status, 404U);

  const std::string metrics = get("/metrics").body;

  EXPECT_NE(metrics.find("route=\"/api/v1/grid/{code}\",status=\"404\""), std::string::npos)
      << metrics;
  EXPECT_EQ(metrics.find("150211"), std::string::npos);
}

TEST_F(OperationsTest, MetricsReportTheDatabaseUp) {
  ASSERT_EQ(get("/readyz").status, 200U);

  EXPECT_NE(get("/metrics").body.find("gridcase_database_up 1"), std::string::npos);
}

TEST_F(OperationsTest, MetricsPassPromtoolsCheck) {
  // Requests of a few routes and statuses first, so that every family has samples.
  ASSERT_EQ(get("/readyz").status, 200U);
  ASSERT_EQ(get("/api/v1/grid/150211").status, 404U);
  const HttpResponse response = get("/metrics");
  ASSERT_EQ(response.status, 200U);
  const std::string file = ::testing::TempDir() + "gridcase-metrics.txt";
  {
    std::ofstream out{file};
    out << response.body;
  }
  // Debian's prometheus package (scripts/install-deps.sh): the exposition format, every family
  // with its HELP and TYPE, names and units as Prometheus's lint wants them.
  const auto [output, status] = run_command("promtool check metrics < " + shell_quote(file));
  EXPECT_EQ(status, 0) << output;
  std::filesystem::remove(file);
}

TEST_F(OperationsTest, OpenApiDocumentIsServed) {
  const HttpResponse response = get("/api/v1/openapi.yaml");

  EXPECT_EQ(response.status, 200U);
  EXPECT_NE(response.body.find("openapi: 3.1"), std::string::npos);
}

TEST(MetricsTokenTest, WithAMetricsTokenOnlyAScraperSendingItReadsTheMetrics) {
  const std::string token = "scrape-" + unique_token("metrics");
  ServerProcess server{e2e_database_url(), {{"GRIDCASE_METRICS_TOKEN", token}}};

  const HttpResponse none = http_get(server.port(), "/metrics");
  const HttpResponse wrong =
      http_request(server.port(), "GET", "/metrics", {}, {{"Authorization", "Bearer x" + token}});
  const HttpResponse session =
      http_request(server.port(), "GET", "/metrics", {}, auth_headers("admin"));
  const HttpResponse scraper =
      http_request(server.port(), "GET", "/metrics", {}, {{"Authorization", "Bearer " + token}});

  EXPECT_TRUE(is_problem(none, 401)) << none.body;
  EXPECT_TRUE(is_problem(wrong, 401)) << wrong.body;
  EXPECT_TRUE(is_problem(session, 401)) << "a session token is not the metrics token";
  EXPECT_EQ(scraper.status, 200U) << scraper.body;
  EXPECT_NE(scraper.body.find("gridcase_database_up 1"), std::string::npos);
  EXPECT_EQ(http_get(server.port(), "/healthz").status, 200U) << "the probes stay public";
  EXPECT_EQ(http_get(server.port(), "/readyz").status, 200U);
}

TEST(ServerLifecycleTest, SigtermEndsTheServerWithExitCode0) {
  ServerProcess server{e2e_database_url()};
  ASSERT_EQ(http_get(server.port(), "/healthz").status, 200U);

  const std::optional<int> exit_code = server.terminate(std::chrono::seconds{5});

  EXPECT_EQ(exit_code, 0) << server.log();
}

TEST(ServerLifecycleTest, SigtermWithAnIdleKeepAliveConnectionStillEndsPromptly) {
  ServerProcess server{e2e_database_url()};
  HttpConnection idle{server.port()};
  ASSERT_EQ(idle.request("GET", "/healthz").status, 200U);

  const std::optional<int> exit_code = server.terminate(std::chrono::seconds{5});

  EXPECT_EQ(exit_code, 0) << server.log();
  EXPECT_TRUE(idle.closed_by_peer());
}

class UnreachableDatabaseTest : public ::testing::Test {
 protected:
  static void TearDownTestSuite() { server_.reset(); }
  void SetUp() override {
    if (!server_) server_ = std::make_unique<ServerProcess>(kUnreachableUrl);
  }

  static std::unique_ptr<ServerProcess> server_;
};

std::unique_ptr<ServerProcess> UnreachableDatabaseTest::server_;

TEST_F(UnreachableDatabaseTest, HealthzIsStill200) {
  EXPECT_EQ(http_get(server_->port(), "/healthz").status, 200U);
}

TEST_F(UnreachableDatabaseTest, ReadyzIs503WithRetryAfter) {
  const HttpResponse response = http_get(server_->port(), "/readyz");

  EXPECT_TRUE(is_problem(response, 503));
  EXPECT_TRUE(response.header("Retry-After").has_value());
  EXPECT_NE(json_of(response).at("detail").get<std::string>().find("database"), std::string::npos);
}

TEST_F(UnreachableDatabaseTest, DatabaseRouteIs503WithRetryAfterWithinThreeSeconds) {
  const steady_clock::time_point started = steady_clock::now();

  // A well-formed token: looking it up needs the database.
  const HttpResponse response =
      http_request(server_->port(), "GET", "/api/v1/grid/locate?lon=109.83&lat=40.65", {},
                   {{"Authorization", "Bearer gct_" + std::string(64, '0')}});

  EXPECT_LT(steady_clock::now() - started, std::chrono::seconds{3});
  EXPECT_TRUE(is_problem(response, 503));
  EXPECT_TRUE(response.header("Retry-After").has_value());
}

TEST_F(UnreachableDatabaseTest, BadInputIsStillRefusedBeforeTheDatabaseIsNeeded) {
  EXPECT_TRUE(is_problem(http_get(server_->port(), "/api/v1/grid/locate?lon=109.83&lat=95"), 401))
      << "no token: refused before anything is looked up";
  EXPECT_TRUE(is_problem(http_request(server_->port(), "POST", "/api/v1/sessions",
                                      R"({"username": 1})", {{"Content-Type", "application/json"}}),
                         400));
}

TEST_F(UnreachableDatabaseTest, MetricsReportTheDatabaseDown) {
  ASSERT_EQ(http_get(server_->port(), "/readyz").status, 503U);

  const HttpResponse response = http_get(server_->port(), "/metrics");

  EXPECT_EQ(response.status, 200U);
  EXPECT_NE(response.body.find("gridcase_database_up 0"), std::string::npos) << response.body;
}

}  // namespace
}  // namespace gridcase::testing
