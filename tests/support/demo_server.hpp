#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "case_http.hpp"
#include "http_client.hpp"
#include "server_process.hpp"

namespace gridcase::testing {

/// End-to-end tests against one `gridcase serve` on GRIDCASE_E2E_DATABASE_URL (the demo
/// district), started by the first test of the suite and stopped after the last.
class DemoServerTest : public ::testing::Test {
 protected:
  static void TearDownTestSuite();
  void SetUp() override;

  static unsigned short port();
  /// As the demo admin (district-wide).
  static HttpResponse get(std::string_view target);
  static HttpResponse post(std::string_view target, std::string_view body,
                           std::string_view content_type = "application/json");

 private:
  static std::unique_ptr<ServerProcess> server_;
};

/// The body parsed as JSON; fails the test (and returns null) when it is not JSON.
nlohmann::json json_of(const HttpResponse& response);

/// An RFC 9457 answer: the status, Content-Type application/problem+json, and a body whose
/// type, title, detail and status (equal to the answer's) are all there.
::testing::AssertionResult is_problem(const HttpResponse& response, unsigned status);

/// The `field` names of a problem answer's `errors`.
std::vector<std::string> error_fields(const HttpResponse& response);

}  // namespace gridcase::testing
