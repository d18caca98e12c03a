// Signing in and out, the admin API and integration tokens over HTTP against the real binary.
#include <gtest/gtest.h>

#include "support/case_http.hpp"
#include "support/demo_server.hpp"
#include "support/server_process.hpp"
#include "support/test_database.hpp"

namespace gridcase::testing {
namespace {

using nlohmann::json;

constexpr const char* kPassword = "长城 correct horse 42";

HttpHeaders bearer(const std::string& token) { return {{"Authorization", "Bearer " + token}}; }

HttpHeaders json_as(const HttpHeaders& auth) {
  HttpHeaders headers = auth;
  headers.emplace_back("Content-Type", "application/json");
  return headers;
}

/// Creates an account through the admin API; fails the test unless the answer is 201.
std::string create_user(unsigned short port, json body) {
  const std::string username = unique_token("e2e-user");
  body["username"] = username;
  if (!body.contains("display_name")) body["display_name"] = "测试用户";
  const HttpResponse created =
      http_request(port, "POST", "/api/v1/users", body.dump(), json_as(auth_headers("admin")));
  EXPECT_EQ(created.status, 201U) << created.body;
  EXPECT_EQ(created.header("Location"), "/api/v1/users/" + username);
  EXPECT_EQ(created.body.find("password"), std::string::npos);
  return username;
}

/// Failed logins from 127.0.0.1 count against every test of the run (the address lock is
/// database-wide): a test that fails logins on purpose starts from none. The lock itself is
/// tested in tests/integration/access_test.cpp.
void forget_failed_logins() {
  query_scalar(e2e_database_url(),
               "WITH gone AS (DELETE FROM login_failures RETURNING 1) SELECT count(*) FROM gone");
}

HttpResponse sign_in(unsigned short port, const std::string& username,
                     const std::string& password) {
  return http_request(port, "POST", "/api/v1/sessions",
                      json{{"username", username}, {"password", password}}.dump(),
                      {{"Content-Type", "application/json"}});
}

class AuthApiTest : public DemoServerTest {};

TEST_F(AuthApiTest, AUserSignsInActsAsThemselvesAndSignsOut) {
  const std::string username = create_user(
      port(), {{"roles", {"dispatcher"}}, {"password", kPassword}, {"scope", "district"}});

  const HttpResponse signed_in = sign_in(port(), username, kPassword);
  ASSERT_EQ(signed_in.status, 201U) << signed_in.body;
  EXPECT_EQ(signed_in.header("Cache-Control"), "no-store");
  const json session = json_of(signed_in);
  const std::string token = session.at("token");
  EXPECT_EQ(session.at("token_type"), "Bearer");
  EXPECT_EQ(session.at("user").at("roles"), json::array({"dispatcher"}));

  const json me =
      json_of(http_request(port(), "GET", "/api/v1/sessions/current", {}, bearer(token)));
  EXPECT_EQ(me.at("user").at("username"), username);
  const std::string case_no = create_registered_case(port());
  const HttpResponse dispatched =
      http_request(port(), "POST", "/api/v1/cases/" + case_no + "/actions/dispatch",
                   json{{"unit", "150203004-enforcement"}}.dump(), json_as(bearer(token)));
  ASSERT_EQ(dispatched.status, 200U) << dispatched.body;
  const json events = json_of(get_as(port(), "/api/v1/cases/" + case_no)).at("events");
  EXPECT_EQ(events.back().at("actor"), username);
  EXPECT_EQ(events.back().at("role"), "dispatcher");

  EXPECT_EQ(http_request(port(), "DELETE", "/api/v1/sessions/current", {}, bearer(token)).status,
            204U);
  EXPECT_TRUE(
      is_problem(http_request(port(), "GET", "/api/v1/sessions/current", {}, bearer(token)), 401));
}

TEST_F(AuthApiTest, AWrongPasswordAndAnUnknownUserGetTheSame401) {
  const std::string username =
      create_user(port(), {{"roles", {"operator"}}, {"password", kPassword}});
  forget_failed_logins();

  const HttpResponse wrong = sign_in(port(), username, "not the password");
  const HttpResponse unknown = sign_in(port(), "nobody-at-all", kPassword);

  EXPECT_TRUE(is_problem(wrong, 401));
  EXPECT_TRUE(is_problem(unknown, 401));
  EXPECT_EQ(json_of(wrong).at("detail"), json_of(unknown).at("detail"));
}

TEST_F(AuthApiTest, AnIntegrationTokenSubmitsOnItsChannelsOnlyUntilRevoked) {
  const std::string username = create_user(port(), {{"roles", {"integration"}},
                                                    {"channels", {"hotline_12345"}},
                                                    {"display_name", "12345 平台"}});
  const HttpResponse issued = http_request(port(), "POST", "/api/v1/users/" + username + "/tokens",
                                           R"({"label": "12345 gateway", "expires_in_days": 30})",
                                           json_as(auth_headers("admin")));
  ASSERT_EQ(issued.status, 201U) << issued.body;
  const std::string token = json_of(issued).at("token");
  const long long id = json_of(issued).at("id");

  const HttpResponse on_its_channel =
      http_request(port(), "POST", "/api/v1/cases", case_intake_body("hotline_12345").dump(),
                   json_as(bearer(token)));
  const HttpResponse on_another = http_request(
      port(), "POST", "/api/v1/cases", case_intake_body("web").dump(), json_as(bearer(token)));
  const HttpResponse reading = http_request(port(), "GET", "/api/v1/cases", {}, bearer(token));

  EXPECT_EQ(on_its_channel.status, 201U) << on_its_channel.body;
  EXPECT_EQ(json_of(on_its_channel).at("reporter").at("phone"), "138****5678");
  EXPECT_TRUE(is_problem(on_another, 403));
  // It lists what it submitted, and only that (IntegrationReadsTest holds the rest).
  ASSERT_EQ(reading.status, 200U) << reading.body;
  ASSERT_EQ(json_of(reading).at("items").size(), 1U) << reading.body;
  EXPECT_EQ(json_of(reading).at("items")[0].at("case_no"), json_of(on_its_channel).at("case_no"));
  const json listed = json_of(http_request(port(), "GET", "/api/v1/users/" + username + "/tokens",
                                           {}, auth_headers("admin")));
  ASSERT_EQ(listed.at("items").size(), 1U);
  EXPECT_EQ(listed.at("items")[0].at("label"), "12345 gateway");
  EXPECT_EQ(listed.dump().find(token), std::string::npos) << "the token is shown once";
  EXPECT_EQ(
      http_request(port(), "DELETE", "/api/v1/users/" + username + "/tokens/" + std::to_string(id),
                   {}, auth_headers("admin"))
          .status,
      204U);
  EXPECT_TRUE(
      is_problem(http_request(port(), "POST", "/api/v1/cases",
                              case_intake_body("hotline_12345").dump(), json_as(bearer(token))),
                 401));
}

TEST_F(AuthApiTest, DeactivatingAUserEndsTheirSessions) {
  const std::string username =
      create_user(port(), {{"roles", {"operator"}}, {"password", kPassword}});
  const std::string token = json_of(sign_in(port(), username, kPassword)).at("token");

  const HttpResponse patched = http_request(port(), "PATCH", "/api/v1/users/" + username,
                                            R"({"active": false})", json_as(auth_headers("admin")));

  EXPECT_EQ(patched.status, 200U) << patched.body;
  EXPECT_EQ(json_of(patched).at("active"), false);
  EXPECT_TRUE(is_problem(http_request(port(), "GET", "/api/v1/cases", {}, bearer(token)), 401));
  forget_failed_logins();
  EXPECT_TRUE(is_problem(sign_in(port(), username, kPassword), 401));
}

TEST_F(AuthApiTest, AUserThatDoesNotFitItsRolesIs422NamingTheScope) {
  HttpHeaders headers = json_as(auth_headers("admin"));
  const HttpResponse response = http_request(port(), "POST", "/api/v1/users",
                                             json{{"username", unique_token("e2e-user")},
                                                  {"display_name", "x"},
                                                  {"roles", {"unit"}},
                                                  {"password", kPassword}}
                                                 .dump(),
                                             headers);

  EXPECT_TRUE(is_problem(response, 422));
  EXPECT_EQ(error_fields(response), std::vector<std::string>{"scope"});
}

TEST_F(AuthApiTest, ATakenUsernameIs409NamingItAndLeavesTheAccountAsItWas) {
  const std::string username = create_user(port(), json{{"display_name", "第一位"},
                                                        {"roles", {"operator"}},
                                                        {"password", kPassword},
                                                        {"scope", "district"}});

  const HttpResponse again = http_request(port(), "POST", "/api/v1/users",
                                          json{{"username", username},
                                               {"display_name", "第二位"},
                                               {"roles", {"dispatcher"}},
                                               {"password", kPassword},
                                               {"scope", "district"}}
                                              .dump(),
                                          json_as(auth_headers("admin")));

  EXPECT_TRUE(is_problem(again, 409)) << again.body;
  EXPECT_EQ(error_fields(again), std::vector<std::string>{"username"}) << again.body;
  const HttpResponse stored =
      http_request(port(), "GET", "/api/v1/users/" + username, {}, auth_headers("admin"));
  ASSERT_EQ(stored.status, 200U) << stored.body;
  EXPECT_EQ(json::parse(stored.body).at("display_name"), "第一位");
  EXPECT_EQ(json::parse(stored.body).at("roles"), json::array({"operator"}));
}

TEST_F(AuthApiTest, ControlCharactersInATokenLabelOrADisplayNameAre422AndWriteNothing) {
  const std::string username =
      create_user(port(), {{"roles", {"integration"}}, {"channels", {"web"}}});
  const HttpHeaders headers = json_as(auth_headers("admin"));

  const HttpResponse label = http_request(port(), "POST", "/api/v1/users/" + username + "/tokens",
                                          R"({"label": "a\u0000b"})", headers);
  const HttpResponse name = http_request(port(), "PATCH", "/api/v1/users/" + username,
                                         R"({"display_name": "bell\u0007"})", headers);

  EXPECT_TRUE(is_problem(label, 422)) << label.body;
  EXPECT_EQ(error_fields(label), std::vector<std::string>{"label"});
  EXPECT_TRUE(is_problem(name, 422)) << name.body;
  const json tokens = json_of(http_request(port(), "GET", "/api/v1/users/" + username + "/tokens",
                                           {}, auth_headers("admin")));
  EXPECT_TRUE(tokens.at("items").empty());
}

TEST(AuthLogTest, NoPasswordOrTokenReachesTheLog) {
  ServerProcess server{e2e_database_url()};
  const std::string username =
      create_user(server.port(), {{"roles", {"operator"}}, {"password", kPassword}});
  const HttpResponse signed_in = sign_in(server.port(), username, kPassword);
  ASSERT_EQ(signed_in.status, 201U);
  const std::string token = json_of(signed_in).at("token");
  forget_failed_logins();
  sign_in(server.port(), username, "a wrong password");
  http_request(server.port(), "GET", "/api/v1/cases", {}, bearer(token));

  const std::string log = server.log();

  EXPECT_NE(log.find("failed login: " + username), std::string::npos) << log;
  EXPECT_EQ(log.find("correct horse"), std::string::npos);
  EXPECT_EQ(log.find("a wrong password"), std::string::npos);
  EXPECT_EQ(log.find(token.substr(4)), std::string::npos);
}

}  // namespace
}  // namespace gridcase::testing
