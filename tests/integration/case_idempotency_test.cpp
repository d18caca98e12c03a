#include <gtest/gtest.h>

#include "case_world.hpp"
#include "run_sync.hpp"

namespace gridcase::testing {
namespace {

using domain::CaseAction;
using domain::CaseStatus;
using domain::Channel;
using domain::ErrorCode;
using domain::Role;
using nlohmann::json;

constexpr const char* kIntakeRoute = "POST /api/v1/cases";

/// Idempotency-Key (contract/api.md Writes): one answer per caller, route and key.
class CaseIdempotencyTest : public CaseWorldTest {
 protected:
  /// The intake body a client would send for `description`, as the key's request body.
  static std::string body_of(const domain::NewCase& intake) {
    return json{{"channel", std::string(to_string(intake.channel))},
                {"description", intake.description}}
        .dump();
  }

  domain::NewCase report(const std::string& description) {
    domain::NewCase intake =
        case_report(Channel::kHotline12319, CaseDistrict::in_cell(), true, clock_->now());
    intake.description = description;
    return intake;
  }

  service::StoredResponse receive_with_key(const domain::NewCase& intake, const std::string& key,
                                           Role role = Role::kOperator) {
    return run_sync(cases_->receive(intake, case_actor(role),
                                    service::IdempotencyRequest{key, kIntakeRoute, body_of(intake)},
                                    case_renderer(201)));
  }

  service::StoredResponse act_with_key(const std::string& case_no, CaseAction action,
                                       const domain::ActionInput& input, Role role,
                                       const std::string& key, const std::string& body) {
    return run_sync(cases_->act(
        case_no, action, input, case_actor(role), std::nullopt,
        service::IdempotencyRequest{
            key, "POST /api/v1/cases/" + case_no + "/actions/" + std::string(to_string(action)),
            body},
        case_renderer(200)));
  }

  /// The error a keyed intake throws; fails the test when it answers instead.
  domain::Error keyed_refusal(const domain::NewCase& intake, const std::string& key) {
    try {
      const service::StoredResponse answer = receive_with_key(intake, key);
      ADD_FAILURE() << "answered " << answer.status << ": " << answer.body;
    } catch (const domain::Error& error) {
      return error;
    }
    return domain::Error(ErrorCode::kInternal, "answered");
  }
};

TEST_F(CaseIdempotencyTest, RepeatedKeyAndBodyReplayTheFirstAnswerAndCreateOneCase) {
  const domain::NewCase intake = report("hotline retry after a timeout");
  const long long before = rows_in("cases");

  const service::StoredResponse first = receive_with_key(intake, "call-0001");
  const service::StoredResponse second = receive_with_key(intake, "call-0001");

  EXPECT_EQ(first.status, 201);
  EXPECT_EQ(second.status, first.status);
  EXPECT_EQ(second.body, first.body);
  EXPECT_EQ(rows_in("cases"), before + 1);
}

TEST_F(CaseIdempotencyTest, SameKeyWithAnotherBodyIsRefusedNamingTheKey) {
  receive_with_key(report("the first report"), "call-0002");
  const long long before = rows_in("cases");

  const domain::Error error = keyed_refusal(report("a different report"), "call-0002");

  EXPECT_EQ(error.code(), ErrorCode::kInvalidValue);
  ASSERT_EQ(error.details().fields.size(), 1U);
  EXPECT_EQ(error.details().fields[0].field, "Idempotency-Key");
  EXPECT_EQ(rows_in("cases"), before);
}

TEST_F(CaseIdempotencyTest, RefusedRequestIsReplayedEvenOnceItWouldSucceed) {
  domain::NewCase intake = report("a category the catalogue does not have yet");
  intake.category_key = "event:0199";
  const domain::Error first = keyed_refusal(intake, "call-0003");
  std::vector<domain::Category> catalogue = CaseDistrict::categories();
  catalogue.push_back(
      {"event:0199", "新类别 a new category", {{"any", "any", 1, "work_day", "enforcement", ""}}});
  run_sync(catalog_->replace_categories(catalogue, domain::command_line_actor()));
  const long long before = rows_in("cases");

  const service::StoredResponse replay = receive_with_key(intake, "call-0003");

  EXPECT_EQ(first.code(), ErrorCode::kInvalidValue);
  EXPECT_EQ(replay.status, 422);
  EXPECT_EQ(json::parse(replay.body).at("fields"), json::array({"category"}));
  EXPECT_EQ(rows_in("cases"), before);
}

TEST_F(CaseIdempotencyTest, KeyIsScopedToTheCaller) {
  const domain::NewCase intake = report("two callers, one key");
  const long long before = rows_in("cases");

  const service::StoredResponse by_operator =
      receive_with_key(intake, "shared-key", Role::kOperator);
  const service::StoredResponse by_integration =
      receive_with_key(intake, "shared-key", Role::kIntegration);

  EXPECT_NE(json::parse(by_operator.body).at("case_no"),
            json::parse(by_integration.body).at("case_no"));
  EXPECT_EQ(rows_in("cases"), before + 2);
}

TEST_F(CaseIdempotencyTest, RepeatedKeyedDispatchIsAppliedOnce) {
  const std::string case_no = receive(Channel::kWeb);
  drive_to(case_no, CaseStatus::kRegistered);
  const std::string body = R"({"unit":"150261001-enforcement"})";

  const service::StoredResponse first = act_with_key(case_no, CaseAction::kDispatch, unit_input(),
                                                     Role::kDispatcher, "dispatch-1", body);
  const service::StoredResponse second = act_with_key(case_no, CaseAction::kDispatch, unit_input(),
                                                      Role::kDispatcher, "dispatch-1", body);

  EXPECT_EQ(first.status, 200);
  EXPECT_EQ(second.body, first.body);
  const json found = get(case_no);
  EXPECT_EQ(found.at("version"), 3);
  EXPECT_EQ(event_actions(found), (std::vector<std::string>{"receive", "register", "dispatch"}));
}

TEST_F(CaseIdempotencyTest, RefusedKeyedActionIsReplayedWithItsStatus) {
  const std::string case_no = receive(Channel::kWeb);
  const std::string body = R"({"unit":"150261001-enforcement"})";
  try {
    act_with_key(case_no, CaseAction::kDispatch, unit_input(), Role::kDispatcher, "dispatch-2",
                 body);
    ADD_FAILURE() << "dispatch of a received case was accepted";
  } catch (const domain::Error&) {
  }
  drive_to(case_no, CaseStatus::kRegistered);

  const service::StoredResponse replay = act_with_key(case_no, CaseAction::kDispatch, unit_input(),
                                                      Role::kDispatcher, "dispatch-2", body);

  EXPECT_EQ(replay.status, 409);
  EXPECT_EQ(get(case_no).at("status"), "registered");
}

}  // namespace
}  // namespace gridcase::testing
