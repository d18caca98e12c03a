#include "demo_server.hpp"

#include "test_database.hpp"

namespace gridcase::testing {

std::unique_ptr<ServerProcess> DemoServerTest::server_;

void DemoServerTest::TearDownTestSuite() { server_.reset(); }

void DemoServerTest::SetUp() {
  if (!server_) server_ = std::make_unique<ServerProcess>(e2e_database_url());
}

unsigned short DemoServerTest::port() { return server_->port(); }

HttpResponse DemoServerTest::get(std::string_view target) {
  return http_request(port(), "GET", target, {}, auth_headers("admin"));
}

HttpResponse DemoServerTest::post(std::string_view target, std::string_view body,
                                  std::string_view content_type) {
  HttpHeaders headers = auth_headers("admin");
  headers.emplace_back("Content-Type", std::string(content_type));
  return http_request(port(), "POST", target, body, headers);
}

nlohmann::json json_of(const HttpResponse& response) {
  nlohmann::json document = nlohmann::json::parse(response.body, nullptr, false);
  if (document.is_discarded()) {
    ADD_FAILURE() << "not JSON (status " << response.status << "): " << response.body;
    return nullptr;
  }
  return document;
}

::testing::AssertionResult is_problem(const HttpResponse& response, unsigned status) {
  if (response.status != status) {
    return ::testing::AssertionFailure()
           << "status " << response.status << ", not " << status << "; body: " << response.body;
  }
  if (response.header("Content-Type") != "application/problem+json") {
    return ::testing::AssertionFailure()
           << "Content-Type " << response.header("Content-Type").value_or("(none)");
  }
  const nlohmann::json body = nlohmann::json::parse(response.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    return ::testing::AssertionFailure() << "body is not a JSON object: " << response.body;
  }
  for (const char* member : {"type", "title", "detail"}) {
    if (!body.contains(member) || !body[member].is_string()) {
      return ::testing::AssertionFailure() << "no string '" << member << "' in " << response.body;
    }
  }
  if (!body.contains("status") || body["status"] != status) {
    return ::testing::AssertionFailure()
           << "body status differs from " << status << ": " << response.body;
  }
  return ::testing::AssertionSuccess();
}

std::vector<std::string> error_fields(const HttpResponse& response) {
  std::vector<std::string> fields;
  const nlohmann::json body = nlohmann::json::parse(response.body, nullptr, false);
  if (body.is_discarded() || !body.contains("errors")) return fields;
  for (const nlohmann::json& error : body["errors"]) fields.push_back(error.value("field", ""));
  return fields;
}

}  // namespace gridcase::testing
