#include <gtest/gtest.h>

#include <map>
#include <set>

#include "case_world.hpp"

namespace gridcase::testing {
namespace {

using namespace std::chrono_literals;
using domain::CaseAction;
using domain::CaseStatus;
using domain::Channel;
using domain::Role;
using nlohmann::json;

using Pair = std::pair<CaseStatus, CaseAction>;

/// Tries every action on a case in every state through the real service and database.
class CaseTransitionsTest : public CaseWorldTest {
 protected:
  /// A fresh anonymous case in `status`; approve/deny get a pending extension request first
  /// (their guard), so that only the table decides.
  std::string case_in(CaseStatus status, CaseAction action) {
    const std::string case_no = receive(Channel::kApp, false);
    drive_to(case_no, status);
    if (status == CaseStatus::kHandling &&
        (action == CaseAction::kApproveExtension || action == CaseAction::kDenyExtension)) {
      act(case_no, CaseAction::kRequestExtension, reason_input(), Role::kUnit);
    }
    return case_no;
  }

  static bool needs_its_own_case(CaseAction action) {
    return action == CaseAction::kApproveExtension || action == CaseAction::kDenyExtension;
  }

  /// Parameters that make `action` valid and refer to things that exist.
  domain::ActionInput valid_input(CaseAction action) {
    switch (action) {
      case CaseAction::kLocate: {
        domain::ActionInput input;
        input.point = CaseDistrict::in_east_cell();
        return input;
      }
      case CaseAction::kVerify:
        return result_input("confirmed");
      case CaseAction::kCheck:
        return result_input("passed");
      case CaseAction::kRegister:
        return register_input();
      case CaseAction::kDispatch:
        return unit_input();
      case CaseAction::kReassign:
        return unit_input(CaseDistrict::kDistrictUnit);
      case CaseAction::kReject:
      case CaseAction::kReturn:
      case CaseAction::kRework:
      case CaseAction::kReopen:
      case CaseAction::kRequestExtension:
        return reason_input();
      case CaseAction::kRequestSuspension:
        return until_input(clock_->now() + 48h, true);
      case CaseAction::kSuspend:
        return until_input(clock_->now() + 48h, false);
      case CaseAction::kComplete:
      case CaseAction::kReply:
        return note_input();
      case CaseAction::kCallback:
        return callback_input("satisfied");
      case CaseAction::kMerge: {
        domain::ActionInput input;
        input.into = merge_target_;
        return input;
      }
      case CaseAction::kReceive:
      case CaseAction::kRequestVerification:
      case CaseAction::kWithdrawVerification:
      case CaseAction::kAcknowledge:
      case CaseAction::kUrge:
      case CaseAction::kApproveExtension:
      case CaseAction::kDenyExtension:
      case CaseAction::kResume:
      case CaseAction::kClose:
        break;
    }
    return {};
  }

  /// A role the table allows for `action` from `status`, else one allowed elsewhere (so a
  /// refusal is about the state, never 403). Never the system.
  static Role role_for(CaseStatus status, CaseAction action) {
    for (domain::RoleSet roles : {domain::roles_for(status, action), domain::roles_for(action)}) {
      for (Role role : roles.roles()) {
        if (role != Role::kSystem) return role;
      }
    }
    ADD_FAILURE() << "no role may " << to_string(action);
    return Role::kAdmin;
  }

  std::string merge_target_;
};

TEST_F(CaseTransitionsTest, ExactlyThePairsOfTheTransitionTableAreAllowedInTheDatabase) {
  merge_target_ = receive(Channel::kWeb);
  std::map<Pair, CaseStatus> expected;
  for (const domain::Transition& row : domain::transitions()) {
    if (row.from && row.check_result != domain::CheckResult::kFailed)
      expected[{*row.from, row.action}] = row.to;
  }

  std::map<Pair, CaseStatus> allowed;
  std::set<Pair> refused_otherwise;
  for (CaseStatus status : domain::kAllCaseStatuses) {
    std::optional<std::string> current;
    for (CaseAction action : domain::kAllCaseActions) {
      if (action == CaseAction::kReceive) continue;
      if (!current || needs_its_own_case(action)) current = case_in(status, action);
      try {
        const json answer = act(*current, action, valid_input(action), role_for(status, action));
        allowed[{status, action}] =
            *domain::parse_case_status(answer.at("status").get<std::string>());
        current.reset();
      } catch (const domain::Error& error) {
        if (error.code() != domain::ErrorCode::kInvalidTransition)
          refused_otherwise.insert({status, action});
        EXPECT_EQ(error.code(), domain::ErrorCode::kInvalidTransition)
            << to_string(status) << " × " << to_string(action) << ": " << error.what();
      }
      if (needs_its_own_case(action)) current.reset();
    }
  }

  EXPECT_EQ(allowed, expected);
  EXPECT_TRUE(refused_otherwise.empty());
}

TEST_F(CaseTransitionsTest, RefusedTransitionChangesNeitherTheCaseNorItsLog) {
  const std::string case_no = receive(Channel::kApp, false);
  drive_to(case_no, CaseStatus::kRegistered);
  const json before = get(case_no);

  const domain::Error error = refusal(case_no, CaseAction::kComplete, note_input(), Role::kUnit);

  const json after = get(case_no);
  EXPECT_EQ(error.code(), domain::ErrorCode::kInvalidTransition);
  EXPECT_EQ(after.at("version"), before.at("version"));
  EXPECT_EQ(after.at("events").size(), before.at("events").size());
  EXPECT_EQ(after.at("status"), "registered");
}

TEST_F(CaseTransitionsTest, RefusedTransitionListsWhatTheCallerMayDoNow) {
  const std::string case_no = receive(Channel::kApp, false);
  drive_to(case_no, CaseStatus::kDispatched);

  const domain::Error error = refusal(case_no, CaseAction::kComplete, note_input(), Role::kUnit);

  EXPECT_EQ(error.details().allowed_actions, (std::vector<std::string>{"acknowledge", "return"}));
}

}  // namespace
}  // namespace gridcase::testing
