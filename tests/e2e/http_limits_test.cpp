#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "support/case_http.hpp"
#include "support/demo_server.hpp"

namespace gridcase::testing {
namespace {

constexpr std::size_t kJsonBodyLimit = 64 * 1024;
constexpr std::size_t kHeaderLimit = 8 * 1024;

/// A JSON write route (contract/api.md: 64 KiB). Whether or not the route exists yet, a body over
/// the JSON limit must be refused before anything reads it.
constexpr const char* kJsonRoute = "/api/v1/cases";

/// A request that asks the server to answer `GET /healthz` as a second, smuggled request.
constexpr std::string_view kSmuggled = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";

std::string hex(std::size_t value) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string text;
  do {
    text.insert(text.begin(), kDigits[value % 16]);
    value /= 16;
  } while (value > 0);
  return text;
}

class HttpLimitsTest : public DemoServerTest {
 protected:
  /// Sends `bytes` on a new connection and reads one answer.
  HttpResponse answer_to(std::string_view bytes) {
    connection_ = std::make_unique<HttpConnection>(port());
    connection_->send_raw(bytes);
    return connection_->read_response();
  }

  bool server_closed_the_connection() { return connection_->closed_by_peer(); }

  std::unique_ptr<HttpConnection> connection_;
};

TEST_F(HttpLimitsTest, ContentLengthOverTheJsonLimitIs413BeforeTheBodyIsSent) {
  const HttpResponse response =
      answer_to(std::string("POST ") + kJsonRoute +
                " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" +
                "Content-Length: " + std::to_string(kJsonBodyLimit + 1) + "\r\n\r\n");

  EXPECT_TRUE(is_problem(response, 413));
  EXPECT_TRUE(server_closed_the_connection());
}

TEST_F(HttpLimitsTest, BodyOfExactlyTheJsonLimitIsRead) {
  const std::string body(kJsonBodyLimit, ' ');

  const HttpResponse response =
      answer_to(std::string("POST ") + kJsonRoute +
                " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" +
                "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body);

  EXPECT_NE(response.status, 413U) << response.body;
}

TEST_F(HttpLimitsTest, ChunkedBodyGrowingOverTheJsonLimitIs413) {
  const std::size_t first = 40000;
  // Signed in: a request whose token is refused is answered before its body is read at all.
  const std::string request = std::string("POST ") + kJsonRoute +
                              " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                              "Authorization: Bearer " +
                              demo_token("operator") +
                              "\r\n"
                              "Transfer-Encoding: chunked\r\n\r\n" +
                              hex(first) + "\r\n" + std::string(first, ' ') + "\r\n" +
                              hex(kJsonBodyLimit - first + 1) + "\r\n";

  const HttpResponse response = answer_to(request);

  EXPECT_TRUE(is_problem(response, 413));
  EXPECT_TRUE(server_closed_the_connection());
}

TEST_F(HttpLimitsTest, SmallChunkedBodyIsRead) {
  const HttpResponse response = answer_to(
      "POST /api/v1/grid/import HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Authorization: Bearer " +
      demo_token("admin") +
      "\r\n"
      "Transfer-Encoding: chunked\r\n\r\n4\r\n{\"a\"\r\n3\r\n:1}\r\n0\r\n\r\n");

  EXPECT_TRUE(is_problem(response, 400)) << "a JSON object that is no FeatureCollection";
}

TEST_F(HttpLimitsTest, ImportRouteAcceptsBodiesLargerThanTheJsonLimit) {
  const std::string body = R"({"type":"FeatureCollection","features":[],"padding":")" +
                           std::string(2 * kJsonBodyLimit, 'x') + "\"}";

  const HttpResponse response = post("/api/v1/grid/import", body);

  EXPECT_TRUE(is_problem(response, 422)) << "read, then refused for having no features";
}

TEST_F(HttpLimitsTest, TransferEncodingOtherThanChunkedWithContentLengthIs400AndCloses) {
  const std::string request =
      "POST /api/v1/grid/import HTTP/1.1\r\nHost: x\r\n"
      "Transfer-Encoding: gzip\r\nContent-Length: " +
      std::to_string(kSmuggled.size()) + "\r\n\r\n" + std::string(kSmuggled);

  const HttpResponse response = answer_to(request);

  EXPECT_TRUE(is_problem(response, 400));
  EXPECT_TRUE(server_closed_the_connection()) << "the smuggled request must not be answered";
  // Refused before a request exists, it still carries the id the access log names.
  const std::optional<std::string> id = response.header("X-Request-Id");
  ASSERT_TRUE(id.has_value());
  EXPECT_FALSE(id->empty());
  EXPECT_EQ(nlohmann::json::parse(response.body).value("request_id", ""), *id);
}

TEST_F(HttpLimitsTest, ChunkedAfterAnotherEncodingIs400) {
  const HttpResponse response = answer_to(
      "POST /api/v1/grid/import HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"
      "0\r\n\r\n");

  EXPECT_TRUE(is_problem(response, 400));
  EXPECT_TRUE(server_closed_the_connection());
}

TEST_F(HttpLimitsTest, BothTransferEncodingAndContentLengthIs400AndCloses) {
  const std::string request =
      "POST /api/v1/grid/import HTTP/1.1\r\nHost: x\r\n"
      "Content-Length: " +
      std::to_string(kSmuggled.size() + 5) + "\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" +
      std::string(kSmuggled);

  const HttpResponse response = answer_to(request);

  EXPECT_TRUE(is_problem(response, 400));
  EXPECT_TRUE(server_closed_the_connection()) << "the smuggled request must not be answered";
  // Refused before a request exists, it still carries the id the access log names.
  const std::optional<std::string> id = response.header("X-Request-Id");
  ASSERT_TRUE(id.has_value());
  EXPECT_FALSE(id->empty());
  EXPECT_EQ(nlohmann::json::parse(response.body).value("request_id", ""), *id);
}

TEST_F(HttpLimitsTest, DuplicateContentLengthIs400AndCloses) {
  const HttpResponse response = answer_to(
      "POST /api/v1/grid/import HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: "
      "2\r\n\r\n{}");

  EXPECT_TRUE(is_problem(response, 400));
  EXPECT_TRUE(server_closed_the_connection());
}

TEST_F(HttpLimitsTest, ConflictingContentLengthsAre400) {
  const HttpResponse response = answer_to(
      "POST /api/v1/grid/import HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: "
      "40\r\n\r\n{}");

  EXPECT_TRUE(is_problem(response, 400));
}

TEST_F(HttpLimitsTest, NonNumericContentLengthIs400) {
  EXPECT_TRUE(is_problem(
      answer_to("POST /api/v1/grid/import HTTP/1.1\r\nHost: x\r\nContent-Length: two\r\n\r\n{}"),
      400));
}

TEST_F(HttpLimitsTest, HeaderOverTheLimitIs431) {
  const HttpResponse response = answer_to("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Padding: " +
                                          std::string(kHeaderLimit + 100, 'a') + "\r\n\r\n");

  EXPECT_TRUE(is_problem(response, 431));
  EXPECT_TRUE(server_closed_the_connection());
}

TEST_F(HttpLimitsTest, HeaderJustUnderTheLimitIsServed) {
  const HttpResponse response = answer_to("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Padding: " +
                                          std::string(kHeaderLimit - 200, 'a') + "\r\n\r\n");

  EXPECT_EQ(response.status, 200U);
}

TEST_F(HttpLimitsTest, MalformedRequestLineIs400) {
  EXPECT_TRUE(is_problem(answer_to("THIS IS NOT HTTP\r\n\r\n"), 400));
}

TEST_F(HttpLimitsTest, KeepAliveConnectionServesRequestsInTurn) {
  HttpConnection connection{port()};

  const HttpResponse first = connection.request("GET", "/healthz");
  const HttpResponse second =
      connection.request("GET", "/api/v1/grid/150211", {}, auth_headers("admin"));
  const HttpResponse third = connection.request("GET", "/healthz");

  EXPECT_EQ(first.status, 200U);
  EXPECT_EQ(second.status, 404U);
  EXPECT_EQ(third.status, 200U);
}

TEST_F(HttpLimitsTest, ConnectionCloseIsHonoured) {
  const HttpResponse response =
      answer_to("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

  EXPECT_EQ(response.status, 200U);
  EXPECT_TRUE(server_closed_the_connection());
}

TEST_F(HttpLimitsTest, Http10RequestIsAnsweredThenClosed) {
  const HttpResponse response = answer_to("GET /healthz HTTP/1.0\r\n\r\n");

  EXPECT_EQ(response.status, 200U);
  EXPECT_TRUE(server_closed_the_connection());
}

}  // namespace
}  // namespace gridcase::testing
