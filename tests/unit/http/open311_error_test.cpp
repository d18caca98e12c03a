#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "http/open311_handlers.hpp"

namespace gridcase::http {
namespace {

using domain::Error;
using domain::ErrorCode;
using nlohmann::json;

Request request_for(std::string target) {
  Request request;
  request.message.method(beast_http::verb::get);
  request.message.target(target);
  request.message.version(11);
  return request;
}

TEST(Open311ErrorTest, AJsonTargetGetsAListOfCodeAndDescriptionPerProblem) {
  const Error error(ErrorCode::kMalformed, "2 problems",
                    {.fields = {{"lon", "between -180 and 180"}, {"end_date", "too late"}}});

  const Response response =
      open311_error_response(error, request_for("/open311/v2/requests.json?x=1"));

  EXPECT_EQ(response.result(), beast_http::status::bad_request);
  EXPECT_EQ(response[beast_http::field::content_type], "application/json; charset=utf-8");
  EXPECT_EQ(json::parse(response.body()),
            json::parse(R"([{"code":400,"description":"long: between -180 and 180"},)"
                        R"({"code":400,"description":"end_date: too late"}])"));
}

TEST(Open311ErrorTest, AnXmlTargetGetsEscapedErrorsElements) {
  const Error error(ErrorCode::kNotFound, "service_code not found: <事件&\"x\">");

  const Response response =
      open311_error_response(error, request_for("/open311/v2/services/x.xml"));

  EXPECT_EQ(response.result(), beast_http::status::not_found);
  EXPECT_EQ(response[beast_http::field::content_type], "text/xml; charset=utf-8");
  EXPECT_EQ(response.body(),
            R"(<?xml version="1.0" encoding="UTF-8"?><errors><error><code>404</code>)"
            R"(<description>service_code not found: &lt;事件&amp;&quot;x&quot;&gt;</description>)"
            R"(</error></errors>)");
}

TEST(Open311ErrorTest, SenselessValuesAre400AndAMissingKey403AsTheSpecificationHasThem) {
  const Request request = request_for("/open311/v2/requests.json");

  EXPECT_EQ(open311_error_response(Error(ErrorCode::kInvalidValue, "x"), request).result(),
            beast_http::status::bad_request);
  EXPECT_EQ(open311_error_response(Error(ErrorCode::kUnauthenticated, "x"), request).result(),
            beast_http::status::forbidden);
}

TEST(Open311ErrorTest, ARateLimitSaysWhenToRetry) {
  const Error error(ErrorCode::kRateLimited, "slow down",
                    {.retry_after = std::chrono::seconds{42}});

  const Response response = open311_error_response(error, request_for("/open311/v2/requests.xml"));

  EXPECT_EQ(response.result(), beast_http::status::too_many_requests);
  EXPECT_EQ(response[beast_http::field::retry_after], "42");
}

TEST(Open311ErrorTest, OnlyTargetsUnderOpen311UseItsFormat) {
  EXPECT_TRUE(is_open311_target("/open311/v2/requests.json"));
  EXPECT_TRUE(is_open311_target("/open311"));
  EXPECT_FALSE(is_open311_target("/open3110"));
  EXPECT_FALSE(is_open311_target("/api/v1/cases"));
}

}  // namespace
}  // namespace gridcase::http
