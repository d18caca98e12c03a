#include <gtest/gtest.h>

#include "case_world.hpp"
#include "run_sync.hpp"
#include "test_database.hpp"

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

  service::CaseAnswer receive_with_key(const domain::NewCase& intake, const std::string& key,
                                       Role role = Role::kOperator) {
    return receive_with_key(intake, key, case_actor(role));
  }

  service::CaseAnswer receive_with_key(const domain::NewCase& intake, const std::string& key,
                                       const domain::Actor& actor) {
    domain::NewCase sent = intake;
    sent.photos = with_uploads(std::move(sent.photos), actor);
    return run_sync(cases_->receive(
        std::move(sent), actor, service::IdempotencyRequest{key, kIntakeRoute, body_of(intake)}));
  }

  service::CaseAnswer act_with_key(const std::string& case_no, CaseAction action,
                                   const domain::ActionInput& input, Role role,
                                   const std::string& key, const std::string& body) {
    return act_with_key(case_no, action, input, case_actor(role), key, body);
  }

  service::CaseAnswer act_with_key(const std::string& case_no, CaseAction action,
                                   const domain::ActionInput& input, const domain::Actor& actor,
                                   const std::string& key, const std::string& body) {
    domain::ActionInput sent = input;
    sent.attachments = with_uploads(std::move(sent.attachments), actor);
    return run_sync(cases_->act(
        case_no, action, std::move(sent), actor, std::nullopt,
        service::IdempotencyRequest{
            key, "POST /api/v1/cases/" + case_no + "/actions/" + std::string(to_string(action)),
            body}));
  }

  /// The error `write` throws; fails the test when it answers instead.
  template <typename Write>
  static domain::Error refusal_of(Write write) {
    try {
      const service::CaseAnswer answer = write();
      ADD_FAILURE() << "answered with case " << answer.written.case_no;
    } catch (const domain::Error& error) {
      return error;
    }
    return domain::Error(ErrorCode::kInternal, "answered");
  }

  /// The error a keyed intake throws; fails the test when it answers instead.
  domain::Error keyed_refusal(const domain::NewCase& intake, const std::string& key) {
    return refusal_of([&] { return receive_with_key(intake, key); });
  }

  /// The reporter disclosures recorded for `case_no`.
  long long disclosures_of(const std::string& case_no) {
    return std::stoll(
        query_scalar(url_,
                     "SELECT count(*) FROM reporter_disclosures d JOIN cases c ON c.id = d.case_id "
                     "WHERE c.case_no = '" +
                         case_no + "'"));
  }
};

/// The same error: what a replayed refusal must be, to render as the same problem.
void expect_same_error(const domain::Error& replayed, const domain::Error& first) {
  EXPECT_EQ(replayed.code(), first.code());
  EXPECT_STREQ(replayed.what(), first.what());
  EXPECT_EQ(replayed.details().fields, first.details().fields);
  EXPECT_EQ(replayed.details().allowed_actions, first.details().allowed_actions);
}

TEST_F(CaseIdempotencyTest, RepeatedKeyAndBodyReplayTheFirstAnswerAndCreateOneCase) {
  const domain::NewCase intake = report("hotline retry after a timeout");
  const long long before = rows_in("cases");

  const service::CaseAnswer first = receive_with_key(intake, "call-0001");
  const service::CaseAnswer second = receive_with_key(intake, "call-0001");

  EXPECT_TRUE(first.written.created);
  EXPECT_EQ(first.written.version, 1);
  EXPECT_EQ(second.written, first.written);
  EXPECT_EQ(second.view.case_json.text, first.view.case_json.text);
  EXPECT_EQ(second.view.version, first.view.version);
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

  const domain::Error replay = keyed_refusal(intake, "call-0003");

  EXPECT_EQ(first.code(), ErrorCode::kInvalidValue);
  expect_same_error(replay, first);
  ASSERT_EQ(replay.details().fields.size(), 1U);
  EXPECT_EQ(replay.details().fields[0].field, "category");
  EXPECT_EQ(rows_in("cases"), before);
}

