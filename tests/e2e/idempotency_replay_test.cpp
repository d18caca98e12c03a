// A repeated Idempotency-Key against the real binary (docs/security.md, "Replayed writes"): the
// replay answers with the first answer's status and case, but only once today's role (one that
// may do the action) and scope allow it, shows the case as the caller may see it today (a full
// reporter is a disclosure), and a stored refusal comes back as the same problem; an
// integration's replay answers as its first answer did (404 for a case not its own).
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "support/case_http.hpp"
#include "support/demo_server.hpp"
#include "support/test_database.hpp"

namespace gridcase::testing {
namespace {

using nlohmann::json;

constexpr const char* kPassword = "长城 correct horse 42";

HttpHeaders json_as(std::string_view token, const HttpHeaders& extra = {}) {
  HttpHeaders headers{{"Authorization", "Bearer " + std::string(token)},
                      {"Content-Type", "application/json"}};
  headers.insert(headers.end(), extra.begin(), extra.end());
  return headers;
}

class IdempotencyReplayTest : public DemoServerTest {
 protected:
  /// A fresh account (through the admin API) with `roles` and `scope`; returns its username.
  static std::string create_account(const json& roles, const std::string& scope) {
    const std::string username = unique_token("e2e-replay");
    const HttpResponse created = http_request(port(), "POST", "/api/v1/users",
                                              json{{"username", username},
                                                   {"display_name", "重放测试"},
                                                   {"roles", roles},
                                                   {"scope", scope},
                                                   {"password", kPassword}}
                                                  .dump(),
                                              case_headers("admin"));
    EXPECT_EQ(created.status, 201U) << created.body;
    return username;
  }

  static std::string sign_in(const std::string& username) {
    const HttpResponse session =
        http_request(port(), "POST", "/api/v1/sessions",
                     json{{"username", username}, {"password", kPassword}}.dump(),
                     {{"Content-Type", "application/json"}});
    EXPECT_EQ(session.status, 201U) << session.body;
    return json_of(session).value("token", "");
  }

  /// Changes the account as an admin would; its sessions end, so it signs in again.
  static std::string change_and_sign_in(const std::string& username, const json& patch) {
    const HttpResponse patched = http_request(port(), "PATCH", "/api/v1/users/" + username,
                                              patch.dump(), case_headers("admin"));
    EXPECT_EQ(patched.status, 200U) << patched.body;
    return sign_in(username);
  }

  static long long disclosures(const std::string& case_no, const std::string& username) {
    return e2e_rows("reporter_disclosures d JOIN cases c ON c.id = d.case_id WHERE c.case_no = '" +
                    case_no + "' AND d.username = '" + username + "'");
  }

