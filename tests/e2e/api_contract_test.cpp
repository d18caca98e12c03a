// The checker every end-to-end request goes through (tests/support/api_contract.cpp): proof
// that it passes what docs/openapi.yaml documents and fails what it does not. No server.
#include "api_contract.hpp"

#include <gtest/gtest.h>

#include <string>

namespace gridcase::testing {
namespace {

HttpResponse answer(unsigned status, std::string content_type, std::string body) {
  HttpResponse response;
  response.status = status;
  if (!content_type.empty()) response.headers.emplace_back("Content-Type", content_type);
  response.body = std::move(body);
  return response;
}

const std::string kProblem =
    R"({"type":"urn:gridcase:problem:not-found","title":"Not Found","status":404,)"
    R"("detail":"no case 150203-20261125-000042","instance":"/x","request_id":"r1"})";

TEST(ApiContractTest, AcceptsADocumentedAnswer) {
  const HttpResponse response = answer(404, "application/problem+json", kProblem);

  EXPECT_EQ(contract_violations("GET", "/api/v1/cases/150203-20261125-000042", response),
            std::vector<std::string>{});
  EXPECT_EQ(contract_route("GET", "/api/v1/cases/150203-20261125-000042?x=1", response),
            "GET /api/v1/cases/{case_no} 404");
}

TEST(ApiContractTest, FindsTheMostSpecificTemplateAlsoWithAParameterInsideASegment) {
  const HttpResponse ok = answer(200, "application/json", "[]");

  EXPECT_EQ(contract_route("GET", "/open311/v2/services.json", ok),
            "GET /open311/v2/services.{format} 200");
  EXPECT_EQ(contract_route("GET", "/open311/v2/services/event:0101.xml", ok),
            "GET /open311/v2/services/{service_code}.{format} 200");
  EXPECT_EQ(contract_route("GET", "/api/v1/docs/docs.js", ok), "GET /api/v1/docs/{file} 200");
  EXPECT_EQ(contract_route("GET", "/open311/v2/services", ok), "GET (no route) 200");
}

TEST(ApiContractTest, RefusesABodyThatBreaksItsSchema) {
  // Problem's status is an integer and its detail is required.
  const HttpResponse response =
      answer(404, "application/problem+json", R"({"type":"t","title":"Not Found","status":"404"})");

  const std::vector<std::string> violations =
      contract_violations("GET", "/api/v1/cases/150203-20261125-000042", response);

  EXPECT_FALSE(violations.empty());
}

TEST(ApiContractTest, RefusesAStatusTheOperationDoesNotList) {
  const HttpResponse response = answer(418, "application/problem+json", kProblem);

  const std::vector<std::string> violations = contract_violations("GET", "/healthz", response);

  ASSERT_EQ(violations.size(), 1U);
  EXPECT_EQ(violations[0], "status 418 is not documented for this operation");
}

TEST(ApiContractTest, RefusesAMediaTypeTheAnswerDoesNotList) {
  const HttpResponse response = answer(404, "text/html; charset=utf-8", "<p>no</p>");

  const std::vector<std::string> violations =
      contract_violations("GET", "/api/v1/cases/150203-20261125-000042", response);

  ASSERT_EQ(violations.size(), 1U);
  EXPECT_EQ(violations[0], "Content-Type text/html is not documented for status 404");
}

TEST(ApiContractTest, RefusesABodyThatIsNotJson) {
  const HttpResponse response = answer(404, "application/problem+json", "{");

  EXPECT_FALSE(contract_violations("GET", "/api/v1/cases/1", response).empty());
}

TEST(ApiContractTest, AcceptsTheAnswersAnyRouteCanGiveOnlyWhereTheyApply) {
  const HttpResponse not_found = answer(404, "application/problem+json", kProblem);
  HttpResponse unparsable = answer(400, "application/problem+json", kProblem);

  EXPECT_TRUE(contract_violations("GET", "/api/v1/nothing-here", not_found).empty());
  EXPECT_EQ(contract_route("GET", "/api/v1/nothing-here", not_found), "GET (no route) 404");
  EXPECT_TRUE(
      contract_violations("DELETE", "/healthz", answer(405, "application/problem+json", kProblem))
          .empty());
  // /healthz has no 404 of its own, and its path has a route: a 404 there is undocumented.
  EXPECT_FALSE(contract_violations("GET", "/healthz", not_found).empty());
  // A 400 any route gives is a request HTTP cannot parse, and the connection closes.
  EXPECT_FALSE(contract_violations("GET", "/api/v1/nothing-here", unparsable).empty());
  unparsable.headers.emplace_back("Connection", "close");
  EXPECT_TRUE(contract_violations("GET", "/api/v1/nothing-here", unparsable).empty());
  EXPECT_TRUE(
      contract_violations("GET", "/healthz", answer(431, "application/problem+json", kProblem))
          .empty());
}

TEST(ApiContractTest, TakesNullWhereAFormattedStringMayBeNullAndNothingElse) {
  // A list item's handling_deadline is `type: [string, 'null'], format: date-time`.
  const auto page = [](const std::string& deadline) {
    return answer(200, "application/json",
                  R"({"next_cursor":null,"items":[{"case_no":"150203-20261125-000042",)"
                  R"("status":"received","version":1,"channel":"web","handling_deadline":)" +
                      deadline + "}]}");
  };

  EXPECT_TRUE(contract_violations("GET", "/api/v1/cases", page("null")).empty());
  EXPECT_TRUE(
      contract_violations("GET", "/api/v1/cases", page(R"("2026-11-25T10:00:00+08:00")")).empty());
  EXPECT_FALSE(contract_violations("GET", "/api/v1/cases", page(R"("tomorrow")")).empty());
  EXPECT_FALSE(contract_violations("GET", "/api/v1/cases", page("7")).empty());
}

TEST(ApiContractTest, ValidatesDatesAndNestedReferences) {
  const std::string health = R"({"status":"ok"})";

  EXPECT_TRUE(
      contract_violations("GET", "/healthz", answer(200, "application/json", health)).empty());
  EXPECT_FALSE(
      contract_violations("GET", "/healthz", answer(200, "application/json", "[]")).empty());
}

}  // namespace
}  // namespace gridcase::testing