TEST_F(CaseIdempotencyTest, KeyIsScopedToTheCaller) {
  const domain::NewCase intake = report("two callers, one key");
  const long long before = rows_in("cases");

  const service::CaseAnswer by_operator = receive_with_key(intake, "shared-key", Role::kOperator);
  const service::CaseAnswer by_integration =
      receive_with_key(intake, "shared-key", Role::kIntegration);

  EXPECT_NE(by_operator.written.case_no, by_integration.written.case_no);
  EXPECT_EQ(rows_in("cases"), before + 2);
}

TEST_F(CaseIdempotencyTest, RepeatedKeyedDispatchIsAppliedOnce) {
  const std::string case_no = receive(Channel::kWeb);
  drive_to(case_no, CaseStatus::kRegistered);
  const std::string body = R"({"unit":"150261001-enforcement"})";

  const service::CaseAnswer first = act_with_key(case_no, CaseAction::kDispatch, unit_input(),
                                                 Role::kDispatcher, "dispatch-1", body);
  const service::CaseAnswer second = act_with_key(case_no, CaseAction::kDispatch, unit_input(),
                                                  Role::kDispatcher, "dispatch-1", body);

  EXPECT_FALSE(first.written.created);
  EXPECT_EQ(first.written.version, 3);
  EXPECT_EQ(second.written, first.written);
  EXPECT_EQ(second.view.case_json.text, first.view.case_json.text);
  const json found = get(case_no);
  EXPECT_EQ(found.at("version"), 3);
  EXPECT_EQ(event_actions(found), (std::vector<std::string>{"receive", "register", "dispatch"}));
}

TEST_F(CaseIdempotencyTest, RefusedKeyedActionIsReplayedWithItsStatus) {
  const std::string case_no = receive(Channel::kWeb);
  const std::string body = R"({"unit":"150261001-enforcement"})";
  const domain::Error first = refusal_of([&] {
    return act_with_key(case_no, CaseAction::kDispatch, unit_input(), Role::kDispatcher,
                        "dispatch-2", body);
  });
  drive_to(case_no, CaseStatus::kRegistered);

  const domain::Error replay = refusal_of([&] {
    return act_with_key(case_no, CaseAction::kDispatch, unit_input(), Role::kDispatcher,
                        "dispatch-2", body);
  });

  EXPECT_EQ(first.code(), ErrorCode::kInvalidTransition);
  expect_same_error(replay, first);
  EXPECT_EQ(get(case_no).at("status"), "registered");
}

TEST_F(CaseIdempotencyTest, ReplayOfAnActionShowsTheReporterByTodaysRolesAndRecordsTheDisclosure) {
  const std::string case_no = receive(Channel::kWeb);  // 张三, 13812345678
  const std::string body = R"({"reason":"duplicate"})";
  const service::CaseAnswer first =
      act_with_key(case_no, CaseAction::kReject, reason_input(), Role::kOperator, "reject-1", body);
  const long long after_first = disclosures_of(case_no);
  // A shift leader may still reject, and sees reporters masked.
  domain::Actor moved = case_actor(Role::kOperator);
  moved.roles = domain::RoleSet{Role::kShiftLeader};
  moved.acting_as = Role::kShiftLeader;

  const service::CaseAnswer as_operator =
      act_with_key(case_no, CaseAction::kReject, reason_input(), Role::kOperator, "reject-1", body);
  const long long after_operator_replay = disclosures_of(case_no);
  const service::CaseAnswer as_shift_leader =
      act_with_key(case_no, CaseAction::kReject, reason_input(), moved, "reject-1", body);

  EXPECT_EQ(json::parse(first.view.case_json.text).at("reporter").at("phone"), "13812345678");
  EXPECT_EQ(json::parse(as_operator.view.case_json.text).at("reporter").at("phone"), "13812345678");
  EXPECT_EQ(after_operator_replay, after_first + 1) << "a full view shown is a disclosure";
  EXPECT_EQ(as_shift_leader.written, first.written);
  EXPECT_NE(json::parse(as_shift_leader.view.case_json.text).at("reporter").at("phone"),
            "13812345678");
  EXPECT_EQ(disclosures_of(case_no), after_operator_replay) << "a masked view is no disclosure";
  EXPECT_EQ(get(case_no).at("version"), 2);
}

