// The console's part of the API (issue 17): sign-in with the session cookie and its CSRF token,
// the console's files under their Content-Security-Policy, the grid map and the counts by
// status within the reader's scope, and desks' claims on cases.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>
#include <string>
#include <string_view>

#include "support/case_http.hpp"
#include "support/demo_server.hpp"

namespace gridcase::testing {
namespace {

using nlohmann::json;

class ConsoleApiTest : public DemoServerTest {
 protected:
  /// An operator account of the test's own with a fresh password; returns the password.
  std::string operator_with_password(const std::string& username) {
    scoped_account(username, "operator", "district");
    const std::string secret = "Console-" + unique_token("pw").substr(0, 16) + "-7";
    HttpHeaders headers = case_headers("admin");
    const HttpResponse answer = http_request(port(), "PATCH", "/api/v1/users/" + username,
                                             json{{"password", secret}}.dump(), headers);
    EXPECT_EQ(answer.status, 200U) << answer.body;
    return secret;
  }

  /// Signs in with `"cookie": true`; the answer.
  HttpResponse cookie_sign_in(const std::string& username, const std::string& password) {
    return http_request(
        port(), "POST", "/api/v1/sessions",
        json{{"username", username}, {"password", password}, {"cookie", true}}.dump(),
        {{"Content-Type", "application/json"}});
  }
};

/// The token in a `Set-Cookie: gridcase_session=<token>; …` header.
std::string cookie_token(const HttpResponse& response) {
  const std::string cookie = response.header("Set-Cookie").value_or("");
  const std::size_t start = cookie.find('=');
  const std::size_t end = cookie.find(';');
  if (!cookie.starts_with("gridcase_session=") || end == std::string::npos) return {};
  return cookie.substr(start + 1, end - start - 1);
}

HttpHeaders with_cookie(const std::string& token, const std::string& csrf = {},
                        bool json_body = false) {
  HttpHeaders headers{{"Cookie", "theme=dark; gridcase_session=" + token + "; lang=zh"}};
  if (!csrf.empty()) headers.emplace_back("X-CSRF-Token", csrf);
  if (json_body) headers.emplace_back("Content-Type", "application/json");
  return headers;
}

TEST_F(ConsoleApiTest, CookieSessionNeedsItsCsrfTokenForEveryChangeAndEndsWithItsCookie) {
  const std::string username = unique_token("console-op");
  const std::string password = operator_with_password(username);

  const HttpResponse signed_in = cookie_sign_in(username, password);
  ASSERT_EQ(signed_in.status, 201U) << signed_in.body;
  const std::string cookie = signed_in.header("Set-Cookie").value_or("");
  EXPECT_NE(cookie.find("; HttpOnly"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("; SameSite=Strict"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("; Path=/"), std::string::npos) << cookie;
  EXPECT_EQ(signed_in.header("Cache-Control"), "no-store");
  const json answer = json_of(signed_in);
  EXPECT_FALSE(answer.contains("token")) << "the page's script never holds the token";
  const std::string csrf = answer.value("csrf_token", "");
  EXPECT_TRUE(std::regex_match(csrf, std::regex("[0-9a-f]{48}"))) << csrf;
  const std::string token = cookie_token(signed_in);
  ASSERT_FALSE(token.empty()) << cookie;
  EXPECT_EQ(signed_in.body.find(token), std::string::npos);

  // A reloaded page finds its CSRF token again; a bearer caller is not given one.
  const HttpResponse current =
      http_request(port(), "GET", "/api/v1/sessions/current", "", with_cookie(token));
  ASSERT_EQ(current.status, 200U) << current.body;
  EXPECT_EQ(json_of(current).value("csrf_token", ""), csrf);
  EXPECT_EQ(json_of(current).at("user").at("username"), username);
  const HttpResponse as_bearer = get_as(port(), "/api/v1/sessions/current", "operator");
  EXPECT_FALSE(json_of(as_bearer).contains("csrf_token"));

  // A change without the CSRF token, or with another session's, is 403 and changes nothing.
  const long long cases_before = e2e_rows("cases");
  const std::string intake = case_intake_body("hotline_12319").dump();
  for (const std::string& wrong : {std::string{}, std::string(48, '0'), csrf + "0"}) {
    const HttpResponse refused =
        http_request(port(), "POST", "/api/v1/cases", intake, with_cookie(token, wrong, true));
    EXPECT_TRUE(is_problem(refused, 403)) << refused.body;
  }
  EXPECT_EQ(e2e_rows("cases"), cases_before);
  const HttpResponse created =
      http_request(port(), "POST", "/api/v1/cases", intake, with_cookie(token, csrf, true));
  ASSERT_EQ(created.status, 201U) << created.body;
  EXPECT_EQ(json_of(created).at("received_by"), username);

  // A bearer token needs no CSRF token (a cookie beside it is not what authenticates).
  HttpHeaders bearer = case_headers("operator");
  bearer.emplace_back("Cookie", "gridcase_session=" + token);
  EXPECT_EQ(http_request(port(), "POST", "/api/v1/cases", intake, bearer).status, 201U);

  // An unknown cookie is 401 like an unknown token.
  EXPECT_TRUE(is_problem(http_request(port(), "GET", "/api/v1/sessions/current", "",
                                      with_cookie("gct_" + std::string(64, 'a'))),
                         401));

  // Sign-out needs the CSRF token too, revokes the token and clears the cookie.
  EXPECT_TRUE(is_problem(
      http_request(port(), "DELETE", "/api/v1/sessions/current", "", with_cookie(token)), 403));
  const HttpResponse signed_out =
      http_request(port(), "DELETE", "/api/v1/sessions/current", "", with_cookie(token, csrf));
  ASSERT_EQ(signed_out.status, 204U) << signed_out.body;
  const std::string cleared = signed_out.header("Set-Cookie").value_or("");
  EXPECT_TRUE(cleared.starts_with("gridcase_session=;")) << cleared;
  EXPECT_NE(cleared.find("Max-Age=0"), std::string::npos) << cleared;
  EXPECT_TRUE(is_problem(
      http_request(port(), "GET", "/api/v1/sessions/current", "", with_cookie(token)), 401));
}

TEST_F(ConsoleApiTest, ConsoleFilesAreServedUnderAPolicyWithoutInlineScript) {
  const HttpResponse page = http_get(port(), "/");
  ASSERT_EQ(page.status, 200U);
  EXPECT_EQ(page.header("Content-Type"), "text/html; charset=utf-8");
  const std::string policy = page.header("Content-Security-Policy").value_or("");
  EXPECT_NE(policy.find("script-src 'self';"), std::string::npos) << policy;
  EXPECT_NE(policy.find("frame-ancestors 'none'"), std::string::npos) << policy;
  EXPECT_EQ(policy.find("unsafe-eval"), std::string::npos) << policy;
  EXPECT_NE(page.body.find("/console/console.js"), std::string::npos);
  EXPECT_EQ(page.body.find("<script>"), std::string::npos) << "no inline script";
  const std::string tag = page.header("ETag").value_or("");
  ASSERT_FALSE(tag.empty());
  EXPECT_EQ(http_request(port(), "GET", "/", "", {{"If-None-Match", tag}}).status, 304U);

  const HttpResponse script = http_get(port(), "/console/console.js");
  EXPECT_EQ(script.status, 200U);
  EXPECT_EQ(script.header("Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(http_get(port(), "/console/console.css").status, 200U);
  for (const char* missing : {"/console/console.html", "/console/nothing.js", "/console/..%2f",
                              "/console/docs.js", "/api/v1/docs/console.js"}) {
    EXPECT_TRUE(is_problem(http_get(port(), missing), 404)) << missing;
  }
}

TEST_F(ConsoleApiTest, GridMapAndCountsShowTheOpenCasesEachReaderMayRead) {
  // A fresh case in the demo point's cell (street 150203004) and one in another street.
  const std::string here = create_case(port(), case_intake_body("hotline_12319"));
  const DemoPlace other = other_demo_place(port());
  create_case(port(), case_intake_body("hotline_12319", other.lon, other.lat));

  const HttpResponse district = get_as(port(), "/api/v1/grid/150203/map", "dispatcher");
  ASSERT_EQ(district.status, 200U) << district.body;
  EXPECT_EQ(district.header("Content-Type"), "application/geo+json");
  const json streets = json_of(district);
  EXPECT_EQ(streets.at("type"), "FeatureCollection");
  long long open_in_street = -1;
  for (const json& feature : streets.at("features")) {
    EXPECT_EQ(feature.at("properties").at("level"), "street");
    EXPECT_TRUE(feature.at("geometry").contains("coordinates"));
    if (feature.at("id") == kDemoPlace.street)
      open_in_street = feature.at("properties").at("open").get<long long>();
  }
  EXPECT_GE(open_in_street, 1);

  // The cell level under the street: the demo cell holds the case.
  const json cells = json_of(get_as(
      port(), std::string("/api/v1/grid/") + kDemoPlace.street + "/map?level=cell", "dispatcher"));
  bool found = false;
  for (const json& feature : cells.at("features")) {
    EXPECT_TRUE(std::string(feature.at("id")).starts_with(kDemoPlace.street));
    if (feature.at("id") == kDemoPlace.cell) {
      found = true;
      EXPECT_GE(feature.at("properties").at("open").get<long long>(), 1);
    }
  }
  EXPECT_TRUE(found);

  // The demo supervisor (grid:150203004) reads its street, not the district nor another street.
  EXPECT_EQ(get_as(port(), std::string("/api/v1/grid/") + kDemoPlace.street + "/map", "supervisor")
                .status,
            200U);
  EXPECT_TRUE(is_problem(get_as(port(), "/api/v1/grid/150203/map", "supervisor"), 404));
  EXPECT_TRUE(is_problem(
      get_as(port(), std::string("/api/v1/grid/") + other.street + "/counts", "supervisor"), 404));
  const json counts = json_of(
      get_as(port(), std::string("/api/v1/grid/") + kDemoPlace.street + "/counts", "supervisor"));
  long long received = 0;
  for (const json& stage : counts.at("stages")) {
    // Every open case shows one light, or none when no timer runs.
    EXPECT_LE(stage.at("green").get<long long>() + stage.at("yellow").get<long long>() +
                  stage.at("red").get<long long>(),
              stage.at("open").get<long long>());
    EXPECT_EQ(stage.at("overdue"), stage.at("red"));
    if (stage.at("status") == "received") {
      received = stage.at("open").get<long long>();
      EXPECT_GE(stage.at("green").get<long long>(), 1) << "a fresh case's timer has just begun";
    }
  }
  EXPECT_GE(received, 1);
  EXPECT_GE(counts.at("open").get<long long>(), received);

  // A unit counts only its own cases: none of the fresh, undispatched ones.
  const json unit_counts = json_of(get_as(port(), "/api/v1/grid/150203/counts", "unit"));
  for (const json& stage : unit_counts.at("stages")) EXPECT_NE(stage.at("status"), "received");

  // Refusals: an integration, a level above the node, a bad level, a malformed or unknown code.
  EXPECT_TRUE(is_problem(get_as(port(), "/api/v1/grid/150203/map", "integration"), 403));
  // A map at the node's own level is the node itself.
  const json itself =
      json_of(get_as(port(), std::string("/api/v1/grid/") + kDemoPlace.street + "/map?level=street",
                     "dispatcher"));
  ASSERT_EQ(itself.at("features").size(), 1U);
  EXPECT_EQ(itself.at("features")[0].at("id"), kDemoPlace.street);
  EXPECT_TRUE(is_problem(
      get_as(port(), std::string("/api/v1/grid/") + kDemoPlace.cell + "/map?level=community",
             "dispatcher"),
      422));
  EXPECT_TRUE(
      is_problem(get_as(port(), "/api/v1/grid/150203/map?level=district", "dispatcher"), 422));
  EXPECT_TRUE(is_problem(get_as(port(), "/api/v1/grid/15020/map", "dispatcher"), 422));
  EXPECT_TRUE(is_problem(get_as(port(), "/api/v1/grid/150203098/counts", "dispatcher"), 404));
  EXPECT_TRUE(is_problem(get_as(port(), "/api/v1/grid/150203/map?zoom=3", "dispatcher"), 400));
  (void)here;
}

TEST_F(ConsoleApiTest, ADesksClaimIsSeenByTheOthersAndRefusesThemWhileItRuns) {
  const std::string case_no = create_case(port(), case_intake_body("hotline_12319"));
  const std::string path = "/api/v1/cases/" + case_no + "/claim";

  const HttpResponse claimed = http_request(port(), "POST", path, "", auth_headers("operator"));
  ASSERT_EQ(claimed.status, 200U) << claimed.body;
  EXPECT_EQ(json_of(claimed).at("claimed_by"), "operator");
  const json seen = json_of(get_as(port(), "/api/v1/cases/" + case_no, "dispatcher"));
  EXPECT_EQ(seen.at("claim").at("claimed_by"), "operator");
  const json listed = json_of(get_as(port(), "/api/v1/cases?q=" + case_no, "dispatcher"));
  ASSERT_EQ(listed.at("items").size(), 1U);
  EXPECT_EQ(listed.at("items")[0].at("claim").at("claimed_by"), "operator");
  EXPECT_EQ(listed.at("items")[0].at("light"), "green") << "its first timer has just begun";

  // Another desk: 409 naming the holder, for claiming and for releasing.
  const HttpResponse taken = http_request(port(), "POST", path, "{}", case_headers("dispatcher"));
  EXPECT_TRUE(is_problem(taken, 409)) << taken.body;
  EXPECT_NE(taken.body.find("operator"), std::string::npos);
  EXPECT_TRUE(
      is_problem(http_request(port(), "DELETE", path, "", auth_headers("dispatcher")), 409));

  // The holder renews and releases; then the other desk claims.
  EXPECT_EQ(http_request(port(), "POST", path, "{}", case_headers("operator")).status, 200U);
  EXPECT_EQ(http_request(port(), "DELETE", path, "", auth_headers("operator")).status, 204U);
  EXPECT_TRUE(
      json_of(get_as(port(), "/api/v1/cases/" + case_no, "dispatcher")).at("claim").is_null());
  EXPECT_EQ(http_request(port(), "POST", path, "", auth_headers("dispatcher")).status, 200U);

  // Roles that do not work at a desk, a case outside the caller's scope, bad input.
  EXPECT_TRUE(is_problem(http_request(port(), "POST", path, "", auth_headers("supervisor")), 403));
  EXPECT_TRUE(is_problem(http_request(port(), "POST", path, "", auth_headers("unit")), 403));
  const std::string street_desk =
      scoped_account(unique_token("claim-desk"), "dispatcher", "grid:150203001");
  static_assert(std::string_view(kDemoPlace.street) != "150203001");
  EXPECT_TRUE(is_problem(http_request(port(), "POST", path, "", auth_headers(street_desk)), 404));
  EXPECT_TRUE(is_problem(http_request(port(), "POST", "/api/v1/cases/150203-20000101-999999/claim",
                                      "", auth_headers("operator")),
                         404));
  EXPECT_TRUE(is_problem(
      http_request(port(), "POST", path, R"({"minutes": 5})", case_headers("dispatcher")), 400));
  EXPECT_TRUE(is_problem(http_request(port(), "POST", path, "[", case_headers("dispatcher")), 400));
  // An integration files cases; it does not work them at a desk.
  EXPECT_TRUE(is_problem(http_request(port(), "POST", path, "", auth_headers("integration")), 403));
}

TEST_F(ConsoleApiTest, AKioskTokenSignsInAWallThatReadsAndNeverWrites) {
  const std::string wall = scoped_account(unique_token("wall"), "supervisor", "grid:150203004");
  const HttpResponse issued =
      http_request(port(), "POST", "/api/v1/users/" + wall + "/tokens",
                   json{{"kind", "kiosk"}, {"label", "大屏 wall"}}.dump(), case_headers("admin"));
  ASSERT_EQ(issued.status, 201U) << issued.body;
  const std::string kiosk = json_of(issued).at("token");
  const json listed = json_of(get_as(port(), "/api/v1/users/" + wall + "/tokens", "admin"));
  EXPECT_EQ(listed.at("items")[0].at("kind"), "kiosk");

  // The wall signs in with it into the cookie, for as long as the token lives (not 12 hours).
  const HttpResponse signed_in = http_request(port(), "POST", "/api/v1/sessions",
                                              json{{"token", kiosk}, {"cookie", true}}.dump(),
                                              {{"Content-Type", "application/json"}});
  ASSERT_EQ(signed_in.status, 201U) << signed_in.body;
  EXPECT_EQ(cookie_token(signed_in), kiosk);
  const std::string cookie = signed_in.header("Set-Cookie").value_or("");
  const long long max_age = std::stoll(cookie.substr(cookie.find("Max-Age=") + 8));
  EXPECT_GT(max_age, 300LL * 24 * 3600) << cookie;
  EXPECT_EQ(json_of(signed_in).value("kiosk", false), true);
  const std::string csrf = json_of(signed_in).at("csrf_token");

  // It reads its street, by cookie and as a bearer token alike …
  EXPECT_EQ(
      http_request(port(), "GET", "/api/v1/grid/150203004/counts", "", with_cookie(kiosk)).status,
      200U);
  EXPECT_EQ(http_request(port(), "GET", "/api/v1/cases", "", {{"Authorization", "Bearer " + kiosk}})
                .status,
            200U);
  // … and changes nothing, not even with its CSRF token: no urge, no claim, no sign-out.
  const std::string case_no = create_registered_case(port());
  EXPECT_TRUE(is_problem(http_request(port(), "POST", "/api/v1/cases/" + case_no + "/actions/urge",
                                      "{}", with_cookie(kiosk, csrf, true)),
                         403));
  EXPECT_TRUE(is_problem(
      http_request(port(), "POST", "/api/v1/cases/" + case_no + "/actions/urge", "{}",
                   {{"Authorization", "Bearer " + kiosk}, {"Content-Type", "application/json"}}),
      403));
  EXPECT_TRUE(is_problem(
      http_request(port(), "DELETE", "/api/v1/sessions/current", "", with_cookie(kiosk, csrf)),
      403));

  // Only a kiosk token signs in this way; a kiosk token is for people, not integrations.
  EXPECT_TRUE(
      is_problem(http_request(port(), "POST", "/api/v1/sessions",
                              json{{"token", demo_token("operator")}, {"cookie", true}}.dump(),
                              {{"Content-Type", "application/json"}}),
                 401));
  EXPECT_TRUE(
      is_problem(http_request(port(), "POST", "/api/v1/sessions", json{{"token", kiosk}}.dump(),
                              {{"Content-Type", "application/json"}}),
                 422));
  EXPECT_TRUE(is_problem(http_request(port(), "POST", "/api/v1/users/integration/tokens",
                                      json{{"kind", "kiosk"}}.dump(), case_headers("admin")),
                         422));
  EXPECT_TRUE(is_problem(http_request(port(), "POST", "/api/v1/users/" + wall + "/tokens",
                                      json{{"kind", "wall"}}.dump(), case_headers("admin")),
                         422));

  // Revoked by an admin, the wall is signed out.
  const long long id = json_of(issued).at("id");
  EXPECT_EQ(
      http_request(port(), "DELETE", "/api/v1/users/" + wall + "/tokens/" + std::to_string(id), "",
                   auth_headers("admin"))
          .status,
      204U);
  EXPECT_TRUE(is_problem(
      http_request(port(), "GET", "/api/v1/sessions/current", "", with_cookie(kiosk)), 401));
}

}  // namespace
}  // namespace gridcase::testing
