#include "http/error_response.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

namespace gridcase::http {
namespace {

using domain::Error;
using domain::ErrorCode;
using nlohmann::json;
using status = beast_http::status;

constexpr ErrorCode kEveryCode[] = {
    ErrorCode::kMalformed,        ErrorCode::kUnauthenticated,
    ErrorCode::kForbidden,        ErrorCode::kNotFound,
    ErrorCode::kMethodNotAllowed, ErrorCode::kInvalidTransition,
    ErrorCode::kConflict,         ErrorCode::kPreconditionFailed,
    ErrorCode::kTooLarge,         ErrorCode::kUnsupportedMediaType,
    ErrorCode::kInvalidValue,     ErrorCode::kRateLimited,
    ErrorCode::kUnavailable,      ErrorCode::kInternal,
};

Request request_for(std::string target) {
  Request request;
  request.message.method(beast_http::verb::get);
  request.message.target(target);
  request.message.version(11);
  request.request_id = "req-42";
  return request;
}

json body_of(const Response& response) { return json::parse(response.body()); }

TEST(StatusForTest, EachErrorCodeMapsToItsApiStatus) {
  EXPECT_EQ(status_for(ErrorCode::kMalformed), status::bad_request);
  EXPECT_EQ(status_for(ErrorCode::kUnauthenticated), status::unauthorized);
  EXPECT_EQ(status_for(ErrorCode::kForbidden), status::forbidden);
  EXPECT_EQ(status_for(ErrorCode::kNotFound), status::not_found);
  EXPECT_EQ(status_for(ErrorCode::kMethodNotAllowed), status::method_not_allowed);
  EXPECT_EQ(status_for(ErrorCode::kInvalidTransition), status::conflict);
  EXPECT_EQ(status_for(ErrorCode::kConflict), status::conflict);
  EXPECT_EQ(status_for(ErrorCode::kPreconditionFailed), status::precondition_failed);
  EXPECT_EQ(status_for(ErrorCode::kTooLarge), status::payload_too_large);
  EXPECT_EQ(status_for(ErrorCode::kUnsupportedMediaType), status::unsupported_media_type);
  EXPECT_EQ(status_for(ErrorCode::kInvalidValue), status::unprocessable_entity);
  EXPECT_EQ(status_for(ErrorCode::kRateLimited), status::too_many_requests);
  EXPECT_EQ(status_for(ErrorCode::kUnavailable), status::service_unavailable);
  EXPECT_EQ(status_for(ErrorCode::kInternal), status::internal_server_error);
}

TEST(ProblemResponseTest, EveryErrorIsProblemJsonWhoseStatusMatchesTheAnswer) {
  for (ErrorCode code : kEveryCode) {
    const Response response = problem_response(Error(code, "something"), request_for("/x"));

    EXPECT_EQ(response[beast_http::field::content_type], "application/problem+json");
    const json body = body_of(response);
    EXPECT_EQ(body.at("status").get<unsigned>(), response.result_int());
    EXPECT_EQ(response.result(), status_for(code));
  }
}

TEST(ProblemResponseTest, BodyHasTypeTitleStatusDetailInstanceAndRequestId) {
  const Response response = problem_response(Error(ErrorCode::kNotFound, "no grid node 150299"),
                                             request_for("/api/v1/grid/150299"));

  const json body = body_of(response);
  EXPECT_EQ(body.at("type"), "urn:gridcase:problem:not-found");
  EXPECT_EQ(body.at("title"), "Not Found");
  EXPECT_EQ(body.at("status"), 404);
  EXPECT_EQ(body.at("detail"), "no grid node 150299");
  EXPECT_EQ(body.at("instance"), "/api/v1/grid/150299");
  EXPECT_EQ(body.at("request_id"), "req-42");
}

TEST(ProblemResponseTest, TypesDifferPerStatus) {
  std::set<std::string> types;
  for (ErrorCode code : kEveryCode) {
    if (code == ErrorCode::kInvalidTransition) continue;  // shares 409 with kConflict
    types.insert(body_of(problem_response(Error(code, "x"), request_for("/"))).at("type"));
  }

  EXPECT_EQ(types.size(), std::size(kEveryCode) - 1);
}

TEST(ProblemResponseTest, ContentLengthMatchesTheBody) {
  const Response response = problem_response(Error(ErrorCode::kMalformed, "bad"), request_for("/"));

  EXPECT_EQ(response[beast_http::field::content_length], std::to_string(response.body().size()));
}

TEST(ProblemResponseTest, FieldErrorsAreListedInOrderAsFieldAndMessage) {
  const Error error(ErrorCode::kInvalidValue, "2 problems",
                    {.fields = {{"features[0].geometry", "invalid polygon"},
                                {"features[1].properties.code", "already exists"}}});

  const json body = body_of(problem_response(error, request_for("/api/v1/grid/import")));

  EXPECT_EQ(body.at("errors"), json::parse(R"([
    {"field": "features[0].geometry", "message": "invalid polygon"},
    {"field": "features[1].properties.code", "message": "already exists"}])"));
}

TEST(ProblemResponseTest, ErrorWithoutFieldErrorsHasNoErrorsMember) {
  const json body =
      body_of(problem_response(Error(ErrorCode::kNotFound, "gone"), request_for("/")));

  EXPECT_FALSE(body.contains("errors"));
  EXPECT_FALSE(body.contains("allowed_actions"));
}

TEST(ProblemResponseTest, RefusedTransitionListsTheAllowedActions) {
  const Error error(ErrorCode::kInvalidTransition, "cannot close a dispatched case",
                    {.allowed_actions = {"acknowledge", "return"}});

  const Response response = problem_response(error, request_for("/api/v1/cases/x/actions/close"));

  EXPECT_EQ(response.result(), status::conflict);
  EXPECT_EQ(body_of(response).at("allowed_actions"), json::parse(R"(["acknowledge", "return"])"));
}

TEST(ProblemResponseTest, RefusedTransitionWithNoAllowedActionsListsAnEmptyArray) {
  const Response response =
      problem_response(Error(ErrorCode::kInvalidTransition, "closed"), request_for("/"));

  EXPECT_EQ(body_of(response).at("allowed_actions"), json::array());
}

TEST(ProblemResponseTest, UnavailableAnswerCarriesTheGivenRetryAfter) {
  const Error error(ErrorCode::kUnavailable, "down", {.retry_after = std::chrono::seconds{5}});

  const Response response = problem_response(error, request_for("/"));

  EXPECT_EQ(response[beast_http::field::retry_after], "5");
}

TEST(ProblemResponseTest, UnavailableAnswerWithoutARetryAfterStillCarriesOne) {
  const Response response =
      problem_response(Error(ErrorCode::kUnavailable, "down"), request_for("/"));

  EXPECT_EQ(response[beast_http::field::retry_after], "1");
}

TEST(ProblemResponseTest, RateLimitedAnswerCarriesTheGivenRetryAfter) {
  const Error error(ErrorCode::kRateLimited, "slow down",
                    {.retry_after = std::chrono::seconds{30}});

  EXPECT_EQ(problem_response(error, request_for("/"))[beast_http::field::retry_after], "30");
}

TEST(ProblemResponseTest, OtherErrorsCarryNoRetryAfter) {
  const Response response =
      problem_response(Error(ErrorCode::kInvalidValue, "no"), request_for("/"));

  EXPECT_EQ(response.count(beast_http::field::retry_after), 0U);
}

TEST(ProblemResponseTest, UnauthenticatedAnswerAsksForABearerToken) {
  const Response response =
      problem_response(Error(ErrorCode::kUnauthenticated, "who?"), request_for("/"));

  EXPECT_EQ(response.result(), status::unauthorized);
  EXPECT_EQ(response[beast_http::field::www_authenticate], "Bearer");
}

TEST(ProblemResponseTest, OtherErrorsAskForNoToken) {
  const Response response = problem_response(Error(ErrorCode::kForbidden, "no"), request_for("/"));

  EXPECT_EQ(response.count(beast_http::field::www_authenticate), 0U);
}

TEST(ProblemResponseTest, InternalErrorHidesItsMessageFromTheClient) {
  const Response response = problem_response(
      Error(ErrorCode::kInternal, "relation \"cases\" does not exist"), request_for("/"));

  EXPECT_EQ(body_of(response).at("detail"), "internal error");
  EXPECT_EQ(response.body().find("relation"), std::string::npos);
}

TEST(ProblemResponseTest, InvalidUtf8InADetailStillYieldsValidJson) {
  const Response response =
      problem_response(Error(ErrorCode::kNotFound, "no grid node \xff\xfe"), request_for("/"));

  EXPECT_NO_THROW(json::parse(response.body()));
}

TEST(ProblemResponseTest, AnswerUsesTheRequestsHttpVersion) {
  Request request = request_for("/");
  request.message.version(10);

  EXPECT_EQ(problem_response(Error(ErrorCode::kNotFound, "x"), request).version(), 10U);
}

TEST(BareProblemResponseTest, ParserFailureAnswerIsProblemJsonWithTheGivenStatus) {
  const Response response = problem_response(status::request_header_fields_too_large,
                                             "header too large", 11, "5f3a9c1e-7");

  EXPECT_EQ(response.result(), status::request_header_fields_too_large);
  EXPECT_EQ(response["X-Request-Id"], "5f3a9c1e-7");
  EXPECT_EQ(response[beast_http::field::content_type], "application/problem+json");
  const json body = body_of(response);
  EXPECT_EQ(body.at("status"), 431);
  EXPECT_EQ(body.at("detail"), "header too large");
  EXPECT_EQ(body.at("type"), "urn:gridcase:problem:request-header-fields-too-large");
  EXPECT_EQ(body.at("request_id"), "5f3a9c1e-7") << "the id the access log names";
}

TEST(JsonResponseTest, JsonTextIsSentAsItIsWithTheGivenStatus) {
  const Response response =
      json_response(request_for("/"), R"({"imported":{"cell":1}})", status::created);

  EXPECT_EQ(response.result(), status::created);
  EXPECT_EQ(response[beast_http::field::content_type], "application/json");
  EXPECT_EQ(response.body(), R"({"imported":{"cell":1}})");
}

}  // namespace
}  // namespace gridcase::http