  /// A problem answer without what differs between two requests by nature.
  static json problem_of(const HttpResponse& response) {
    json problem = json_of(response);
    problem.erase("instance");
    problem.erase("request_id");
    return problem;
  }
};

TEST_F(IdempotencyReplayTest, AnOperatorMadeShiftLeaderReplayingAnActionKeySeesTheReporterMasked) {
  const std::string case_no = create_case(port(), case_intake_body("web"));  // 张三, 13812345678
  const std::string username = create_account({"operator"}, "district");
  const std::string token = sign_in(username);
  const HttpHeaders keyed = json_as(token, {{"Idempotency-Key", unique_token("reject")}});
  const std::string target = "/api/v1/cases/" + case_no + "/actions/reject";
  const std::string body = json{{"reason", "重复"}}.dump();
  const HttpResponse first = http_request(port(), "POST", target, body, keyed);
  ASSERT_EQ(first.status, 200U) << first.body;
  const long long after_first = disclosures(case_no, username);

  const HttpResponse again = http_request(port(), "POST", target, body, keyed);
  const long long after_again = disclosures(case_no, username);
  // A shift leader may still reject (the table's reject rows), but sees reporters masked.
  const std::string moved = change_and_sign_in(username, {{"roles", {"shift_leader"}}});
  HttpHeaders moved_keyed = keyed;
  moved_keyed[0].second = "Bearer " + moved;
  const HttpResponse replay = http_request(port(), "POST", target, body, moved_keyed);

  EXPECT_EQ(json_of(first).at("reporter").at("phone"), "13812345678");
  EXPECT_EQ(after_first, 1);
  ASSERT_EQ(again.status, 200U) << again.body;
  EXPECT_EQ(json_of(again).at("reporter").at("phone"), "13812345678");
  EXPECT_EQ(after_again, after_first + 1) << "the full reporter shown again is a disclosure";
  ASSERT_EQ(replay.status, 200U) << replay.body;
  EXPECT_EQ(json_of(replay).at("case_no"), case_no);
  EXPECT_EQ(json_of(replay).at("version"), 2);
  EXPECT_EQ(replay.header("ETag"), "\"2\"");
  EXPECT_EQ(json_of(replay).at("reporter").at("name"), "张*");
  EXPECT_EQ(json_of(replay).at("reporter").at("phone"), "138****5678");
  EXPECT_EQ(replay.body.find("13812345678"), std::string::npos);
  EXPECT_EQ(disclosures(case_no, username), after_again) << "a masked view is no disclosure";
}

TEST_F(IdempotencyReplayTest, AReplayBySomeoneWhoseRoleMayNoLongerDoTheActionIsAFreshRefusal) {
  const std::string case_no = create_case(port(), case_intake_body("web"));
  const std::string username = create_account({"operator"}, "district");
  const std::string key = unique_token("verify");
  const std::string target = "/api/v1/cases/" + case_no + "/actions/request_verification";
  const HttpResponse first = http_request(port(), "POST", target, "{}",
                                          json_as(sign_in(username), {{"Idempotency-Key", key}}));
  ASSERT_EQ(first.status, 200U) << first.body;

  const std::string demoted = change_and_sign_in(username, {{"roles", {"supervisor"}}});
  const HttpResponse replay =
      http_request(port(), "POST", target, "{}", json_as(demoted, {{"Idempotency-Key", key}}));
  const HttpResponse fresh = http_request(port(), "POST", target, "{}", json_as(demoted));

  EXPECT_TRUE(is_problem(fresh, 403)) << fresh.body;
  EXPECT_TRUE(is_problem(replay, 403)) << "a supervisor got the stored answer: " << replay.body;
  EXPECT_EQ(problem_of(replay), problem_of(fresh));
  EXPECT_EQ(replay.body.find("138"), std::string::npos);
}

TEST_F(IdempotencyReplayTest, AnIntegrationsReplayedActionAnswersWithItsFirstAnswersStatus) {
  const std::string others = create_case(port(), case_intake_body("web"));
  const HttpResponse own_intake = post_case(port(), case_intake_body("web"), "integration");
  ASSERT_EQ(own_intake.status, 201U) << own_intake.body;
  const std::string own = json_of(own_intake).at("case_no").get<std::string>();

  for (const auto& [case_no, status] :
       std::vector<std::pair<std::string, unsigned>>{{others, 404U}, {own, 403U}}) {
    const std::string key = unique_token("urge");
    const HttpResponse first = post_action(port(), case_no, "urge", json::object(), "integration",
                                           {{"Idempotency-Key", key}});
    const HttpResponse replay = post_action(port(), case_no, "urge", json::object(), "integration",
                                            {{"Idempotency-Key", key}});

    EXPECT_TRUE(is_problem(first, status)) << first.body;
    EXPECT_TRUE(is_problem(replay, status)) << replay.body;
    EXPECT_EQ(problem_of(replay), problem_of(first));
  }
}

TEST_F(IdempotencyReplayTest, AnOperatorMovedToAnotherStreetReplayingAnIntakeKeyGetsAMissingCase) {
  const std::string username =
      create_account({"operator"}, std::string("grid:") + kDemoPlace.street);
  const std::string token = sign_in(username);
  const std::string key = unique_token("intake");
  const std::string body = case_intake_body("web").dump();
  const HttpResponse first = http_request(port(), "POST", "/api/v1/cases", body,
                                          json_as(token, {{"Idempotency-Key", key}}));
  ASSERT_EQ(first.status, 201U) << first.body;
  const std::string case_no = json_of(first).at("case_no");

  const std::string moved = change_and_sign_in(
      username, {{"scope", std::string("grid:") + other_demo_place(port()).street}});
  const HttpResponse replay = http_request(port(), "POST", "/api/v1/cases", body,
                                           json_as(moved, {{"Idempotency-Key", key}}));
  const HttpResponse read = http_request(port(), "GET", "/api/v1/cases/" + case_no, {},
                                         {{"Authorization", "Bearer " + moved}});

  EXPECT_TRUE(is_problem(read, 404)) << read.body;
  EXPECT_TRUE(is_problem(replay, 404)) << replay.body;
  EXPECT_EQ(problem_of(replay), problem_of(read));
  EXPECT_EQ(replay.header("Location"), std::nullopt);
  EXPECT_EQ(replay.body.find("张"), std::string::npos);
}

TEST_F(IdempotencyReplayTest, AReplayedRefusedIntakeIsTheSameProblemWithItsOwnRequestId) {
  json body = case_intake_body("web");
  body["category"] = "event:9999";
  const std::string key = unique_token("refused");
  const HttpResponse first =
      post_case(port(), body, "operator", {{"Idempotency-Key", key}, {"X-Request-Id", key + "-1"}});
  const HttpResponse replay =
      post_case(port(), body, "operator", {{"Idempotency-Key", key}, {"X-Request-Id", key + "-2"}});

  ASSERT_TRUE(is_problem(first, 422)) << first.body;
  EXPECT_EQ(error_fields(first), std::vector<std::string>{"category"});
  EXPECT_TRUE(is_problem(replay, 422)) << replay.body;
  EXPECT_EQ(problem_of(replay), problem_of(first));
  EXPECT_EQ(json_of(replay).at("request_id"), key + "-2");
  EXPECT_EQ(replay.header("X-Request-Id"), key + "-2");
}

TEST_F(IdempotencyReplayTest, AReplayedRefusedActionIsTheSameProblemEvenOnceItWouldSucceed) {
  const std::string case_no = create_case(port(), case_intake_body("web"));
  const json dispatch{{"unit", std::string(kDemoPlace.street) + "-enforcement"}};
  const std::string key = unique_token("dispatch");
  const HttpResponse first = post_action(port(), case_no, "dispatch", dispatch, "dispatcher",
                                         {{"Idempotency-Key", key}, {"X-Request-Id", key + "-1"}});
  ASSERT_EQ(post_action(port(), case_no, "register",
                        json{{"category", "event:0101"}, {"condition", "stop"}}, "shift_leader")
                .status,
            200U);

  const HttpResponse replay = post_action(port(), case_no, "dispatch", dispatch, "dispatcher",
                                          {{"Idempotency-Key", key}, {"X-Request-Id", key + "-2"}});

  ASSERT_TRUE(is_problem(first, 409)) << first.body;
  EXPECT_TRUE(is_problem(replay, 409)) << replay.body;
  EXPECT_EQ(problem_of(replay), problem_of(first));
  EXPECT_TRUE(json_of(replay).contains("allowed_actions"));
  EXPECT_EQ(json_of(replay).at("request_id"), key + "-2");
  EXPECT_EQ(json_of(get_as(port(), "/api/v1/cases/" + case_no)).at("status"), "registered");
}

}  // namespace
}  // namespace gridcase::testing
