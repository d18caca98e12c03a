// Admission from the header (docs/security.md, "Request bodies"): a guarded route authenticates
// the caller, and a route with a large body also authorizes them, before any of the body is
// read. Each request below declares a body of 30 MB and sends only its first bytes: the answer
// must come anyway, at once, and the connection must then close.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "support/case_http.hpp"
#include "support/demo_server.hpp"

namespace gridcase::testing {
namespace {

using namespace std::chrono_literals;

/// Far more than anyone would send before being told no, under the 32 MiB import limit.
constexpr std::size_t kDeclared = 30'000'000;
/// Well under the server's read timeout (10 s): an answer that waited for the body comes late.
constexpr std::chrono::milliseconds kPromptly = 3s;

class RequestAdmissionTest : public DemoServerTest {
 protected:
  /// Sends the header of `method target` declaring a kDeclared-byte body, and its first bytes.
  HttpResponse answer_to_large(std::string_view method, std::string_view target,
                               const std::string& authorization) {
    connection_ = std::make_unique<HttpConnection>(port(), kPromptly);
    connection_->send_raw(std::string(method) + " " + std::string(target) +
                          " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" +
                          authorization + "Content-Length: " + std::to_string(kDeclared) +
                          "\r\n\r\n{\"type\": \"FeatureCollection\", \"features\": [");
    return connection_->read_response();  // throws when nothing comes within kPromptly
  }

  std::unique_ptr<HttpConnection> connection_;
};

std::string bearer(std::string_view role) {
  return "Authorization: Bearer " + demo_token(role) + "\r\n";
}

TEST_F(RequestAdmissionTest, AnImportWithoutATokenIs401BeforeItsBodyIsReadAndTheConnectionCloses) {
  const HttpResponse response = answer_to_large("POST", "/api/v1/grid/import", "");

  EXPECT_TRUE(is_problem(response, 401));
  EXPECT_EQ(response.header("WWW-Authenticate"), "Bearer");
  EXPECT_TRUE(connection_->closed_by_peer(kPromptly));
}

TEST_F(RequestAdmissionTest, AnImportWithAnUnknownTokenIs401BeforeItsBodyIsRead) {
  const HttpResponse response = answer_to_large(
      "POST", "/api/v1/grid/import", "Authorization: Bearer gct_" + std::string(64, '0') + "\r\n");

  EXPECT_TRUE(is_problem(response, 401));
  EXPECT_TRUE(connection_->closed_by_peer(kPromptly));
}

TEST_F(RequestAdmissionTest, AnImportByADispatcherIs403BeforeItsBodyIsRead) {
  const HttpResponse response =
      answer_to_large("POST", "/api/v1/grid/import", bearer("dispatcher"));

  EXPECT_TRUE(is_problem(response, 403));
  EXPECT_TRUE(connection_->closed_by_peer(kPromptly));
}

TEST_F(RequestAdmissionTest, ACatalogueBySomeoneOtherThanADistrictAdminIs403BeforeItsBodyIsRead) {
  for (const char* role : {"operator", "supervisor", "integration"}) {
    const HttpResponse response = answer_to_large("PUT", "/api/v1/categories", bearer(role));

    EXPECT_TRUE(is_problem(response, 403)) << role;
    EXPECT_TRUE(connection_->closed_by_peer(kPromptly)) << role;
  }
}

TEST_F(RequestAdmissionTest, AChunkedImportWithoutATokenIs401BeforeItsBodyIsRead) {
  connection_ = std::make_unique<HttpConnection>(port(), kPromptly);
  connection_->send_raw(
      "POST /api/v1/grid/import HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Transfer-Encoding: chunked\r\n\r\n10\r\n{\"type\": \"Featu\r\n");

  EXPECT_TRUE(is_problem(connection_->read_response(), 401));
  EXPECT_TRUE(connection_->closed_by_peer(kPromptly));
}

TEST_F(RequestAdmissionTest, ASmallBodyTurnedAwayIsReadSoTheConnectionServesTheNextRequest) {
  HttpConnection connection{port(), kPromptly};
  const std::string body = R"({"channel": "web"})";

  const HttpResponse refused =
      connection.request("POST", "/api/v1/cases", body, {{"Content-Type", "application/json"}});
  const HttpResponse next = connection.request("GET", "/healthz");

  EXPECT_TRUE(is_problem(refused, 401));
  EXPECT_EQ(next.status, 200U);
}

TEST_F(RequestAdmissionTest, AnAdminsImportIsStillReadWhole) {
  const std::string body = R"({"type":"FeatureCollection","features":[],"padding":")" +
                           std::string(100'000, 'x') + "\"}";

  const HttpResponse response = post("/api/v1/grid/import", body);

  EXPECT_TRUE(is_problem(response, 422)) << "read, then refused for having no features";
}

}  // namespace
}  // namespace gridcase::testing
