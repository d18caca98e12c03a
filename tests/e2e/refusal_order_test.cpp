// The order of refusals of a case action over HTTP (domain.md §6: 401, 400, 404, 403, 412, 409,
// 422): a parameter value that makes no sense is 422 only once the case is found in the caller's
// scope, the caller's roles may do the action, If-Match is current and the state allows it. A
// case outside the caller's scope is 404 whatever its parameters' values, so a bad value tells no
// more about another street's case than a good one; a body that cannot be read is still 400.
#include <gtest/gtest.h>

#include "support/case_http.hpp"
#include "support/demo_server.hpp"
#include "support/test_database.hpp"

namespace gridcase::testing {
namespace {

using nlohmann::json;

/// Accounts seed-demo does not make, confined to the README point's street (150203004).
struct Accounts {
  std::string dispatcher =
      scoped_account("e2e-order-dispatcher-004", "dispatcher", "grid:150203004");
  std::string operator_ = scoped_account("e2e-order-operator-004", "operator", "grid:150203004");
};

const Accounts& accounts() {
  static const Accounts made;
  return made;
}

std::string district_unit() {
  return query_scalar(e2e_database_url(),
                      "SELECT code FROM units WHERE scope_code = '150203' AND active "
                      "ORDER BY code LIMIT 1");
}

/// A dispatch with a unit that exists and an attachment that is no URL: right shape, bad value.
json dispatch_with_a_bad_attachment() {
  return json{{"unit", district_unit()}, {"attachments", json::array({"not a url"})}};
}

std::string status_of(unsigned short port, const std::string& case_no) {
  return json_of(get_as(port, "/api/v1/cases/" + case_no, "admin")).value("status", "");
}

class RefusalOrderTest : public DemoServerTest {};

TEST_F(RefusalOrderTest, ABadParameterValueOnACaseOutsideTheCallersScopeIsNotFound) {
  ASSERT_STRNE(other_demo_place(port()).street, kDemoPlace.street);
  const std::string elsewhere = create_registered_case(port(), other_demo_place(port()));

  const HttpResponse answer = post_action(port(), elsewhere, "dispatch",
                                          dispatch_with_a_bad_attachment(), accounts().dispatcher);

  EXPECT_TRUE(is_problem(answer, 404)) << answer.body;
  EXPECT_EQ(answer.body.find("attachments"), std::string::npos) << answer.body;
  EXPECT_EQ(status_of(port(), elsewhere), "registered");
}

TEST_F(RefusalOrderTest, TheSameBadValueOnACaseOfTheCallersOwnStreetIsUnprocessable) {
  const std::string here = create_registered_case(port(), kDemoPlace);

  const HttpResponse answer = post_action(port(), here, "dispatch",
                                          dispatch_with_a_bad_attachment(), accounts().dispatcher);

  EXPECT_TRUE(is_problem(answer, 422)) << answer.body;
  EXPECT_EQ(error_fields(answer), std::vector<std::string>{"attachments[0]"});
  EXPECT_EQ(status_of(port(), here), "registered");
}

TEST_F(RefusalOrderTest, ARoleThatMayNeverDoTheActionIsForbiddenBeforeABadValue) {
  const std::string here = create_registered_case(port(), kDemoPlace);

  const HttpResponse answer =
      post_action(port(), here, "dispatch", dispatch_with_a_bad_attachment(), accounts().operator_);

  EXPECT_TRUE(is_problem(answer, 403)) << answer.body;
}

TEST_F(RefusalOrderTest, AStaleIfMatchIsRefusedBeforeABadValue) {
  const std::string here = create_registered_case(port(), kDemoPlace);

  const HttpResponse answer =
      post_action(port(), here, "dispatch", dispatch_with_a_bad_attachment(), accounts().dispatcher,
                  {{"If-Match", "\"99\""}});

  EXPECT_TRUE(is_problem(answer, 412)) << answer.body;
}

TEST_F(RefusalOrderTest, AStateThatDoesNotAllowTheActionIsAConflictBeforeABadValue) {
  const std::string received = create_case(port(), case_intake_body("web"));

  const HttpResponse answer = post_action(port(), received, "dispatch",
                                          dispatch_with_a_bad_attachment(), accounts().dispatcher);

  EXPECT_TRUE(is_problem(answer, 409)) << answer.body;
  EXPECT_EQ(status_of(port(), received), "received");
}

TEST_F(RefusalOrderTest, AMalformedCategoryOnAnotherStreetsCaseIsNotFound) {
  const std::string elsewhere = create_registered_case(port(), other_demo_place(port()));

  const HttpResponse answer =
      post_action(port(), elsewhere, "register",
                  json{{"category", "nonsense"}, {"condition", "stop"}}, accounts().dispatcher);

  EXPECT_TRUE(is_problem(answer, 404)) << answer.body;
}

TEST_F(RefusalOrderTest, AnUnreadableBodyIsStillABadRequestOnACaseOutsideTheScope) {
  const std::string elsewhere = create_registered_case(port(), other_demo_place(port()));
  HttpHeaders headers = case_headers(accounts().dispatcher);

  const HttpResponse malformed = http_request(
      port(), "POST", "/api/v1/cases/" + elsewhere + "/actions/dispatch", "{\"unit\":", headers);
  const HttpResponse missing =
      post_action(port(), elsewhere, "dispatch", json::object(), accounts().dispatcher);

  EXPECT_TRUE(is_problem(malformed, 400)) << malformed.body;
  EXPECT_TRUE(is_problem(missing, 400)) << missing.body;
  EXPECT_EQ(error_fields(missing), std::vector<std::string>{"unit"});
}

}  // namespace
}  // namespace gridcase::testing