TEST_F(CaseIdempotencyTest, ReplayOfAnActionByARoleThatMayNoLongerDoItIsRefusedAsAFreshRequest) {
  const std::string case_no = receive(Channel::kWeb);
  const std::string body = "{}";
  act_with_key(case_no, CaseAction::kRequestVerification, {}, Role::kOperator, "verify-2", body);
  domain::Actor demoted = case_actor(Role::kOperator);
  demoted.roles = domain::RoleSet{Role::kSupervisor};
  demoted.acting_as = Role::kSupervisor;

  const domain::Error replay = refusal_of([&] {
    return act_with_key(case_no, CaseAction::kRequestVerification, {}, demoted, "verify-2", body);
  });
  const domain::Error fresh = refusal_of([&] {
    return act_with_key(case_no, CaseAction::kRequestVerification, {}, demoted, "verify-3", body);
  });

  EXPECT_EQ(fresh.code(), ErrorCode::kForbidden);
  expect_same_error(replay, fresh);
}

TEST_F(CaseIdempotencyTest, ReplayOfACaseOutsideTodaysScopeIsNotFoundLikeAMissingCase) {
  const domain::NewCase intake = report("received by a street operator, who then moves");
  domain::Actor street_operator = case_actor(Role::kOperator);
  street_operator.scope = domain::Scope{domain::ScopeKind::kGrid, CaseDistrict::kStreet};
  const service::CaseAnswer first = receive_with_key(intake, "moved-1", street_operator);
  domain::Actor moved = street_operator;
  moved.scope = domain::Scope{domain::ScopeKind::kGrid, CaseDistrict::kOtherStreet};

  const domain::Error replay =
      refusal_of([&] { return receive_with_key(intake, "moved-1", moved); });
  const domain::Error read = [&] {
    try {
      run_sync(cases_->get(first.written.case_no, moved));
    } catch (const domain::Error& error) {
      return error;
    }
    return domain::Error(ErrorCode::kInternal, "found");
  }();

  EXPECT_EQ(read.code(), ErrorCode::kNotFound);
  expect_same_error(replay, read);
  EXPECT_TRUE(receive_with_key(intake, "moved-1", street_operator).written.created)
      << "back in the street, the key replays the case again";
}

TEST_F(CaseIdempotencyTest, ReplayOfARefusedActionOnACaseOutsideTodaysScopeIsNotFound) {
  const std::string case_no = receive(Channel::kWeb);
  const std::string body = R"({"unit":"150261001-enforcement"})";
  domain::Actor dispatcher = case_actor(Role::kDispatcher);
  dispatcher.scope = domain::Scope{domain::ScopeKind::kGrid, CaseDistrict::kStreet};
  const domain::Error first = refusal_of([&] {
    return act_with_key(case_no, CaseAction::kDispatch, unit_input(), dispatcher, "dispatch-3",
                        body);
  });
  dispatcher.scope = domain::Scope{domain::ScopeKind::kGrid, CaseDistrict::kOtherStreet};

  const domain::Error replay = refusal_of([&] {
    return act_with_key(case_no, CaseAction::kDispatch, unit_input(), dispatcher, "dispatch-3",
                        body);
  });

  EXPECT_EQ(first.code(), ErrorCode::kInvalidTransition);
  EXPECT_EQ(replay.code(), ErrorCode::kNotFound);
  EXPECT_TRUE(replay.details().allowed_actions.empty()) << "nothing of the case shows";
}

TEST_F(CaseIdempotencyTest, StoredOutcomeIsTheCaseTypedNotAnAnswer) {
  const service::CaseAnswer first = receive_with_key(report("what the key stores"), "typed-1");

  EXPECT_EQ(query_scalar(url_,
                         "SELECT case_id || ' ' || case_no || ' ' || case_version || ' ' || "
                         "created FROM idempotency_keys WHERE key = 'typed-1'"),
            std::to_string(first.written.case_id) + " " + first.written.case_no + " 1 true");
}

}  // namespace
}  // namespace gridcase::testing
